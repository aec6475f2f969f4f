"""Mastodon end to end against mastodon-mock: a real HTTP server with REST and streaming."""
from __future__ import annotations

import threading
from contextlib import contextmanager

import httpx
import pytest
from sqlalchemy import select

from sociable.connectors.mastodon import MastodonConnector, tag_of
from sociable.connectors.send import failed_replies, send_replies
from sociable.connectors.sync import deliver, sync_account
from sociable.domain.inbox import Action
from sociable.ingest.people import import_people
from sociable.store import accounts as accounts_repo
from sociable.store import connectors_tables as ct
from sociable.store import inbox as inbox_repo
from sociable.store import tables as t
from tests.connectors_helpers import count, items, vault, wait_for
from tests.helpers import write_people

mock = pytest.importorskip("mastodon_mock.testing.server")


@contextmanager
def fault(server, *, path, status=None, type="status", methods=None, count=None):
    """A fault rule on the mock's control plane (its own helper needs `httpx2`)."""
    effect = {"type": type}
    if status is not None:
        effect["status"] = status
    rule = httpx.post(f"{server.base_url}/api/v1/_mock/faults", json={
        "match": {"path": path, "methods": methods}, "effect": effect, "count": count})
    rule.raise_for_status()
    try:
        yield
    finally:
        httpx.delete(f"{server.base_url}/api/v1/_mock/faults/{rule.json()['id']}")


@pytest.fixture(scope="module")
def server():
    with mock.MockServer() as srv:
        yield srv


@pytest.fixture
def masto(server):
    httpx.post(f"{server.base_url}/api/v1/_mock/reset").raise_for_status()
    return server


@pytest.fixture
def connected(store, masto, tmp_path):
    """The store's Mastodon account (alice) connected, and Bob in the book."""
    host = "127.0.0.1"
    import_people(store, write_people(tmp_path / "p.csv", [
        f"Bob Baker,bob@example.com,,mastodon:bob@{host},vip,1998,Walter's fishing buddy,,,,,",
    ]))
    v = vault()
    who = MastodonConnector.whoami(masto.base_url, "alice_token")
    with store.begin() as conn:
        account = accounts_repo.add(conn, v, platform="mastodon", name=f"mastodon:@{who['handle']}",
                                    handle=who["handle"], external_id=who["id"],
                                    base_url=masto.base_url,
                                    secrets={"access_token": "alice_token"})
    return account, v


def test_history_syncs_into_the_inbox_with_the_right_person(store, connected, masto):
    account, v = connected
    alice, bob = masto.client("alice"), masto.client("bob")
    post = alice.status_post("Our new window is up!")
    bob.status_post("@alice my daughter just got engaged! Are you open Sunday?",
                    in_reply_to_id=post["id"])
    bob.status_favourite(post["id"])
    report = sync_account(store, account.id, vault=v)
    assert report.error is None and report.imported == 2
    [item] = items(store)
    assert item.name == "Bob Baker" and "question" in item.moments
    assert any("liked your post" in r for r in item.reasons)
    with store.begin() as conn:
        kinds = sorted(r.kind for r in conn.execute(select(t.interactions.c.kind)))
        cps = accounts_repo.checkpoints(conn, account.id)
    assert kinds == ["like", "reply"] and "notifications" in cps
    again = sync_account(store, account.id, vault=v)  # incremental: nothing new
    assert (again.imported, again.error) == (0, None)
    masto.client("carol").account_follow(account.external_id)
    assert sync_account(store, account.id, vault=v).imported == 1
    assert count(store, t.interactions) == 3


def test_link_header_paging_walks_back_through_history(store, connected, masto, monkeypatch):
    account, v = connected
    monkeypatch.setattr("sociable.connectors.mastodon.PAGE", 3)
    bob = masto.client("bob")
    for i in range(8):
        bob.status_post(f"@alice note number {i}")
    report = sync_account(store, account.id, vault=v)
    assert report.imported == 8 and report.pages >= 3
    bob.status_post("@alice one more")
    assert sync_account(store, account.id, vault=v).imported == 1


def test_a_duplicate_delivery_changes_nothing(store, connected, masto):
    account, v = connected
    masto.client("bob").status_post("@alice congratulations on 50 years!")
    connector = MastodonConnector(account)
    pages = list(connector.fetch({}))
    for page in pages:
        deliver(store, "mastodon", account, page.items, source="sync")
    before = [count(store, x) for x in (t.interactions, t.inbox_items, t.events, ct.deliveries)]
    for page in pages:
        again = deliver(store, "mastodon", account, page.items, source="stream")
        assert again.imported == 0
    assert [count(store, x) for x in (t.interactions, t.inbox_items, t.events,
                                      ct.deliveries)] == before


def test_listening_feeds_the_inbox_with_its_own_reason(store, connected, masto):
    account, v = connected
    with store.begin() as conn:
        accounts_repo.listen(conn, account.id, "engagement ring")
    masto.client("carol").status_post("Anyone know a good place for an #engagementring nearby?")
    report = sync_account(store, account.id, vault=v)
    assert report.imported == 1
    [item] = items(store)
    assert any("listening for “engagement ring”" in r for r in item.reasons)
    with store.begin() as conn:
        assert f"tag:{tag_of('engagement ring')}" in accounts_repo.checkpoints(conn, account.id)


