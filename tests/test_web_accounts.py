"""The owner's Accounts page and /api/accounts against a real Mastodon mock; reply states and
retries on the item page; Meta's closed messaging window said before anyone writes."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from sociable.ingest.interactions import import_interactions
from sociable.store import connectors_tables as ct
from sociable.store import tables as t
from sociable.web import create_app
from tests.connectors_helpers import vault
from tests.helpers import act, write_jsonl

mock = pytest.importorskip("mastodon_mock.testing.server")

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def server():
    with mock.MockServer() as srv:
        yield srv


@pytest.fixture
def masto(server):
    httpx.post(f"{server.base_url}/api/v1/_mock/reset").raise_for_status()
    return server


@pytest.fixture
def app(store):
    return create_app(store, vault=vault())


def _login(app, path, body) -> TestClient:
    client = TestClient(app)
    r = client.post(path, json=body)
    assert r.status_code == 200, r.text
    client.headers["X-CSRF-Token"] = r.json()["csrf"]
    return client


@pytest.fixture
def owner(app) -> TestClient:
    return _login(app, "/api/setup", {"username": "claire", "password": PASSWORD})


@pytest.fixture
def staff(app, owner) -> TestClient:
    token = owner.post("/api/invites", json={"role": "staff"}).json()["token"]
    return _login(app, f"/api/invites/{token}/accept", {"username": "maria", "password": PASSWORD})


def csrf_of(page: str) -> str:
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def test_connect_list_listen_sync_and_remove_through_the_api(store, owner, staff, masto):
    bad = owner.post("/api/accounts", json={"platform": "mastodon", "instance": masto.base_url,
                                            "token": "wrong-token"})
    assert bad.status_code == 400 and "could not connect" in bad.json()["detail"]
    assert "wrong-token" not in bad.text
    r = owner.post("/api/accounts", json={"platform": "mastodon", "instance": masto.base_url,
                                          "token": "alice_token", "listen": ["engagement ring"]})
    assert r.status_code == 201, r.text
    account = r.json()["account"]
    assert account["name"] == "mastodon:@alice@127.0.0.1" and account["status"] == "active"
    assert account["listening"] == ["engagement ring"]
    assert any("hashtags only" in limit for limit in account["limits"])
    assert "alice_token" not in r.text
    with store.begin() as conn:
        assert "alice_token" not in conn.execute(select(ct.accounts.c.secrets)).scalar_one()

    masto.client("bob").status_post("@alice can you fix a broken clasp?")
    synced = owner.post(f"/api/accounts/{account['id']}/sync").json()
    assert synced["imported"] == 1 and synced["error"] is None
    [listed] = owner.get("/api/accounts").json()
    assert listed["last_sync_at"] is not None and listed["error"] is None
    assert owner.put(f"/api/accounts/{account['id']}/listening",
                     json={"keywords": ["Millbrook", "engagement ring", "Millbrook", " "]}
                     ).json() == {"listening": ["engagement ring", "Millbrook"]}
    limits = {c["platform"]: c["limits"] for c in owner.get("/api/connectors").json()}
    assert any("likes only as counts" in x for x in limits["instagram"])
    assert any("24-hour" in x for x in limits["facebook"])

    assert staff.get("/api/accounts").status_code == 403
    assert staff.get("/accounts").status_code == 403
    assert owner.delete(f"/api/accounts/{account['id']}").json() == {"removed": account["name"]}
    assert owner.get("/api/accounts").json() == []
    assert owner.delete(f"/api/accounts/{account['id']}").status_code == 404


def test_a_refused_token_shows_the_reason_and_reconnect_fixes_it(store, app, owner, masto):
    account = owner.post("/api/accounts", json={"platform": "mastodon",
                                                "instance": masto.base_url,
                                                "token": "alice_token"}).json()["account"]
    from sociable.store import accounts as accounts_repo

    with store.begin() as conn:  # the token is revoked on the instance
        accounts_repo.update_account(conn, account["id"], app.state.vault,
                                     secrets={"access_token": "revoked-token"})
    report = owner.post(f"/api/accounts/{account['id']}/sync").json()
    assert "connect the account again" in report["error"]
    [row] = owner.get("/api/accounts").json()
    assert row["status"] == "error" and row["needs_reconnect"]
    page = owner.get("/accounts").text
    assert "Stopped:" in page and "connect the account again" in page and "Reconnect" in page
    fixed = owner.post(f"/api/accounts/{account['id']}/reconnect", json={"token": "alice_token"})
    assert fixed.status_code == 200, fixed.text
    [row] = owner.get("/api/accounts").json()
    assert row["status"] == "active" and row["error"] is None and row["id"] == account["id"]


def test_the_accounts_page_connects_with_oauth_and_edits_keywords(store, owner, masto):
    page = owner.get("/accounts")
    assert page.status_code == 200
    assert 'href="/accounts"' in page.text  # in the owner's nav
    for limit in ("likes only as counts", "24-hour window", "hashtags only"):
        assert limit in page.text, limit
    token = csrf_of(page.text)
    form = owner.post("/accounts/connect", data={"csrf": token, "platform": "mastodon",
                                                 "instance": masto.base_url})
    assert form.status_code == 200 and "/oauth/authorize" in form.text, form.text
    pending = re.search(r'action="/accounts/(\d+)/reconnect"', form.text).group(1)
    grant = httpx.post(f"{masto.base_url}/oauth/authorize", data={
        "username": "alice", "redirect_uri": "urn:ietf:wg:oauth:2.0:oob", "client_id": "x"})
    code = grant.text.split("Authorization code: ")[1].split("<")[0]
    done = owner.post(f"/accounts/{pending}/reconnect", data={"csrf": token, "code": code})
    assert done.status_code == 200 and "Connected mastodon:@alice@127.0.0.1" in done.text
    [row] = owner.get("/api/accounts").json()
    assert row["status"] == "active"
    owner.post(f"/accounts/{row['id']}/listening",
               data={"csrf": token, "keywords": "engagement ring, Millbrook"})
    assert owner.get("/api/accounts").json()[0]["listening"] == ["engagement ring", "Millbrook"]
    synced = owner.post(f"/accounts/{row['id']}/sync", data={"csrf": token})
    assert "0 new" in synced.text
    missing = owner.post("/accounts/connect", data={"csrf": token, "platform": "bluesky",
                                                    "handle": "x.bsky.social"})
    assert missing.status_code == 400 and "app password" in missing.text
    assert owner.post(f"/accounts/{row['id']}/remove",  # no CSRF token
                      headers={"X-CSRF-Token": ""}).status_code == 403
    assert owner.post(f"/accounts/{row['id']}/remove", data={"csrf": token}).status_code == 200
    assert owner.get("/api/accounts").json() == []


def test_a_failed_reply_shows_its_reason_and_retry_sends_it(store, owner, masto):
    account = owner.post("/api/accounts", json={"platform": "mastodon",
                                                "instance": masto.base_url,
                                                "token": "alice_token"}).json()["account"]
    masto.client("bob").status_post("@alice is the store open late on Friday?")
    owner.post(f"/api/accounts/{account['id']}/sync")
    [item] = owner.get("/api/items").json()
    detail = owner.post(f"/api/items/{item['id']}/reply", json={"text": "Until 8pm!"}).json()
    assert detail["send_through"] == account["name"]
    [reply] = detail["replies"]
    assert reply["state"] == "recorded"
    page = owner.get(f"/items/{item['id']}").text
    assert "recorded, not sent" in page and "Send now" in page
    rule = httpx.post(f"{masto.base_url}/api/v1/_mock/faults", json={
        "match": {"path": "/api/v1/statuses", "methods": ["POST"]},
        "effect": {"type": "status", "status": 503}, "count": 1}).json()
    try:
        failed = owner.post(f"/api/replies/{reply['id']}/retry").json()
    finally:
        httpx.delete(f"{masto.base_url}/api/v1/_mock/faults/{rule['id']}")
    assert failed["state"] == "failed" and "503" in failed["error"]
    detail = owner.get(f"/api/items/{item['id']}").json()
    assert detail["status"] == "new"  # back in the inbox
    assert detail["replies"][0]["state"] == "failed" and "503" in detail["replies"][0]["error"]
    page = owner.get(f"/items/{item['id']}")
    assert "not sent: " in page.text and "503" in page.text and ">Retry<" in page.text
    retried = owner.post(f"/items/{item['id']}/replies/{reply['id']}/retry",
                         data={"csrf": csrf_of(page.text)})
    assert "Sent through" in retried.text and "<em>sent</em>" in retried.text
    sent = owner.get(f"/api/items/{item['id']}").json()["replies"][0]
    assert sent["state"] == "sent" and sent["platform_id"] and sent["error"] is None
    assert owner.post(f"/api/replies/{reply['id']}/retry").status_code == 409
    assert owner.post("/api/replies/999999/retry").status_code == 404


def test_a_reply_with_no_account_stays_recorded_and_says_why(store, owner, tmp_path):
    at = (datetime.now(UTC) - timedelta(hours=2)).isoformat()
    import_interactions(store, write_jsonl(tmp_path / "a.jsonl", [
        act("1", "comment", "ana_r", "Ana Ruiz", "Do you resize rings?", at=at)]))
    [item] = owner.get("/api/items").json()
    detail = owner.post(f"/api/items/{item['id']}/reply", json={"text": "Yes!"}).json()
    result = owner.post(f"/api/replies/{detail['replies'][0]['id']}/retry").json()
    assert result["state"] == "recorded" and "no connected instagram account" in result["error"]
    assert "No instagram account is connected" in owner.get(f"/items/{item['id']}").text


def test_a_closed_messaging_window_is_said_before_writing(store, owner, tmp_path):
    old = (datetime.now(UTC) - timedelta(hours=30)).isoformat()
    fresh = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    import_interactions(store, write_jsonl(tmp_path / "a.jsonl", [
        act("m1", "message", "ana_r", "Ana Ruiz", "Is my ring ready?", at=old),
        act("m2", "message", "sam.lee", "Sam Lee", "Is my watch ready?", at=fresh,
            platform="facebook"),
    ]))
    items = {i["handle"]: i for i in owner.get("/api/items?days=3").json()}
    late = owner.get(f"/api/items/{items['ana_r']['id']}").json()
    assert "24-hour messaging window" in late["reply_closed"]
    assert "24-hour messaging window" in owner.get(f"/items/{items['ana_r']['id']}").text
    assert owner.get(f"/api/items/{items['sam.lee']['id']}").json()["reply_closed"] is None
    with store.begin() as conn:
        assert conn.execute(select(t.replies)).first() is None
