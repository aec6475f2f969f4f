"""One test per identify rule, plus suggestions that are remembered."""
from sqlalchemy import select

from sociable import identify
from sociable.ingest.interactions import import_interactions
from sociable.ingest.people import import_people
from sociable.store import inbox as inbox_repo
from sociable.store import tables as t
from tests.conftest import NOW
from tests.helpers import BOOK, act, write_jsonl, write_people


def _setup(store, tmp_path, records):
    import_people(store, write_people(tmp_path / "p.csv", BOOK))
    import_interactions(store, write_jsonl(tmp_path / "a.jsonl", records))


def _handle(store, handle):
    with store.begin() as conn:
        row = conn.execute(select(t.handles.c.person_id, t.handles.c.rule, t.people.c.name)
                           .outerjoin(t.people, t.people.c.id == t.handles.c.person_id)
                           .where(t.handles.c.handle == handle)).one()
    return row.name, row.rule


def test_rule_handle_from_the_book(store, tmp_path):
    _setup(store, tmp_path, [act("1", "like", "@Lenny.B")])
    assert _handle(store, "lenny.b") == ("Lenny B", "book")


def test_rule_email(store, tmp_path):
    _setup(store, tmp_path, [act("1", "review", "Ana@Example.com", text="Lovely shop")])
    assert _handle(store, "ana@example.com") == ("Ana Ruiz", "email")


def test_rule_phone(store, tmp_path):
    _setup(store, tmp_path, [act("1", "message", "+15550103000", platform="whatsapp",
                                 text="hi")])
    assert _handle(store, "+15550103000") == ("Ana Ruiz", "phone")


def test_rule_normalized_name(store, tmp_path):
    _setup(store, tmp_path, [act("1", "comment", "ana_r", name="ANA  RUÍZ", text="hi!")])
    assert _handle(store, "ana_r") == ("Ana Ruiz", "name")


def test_fuzzy_name_is_a_suggestion_never_a_link(store, tmp_path):
    _setup(store, tmp_path, [act("1", "comment", "kathy.oneil", name="Kathy ONeil", text="hi")])
    assert _handle(store, "kathy.oneil") == (None, None)
    with store.begin() as conn:
        found = identify.suggestions(conn)
    assert [(s.person_name, s.rule) for s in found] == [("Katherine O'Neil", "fuzzy_name")]


def test_shared_name_asks_instead_of_guessing(store, tmp_path):
    _setup(store, tmp_path, [act("1", "comment", "samlee", name="Sam Lee", text="hello")])
    assert _handle(store, "samlee") == (None, None)
    with store.begin() as conn:
        assert sorted(s.rule for s in identify.suggestions(conn)) == ["same_name", "same_name"]


def test_confirm_links_rescores_and_is_remembered(store, tmp_path):
    _setup(store, tmp_path, [act("1", "comment", "kathy.oneil", name="Kathy ONeil",
                                 text="Do you do pearl restringing?")])
    from sociable.inbox.refresh import refresh_handles

    with store.begin() as conn:
        s = identify.suggestions(conn)[0]
        identify.decide(conn, s.id, confirm=True)
        refresh_handles(conn, [s.handle_id])
    assert _handle(store, "kathy.oneil") == ("Katherine O'Neil", "confirmed")
    with store.begin() as conn:
        item = inbox_repo.list_items(conn, now=NOW, days=None)[0]
        assert item.person_name == "Katherine O'Neil"
        assert item.reasons[0].startswith("Katherine O'Neil: customer since 2010")
        identify.relink_unmatched(conn)
        assert identify.suggestions(conn) == []


def test_reject_is_remembered(store, tmp_path):
    _setup(store, tmp_path, [act("1", "comment", "kathy.oneil", name="Kathy ONeil",
                                 text="Are you open on Sunday?")])
    from sociable.inbox.refresh import refresh_handles

    with store.begin() as conn:
        item = inbox_repo.list_items(conn, now=NOW, days=None)[0]
        assert item.reasons[0] == "Kathy ONeil: not in your book yet (maybe Katherine O'Neil?)"
        s = identify.suggestions(conn)[0]
        identify.decide(conn, s.id, confirm=False)
        refresh_handles(conn, [s.handle_id])
        item = inbox_repo.list_items(conn, now=NOW, days=None)[0]
        assert item.reasons[0] == "Kathy ONeil: not in your book yet"
        identify.relink_unmatched(conn)
        assert identify.suggestions(conn) == []
        assert [x.id for x in identify.suggestions(conn, "rejected")] == [s.id]


def test_book_import_after_activity_links_earlier_authors(store, tmp_path):
    import_interactions(store, write_jsonl(tmp_path / "a.jsonl", [
        act("1", "like", "lenny.b", name="Lenny"),
        act("2", "comment", "ana_r", name="Ana Ruiz", text="Congrats on 30 years!")]))
    with store.begin() as conn:
        before = inbox_repo.list_items(conn, now=NOW, days=None)
    assert [i.person_name for i in before] == ["Ana Ruiz"]  # a stranger's like is no item
    report = import_people(store, write_people(tmp_path / "p.csv", BOOK))
    assert report.matched_handles == 1  # ana_r by name; lenny.b comes from the book itself
    with store.begin() as conn:
        item = inbox_repo.list_items(conn, now=NOW, days=None)[0]
    assert item.person_id is not None and item.reasons[0].startswith("Ana Ruiz: customer since")


def test_rule_source_id_survives_a_renamed_handle(store, tmp_path):
    _setup(store, tmp_path, [act("1", "like", "lenny.b", author_id="acct-42"),
                             act("2", "comment", "lenny.bianchi", name="L.", text="hey",
                                 author_id="acct-42")])
    with store.begin() as conn:
        rows = conn.execute(select(t.handles.c.handle, t.handles.c.source_id)
                            .where(t.handles.c.source_id == "acct-42")).all()
        assert [tuple(r) for r in rows] == [("lenny.b", "acct-42")]
        items = inbox_repo.list_items(conn, now=NOW, days=None)
    assert [len(i.interaction_ids) for i in items if i.person_name == "Lenny B"] == [2]