def test_a_reply_written_in_the_inbox_appears_on_mastodon(store, connected, masto):
    account, v = connected
    bob = masto.client("bob")
    asked = bob.status_post("@alice do you resize rings?")
    sync_account(store, account.id, vault=v)
    [item] = items(store)
    with store.begin() as conn:
        inbox_repo.transition(conn, item.id, Action.REPLY, actor="owner",
                              text="Yes, same day for most bands!")
    [result] = send_replies(store, vault=v)
    assert result.state == "sent"
    posted = masto.client("alice").status(result.platform_id)
    assert str(posted["in_reply_to_id"]) == str(asked["id"])
    assert "same day" in posted["content"] and "@bob" in posted["content"]
    with store.begin() as conn:
        assert inbox_repo.replies_of(conn, item.id)[0]["state"] == "sent"
    assert send_replies(store, vault=v) == []  # nothing left to send


def test_a_failed_reply_stays_visible_and_a_retry_sends_it_once(store, connected, masto):
    account, v = connected
    masto.client("bob").status_post("@alice is the store open late on Friday?")
    sync_account(store, account.id, vault=v)
    [item] = items(store)
    with store.begin() as conn:
        inbox_repo.transition(conn, item.id, Action.REPLY, actor="owner", text="Until 8pm!")
    with fault(masto, path="/api/v1/statuses", methods=["POST"], status=503, count=1):
        [failed] = send_replies(store, vault=v)
    assert failed.state == "failed" and "503" in failed.error
    with store.begin() as conn:
        assert inbox_repo.get_item(conn, item.id).status == "new"  # back in the inbox
        [row] = failed_replies(conn)
    assert row["error"] == failed.error
    [sent] = send_replies(store, vault=v, retry_failed=True)
    assert sent.state == "sent"
    statuses = masto.client("alice").account_statuses(account.external_id)
    assert sum("Until 8pm" in s["content"] for s in statuses) == 1


def test_transient_errors_retry_then_wait_and_recover(store, connected, masto):
    account, v = connected
    masto.client("bob").status_post("@alice hello there")
    slept = []
    with fault(masto, path="/api/v1/notifications", status=502, count=2):
        report = sync_account(store, account.id, vault=v, sleep=slept.append)
    assert report.error is None and report.imported == 1 and slept == [2.0, 4.0]
    with fault(masto, path="/api/v1/notifications", status=502):
        report = sync_account(store, account.id, vault=v, sleep=slept.append)
    assert report.retry_at is not None and "gave up" in report.error
    with store.begin() as conn:
        shown = accounts_repo.find(conn, account.id)
    assert shown.status == "active" and "502" in shown.error
    assert sync_account(store, account.id, vault=v).skipped  # waits until retry_at
    assert sync_account(store, account.id, vault=v, force=True).error is None


def test_rate_limit_headers_make_the_account_wait(store, connected, masto):
    account, v = connected
    with fault(masto, path="/api/v1/notifications", type="ratelimit", count=1):
        report = sync_account(store, account.id, vault=v, sleep=lambda s: None)
    assert "rate limit" in report.error and report.retry_at is not None
    with store.begin() as conn:
        assert accounts_repo.find(conn, account.id).retry_at is not None


def test_a_revoked_token_is_a_visible_permanent_error(store, connected, masto):
    account, v = connected
    with store.begin() as conn:
        accounts_repo.update_account(conn, account.id, v,
                                     secrets={"access_token": "revoked-token-123"})
    report = sync_account(store, account.id, vault=v)
    assert "connect the account again" in report.error
    assert "revoked-token-123" not in report.error
    with store.begin() as conn:
        shown = accounts_repo.find(conn, account.id)
    assert shown.status == "error"
    assert sync_account(store, account.id, vault=v).skipped.startswith("error")


def test_a_new_notification_arrives_live_through_the_user_stream(store, connected, masto):
    account, v = connected
    with store.begin() as conn:
        account = accounts_repo.find(conn, account.id, v)
    connector = MastodonConnector(account)
    stop = threading.Event()
    errors = []

    def on_page(page):
        try:
            deliver(store, "mastodon", account, page.items, source="stream")
        except Exception as exc:  # pragma: no cover - shown by the assertion below
            errors.append(exc)

    worker = threading.Thread(target=connector.stream, args=(on_page, stop), daemon=True)
    worker.start()
    try:
        def posted():
            masto.client("bob").status_post("@alice we lost power for three days, "
                                             "is my repair ok?")
            return True
        wait_for(lambda: _stream_ready(masto), timeout=5)
        posted()
        found = wait_for(lambda: items(store), timeout=10)
    finally:
        stop.set()
        worker.join(timeout=10)
    assert not errors
    assert found[0].name == "Bob Baker" and "hardship" in found[0].moments


def _stream_ready(masto) -> bool:
    # The user stream subscribes when its HTTP request is handled; give it a moment.
    import time
    time.sleep(0.5)
    return True


def test_thread_context_lists_the_conversation(store, connected, masto):
    account, _ = connected
    alice, bob = masto.client("alice"), masto.client("bob")
    post = alice.status_post("Which stone for a 10th anniversary?")
    answer = bob.status_post("@alice diamonds!", in_reply_to_id=post["id"])
    thread = MastodonConnector(account).thread(str(post["id"]))
    assert [r.interaction.external_id for r in thread] == [str(answer["id"])]
