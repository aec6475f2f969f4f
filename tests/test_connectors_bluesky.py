"""Bluesky through the real `atproto` client against recorded lexicon payloads on loopback.

The full local AT Protocol network (`@atproto/dev-env`) is not started here; see
docs/connectors/bluesky.md for why and for what these tests do and do not prove.
"""
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select

from sociable.connectors import connect
from sociable.connectors.bluesky import BlueskyConnector
from sociable.connectors.send import send_replies
from sociable.connectors.sync import deliver, sync_account
from sociable.domain.inbox import Action
from sociable.ingest.people import import_people
from sociable.store import accounts as accounts_repo
from sociable.store import inbox as inbox_repo
from sociable.store import tables as t
from tests.connectors_helpers import PAYLOADS, Served, count, items, vault, wait_for
from tests.fake_bsky import PASSWORD, STORE_DID, STORE_HANDLE, Bsky, Jetstream, make_app
from tests.helpers import write_people


@pytest.fixture(scope="module")
def pds():
    bsky = Bsky()
    with Served(make_app(bsky)) as served:
        served.bsky = bsky
        yield served


@pytest.fixture
def account(store, pds, tmp_path):
    pds.bsky.__dict__.update(Bsky().__dict__)
    import_people(store, write_people(tmp_path / "p.csv", [
        "Bob Baker,bob@example.com,,bluesky:bob.bsky.social,vip,1998,Walter's fishing buddy,,,,,",
        "Ana Ruiz,ana@example.com,,bluesky:ana.bsky.social,regular,2015,Buys gifts,,,,,",
    ]))
    v = vault()
    with store.begin() as conn:
        acc = connect.bluesky(conn, v, handle=STORE_HANDLE, app_password=PASSWORD,
                              service=pds.url, keywords=["engagement ring"])
    return acc, v


def test_connecting_checks_the_app_password(store, pds):
    from sociable.connectors.base import PermanentError

    with store.begin() as conn, pytest.raises(PermanentError, match="app password"):
        connect.bluesky(conn, vault(), handle=STORE_HANDLE, app_password="wrong",
                        service=pds.url)


def test_notifications_and_search_sync_into_the_inbox(store, account, pds):
    acc, v = account
    assert acc.external_id == STORE_DID
    report = sync_account(store, acc.id, vault=v)
    assert report.error is None and report.imported == 7
    with store.begin() as conn:
        kinds = {r.external_id: r.kind for r in conn.execute(select(t.interactions.c.external_id, t.interactions.c.kind))}
    assert kinds["at://did:plc:bobbaker/app.bsky.feed.like/3llike0001"] == "like"
    assert kinds["at://did:plc:anaruiz/app.bsky.feed.post/3lreply01"] == "reply"
    assert kinds["at://did:plc:samlee/app.bsky.graph.follow/3lfollow01"] == "follow"
    found = {i.name or i.handle: i for i in items(store)}
    assert "hardship" in found["Ana Ruiz"].moments
    assert any("listening for “engagement ring”" in r for r in found["jordan.bsky.social"].reasons)
    again = sync_account(store, acc.id, vault=v)
    assert (again.imported, again.error) == (0, None)
    assert pds.bsky.sessions == 1  # the session is reused, not a new login each sync


def test_paging_through_notifications(store, account, pds, monkeypatch):
    acc, v = account
    monkeypatch.setattr("sociable.connectors.bluesky.PAGE", 2)
    assert sync_account(store, acc.id, vault=v).imported == 7


def test_a_reply_is_a_record_with_root_parent_and_a_mention_facet(store, account, pds):
    acc, v = account
    sync_account(store, acc.id, vault=v)
    ana = next(i for i in items(store) if i.name == "Ana Ruiz")
    with store.begin() as conn:
        inbox_repo.transition(conn, ana.id, Action.REPLY, actor="owner",
                              text="So sorry about the storm. Your ring is safe with us.")
    [result] = send_replies(store, vault=v)
    assert result.state == "sent"
    [record] = pds.bsky.records
    post = record["record"]
    assert record["collection"] == "app.bsky.feed.post" and record["repo"] == STORE_DID
    assert post["reply"]["parent"]["uri"] == "at://did:plc:anaruiz/app.bsky.feed.post/3lreply01"
    assert post["reply"]["root"]["uri"].endswith("/3lwindow")
    assert post["text"].startswith("@ana.bsky.social So sorry")
    [facet] = post["facets"]
    assert facet["features"][0]["did"] == "did:plc:anaruiz"
    assert (facet["index"]["byteStart"], facet["index"]["byteEnd"]) == (0, len("@ana.bsky.social"))


def test_a_server_error_on_reply_is_kept_and_retried(store, account, pds):
    acc, v = account
    sync_account(store, acc.id, vault=v)
    bob = next(i for i in items(store) if i.name == "Bob Baker")
    with store.begin() as conn:
        inbox_repo.transition(conn, bob.id, Action.REPLY, actor="owner", text="Thanks Bob!")
    pds.bsky.errors.append(("createRecord", 502, {}))
    [failed] = send_replies(store, vault=v)
    assert failed.state == "failed" and "502" in failed.error
    [sent] = send_replies(store, vault=v, retry_failed=True)
    assert sent.state == "sent" and len(pds.bsky.records) == 1


def test_rate_limit_headers(store, account, pds):
    acc, v = account
    reset = str(int(time.time()) + 120)
    pds.bsky.errors.append(("listNotifications", 429, {"ratelimit-reset": reset,
                                                       "ratelimit-remaining": "0"}))
    report = sync_account(store, acc.id, vault=v)
    assert "rate limit" in report.error
    with store.begin() as conn:
        assert accounts_repo.find(conn, acc.id).retry_at is not None


def test_jetstream_brings_replies_likes_and_keyword_posts_live(store, account, pds):
    acc, v = account
    events = (PAYLOADS / "bluesky" / "jetstream.jsonl").read_text().splitlines()
    with Jetstream(events) as jet:
        with store.begin() as conn:
            accounts_repo.update_account(conn, acc.id, options={"jetstream": jet.url})
            live = accounts_repo.find(conn, acc.id, v)
        connector = BlueskyConnector(live)
        stop = threading.Event()
        thread = threading.Thread(target=connector.stream, daemon=True, args=(
            lambda page: deliver(store, "bluesky", live, page.items, source="stream"), stop))
        thread.start()
        try:
            wait_for(lambda: count(store, t.interactions) >= 3, timeout=10)
        finally:
            stop.set()
            thread.join(timeout=10)
        assert "wantedCollections=app.bsky.feed.post" in jet.queries[0]
    with store.begin() as conn:
        rows = {r.external_id: r.kind for r in conn.execute(select(t.interactions.c.external_id, t.interactions.c.kind))}
    assert rows == {"at://did:plc:anaruiz/app.bsky.feed.post/3ljet00001": "reply",
                    "at://did:plc:stranger2/app.bsky.feed.post/3ljet00003": "mention",
                    "at://did:plc:bobbaker/app.bsky.feed.like/3ljet00004": "like"}
    found = {i.name or i.handle: i for i in items(store)}
    assert "celebration" in found["Ana Ruiz"].moments or "praise" in found["Ana Ruiz"].moments
    assert any("listening" in r for r in found["casey.bsky.social"].reasons)
