from datetime import date

import pytest
from sqlalchemy import func, select

from sociable.ingest.errors import ImportFailed
from sociable.ingest.people import import_people
from sociable.store import people as repo
from sociable.store import tables as t
from tests.helpers import BOOK, write_people


def _count(store, table):
    with store.begin() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_import_builds_the_book(store, tmp_path):
    report = import_people(store, write_people(tmp_path / "p.csv", BOOK))
    assert report.created == 7 and report.updated == 0
    with store.begin() as conn:
        lenny = repo.resolve(conn, "Lenny B")
        assert lenny.tier == "vip" and lenny.since == date(1998, 1, 1)
        assert lenny.birthday == date(1950, 3, 2)
        assert {str(h) for h in lenny.handles} == {"instagram:lenny.b",
                                                   "mastodon:lennyb@mastodon.social"}
        assert [(r.relation, r.name) for r in lenny.related] == [("family_friend", "Walter Brennan")]
        walter = repo.resolve(conn, "Walter Brennan")
        names = {(rel, name) for rel, _, name in repo.links_of(conn, walter.id)}
        assert ("child", "Claire Brennan") in names and ("family_friend", "Lenny B") in names
        claire = repo.resolve(conn, "Claire Brennan")
        assert ("parent", "Walter Brennan") in {(r, n) for r, _, n in repo.links_of(conn, claire.id)}


def test_reimport_updates_and_never_duplicates(store, tmp_path):
    path = write_people(tmp_path / "p.csv", BOOK)
    import_people(store, path)
    import_people(store, path)
    assert _count(store, t.people) == 7
    assert _count(store, t.handles) == 3
    changed = write_people(tmp_path / "p2.csv", [
        "Lenny B,lenny@example.com,,,regular,,,Prefers texts,,,,",  # keyed by email
        "Ana Ruiz,,,,vip,,,,,,,",  # keyed by name
    ])
    report = import_people(store, changed)
    assert report.updated == 2 and report.created == 0
    with store.begin() as conn:
        lenny = repo.resolve(conn, "Lenny B")
        assert lenny.tier == "regular" and lenny.notes == "Prefers texts"
        assert lenny.story == "Walter's fishing buddy"  # empty cell keeps what we knew
        assert repo.resolve(conn, "Ana Ruiz").tier == "vip"


def test_same_name_different_email_are_two_people(store, tmp_path):
    import_people(store, write_people(tmp_path / "p.csv", BOOK))
    with store.begin() as conn:
        with pytest.raises(LookupError, match="2 people are named 'Sam Lee'"):
            repo.resolve(conn, "Sam Lee")


@pytest.mark.parametrize("row,field,reason", [
    ("Bad Tier,,,,gold,,,,,,,", "tier", "'gold' is not one of vip, regular, new"),
    ("Bad Date,,,,,,,,,1990-13-01,,", "birthday", "is not a date"),
    ("Bad Since,,,,,last year,,,,,,", "since", "is not a year or a date"),
    ("Bad Handle,,,lenny,,,,,,,,", "handles", "is not platform:handle"),
    ("Bad Related,,,,,,,,,,,Walter", "related", "is not relation:Full Name"),
    ("Bad Mail,not-an-email,,,,,,,,,,", "email", "is not an e-mail address"),
    (",x@example.com,,,,,,,,,,", "name", "is empty"),
])
def test_bad_rows_name_the_line_and_field_and_write_nothing(store, tmp_path, row, field, reason):
    path = write_people(tmp_path / "p.csv", BOOK[:2] + [row])
    with pytest.raises(ImportFailed) as info:
        import_people(store, path)
    error = info.value.errors[0]
    assert (error.line, error.field) == (4, field) and reason in error.reason
    assert str(path) in str(error)
    assert _count(store, t.people) == 0


def test_skip_bad_imports_the_rest(store, tmp_path):
    path = write_people(tmp_path / "p.csv", BOOK[:2] + ["Bad Tier,,,,gold,,,,,,,"])
    report = import_people(store, path, skip_bad=True)
    assert report.created == 2 and [e.line for e in report.skipped] == [4]


def test_header_without_name_is_refused(store, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("email,tier\nx@example.com,vip\n")
    with pytest.raises(ImportFailed, match="no 'name' column"):
        import_people(store, path)


def test_related_names_outside_the_book_become_people(store, tmp_path):
    report = import_people(store, write_people(tmp_path / "p.csv", [
        "Maria B,,,,,,,,,,,spouse:Tom B"]))
    assert report.placeholders == ["Tom B"]
    with store.begin() as conn:
        tom = repo.resolve(conn, "Tom B")
        assert repo.links_of(conn, tom.id)[0][0] == "spouse"


def test_erase_forgets_the_person_and_their_words(store, tmp_path):
    from sociable.ingest.interactions import import_interactions
    from tests.helpers import act, write_jsonl

    import_people(store, write_people(tmp_path / "p.csv", BOOK))
    import_interactions(store, write_jsonl(tmp_path / "a.jsonl", [
        act("1", handle="lenny.b", text="My mom passed away on Sunday")]))
    with store.begin() as conn:
        lenny = repo.resolve(conn, "Lenny B")
        repo.erase(conn, lenny.id)
    with store.begin() as conn:
        assert conn.execute(select(t.interactions.c.text)).scalar_one() == ""
        assert _count(store, t.inbox_items) == 0
        assert not repo.by_name(conn, "Lenny B")


def test_upcoming_birthdays_and_anniversaries(store, tmp_path):
    import_people(store, write_people(tmp_path / "p.csv", [
        "Ann A,,,,,,,,,1960-11-25,,",
        "Bob B,,,,,,,,,,2000-12-31,",
        "Cy C,,,,,,,,,1970-06-01,,",
        "Leap L,,,,,,,,,2000-02-29,,",
    ]))
    with store.begin() as conn:
        soon = repo.upcoming_dates(conn, date(2026, 11, 23), days=7)
        assert [(w.isoformat(), k, n, y) for w, k, _, n, y in soon] == [
            ("2026-11-25", "birthday", "Ann A", 66)]
        new_year = repo.upcoming_dates(conn, date(2026, 12, 28), days=7)
        assert [(n, y) for _, _, _, n, y in new_year] == [("Bob B", 26)]
        leap = repo.upcoming_dates(conn, date(2027, 2, 27), days=3)
        assert [(w.isoformat(), n) for w, _, _, n, _ in leap] == [("2027-03-01", "Leap L")]


def test_a_couple_shares_one_anniversary(store, tmp_path):
    import_people(store, write_people(tmp_path / "p.csv", [
        "Rahul Price,,,,,,,,,,2013-11-28,spouse:Julie Price",
        "Julie Price,,,,,,,,,,2013-11-28,",
    ]))
    with store.begin() as conn:
        soon = repo.upcoming_dates(conn, date(2026, 11, 23), days=7)
    assert [(n, y) for _, _, _, n, y in soon] == [("Rahul Price & Julie Price", 13)]


def test_cli_erase(store, tmp_path, db_url):
    from typer.testing import CliRunner

    from sociable.cli import app

    import_people(store, write_people(tmp_path / "p.csv", BOOK))
    runner = CliRunner()
    refused = runner.invoke(app, ["--db", db_url, "people", "erase", "Lenny B"], input="n\n")
    assert refused.exit_code == 1
    out = runner.invoke(app, ["--db", db_url, "people", "erase", "Lenny B", "--yes"])
    assert out.exit_code == 0 and "Erased Lenny B." in out.output
    with store.begin() as conn:
        assert not repo.by_name(conn, "Lenny B")
