"""Results kept current off the page view (refresh after imports), the set-based PostgreSQL
rollups, the JSON API for results and goals, and follower counts from a CSV."""
from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select
from typer.testing import CliRunner

import sociable.cli.results  # noqa: F401  (registers the commands)
import sociable.store.results_tables as rt
from sociable import results
from sociable.cli import app as cli
from sociable.ingest.batch import ingest_interactions
from sociable.ingest.files import to_interaction
from sociable.ingest.interactions import import_interactions
from sociable.ingest.people import import_people
from sociable.results import imports, metrics
from sociable.results import web as results_web
from sociable.store import results as repo
from sociable.store import settings
from sociable.store import tables as t
from sociable.web import create_app
from tests.conftest import NOW
from tests.helpers import BOOK, act, write_jsonl, write_people

DATA = Path(__file__).parent / "data" / "results"
PASSWORD = "correct horse battery"
NY = ZoneInfo("America/New_York")


@pytest.fixture
def shop(store, tmp_path):
    with store.begin() as conn:
        settings.put(conn, "timezone", "America/New_York")
    import_people(store, write_people(tmp_path / "p.csv", BOOK))
    import_interactions(store, write_jsonl(tmp_path / "a.jsonl", [
        act("1", "comment", "ana_r", "Ana Ruiz", "Do you resize rings? How much?",
            at="2026-11-20T14:00:00+00:00"),
        act("2", "like", "lenny.b", "Lenny B", at="2026-11-19T23:00:00+00:00"),
        act("3", "comment", "jules.makes", "Jules", "So beautiful, thank you!",
            at="2026-11-23T13:00:00+00:00"),
    ]))
    return SimpleNamespace(store=store, tmp=tmp_path)


def _watermark(store) -> tuple[int, int]:
    with store.begin() as conn:
        top = conn.execute(select(func.max(t.interactions.c.id))).scalar()
        return int(repo._state(conn, "rollup_id", 0)), top


# --- 1. recompute off the page view ---------------------------------------------------------

def test_an_import_brings_rollups_and_viewed_figures_up_to_date(shop, monkeypatch):
    mark, top = _watermark(shop.store)
    assert mark == top  # the import folded its interactions into the rollups
    before = metrics.results(shop.store, "month", NOW)["values"]["engaged_people"][-1]
    assert before == 3
    import_interactions(shop.store, write_jsonl(shop.tmp / "b.jsonl", [
        act("4", "like", "newbie", "New Person", at="2026-11-23T14:00:00+00:00")]))
    # The import recomputed the figure someone had looked at: the page computes nothing.
    monkeypatch.setattr(metrics, "compute", lambda *a, **k: pytest.fail("recomputed on view"))
    now = datetime.now(UTC)  # the hook computes for the real clock
    assert metrics.results(shop.store, "month", now)["values"]["engaged_people"][-1] >= 0
    with shop.store.begin() as conn:
        keys = conn.execute(select(rt.results_cache.c.key)).scalars().all()
    current = metrics.last_n("month", now, NY, 1)[0].key
    assert keys == [f"results:month:12:{current}"]  # the one for NOW was over: dropped


def test_refresh_recomputes_only_what_changed(shop):
    metrics.results(shop.store, "week", NOW, 4)
    again = results.refresh(shop.store, NOW)
    assert again is not None and again.folded == 0 and again.recomputed == []
    with shop.store.begin() as conn:
        repo.add_goal(conn, "engaged_people", 10, "week")  # bumps the results version
    done = results.refresh(shop.store, NOW, errors=True)
    assert done.recomputed == ["results:week:4:2026-W48"]
    assert metrics.results(shop.store, "week", NOW, 4)["values"]["engaged_people"][-1] == 1


def test_a_store_that_never_opened_results_pays_only_for_rollups(shop):
    done = results.refresh(shop.store, NOW, errors=True)
    assert done.recomputed == []
    with shop.store.begin() as conn:
        assert conn.execute(select(func.count()).select_from(rt.results_cache)).scalar() == 0


def test_live_batches_fold_rollups_and_recompute_at_most_once_a_minute(shop, monkeypatch):
    metrics.results(shop.store, "month", NOW)
    results._last_figures.pop(id(shop.store), None)
    warmed = []
    monkeypatch.setattr(results, "warm", lambda store, now=None: warmed.append(1) or [])
    for k in range(3):
        record = act(f"live{k}", "like", f"fan{k}", f"Fan {k}", at="2026-11-23T14:30:00+00:00")
        ingest_interactions(shop.store, [to_interaction("live", 1, record)], [b"{}"])
        mark, top = _watermark(shop.store)
        assert mark == top
    assert len(warmed) == 1


