"""Facebook Pages and Instagram: the webhook, history, replies, against a fake Graph API."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from sociable.connectors import connect
from sociable.connectors.meta import router, sign
from sociable.connectors.send import send_replies
from sociable.connectors.sync import sync_account
from sociable.domain.inbox import Action
from sociable.ingest.people import import_people
from sociable.store import accounts as accounts_repo
from sociable.store import connectors_tables as ct
from sociable.store import inbox as inbox_repo
from sociable.store import tables as t
from tests.connectors_helpers import PAYLOADS, Served, count, items, vault, wait_for
from tests.fake_graph import IG_ID, PAGE_ID, TOKEN, Graph, make_app
from tests.helpers import write_people

SECRET = "app-secret-0123456789"
VERIFY = "verify-me-please"


@pytest.fixture(scope="module")
def graph_server():
    graph = Graph()
    with Served(make_app(graph)) as served:
        served.graph = graph
        yield served


@pytest.fixture
def graph(graph_server):
    fresh = Graph()
    graph_server.graph.__dict__.update(fresh.__dict__)
    return graph_server.graph


@pytest.fixture
def meta(store, graph_server, graph, tmp_path):
    """The store's Page and Instagram account connected; a webhook app over the store."""
    import_people(store, write_people(tmp_path / "p.csv", [
        "Bob Baker,bob@example.com,,instagram:lenny.b,vip,1998,Walter's fishing buddy,,,,,",
        "Ana Ruiz,ana@example.com,,,regular,2015,Buys gifts for her sisters,,,,,",
    ]))
    v = vault()
    with store.begin() as conn:
        fb = connect.meta(conn, v, platform="facebook", object_id=PAGE_ID, token=TOKEN,
                          app_secret=SECRET, verify_token=VERIFY,
                          graph_url=graph_server.url + "/v21.0")
        ig = connect.meta(conn, v, platform="instagram", object_id=IG_ID, token=TOKEN,
                          app_secret=SECRET, verify_token=VERIFY,
                          graph_url=graph_server.url + "/v21.0")
    app = FastAPI()
    app.state.store, app.state.vault = store, v
    app.include_router(router)
    graph.objects["2002_555"] = {"id": "2002_555", "message": "Best jewelers in town, thank you "
                                 "@Brennan & Daughters!", "from": {"id": "5550003",
                                 "name": "Katherine O'Neil"}, "created_time": "2026-11-23T14:06:40+0000",
                                 "permalink_url": "https://facebook.example/2002_555"}
    graph.objects["17894227972186120"] = {"id": "17894227972186120", "username": "ana_r",
                                          "text": "@brennanjewelers do you do engravings?",
                                          "timestamp": "2026-11-23T14:13:20+0000"}
    graph.objects["17918195224117999"] = {"id": "17918195224117999", "username": "kathy.o",
                                          "caption": "Anniversary gift from @brennanjewelers",
                                          "timestamp": "2026-11-23T14:15:00+0000",
                                          "permalink": "https://instagram.example/p/999"}
    with TestClient(app) as client:
        client.store = store
        yield client, fb, ig, v
    if getattr(app.state, "webhook_processor", None):
        app.state.webhook_processor.stop()


