"""The seeded demo store: deterministic, well-formed, and today's key scenarios are there."""
from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sociable.demo import CAST, DemoFiles, generate
from sociable.demo.generate import HEADER

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
KINDS = {"like", "comment", "mention", "reply", "message", "share", "follow", "review"}
PLATFORMS = {"instagram", "facebook", "mastodon", "bluesky"}
KEYS = ["platform", "id", "kind", "author_handle", "author_name", "text", "created_at",
        "in_reply_to", "url"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> DemoFiles:
    return generate(tmp_path_factory.mktemp("demo"), now=NOW)


@pytest.fixture(scope="module")
def rows(demo) -> list[dict]:
    with demo.interactions_jsonl.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f]


@pytest.fixture(scope="module")
def people(demo) -> list[dict]:
    with demo.people_csv.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def today(rows) -> list[dict]:
    since = NOW - timedelta(hours=24)
    return [r for r in rows if datetime.fromisoformat(r["created_at"]) > since]


def _bytes(d: DemoFiles) -> tuple[bytes, bytes, bytes]:
    return d.people_csv.read_bytes(), d.interactions_jsonl.read_bytes(), d.facts_json.read_bytes()


def test_same_seed_and_now_give_identical_bytes(tmp_path: Path):
    a = generate(tmp_path / "a", seed=3, now=NOW, people=120, interactions=3000, months=3)
    b = generate(tmp_path / "b", seed=3, now=NOW, people=120, interactions=3000, months=3)
    assert _bytes(a) == _bytes(b)


def test_different_seed_gives_different_files(tmp_path: Path):
    a = generate(tmp_path / "a", seed=3, now=NOW, people=120, interactions=3000, months=3)
    c = generate(tmp_path / "c", seed=4, now=NOW, people=120, interactions=3000, months=3)
    pa, ia, _ = _bytes(a)
    pc, ic, _ = _bytes(c)
    assert pa != pc
    assert ia != ic


def test_naive_now_is_refused(tmp_path: Path):
    with pytest.raises(ValueError, match="timezone-aware"):
        generate(tmp_path, now=datetime(2026, 11, 23, 15, 0))


def test_counts_are_as_asked(demo, rows, people):
    assert demo.interactions == len(rows) == 30_000
    assert demo.people == len(people) == 500
    assert 250 <= demo.strangers <= 350
    tiers = Counter(p["tier"] for p in people)
    assert 0.05 <= tiers["vip"] / 500 <= 0.12
    assert 0.35 <= tiers["regular"] / 500 <= 0.55
    kinds = Counter(r["kind"] for r in rows)
    assert 0.48 <= kinds["like"] / len(rows) <= 0.62
    assert set(kinds) == KINDS
    assert {r["platform"] for r in rows} == PLATFORMS


def test_every_interaction_line_is_well_formed(rows):
    seen = set()
    last = None
    start = NOW - timedelta(days=370)
    for r in rows:
        assert list(r) == KEYS
        assert r["platform"] in PLATFORMS and r["kind"] in KINDS
        when = datetime.fromisoformat(r["created_at"])
        assert when.utcoffset() == timedelta(0) and r["created_at"].endswith("+00:00")
        assert start <= when < NOW
        assert last is None or when >= last
        last = when
        key = (r["platform"], r["id"])
        assert key not in seen
        seen.add(key)
        assert r["author_handle"] and r["author_name"]
        if r["kind"] in {"like", "follow", "share"}:
            assert r["text"] == ""
        else:
            assert r["text"].strip()
        if r["kind"] in {"message", "follow", "mention", "review"}:
            assert r["in_reply_to"] is None
        if r["kind"] in {"like", "comment", "reply", "share"}:
            assert r["in_reply_to"]
        assert r["url"] is None or r["url"].startswith("https://")
        if r["platform"] == "mastodon":
            assert r["author_handle"].startswith("@") and r["author_handle"].count("@") == 2
        if r["platform"] == "bluesky":
            assert r["author_handle"].endswith(".bsky.social")


def test_text_posts_are_varied(rows):
    texts = [r["text"] for r in rows if r["text"]]
    assert len(set(texts)) > 0.4 * len(texts)


