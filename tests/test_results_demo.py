"""Results on the demo store: a year of seeded results reads as the story it should, and every
figure adds up to the people and orders behind it."""
from __future__ import annotations

import pytest

from sociable.demo.load import load_demo
from sociable.results import attribution, dashboard, goals, metrics
from sociable.results.demo import seed_results
from sociable.store import open_store
from tests.conftest import NOW


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("demo")
    store = open_store(str(tmp / "demo.db"))
    load_demo(store, tmp / "files", seed=7, now=NOW, people=150, interactions=4000)
    seeded = seed_results(store, tmp / "files" / "results", now=NOW)
    yield store, seeded
    store.close()


def test_demo_results_tell_the_story(demo):
    store, seeded = demo
    assert seeded.replies > 100 and seeded.sales > 100 and seeded.goals == 6
    res = metrics.results(store, "month", NOW)
    v = res["values"]
    assert all(x > 0 for x in v["engaged_people"])
    assert all(0 < x < 100 for x in v["engaged_share"][-6:])
    # The team got faster over the year.
    assert v["first_response_median"][-2] < v["first_response_median"][1]
    assert all(x is not None for x in v["revenue_engaged"])
    assert all(e <= s for e, s in zip(v["revenue_engaged"], v["sales_total"]))
    assert v["web_sessions_social"][-1] < v["web_sessions"][-1]
    statuses = {p.metric: p.status for p in goals.progress_all(store, NOW)}
    assert set(statuses) == {g[0] for g in __import__("sociable.results.demo", fromlist=["x"])
                             .DEMO_GOALS}
    assert set(statuses.values()) <= {"met", "on track", "behind"}


def test_every_figure_opens_to_what_is_behind_it(demo):
    store, _ = demo
    res = metrics.results(store, "month", NOW)
    key = res["periods"][-2]
    k = res["periods"].index(key)
    sales = attribution.behind(store, "revenue_engaged", key, NOW)
    total = sum(float(r[5].replace(",", "")) for r in sales.rows)
    assert total == pytest.approx(res["values"]["revenue_engaged"][k], abs=0.05)
    people = attribution.behind(store, "engaged_people", key, NOW)
    assert len(people.rows) == res["values"]["engaged_people"][k]
    known = attribution.behind(store, "engaged_known", key, NOW)
    assert len(known.rows) == res["values"]["engaged_known"][k]
    signups = attribution.behind(store, "signups_social", key, NOW)
    assert len(signups.rows) == res["values"]["signups_social"][k]


def test_dashboard_charts_have_csv(demo):
    store, _ = demo
    d = dashboard.build(store, NOW)
    ids = {c.id for c in d.charts}
    assert {"engaged", "conversations", "response", "moments", "revenue", "goals"} <= ids
    for c in d.charts:
        assert c.csv.count("\n") >= 2
    assert d.headlines[0].startswith("This month")


def test_every_metric_and_setting_is_documented():
    from pathlib import Path

    from sociable.store.results import SETTINGS

    doc = (Path(__file__).resolve().parent.parent / "docs" / "results.md").read_text()
    missing = [m for m in metrics.METRICS if f"`{m}`" not in doc]
    missing += [s for s in SETTINGS if f"`{s}`" not in doc]
    assert not missing, f"undocumented in docs/results.md: {missing}"
