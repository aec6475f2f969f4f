"""Metrics, goals, attribution and links on a small store whose answers are known by hand."""
from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from sociable.domain.inbox import Action
from sociable.ingest.interactions import import_interactions
from sociable.ingest.people import import_people
from sociable.results import attribution, goals, imports, links, metrics
from sociable.results.hours import BusinessHours
from sociable.results.periods import Period, last_n, parse_key
from sociable.store import inbox as inbox_repo
from sociable.store import results as repo
from sociable.store import settings
from sociable.store import tables as t
from tests.conftest import NOW
from tests.helpers import BOOK, act, write_jsonl, write_people

DATA = Path(__file__).parent / "data" / "results"
NY = ZoneInfo("America/New_York")


def test_periods_in_the_store_time_zone():
    at = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # still Sunday the 22nd in New York
    assert Period.containing("day", at, NY).key == "2026-11-22"
    assert Period.containing("week", at, NY).key == "2026-W47"
    assert Period.containing("month", at, NY).key == "2026-11"
    q = Period.containing("quarter", at, NY)
    assert q.key == "2026-Q4" and q.start == datetime(2026, 10, 1, 4, tzinfo=UTC)
    assert [p.key for p in last_n("month", at, NY, 3)] == ["2026-09", "2026-10", "2026-11"]
    assert parse_key("2026-W48") == ("week", date(2026, 11, 23))
    with pytest.raises(ValueError):
        parse_key("soon")


def test_business_hours_skip_nights_and_weekends():
    h = BusinessHours.from_spec({"mon": "09:00-17:00", "fri": "09:00-17:00"}, NY)
    fri_4pm = datetime(2026, 11, 20, 16, tzinfo=NY)
    mon_10am = datetime(2026, 11, 23, 10, tzinfo=NY)
    assert h.between(fri_4pm, mon_10am) == pytest.approx(2.0)
    assert h.between(mon_10am, fri_4pm) == 0
    with pytest.raises(ValueError, match="mon"):
        BusinessHours.from_spec({"mon": "9 to 5"}, NY)


def test_links_are_tagged_lower_case_and_hyphenated():
    link = links.build("https://shop.example/rings?size=7&utm_source=old", campaign="Holiday "
                       "Rings — 2026!", platform="Instagram", content="Story Swipe")
    assert link.tagged_url == ("https://shop.example/rings?size=7&utm_source=instagram&"
                               "utm_medium=social&utm_campaign=holiday-rings-2026&"
                               "utm_content=story-swipe")
    with pytest.raises(ValueError):
        links.build("shop.example", campaign="x", platform="y")


def test_goal_targets_parse():
    assert goals.parse_target("$8,000") == 8000
    assert goals.parse_target("3x") == 3 and goals.parse_target("2h") == 2
    with pytest.raises(ValueError):
        goals.parse_target("lots")


def at(text: str) -> str:
    """New York local time to ISO with offset."""
    return datetime.fromisoformat(text).replace(tzinfo=NY).isoformat()


@pytest.fixture
def shop(store, tmp_path):
    """Ana asks on Friday 09:00, the store replies at 11:00, Ana answers on Saturday."""
    with store.begin() as conn:
        settings.put(conn, "timezone", "America/New_York")
    import_people(store, write_people(tmp_path / "p.csv", BOOK))
    import_interactions(store, write_jsonl(tmp_path / "a.jsonl", [
        act("o1", "comment", "ana_r", "Ana Ruiz", "Love it", at=at("2026-10-05T12:00")),
        act("1", "comment", "ana_r", "Ana Ruiz", "Do you resize rings? How much?",
            at=at("2026-11-20T09:00")),
        act("2", "like", "lenny.b", "Lenny B", at=at("2026-11-19T18:00")),
        act("3", "comment", "jules.makes", "Jules", "Your window is gorgeous, thank you!",
            at=at("2026-11-17T13:00")),
        act("4", "reply", "ana_r", "Ana Ruiz", "Great, I'll come by", at=at("2026-11-21T10:00")),
        act("5", "comment", "newbie", "New Person", "The repair broke again, not happy.",
            at=at("2026-11-18T12:00")),
    ]))
    with store.begin() as conn:
        ana_item = conn.execute(
            select(t.inbox_items.c.id).join(t.people, t.people.c.id == t.inbox_items.c.person_id)
            .where(t.people.c.name == "Ana Ruiz", t.inbox_items.c.day == "2026-11-20")).scalar()
        inbox_repo.transition(conn, ana_item, Action.REPLY, actor="claire",
                              text="Yes, same day, from $35.",
                              now=datetime(2026, 11, 20, 11, tzinfo=NY))
        repo.add_followers(conn, "instagram", "brennanjewelers", date(2026, 11, 1), 2000)
    return store


def test_engaged_people_split_known_vip_new_returning(shop):
    res = metrics.results(shop, "week", NOW, 2)
    assert res["periods"] == ["2026-W47", "2026-W48"]
    v = {k: vals[0] for k, vals in res["values"].items()}
    # Ana, Lenny (book, VIP), Jules and New Person (strangers) in the week of Nov 16.
    assert (v["engaged_people"], v["engaged_known"], v["engaged_vip"]) == (4, 2, 1)
    assert v["engaged_returning"] == 1  # Ana interacted in October
    assert v["engaged_new"] == 3
    assert v["followers"] == 2000 and v["engaged_share"] == 0.2