def test_a_failing_refresh_does_not_fail_the_import(shop, monkeypatch):
    def broken(conn, **kw):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(repo, "refresh_rollups", broken)
    report = import_interactions(shop.store, write_jsonl(shop.tmp / "c.jsonl", [
        act("9", "like", "someone.else", "Someone", at="2026-11-23T14:00:00+00:00")]))
    assert report.imported == 1
    with pytest.raises(RuntimeError):
        results.refresh(shop.store, errors=True)


# --- 2. set-based rollups on PostgreSQL ---------------------------------------------------

def test_rollups_are_the_same_set_based_and_row_by_row(store, tmp_path):
    """Across a DST change, an ISO week that belongs to the next year and a quarter end."""
    with store.begin() as conn:
        settings.put(conn, "timezone", "America/New_York")
    stamps = ["2026-11-01T05:30:00+00:00", "2026-11-01T06:30:00+00:00",  # 01:30 EDT, 01:30 EST
              "2026-12-31T23:30:00+00:00", "2027-01-01T04:30:00+00:00",  # Dec 31 NY both
              "2026-12-28T12:00:00+00:00", "2026-09-30T23:00:00+00:00",
              "2026-10-01T03:59:00+00:00", "2026-10-01T04:00:00+00:00"]
    import_interactions(store, write_jsonl(tmp_path / "a.jsonl", [
        act(str(k), "comment" if k % 2 else "like", f"h{k % 3}", f"H {k % 3}",
            "Thank you, love it!" if k % 2 else "", at=at) for k, at in enumerate(stamps)]))
    tables = (rt.results_engaged, rt.results_daily, rt.results_first_seen)

    def build(fn) -> dict:
        with store.begin() as conn:
            for table in tables:
                conn.execute(delete(table))
            tz = repo.timezone(conn)
            fn(conn, tz)
            return {tb.name: sorted(tuple(r) for r in conn.execute(select(tb))) for tb in tables}

    by_row = build(lambda conn, tz: repo._refresh_rollups_py(conn, tz, 0, batch=3))
    periods = {(g, p) for g, p, _, _ in by_row["results_engaged"]}
    assert {("week", "2026-W53"), ("quarter", "2026-Q3"), ("quarter", "2026-Q4"),
            ("month", "2026-12")} <= periods
    assert ("month", "2027-01") not in periods  # 04:30 UTC on Jan 1 is still Dec 31 in NY
    if store.engine.dialect.name == "postgresql":
        assert build(lambda conn, tz: repo._refresh_rollups_pg(conn, tz.key, 0, batch=3)) \
            == by_row
    with store.begin() as conn:  # and the public entry point leaves the watermark at the top
        repo._set_state(conn, "rollup_tz", "nowhere")
        assert repo.refresh_rollups(conn) == len(stamps)


# --- 3. the JSON API ----------------------------------------------------------------------

@pytest.fixture
def api(shop):
    app = create_app(shop.store)
    app.include_router(results_web.api_router)
    app.state.results_now = NOW
    owner = TestClient(app)
    r = owner.post("/api/setup", json={"username": "claire", "password": PASSWORD})
    owner.headers["X-CSRF-Token"] = r.json()["csrf"]
    token = owner.post("/api/invites", json={"role": "staff"}).json()["token"]
    staff = TestClient(app)
    r = staff.post(f"/api/invites/{token}/accept", json={"username": "nora",
                                                         "password": PASSWORD})
    staff.headers["X-CSRF-Token"] = r.json()["csrf"]
    return SimpleNamespace(app=app, owner=owner, staff=staff, store=shop.store)


ENDPOINTS = [("GET", "/api/results"), ("GET", "/api/results/behind"), ("GET", "/api/goals"),
             ("POST", "/api/goals"), ("PATCH", "/api/goals/1")]


def test_results_api_is_described_and_for_the_owner_only(api):
    paths = api.app.openapi()["paths"]
    assert {"/api/results", "/api/results/behind", "/api/goals", "/api/goals/{goal_id}"} \
        <= set(paths)
    assert set(paths["/api/goals"]) == {"get", "post"} and "patch" in paths["/api/goals/{goal_id}"]
    for method, url in ENDPOINTS:
        r = api.staff.request(method, url, params={"metric": "engaged_people", "period": "2026-11"},
                              json={"metric": "engaged_people", "target": "1"})
        assert r.status_code == 403, (method, url)
        assert TestClient(api.app).request(method, url).status_code == 401


