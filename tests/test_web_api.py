"""The web app through its JSON API and forms: every endpoint, every role, and the refusals."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from sociable.ingest.interactions import import_interactions
from sociable.ingest.people import import_people
from sociable.store import settings
from sociable.store import tables as t
from sociable.store.users import Role
from sociable.web import create_app, live
from sociable.web.auth import Principal
from tests.helpers import BOOK, PEOPLE_HEADER, act, write_jsonl, write_people

PASSWORD = "correct horse battery"


def ago(hours: float) -> str:
    return (datetime.now(UTC) - timedelta(hours=hours)).isoformat()


@pytest.fixture
def web(store, tmp_path):
    with store.begin() as conn:
        settings.put(conn, "owner_name", "Claire Brennan")
    import_people(store, write_people(tmp_path / "p.csv", BOOK))
    import_interactions(store, write_jsonl(tmp_path / "a.jsonl", [
        act("1", "like", "lenny.b", "Lenny", at=ago(1)),
        act("2", "comment", "ana_r", "Ana Ruiz", "My mom passed away on Sunday.", at=ago(2)),
        act("3", "comment", "kathyo", "Kathy O'Neil", "Do you resize rings?", at=ago(3),
            platform="mastodon"),
    ]))
    return SimpleNamespace(store=store, app=create_app(store), tmp=tmp_path)


def login_client(app, path: str, body: dict) -> TestClient:
    client = TestClient(app)
    r = client.post(path, json=body)
    assert r.status_code == 200, r.text
    client.headers["X-CSRF-Token"] = r.json()["csrf"]
    return client


@pytest.fixture
def owner(web) -> TestClient:
    return login_client(web.app, "/api/setup", {"username": "claire", "password": PASSWORD,
                                                 "name": "Claire"})


@pytest.fixture
def staff(web, owner) -> TestClient:
    token = owner.post("/api/invites", json={"role": "staff"}).json()["token"]
    return login_client(web.app, f"/api/invites/{token}/accept",
                        {"username": "maria", "password": PASSWORD, "name": "Maria"})


def item_of(client: TestClient, name: str) -> dict:
    return next(i for i in client.get("/api/items").json() if i["name"] == name)


def api_routes(app):
    """(method, a URL, path template) for every endpoint the OpenAPI description lists."""
    for path, operations in app.openapi()["paths"].items():
        for method in operations:
            yield method.upper(), re.sub(r"{[^}]+}", "1", path), path


PUBLIC = {("GET", "/api/setup"), ("POST", "/api/setup"), ("POST", "/api/session"),
          ("POST", "/api/invites/{token}/accept")}
OWNER_ONLY = {("GET", "/api/users"), ("DELETE", "/api/users/{user_id}"),
              ("POST", "/api/invites"), ("GET", "/api/invites"), ("GET", "/api/tokens"),
              ("POST", "/api/tokens"), ("DELETE", "/api/tokens/{token_id}"),
              ("DELETE", "/api/people/{person_id}"), ("GET", "/api/export/people"),
              ("GET", "/api/settings"), ("PUT", "/api/settings/{key}"),
              ("GET", "/api/connectors"), ("GET", "/api/accounts"), ("POST", "/api/accounts"),
              ("DELETE", "/api/accounts/{account_id}"),
              ("POST", "/api/accounts/{account_id}/reconnect"),
              ("POST", "/api/accounts/{account_id}/sync"),
              ("PUT", "/api/accounts/{account_id}/listening"),
              ("GET", "/api/results"), ("GET", "/api/results/behind"), ("GET", "/api/goals"),
              ("POST", "/api/goals"), ("PATCH", "/api/goals/{goal_id}")}


# --- accounts and roles -----------------------------------------------------------------

def test_first_run_sets_up_the_owner_once(web):
    client = TestClient(web.app)
    assert client.get("/api/setup").json() == {"needed": True}
    page = client.get("/")
    assert page.url.path == "/setup" and "owner" in page.text
    r = client.post("/api/setup", json={"username": "Claire", "password": PASSWORD})
    assert r.json()["user"] == {"id": 1, "username": "claire", "name": "claire", "role": "owner"}
    assert "httponly" in r.headers["set-cookie"].lower()
    assert "samesite=lax" in r.headers["set-cookie"].lower()
    assert client.get("/api/me").json()["role"] == "owner"
    again = TestClient(web.app).post("/api/setup", json={"username": "x", "password": PASSWORD})
    assert again.status_code == 403
    assert client.get("/api/setup").json() == {"needed": False}
    short = TestClient(create_app(web.store)).post(
        "/api/setup", json={"username": "y", "password": "short"})
    assert short.status_code == 403  # an owner exists: refused before the password is judged


def test_short_password_is_refused_on_setup(store):
    r = TestClient(create_app(store)).post("/api/setup", json={"username": "c", "password": "x"})
    assert r.status_code == 400 and "10 characters" in r.json()["detail"]


def test_every_api_endpoint_refuses_strangers(web):
    client = TestClient(web.app)
    checked = 0
    for method, url, path in api_routes(web.app):
        if (method, path) in PUBLIC:
            continue
        r = client.request(method, url, json={})
        assert r.status_code == 401, (method, url, r.status_code)
        assert r.headers["www-authenticate"] == "Bearer"
        checked += 1
    assert checked >= 25
    assert client.get("/api/items", headers={"Authorization": "Basic abc"}).status_code == 401
    assert client.get("/api/items", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_staff_is_refused_owner_only_endpoints(web, staff):
    assert staff.get("/api/me").json()["role"] == "staff"
    refused = 0
    for method, url, path in api_routes(web.app):
        if (method, path) in OWNER_ONLY:
            r = staff.request(method, url, json={"value": "x", "name": "t"})
            assert r.status_code == 403, (method, url, r.status_code)
            refused += 1
    assert refused == len(OWNER_ONLY)
    assert staff.get("/team").status_code == 403 and staff.get("/settings").status_code == 403


def test_owner_can_do_owner_things(web, owner, staff):
    users = owner.get("/api/users").json()
    assert [u["username"] for u in users] == ["claire", "maria"]
    assert owner.get("/api/invites").json() == []  # maria's invite was used
    owner.post("/api/invites", json={})
    assert len(owner.get("/api/invites").json()) == 1
    assert owner.put("/api/settings/store_name", json={"value": "Brennan's"}).json() == {"ok": True}
    assert owner.get("/api/settings").json()["values"]["store_name"] == "Brennan's"
    assert owner.put("/api/settings/colour", json={"value": "red"}).status_code == 400
    export = owner.get("/api/export/people").json()
    assert "Lenny B" in [p["name"] for p in export]
    maria = next(u for u in users if u["username"] == "maria")
    assert owner.delete(f"/api/users/{maria['id']}").json() == {"ok": True}
    assert staff.get("/api/me").status_code == 401  # switched off: the session stops working
    assert owner.delete("/api/users/1").status_code == 400  # the last owner stays


def test_an_invite_works_once(web, owner):
    token = owner.post("/api/invites", json={}).json()["token"]
    body = {"username": "sam", "password": PASSWORD}
    assert TestClient(web.app).post(f"/api/invites/{token}/accept", json=body).status_code == 200
    again = TestClient(web.app).post(f"/api/invites/{token}/accept",
                                     json={"username": "sam2", "password": PASSWORD})
    assert again.status_code == 404
    assert TestClient(web.app).get(f"/invite/{token}").status_code == 404
    taken = owner.post("/api/invites", json={}).json()["token"]
    dup = TestClient(web.app).post(f"/api/invites/{taken}/accept", json=body)
    assert dup.status_code == 400 and "taken" in dup.json()["detail"]


def test_api_tokens_act_with_their_users_role(web, owner, staff):
    maria = next(u for u in owner.get("/api/users").json() if u["username"] == "maria")
    made = owner.post("/api/tokens", json={"name": "script", "user_id": maria["id"]}).json()
    assert made["token"].startswith("soc_")
    bearer = TestClient(web.app, headers={"Authorization": f"Bearer {made['token']}"})
    assert bearer.get("/api/me").json()["role"] == "staff"
    lenny = item_of(bearer, "Lenny B")
    # No CSRF token needed with a bearer token: a browser never sends one by itself.
    assert bearer.post(f"/api/items/{lenny['id']}/flag", json={"note": "n"}).status_code == 200
    assert bearer.get("/api/users").status_code == 403
    assert [x["name"] for x in owner.get("/api/tokens").json()] == ["script"]
    assert owner.delete(f"/api/tokens/{made['id']}").json() == {"ok": True}
    assert bearer.get("/api/me").status_code == 401
    assert owner.delete(f"/api/tokens/{made['id']}").status_code == 404
    own = owner.post("/api/tokens", json={"name": "mine"}).json()["token"]
    as_owner = TestClient(web.app, headers={"Authorization": f"Bearer {own}"})
    assert as_owner.get("/api/users").status_code == 200


def test_csrf_is_required_with_a_session(web, owner):
    lenny = item_of(owner, "Lenny B")
    token = owner.headers.pop("X-CSRF-Token")
    r = owner.post(f"/api/items/{lenny['id']}/flag", json={"note": "x"})
    assert r.status_code == 403 and "another site" in r.json()["detail"]
    r = owner.post(f"/api/items/{lenny['id']}/flag", json={}, headers={"X-CSRF-Token": "wrong"})
    assert r.status_code == 403
    # Forms: the hidden field, or nothing happens.
    form = owner.post(f"/items/{lenny['id']}/act", data={"action": "done"},
                      follow_redirects=False)
    assert form.status_code == 403
    form = owner.post(f"/items/{lenny['id']}/act", data={"action": "done", "csrf": token},
                      follow_redirects=False)
    assert form.status_code == 303
    assert owner.get(f"/api/items/{lenny['id']}").json()["status"] == "done"
    # Before login, the login form uses a double-submit cookie.
    stranger = TestClient(web.app)
    login = stranger.post("/login", data={"username": "claire", "password": PASSWORD,
                                          "csrf": "made-up"}, follow_redirects=False)
    assert login.status_code == 403


def test_login_logout_and_logout_everywhere(web, owner):
    phone = login_client(web.app, "/api/session", {"username": "claire", "password": PASSWORD})
    laptop = login_client(web.app, "/api/session", {"username": "CLAIRE", "password": PASSWORD})
    assert laptop.delete("/api/session").json() == {"ended": 1}
    assert laptop.get("/api/me").status_code == 401
    assert phone.get("/api/me").status_code == 200
    assert phone.post("/api/logout-everywhere").json()["ended"] == 2  # phone and `owner`
    assert phone.get("/api/me").status_code == 401 and owner.get("/api/me").status_code == 401
    # The login form: wrong password stays on the page, right one goes to Today.
    browser = TestClient(web.app)
    page = browser.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    bad = browser.post("/login", data={"username": "claire", "password": "nope", "csrf": token})
    assert bad.status_code == 401 and "wrong username or password" in bad.text
    good = browser.post("/login", data={"username": "claire", "password": PASSWORD,
                                        "csrf": token, "next": "//evil.example/x"})
    assert good.url.path == "/today" and "Talk to these people today" in good.text


def test_logins_are_rate_limited(web, owner):
    client = TestClient(web.app)
    for _ in range(5):
        r = client.post("/api/session", json={"username": "claire", "password": "wrong one"})
        assert r.status_code == 401
    r = client.post("/api/session", json={"username": "claire", "password": PASSWORD})
    assert r.status_code == 429 and "15 minutes" in r.json()["detail"]
    with web.store.begin() as conn:  # fifteen minutes later
        conn.execute(t.login_attempts.update().values(
            at=datetime.now(UTC) - timedelta(minutes=16)))
    assert client.post("/api/session", json={"username": "claire",
                                             "password": PASSWORD}).status_code == 200


def test_pages_send_strangers_to_login(web, owner):
    stranger = TestClient(web.app)
    r = stranger.get("/today?moment=hardship", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"] == "/login?next=/today%3Fmoment%3Dhardship"


# --- the inbox ------------------------------------------------------------------------------

def test_items_list_filters_and_detail(web, owner, staff):
    items = owner.get("/api/items").json()
    assert [i["name"] for i in items][:2] == ["Ana Ruiz", "Lenny B"]
    ana = items[0]
    assert ana["person"]["tier"] == "regular" and ana["person"]["story"]
    assert ana["moments"] == ["hardship"] and ana["interactions"][0]["text"].startswith("My mom")
    assert ana["reasons"] and ana["suggested_reply"] and ana["ago"] == "2 h ago"
    lenny = item_of(owner, "Lenny B")
    assert "family friend of Walter Brennan" in lenny["reasons"][0]
    assert [i["name"] for i in owner.get("/api/items?moment=hardship").json()] == ["Ana Ruiz"]
    assert [i["name"] for i in owner.get("/api/items?platform=mastodon").json()] == [
        "Kathy O'Neil"]
    assert owner.get("/api/items?mine=true").json() == []
    owner.post(f"/api/items/{ana['id']}/assign", json={"to": "maria"})
    assert [i["name"] for i in staff.get("/api/items?mine=true").json()] == ["Ana Ruiz"]
    assert owner.get("/api/items?status=assigned").json()[0]["assignee"] == "maria"
    assert owner.get("/api/items?moment=nonsense").status_code == 422
    detail = owner.get(f"/api/items/{ana['id']}").json()
    assert [e["name"] for e in detail["events"]] == ["item_created", "item_assigned"]
    assert owner.get("/api/items/999999").status_code == 404
    kathy = item_of(owner, "Kathy O'Neil")
    assert kathy["person"] is None  # not matched yet: the item offers who it might be
    assert owner.get(f"/api/items/{kathy['id']}").json()["match_suggestions"][0][
        "person_name"] == "Katherine O'Neil"


def test_item_actions(web, owner, staff):
    ana = item_of(staff, "Ana Ruiz")
    url = f"/api/items/{ana['id']}"
    edited = staff.put(f"{url}/draft", json={"text": "So sorry, Ana."}).json()
    assert edited["suggested_reply"] == "So sorry, Ana."
    flagged = staff.post(f"{url}/flag", json={"note": "You knew her mother"}).json()
    assert flagged["status"] == "flagged" and flagged["flagged_by"] == "maria"
    assert [i["flag_note"] for i in owner.get("/api/flagged").json()] == ["You knew her mother"]
    replied = owner.post(f"{url}/reply", json={"text": "So sorry, Ana. — Claire"}).json()
    assert replied["status"] == "replied"
    assert replied["replies"][0] | {"at": None} == {"id": 1, "text": "So sorry, Ana. — Claire",
                                                     "author": "claire", "at": None,
                                                     "state": "recorded", "platform_id": None,
                                                     "error": None, "link": None}
    assert replied["send_through"] is None and replied["reply_closed"] is None
    assert owner.post(f"{url}/snooze", json={"until": "2099-01-01"}).status_code == 409
    assert owner.post(f"{url}/reopen", json={}).json()["status"] == "new"
    assert owner.post(f"{url}/snooze", json={"until": "2000-01-01"}).status_code == 400
    assert owner.post(f"{url}/snooze", json={"until": "soon"}).status_code == 400
    assert owner.post(f"{url}/snooze", json={"until": "2099-01-01T09:00"}).json()[
        "status"] == "snoozed"
    assert owner.post(f"{url}/done", json={}).json()["status"] == "done"
    assert owner.post(f"{url}/reply", json={}).status_code == 409
    lenny = item_of(owner, "Lenny B")
    assert owner.post(f"/api/items/{lenny['id']}/assign", json={}).status_code == 400
    assert owner.post(f"/api/items/{lenny['id']}/dismiss", json={}).json()["status"] == "dismissed"
    assert owner.post(f"/api/items/{lenny['id']}/explode", json={}).status_code == 422
    assert owner.post("/api/items/999999/done", json={}).status_code == 404


def test_this_label_is_wrong_records_a_correction(web, staff):
    ana = item_of(staff, "Ana Ruiz")
    r = staff.post(f"/api/items/{ana['id']}/corrections", json={"label": "hardship"})
    assert r.json() == {"recorded": 1}
    with web.store.begin() as conn:
        row = conn.execute(select(t.corrections)).one()
    assert (row.label, row.present, row.text) == ("hardship", False,
                                                  "My mom passed away on Sunday.")
    assert row.interaction_id == ana["interactions"][0]["id"]
    assert staff.post(f"/api/items/{ana['id']}/corrections",
                      json={"label": "praise"}).status_code == 400


def test_live_feed_finds_new_items(web, owner):
    me = Principal(SimpleNamespace(username="claire"), "session", "tok")
    start = live.latest_id(web.store)
    assert live.newer(web.store, start, me, "", "", False, "/today") == (start, [])
    import_interactions(web.store, write_jsonl(web.tmp / "b.jsonl", [
        act("9", "comment", "ana_r", "Ana Ruiz", "We got engaged!!", at=ago(24 * 3))]))
    last, events = live.newer(web.store, start, me, "", "", False, "/today")
    assert last > start and len(events) == 1
    assert "We got engaged" in events[0]["html"] and 'value="tok"' in events[0]["html"]
    assert live.newer(web.store, start, me, "hardship", "", False, "/today")[1] == []
    assert TestClient(web.app).get("/live").status_code == 401


def test_live_feed_updates_items_on_screen(web, owner):
    me = Principal(SimpleNamespace(username="claire"), "session", "tok")
    cursor = live.start(web.store)
    assert live.Cursor.decode(cursor.encode()) == cursor
    assert live.poll(web.store, cursor, me, "", "", False, "/today") == (cursor, [])
    ana = item_of(owner, "Ana Ruiz")
    # More from Ana the same day folds into her item already on the page.
    later = datetime.fromisoformat(ana["last_at"]) + timedelta(seconds=1)
    import_interactions(web.store, write_jsonl(web.tmp / "c.jsonl", [
        act("10", "comment", "ana_r", "Ana Ruiz", "Thank you for the kind words.",
            at=later.isoformat())]))
    cursor, events = live.poll(web.store, cursor, me, "", "", False, "/today")
    assert [(e["id"], e.get("updated")) for e in events] == [(ana["id"], True)]
    assert "kind words" in events[0]["html"]
    assert live.poll(web.store, cursor, me, "", "", False, "/today")[1] == []
    # Someone else closes it: the page drops it.
    owner.post(f"/api/items/{ana['id']}/done", json={})
    cursor, events = live.poll(web.store, cursor, me, "", "", False, "/today")
    assert events == [{"id": ana["id"], "removed": True}]
    # A reconnecting page resumes from its Last-Event-ID; an old plain id still works.
    assert live.resume(cursor.encode(), 0, web.store) == cursor
    assert live.resume("5", 0, web.store).last_id == 5
    assert live.resume("99999999999999999999", 0, web.store).last_id == live.latest_id(web.store)


def test_snooze_time_is_in_the_store_time_zone(web, owner):
    with web.store.begin() as conn:
        settings.put(conn, "timezone", "America/New_York")
    ana = item_of(owner, "Ana Ruiz")
    snoozed = owner.post(f"/api/items/{ana['id']}/snooze", json={"until": "2099-01-01T09:00"})
    assert snoozed.json()["snoozed_until"].startswith("2099-01-01T14:00:00")  # EST is UTC-5
    page = owner.get(f"/items/{ana['id']}").text
    assert "2099-01-01 09:00 EST" in page and "America/New_York time" in page
    explicit = owner.post(f"/api/items/{ana['id']}/snooze",
                          json={"until": "2099-07-01T09:00+00:00"}).json()
    assert explicit["snoozed_until"].startswith("2099-07-01T09:00:00")
    out_of_range = owner.post(f"/api/items/{ana['id']}/snooze", json={"until": "9999-12-31T23:59"})
    assert out_of_range.status_code == 400 and "out of range" in out_of_range.json()["detail"]


def test_out_of_range_ids_are_refused_not_errors(web, owner):
    huge = 2**63
    for url in (f"/api/items/{huge}", f"/api/people/{huge}", f"/api/people?offset={huge}",
                f"/api/items?offset={huge}", "/api/items/0"):
        r = owner.get(url)
        assert r.status_code == 422 and r.json()["detail"], url
    page = owner.get(f"/people/{huge}")
    assert page.status_code == 400 and "less than or equal" in page.text


# --- people ---------------------------------------------------------------------------------

def test_people_search_card_and_edits(web, owner, staff):
    assert [p["name"] for p in staff.get("/api/people?q=sam").json()] == ["Sam Lee", "Sam Lee"]
    assert [p["name"] for p in staff.get("/api/people?tier=vip").json()] == [
        "Claire Brennan", "Lenny B", "Walter Brennan"]
    lenny_id = next(p["id"] for p in staff.get("/api/people?q=lenny").json())
    card = staff.get(f"/api/people/{lenny_id}").json()
    assert card["story"] == "Walter's fishing buddy" and card["since"] == "1998-01-01"
    assert {h["platform"] for h in card["handles"]} == {"instagram", "mastodon"}
    assert card["links"][0]["name"] == "Walter Brennan"
    assert card["upcoming"][0]["what"] == "birthday"
    assert card["interactions"][0]["kind"] == "like" and card["items"]
    patched = staff.patch(f"/api/people/{lenny_id}", json={"notes": "Likes trout",
                                                           "tags": ["fishing"], "tier": "regular",
                                                           "anniversary": "1975-06-01"}).json()
    assert (patched["notes"], patched["tags"], patched["tier"]) == ("Likes trout", ["fishing"],
                                                                   "regular")
    assert staff.patch(f"/api/people/{lenny_id}", json={"tier": "gold"}).status_code == 400
    assert staff.patch(f"/api/people/{lenny_id}", json={"birthday": "May"}).status_code == 400
    new = staff.post("/api/people", json={"name": "Rosa Diaz"})
    assert new.status_code == 201
    linked = staff.post(f"/api/people/{new.json()['id']}/links",
                        json={"relation": "sister", "other": "Ana Ruiz"}).json()
    assert linked["links"] == [{"relation": "sister", "person_id": linked["links"][0]["person_id"],
                                "name": "Ana Ruiz"}]
    assert staff.post(f"/api/people/{new.json()['id']}/links",
                      json={"relation": "x", "other": "Nobody Here"}).status_code == 404
    assert staff.get("/api/people/999999").status_code == 404
    # Erasing is the owner's.
    assert staff.delete(f"/api/people/{lenny_id}").status_code == 403
    assert owner.delete(f"/api/people/{lenny_id}").json() == {"ok": True}
    assert owner.get(f"/api/people/{lenny_id}").status_code == 404


def test_import_preview_writes_nothing_then_import(web, staff):
    csv = (PEOPLE_HEADER + "Ana Ruiz,ana@example.com,,,vip,,,,,,,\n"
           "Nora Quinn,nora@example.com,,instagram:noraq,regular,2020,,,,,,sister:Ana Ruiz\n"
           "Bad Tier,,,,gold,,,,,,,\n").encode()
    files = {"file": ("people.csv", csv, "text/csv")}
    preview = staff.post("/api/people/import/preview", files=files).json()
    assert (preview["creates"], preview["updates"]) == (1, 1)
    assert [r["action"] for r in preview["rows"]] == ["update", "create"]
    assert preview["errors"] == [{"line": 4, "field": "tier",
                                  "reason": "'gold' is not one of vip, regular, new"}]
    assert staff.get("/api/people?q=nora").json() == []  # nothing written
    refused = staff.post("/api/people/import", files=files)
    assert refused.status_code == 400 and refused.json()["errors"][0]["line"] == 4
    done = staff.post("/api/people/import", files=files, data={"skip_bad": "true"}).json()
    assert (done["created"], done["updated"], done["links"]) == (1, 1, 1)
    assert len(done["skipped"]) == 1
    assert staff.get("/api/people?q=nora").json()[0]["tier"] == "regular"
    broken = staff.post("/api/people/import/preview",
                        files={"file": ("x.csv", b"who,what\n1,2\n", "text/csv")}).json()
    assert broken["rows"] == [] and "name" in broken["errors"][0]["reason"]


def test_import_page_previews_then_imports(web, staff):
    csv = PEOPLE_HEADER + "Nora Quinn,nora@example.com,,,regular,,,,,,,\n"
    page = staff.post("/people/import/preview", files={"file": ("p.csv", csv.encode(), "text/csv")},
                      data={"csrf": staff.headers["X-CSRF-Token"]})
    assert page.status_code == 200 and "1 will be created, 0 updated" in page.text
    payload = re.search(r'name="payload" value="([^"]+)"', page.text).group(1)
    assert staff.get("/api/people?q=nora").json() == []
    done = staff.post("/people/import/confirm", data={"payload": payload,
                                                      "csrf": staff.headers["X-CSRF-Token"]})
    assert "1 created" in done.text
    assert staff.get("/api/people?q=nora").json()[0]["name"] == "Nora Quinn"


def test_match_suggestions_confirm_and_reject(web, staff):
    kathy = item_of(staff, "Kathy O'Neil")
    found = staff.get("/api/matches").json()
    assert [(m["handle"], m["person_name"]) for m in found] == [("kathyo", "Katherine O'Neil")]
    assert staff.post(f"/api/matches/{found[0]['id']}", json={"confirm": True}).json() == {
        "ok": True}
    after = staff.get(f"/api/items/{kathy['id']}").json()
    assert after["person"]["name"] == "Katherine O'Neil" and after["match_suggestions"] == []
    assert staff.post(f"/api/matches/{found[0]['id']}", json={"confirm": False}).status_code == 400
    assert staff.post("/api/matches/999", json={"confirm": True}).status_code == 404


# --- pages and the API description ------------------------------------------------------

def test_pages_render_for_each_role(web, owner, staff):
    ana = item_of(owner, "Ana Ruiz")
    for client, role in ((owner, Role.OWNER), (staff, Role.STAFF)):
        today = client.get("/today")
        assert today.status_code == 200 and "Ana Ruiz" in today.text
        assert ("/team" in today.text) == (role == Role.OWNER)
        for url in (f"/items/{ana['id']}", f"/people/{ana['person_id']}", "/flagged", "/people",
                    "/people?q=ana", "/matches", "/people/import", "/today?moment=hardship&mine=1",
                    "/today?status=done"):
            assert client.get(url).status_code == 200, url
    assert owner.get("/team").status_code == 200 and owner.get("/settings").status_code == 200
    assert owner.get("/items/999999").status_code == 404
    csrf = staff.headers["X-CSRF-Token"]
    r = staff.post(f"/items/{ana['id']}/act", data={"action": "snooze", "until": "2000-01-01",
                                                    "csrf": csrf})
    assert "snooze needs a time in the future" in r.text
    r = staff.post(f"/items/{ana['id']}/act", data={"action": "reply", "text": "Thinking of you",
                                                    "csrf": csrf})
    assert "recorded, not sent" in r.text and "Thinking of you" in r.text
    r = staff.post(f"/people/{ana['person_id']}", data={"notes": "Sister: Rosa", "csrf": csrf})
    assert "Sister: Rosa" in r.text
    assert staff.post(f"/people/{ana['person_id']}/erase", data={"csrf": csrf}).status_code == 403


def test_openapi_describes_the_api_only(web):
    spec = TestClient(web.app).get("/openapi.json").json()
    assert "/api/items" in spec["paths"] and "/api/items/{item_id}/{action}" in spec["paths"]
    assert not [p for p in spec["paths"] if not p.startswith("/api/")]