def test_response_time_conversations_and_moments(shop):
    res = metrics.results(shop, "week", NOW, 2)
    v = {k: vals[0] for k, vals in res["values"].items()}
    assert v["first_response_median"] == pytest.approx(2.0)  # business hours, 09:00 -> 11:00
    assert v["conversations"] == 1  # Ana answered back the next day
    assert res["moments"]["question"]["answered"][0] == 1
    assert res["moments"]["complaint"]["missed"][0] == 1
    assert 0 < v["response_rate"] < 100


def test_attributed_revenue_and_ad_return(shop):
    imports.import_results(shop, "shopify", DATA / "shopify_orders.csv")
    imports.import_results(shop, "meta_ads", DATA / "meta_ads_en.csv")
    res = metrics.results(shop, "week", NOW, 2)
    v = {k: vals[0] for k, vals in res["values"].items()}
    # Ana bought on Friday after asking that morning; Lenny (by phone) after his like.
    assert v["revenue_engaged"] == pytest.approx(1274.40 + 35.00)
    assert v["sales_total"] == pytest.approx(1274.40 + 35.00)  # #1004 is in the next week
    # Spend spreads over the days a row covers: 7 of the boost's 22, 1 of Engagement week's 7.
    spend = 400 / 22 * 7 + 100 / 7
    assert v["ad_spend"] == pytest.approx(spend, abs=0.01)
    assert v["ad_return"] == pytest.approx((1274.40 + 35.00) / spend, abs=0.01)
    found = attribution.behind(shop, "revenue_engaged", "2026-W47", NOW)
    assert {r[1] for r in found.rows} == {"#1001", "#1002"}
    assert all(r[6] == "yes" for r in found.rows)
    # With a window too short for Lenny's like, only Ana's order counts.
    with shop.begin() as conn:
        repo.put_setting(conn, "attribution_days", "1")
    res = metrics.results(shop, "week", NOW, 2)
    assert res["values"]["revenue_engaged"][0] == pytest.approx(1274.40)


def test_traffic_from_social_by_source_medium_and_tracked_campaign(shop):
    imports.import_results(shop, "ga4", DATA / "ga4_traffic.csv")
    res = metrics.results(shop, "week", NOW, 2)
    assert res["values"]["web_sessions"][0] == 236
    # instagram/social 30, l.instagram.com 12, m.facebook.com 9
    assert res["values"]["web_sessions_social"][0] == 51


def test_goals_progress_and_status(shop):
    with shop.begin() as conn:
        g1 = goals.add(conn, "engaged_people", "150", "month", "A shop full of people")
        goals.add(conn, "first_response_median", "2h", "week", "Answer fast")
        with pytest.raises(ValueError, match="unknown metric"):
            goals.add(conn, "likes", "5", "month")
        with pytest.raises(ValueError, match="period"):
            goals.add(conn, "engaged_people", "5", "year")
    progress = goals.progress_all(shop, NOW)
    assert [p.metric for p in progress] == ["engaged_people", "first_response_median"]
    month = progress[0]
    assert month.period_key == "2026-11" and month.value == 4 and month.status == "behind"
    assert month.why == "A shop full of people"
    assert "4 of 150 this month" in month.sentence
    week = progress[1]
    assert week.value is None and week.status == "no data"  # no reply yet this week
    with shop.begin() as conn:
        goals.edit(conn, g1, target="3")
    assert goals.progress_all(shop, NOW)[0].status == "met"
    with shop.begin() as conn:
        goals.edit(conn, g1, archived=True)
    assert len(goals.progress_all(shop, NOW)) == 1


def test_rollups_follow_new_interactions(shop, tmp_path):
    before = metrics.results(shop, "month", NOW, 1)["values"]["engaged_people"][0]
    import_interactions(shop, write_jsonl(tmp_path / "b.jsonl", [
        act("9", "like", "someone.new", "Some One", at=at("2026-11-22T10:00"))]))
    after = metrics.results(shop, "month", NOW, 1)["values"]["engaged_people"][0]
    assert after == before + 1
    found = attribution.behind(shop, "engaged_new", "2026-11", NOW)
    assert "Some One" in {r[0] for r in found.rows}


def test_day_grain_reads_interactions(shop):
    res = metrics.results(shop, "day", NOW, 7)
    assert res["periods"][-1] == "2026-11-23"
    assert res["values"]["engaged_people"][res["periods"].index("2026-11-20")] == 1


def test_settings_are_checked(shop, monkeypatch):
    from cryptography.fernet import Fernet

    monkeypatch.setenv("SOCIABLE_SECRET_KEY", Fernet.generate_key().decode())
    with shop.begin() as conn:
        repo.put_setting(conn, "smtp_password", "hunter22")
        assert "hunter22" not in str(repo.get_setting(conn, "smtp_password"))
        assert repo.smtp_password(conn) == "hunter22"
        assert repo.all_settings(conn)["smtp_password"] == "***"
        with pytest.raises(KeyError):
            repo.put_setting(conn, "colour", "blue")
        with pytest.raises(ValueError):
            repo.put_setting(conn, "attribution_days", "soon")
        with pytest.raises(ValueError):
            repo.put_setting(conn, "business_hours", '{"mon": "late"}')
        repo.put_setting(conn, "digest_to", "a@example.com, b@example.com")
        assert repo.get_setting(conn, "digest_to") == ["a@example.com", "b@example.com"]