def test_results_api_figures_and_who_is_behind(api):
    res = api.owner.get("/api/results", params={"grain": "week", "count": 2}).json()
    assert res["periods"] == ["2026-W47", "2026-W48"]
    assert res["values"]["engaged_people"] == [2, 1]
    assert res["metrics"]["engaged_people"]["unit"] == "people"
    assert api.owner.get("/api/results").json()["grain"] == "month"
    assert api.owner.get("/api/results", params={"grain": "year"}).status_code == 422
    who = api.owner.get("/api/results/behind", params={"metric": "engaged_people",
                                                       "period": "2026-11"}).json()
    assert who["columns"][0] == "person" and {r[0] for r in who["rows"]} >= {"Ana Ruiz", "Jules"}
    bad = api.owner.get("/api/results/behind", params={"metric": "likes", "period": "2026-11"})
    assert bad.status_code == 400 and "unknown metric" in bad.json()["detail"]
    bad = api.owner.get("/api/results/behind", params={"metric": "engaged_people",
                                                       "period": "soon"})
    assert bad.status_code == 400


def test_goals_api_add_list_edit_archive(api):
    r = api.owner.post("/api/goals", json={"metric": "engaged_people", "target": "150",
                                           "period": "month", "why": "A shop full of people"})
    assert r.status_code == 201, r.text
    goal = r.json()
    assert (goal["target"], goal["status"], goal["value"]) == (150, "behind", 3)
    assert goal["sentence"].startswith("People who interacted: 3 of 150 this month")
    assert [g["id"] for g in api.owner.get("/api/goals").json()] == [goal["id"]]
    r = api.owner.patch(f"/api/goals/{goal['id']}", json={"target": "2"})
    assert r.json()["status"] == "met"
    r = api.owner.patch(f"/api/goals/{goal['id']}", json={"archived": True})
    assert r.json()["archived"] is True and r.json()["status"] is None
    assert api.owner.patch("/api/goals/99", json={"target": 1}).status_code == 404
    bad = api.owner.post("/api/goals", json={"metric": "likes", "target": "1"})
    assert bad.status_code == 400 and "unknown metric" in bad.json()["detail"]
    bad = api.owner.post("/api/goals", json={"metric": "engaged_people", "target": "lots"})
    assert bad.status_code == 400 and "not a number" in bad.json()["detail"]
    assert api.owner.post("/api/goals", json={"metric": "engaged_people", "target": 5,
                                              "period": "year"}).status_code == 422


# --- 4. follower counts from a CSV ----------------------------------------------------------

def test_follower_counts_import_from_a_csv(shop):
    parsed = imports.read("followers", DATA / "followers.csv", NY)
    assert not parsed.errors and len(parsed.records) == 4
    assert parsed.records[0].followers == 2310 and parsed.records[3].platform == "bluesky"
    imports.import_results(shop.store, "followers", DATA / "followers.csv")
    imports.import_results(shop.store, "followers", DATA / "followers.csv")  # idempotent
    with shop.store.begin() as conn:
        assert len(repo.follower_snapshots(conn)) == 4
        assert repo.followers_on(conn, date(2026, 11, 20)) == 2450 + 1800 + 120
        assert repo.followers_on(conn, date(2026, 10, 15)) == 2310
    res = metrics.results(shop.store, "month", NOW, 2)
    assert res["values"]["followers"] == [2310, 4370]


def test_bad_follower_rows_name_line_field_and_reason_and_write_nothing(shop):
    parsed = imports.read("followers", DATA / "followers_bad.csv", NY)
    assert [(e.line, e.field) for e in parsed.errors] == [
        (3, "date"), (4, "platform"), (5, "followers"), (6, "followers"), (7, "date")]
    assert "already on line 2" in parsed.errors[-1].reason
    with pytest.raises(imports.ImportFailed):
        imports.import_results(shop.store, "followers", DATA / "followers_bad.csv")
    with shop.store.begin() as conn:
        assert repo.follower_snapshots(conn) == []


def test_cli_imports_follower_counts(db_url, shop):
    runner = CliRunner()
    r = runner.invoke(cli, ["--db", db_url, "import", "results", "followers",
                            str(DATA / "followers.csv")])
    assert r.exit_code == 0, r.output
    assert "4 followers rows imported" in " ".join(r.output.split())
    bad = runner.invoke(cli, ["--db", db_url, "import", "results", "followers",
                              str(DATA / "followers_bad.csv")])
    assert bad.exit_code != 0
    assert "followers_bad.csv:5: field 'followers'" in " ".join(bad.output.split())


# --- 5. the web app's layout -----------------------------------------------------------------

def test_results_pages_use_the_web_app_layout(api):
    for path in ("/results", "/goals", "/results/import"):
        page = api.owner.get(path).text
        assert '<header class="top">' in page and 'href="/today"' in page, path
        assert "/static/app.css" in page and 'class="results-nav"' in page
    assert "<title>Goals · Sociable</title>" in api.owner.get("/goals").text
    # The weekly report stays a standalone document (it is printed to PDF).
    assert '<header class="top">' not in api.owner.get("/results/report").text