def post(client, body: bytes | dict, secret: str = SECRET):
    """Deliver a body as Meta does, and wait until the processor has taken it."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    response = client.post("/webhooks/meta", content=data,
                           headers={"X-Hub-Signature-256": sign(data, secret),
                                    "Content-Type": "application/json"})
    wait_for(lambda: not _waiting(client.store), timeout=10)
    return response


def _waiting(store) -> int:
    with store.begin() as conn:
        return conn.execute(select(func.count()).select_from(ct.deliveries)
                            .where(ct.deliveries.c.status == "received")).scalar_one()


def test_the_verification_handshake(meta):
    client = meta[0]
    ok = client.get("/webhooks/meta", params={"hub.mode": "subscribe", "hub.challenge": "1158201444",
                                              "hub.verify_token": VERIFY})
    assert (ok.status_code, ok.text) == (200, "1158201444")
    bad = client.get("/webhooks/meta", params={"hub.mode": "subscribe", "hub.challenge": "1",
                                               "hub.verify_token": "guess"})
    assert bad.status_code == 403


@pytest.mark.parametrize("signature", [None, "sha256=00", "sha1=abc", "wrong-secret"])
def test_a_bad_signature_is_403_and_nothing_is_processed(store, meta, signature):
    client = meta[0]
    body = (PAYLOADS / "meta" / "fb_feed_comment.json").read_bytes()
    headers = {"Content-Type": "application/json"}
    if signature == "wrong-secret":
        headers["X-Hub-Signature-256"] = sign(body, "not-the-secret")
    elif signature:
        headers["X-Hub-Signature-256"] = signature
    assert client.post("/webhooks/meta", content=body, headers=headers).status_code == 403
    assert count(store, ct.deliveries) == count(store, t.interactions) == 0


@pytest.mark.parametrize("name,platform,kind,handle,text", [
    ("fb_feed_comment.json", "facebook", "comment", "5550001", "Are you open Sunday?"),
    ("fb_feed_reply.json", "facebook", "reply", "5550002", "Congratulations Bob!"),
    ("fb_feed_reaction.json", "facebook", "like", "5550001", ""),
    ("fb_mention_post.json", "facebook", "mention", "5550003", "Best jewelers in town"),
    ("fb_messages.json", "facebook", "message", "5550004", "broken clasp"),
    ("ig_comment.json", "instagram", "comment", "lenny.b", "How much is it?"),
    ("ig_comment_reply.json", "instagram", "reply", "ana_r", "gorgeous"),
    ("ig_mention_comment.json", "instagram", "mention", "ana_r", "do you do engravings?"),
    ("ig_mention_caption.json", "instagram", "mention", "kathy.o", "Anniversary gift"),
])
def test_every_documented_payload_shape(store, meta, name, platform, kind, handle, text):
    client = meta[0]
    assert post(client, (PAYLOADS / "meta" / name).read_bytes()).status_code == 200
    with store.begin() as conn:
        [row] = conn.execute(select(t.interactions, t.handles.c.handle).join(
            t.handles, t.handles.c.id == t.interactions.c.handle_id)).all()
    assert (row.platform, row.kind, row.handle) == (platform, kind, handle)
    assert text in row.text


def test_removals_are_stored_but_make_no_interaction(store, meta):
    assert post(meta[0], (PAYLOADS / "meta" / "fb_feed_reaction_removed.json").read_bytes()
                ).status_code == 200
    assert count(store, ct.deliveries) == 1 and count(store, t.interactions) == 0


def test_duplicate_and_batched_deliveries_change_nothing(store, meta):
    client = meta[0]
    single = (PAYLOADS / "meta" / "fb_feed_comment.json").read_bytes()
    assert post(client, single).json() == {"stored": True, "duplicate": False}
    assert count(store, t.interactions) == 1
    snapshot = [count(store, x) for x in (t.interactions, t.inbox_items, t.events)]
    again = post(client, single).json()  # Meta retries the same body
    assert again == {"stored": False, "duplicate": True}
    assert [count(store, x) for x in (t.interactions, t.inbox_items, t.events)] == snapshot
    # A batch repeating that comment with a new one, and an entry for a page we don't have.
    post(client, (PAYLOADS / "meta" / "fb_batched.json").read_bytes())
    assert count(store, t.interactions) == 2


def test_facebook_end_to_end_history_live_reply(store, meta, graph):
    client, fb, _, v = meta
    graph.add_post("Our new window!", "2026-11-20T10:00:00+0000", comments=[
        {"id": "777_1", "message": "Gorgeous! Is the emerald ring still available?",
         "from": {"id": "5550002", "name": "Ana Ruiz"}, "created_time": "2026-11-20T11:00:00+0000"}],
        reactions=[{"id": "5550001", "name": "Bob Baker", "type": "LOVE"}])
    for i in range(3):
        graph.add_post(f"post {i}", f"2026-11-1{i}T10:00:00+0000")
    report = sync_account(store, fb.id, vault=v)
    assert report.error is None and report.imported == 2
    assert any(c.startswith("GET 1001/posts") for c in graph.calls)
    # Live: a comment arrives by webhook and lands in the inbox with the right person.
    assert post(client, (PAYLOADS / "meta" / "fb_feed_reply.json").read_bytes()).status_code == 200
    ana = [i for i in items(store) if i.name == "Ana Ruiz"]
    assert ana
    with store.begin() as conn:
        inbox_repo.transition(conn, ana[-1].id, Action.REPLY, actor="owner",
                              text="Thank you Ana! Yes it is.")
    [result] = send_replies(store, vault=v)
    assert result.state == "sent"
    assert graph.sent[-1]["to"] == "777_9002" and graph.sent[-1]["edge"] == "comments"
    assert "Thank you Ana" in graph.sent[-1]["message"]


def test_instagram_reply_and_mention_reply(store, meta, graph):
    client, _, ig, v = meta
    post(client, (PAYLOADS / "meta" / "ig_comment.json").read_bytes())
    post(client, (PAYLOADS / "meta" / "ig_mention_comment.json").read_bytes())
    with store.begin() as conn:
        for item in items(store):
            inbox_repo.transition(conn, item.id, Action.REPLY, actor="owner", text="Thanks!")
    results = send_replies(store, vault=v)
    assert [r.state for r in results] == ["sent", "sent"]
    edges = sorted((s["to"], s["edge"]) for s in graph.sent)
    assert edges == sorted([("17865799348089039", "replies"), (IG_ID, "mentions")])
    mention = next(s for s in graph.sent if s["edge"] == "mentions")
    assert mention["comment_id"] == "17894227972186120"


def test_a_platform_error_on_reply_is_visible_and_recoverable(store, meta, graph):
    client, _, _, v = meta
    post(client, (PAYLOADS / "meta" / "fb_feed_comment.json").read_bytes())
    [item] = items(store)
    with store.begin() as conn:
        inbox_repo.transition(conn, item.id, Action.REPLY, actor="owner", text="Yes, 12-5!")
    graph.fail("POST 777_9001/comments", 500, 2, "Service temporarily unavailable",
               is_transient=True)
    [failed] = send_replies(store, vault=v)
    assert failed.state == "failed" and "temporarily unavailable" in failed.error
    with store.begin() as conn:
        assert inbox_repo.get_item(conn, item.id).status == "new"
    [sent] = send_replies(store, vault=v, retry_failed=True)
    assert sent.state == "sent" and len(graph.sent) == 1


def test_messages_outside_the_24_hour_window_are_not_sent(store, meta, graph):
    client, _, _, v = meta
    body = json.loads((PAYLOADS / "meta" / "fb_messages.json").read_text())
    old = datetime.now(UTC) - timedelta(hours=30)
    body["entry"][0]["messaging"][0]["timestamp"] = int(old.timestamp() * 1000)
    post(client, body)
    [item] = items(store)
    with store.begin() as conn:
        inbox_repo.transition(conn, item.id, Action.REPLY, actor="owner", text="Yes we can!")
    [result] = send_replies(store, vault=v)
    assert result.state == "failed" and "24-hour" in result.error and graph.sent == []


def test_rate_limit_waits_for_the_time_meta_gives(store, meta, graph):
    _, fb, _, v = meta
    usage = json.dumps({PAGE_ID: [{"type": "pages", "call_count": 100, "total_cputime": 20,
                                   "total_time": 30, "estimated_time_to_regain_access": 7}]})
    graph.fail("GET 1001/posts", 400, 80001, "There have been too many calls to this Page",
               headers={"X-Business-Use-Case-Usage": usage})
    report = sync_account(store, fb.id, vault=v)
    assert "rate limit" in report.error
    assert timedelta(minutes=6) < report.retry_at - datetime.now(UTC) <= timedelta(minutes=7)


def test_an_expired_token_marks_the_account(store, meta, graph):
    _, fb, _, v = meta
    with store.begin() as conn:
        accounts_repo.update_account(conn, fb.id, v, secrets={"access_token": "expired-token-xyz",
                                                              "app_secret": SECRET,
                                                              "verify_token": VERIFY})
    report = sync_account(store, fb.id, vault=v)
    assert "connect again" in report.error and "expired-token-xyz" not in report.error
    with store.begin() as conn:
        assert accounts_repo.find(conn, fb.id).status == "error"


def test_a_delivery_that_cannot_be_processed_is_kept_and_replayed(store, meta, graph):
    client, fb, _, v = meta
    graph.fail("GET 2002_555", 500, 1, "An unknown error occurred")
    assert post(client, (PAYLOADS / "meta" / "fb_mention_post.json").read_bytes()).status_code == 200
    with store.begin() as conn:
        [row] = conn.execute(select(ct.deliveries)).all()
    assert row.status == "failed" and "unknown error" in row.error
    sync_account(store, fb.id, vault=v)  # replays it
    with store.begin() as conn:
        assert conn.execute(select(ct.deliveries.c.status)).scalar_one() == "processed"
    assert count(store, t.interactions) == 1


def test_the_page_token_never_appears_in_urls_or_logs(store, meta, graph, caplog):
    import logging

    caplog.set_level(logging.DEBUG)
    _, fb, _, v = meta
    for i in range(3):
        graph.add_post(f"post {i}", f"2026-11-1{i}T10:00:00+0000")
    assert sync_account(store, fb.id, vault=v).error is None
    assert "GET 1001/posts" in graph.calls[-1]  # paged: followed `paging.next`
    assert TOKEN not in caplog.text and "access_token" not in caplog.text