def test_people_csv_header_and_links(demo, people):
    with demo.people_csv.open(newline="", encoding="utf-8") as f:
        assert next(csv.reader(f)) == list(HEADER)
    names = Counter(p["name"] for p in people)
    assert names[CAST.shared_name] == 2
    assert all(n == 1 for name, n in names.items() if name != CAST.shared_name)
    emails = [p["email"] for p in people if p["email"]]
    assert len(emails) == len(set(emails))
    for p in people:
        assert p["tier"] in {"vip", "regular", "new"}
        assert len(p["since"]) == 4 or datetime.strptime(p["since"], "%Y-%m-%d")
        assert 1985 <= int(p["since"][:4]) <= NOW.year
        for field in ("birthday", "anniversary"):
            if p[field]:
                datetime.strptime(p[field], "%Y-%m-%d")
        for h in filter(None, p["handles"].split(";")):
            platform, _, handle = h.partition(":")
            assert platform in PLATFORMS and handle
        for link in filter(None, p["related"].split(";")):
            relation, _, name = link.partition(":")
            assert relation and name in names, link
    with_birthday = sum(bool(p["birthday"]) for p in people) / len(people)
    assert 0.45 <= with_birthday <= 0.75
    assert sum(not p["handles"] for p in people) > 50  # some are only an e-mail in the book
    staff = [p["name"] for p in people if "staff" in p["tags"].split(";")]
    assert CAST.owner in staff and len(staff) >= 4


def test_cast_in_the_book(people):
    by_name = {p["name"]: p for p in people}
    friend = by_name[CAST.family_friend]
    assert friend["tier"] == "vip"
    assert f"family_friend:{CAST.founder}" in friend["related"].split(";")
    assert f"instagram:{CAST.family_friend_handle}" in friend["handles"].split(";")
    assert f"child:{CAST.owner}" in by_name[CAST.founder]["related"]
    assert by_name[CAST.blackout]["since"] <= "1995"
    assert by_name[CAST.fuzzy_book]["handles"] == ""
    family_friends = [p for p in people
                      if f"family_friend:{CAST.founder}" in p["related"].split(";")]
    assert len(family_friends) >= 3


def test_today_is_lively_and_has_the_key_scenarios(today):
    assert 60 <= len(today) <= 200
    assert 30 <= sum(bool(r["text"]) for r in today) <= 120

    def one(**want) -> dict:
        found = [r for r in today if all(
            (v(r[k]) if callable(v) else r[k] == v) for k, v in want.items())]
        assert found, want
        return found[0]

    like = one(kind="like", author_handle=CAST.family_friend_handle, platform="instagram",
               author_name=CAST.family_friend_online)
    assert like["in_reply_to"]
    one(author_name=CAST.blackout, text=lambda t: "power blackout" in t)
    one(author_name=CAST.engaged, text=lambda t: "SHE SAID YES" in t)
    one(author_name=CAST.repair_complaint, kind="review", text=lambda t: "repair" in t)
    one(author_name=CAST.ring_size_question, text=lambda t: "resize rings" in t)
    one(author_name=CAST.hours_question, text=lambda t: "open sunday" in t)
    one(author_name=CAST.gift_shopper, kind="message", text=lambda t: "under $500" in t)
    one(author_name=CAST.praise, kind="review", text=lambda t: "brand new" in t)
    one(author_name=CAST.fuzzy_online, platform="facebook")


def test_the_year_has_every_kind_of_moment(rows):
    texts = " ".join(r["text"].lower() for r in rows)
    for phrase in ("power", "storm", "passed", "quarantine", "laid off", "engaged", "married",
                   "anniversary", "birthday", "graduat", "retire", "open", "resize", "battery",
                   "engrav", "apprais", "layaway", "under $500", "watch", "#tbt", "🔥"):
        assert phrase in texts, phrase


def test_facts(demo):
    facts = json.loads(demo.facts_json.read_text(encoding="utf-8"))
    assert facts["store_name"] == CAST.store_name and facts["owner_name"] == CAST.owner
    assert facts["timezone"] == "America/New_York"
    assert list(facts["hours"]) == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    assert facts["hours"]["sun"] == "closed"
    for service in ("ring resizing", "watch battery", "repairs", "engraving", "appraisals"):
        assert facts["services"][service]
    assert facts["phone"] and facts["website"].startswith("https://")


def test_small_demo_still_has_today(tmp_path: Path):
    files = generate(tmp_path, now=NOW, people=60, interactions=200, months=1)
    lines = files.interactions_jsonl.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 200
    assert any(CAST.family_friend_handle in line for line in lines)
