"""Importing interactions: idempotent, transactional per batch, resumable, clear errors."""
import json

import pytest
from sqlalchemy import func, select

from sociable.ingest.errors import ImportFailed
from sociable.ingest.interactions import import_interactions
from sociable.ingest.people import import_people
from sociable.store import tables as t
from tests.helpers import BOOK, act, write_jsonl, write_people


def _count(store, table):
    with store.begin() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


RECORDS = [
    act("1", "like", "lenny.b", "Lenny"),
    act("2", "comment", "ana_r", "Ana Ruiz", "Day 3 without power and the freezer is gone"),
    act("3", "comment", "x1", "Pat Doe", "Are you open Sunday?", platform="facebook"),
    act("4", "like", "stranger", "Stranger"),
    act("5", "comment", "ana_r", "Ana Ruiz", "Thanks for asking, we're ok", at="2026-11-23T13:00:00Z"),
]


def test_three_imports_leave_one_copy_of_everything(store, tmp_path):
    import_people(store, write_people(tmp_path / "p.csv", BOOK))
    path = write_jsonl(tmp_path / "a.jsonl", RECORDS)
    first = import_interactions(store, path)
    assert (first.imported, first.duplicates) == (5, 0)
    counts = [_count(store, x) for x in (t.interactions, t.inbox_items, t.moments, t.handles,
                                         t.inbox_item_interactions, t.events)]
    for _ in range(2):
        again = import_interactions(store, path)
        assert (again.imported, again.duplicates, again.items_created) == (0, 5, 0)
    assert [_count(store, x) for x in (t.interactions, t.inbox_items, t.moments, t.handles,
                                       t.inbox_item_interactions, t.events)] == counts
    assert counts[0] == 5 and counts[1] == 3  # Lenny, Ana (two comments fold), Pat


def test_naive_times_are_utc_and_raw_is_kept(store, tmp_path):
    import_interactions(store, write_jsonl(tmp_path / "a.jsonl", [
        act("1", text="Congratulations on the new store!", at="2026-11-23T12:00:00")]))
    with store.begin() as conn:
        row = conn.execute(select(t.interactions)).one()
    assert row.created_at.isoformat() == "2026-11-23T12:00:00+00:00"
    assert json.loads(row.raw)["id"] == "1"


@pytest.mark.parametrize("line,field,reason", [
    (b'{"platform": "instagram", "id": "9", ', None, "bad JSON"),
    (json.dumps(act("9", kind="poke")).encode(), "kind", "'poke' is not one of like, comment"),
    (json.dumps({k: v for k, v in act("9").items() if k != "id"}).encode(), "id", "is missing"),
    (json.dumps(act("9", at="yesterday")).encode(), "created_at", "not an ISO 8601 time"),
    (json.dumps(act("9", text="caf\u00e9")).encode().replace(b"\\u00e9", b"\xe9"), None,
     "not UTF-8"),
    (b'["a list"]', None, "expected a JSON object"),
])
def test_bad_line_stops_with_nothing_from_its_batch(store, tmp_path, line, field, reason):
    good = [act(str(i), text="hello") for i in range(5)]
    path = write_jsonl(tmp_path / "a.jsonl", good[:3] + [line] + good[3:])
    with pytest.raises(ImportFailed) as info:
        import_interactions(store, path, batch_size=2)
    error = info.value.errors[0]
    assert (error.path, error.line, error.field) == (str(path), 4, field)
    assert reason in error.reason
    assert "run the same command again" in info.value.hint
    # Lines 1-2 were one committed batch; the batch with the bad line (3-4) wrote nothing.
    assert _count(store, t.interactions) == 2


def test_resume_after_fixing_the_bad_line(store, tmp_path):
    good = [act(str(i), text="hello") for i in range(10)]
    lines = good[:7] + [b"{broken"] + good[7:]
    path = write_jsonl(tmp_path / "a.jsonl", lines)
    with pytest.raises(ImportFailed):
        import_interactions(store, path, batch_size=3)
    assert _count(store, t.interactions) == 6
    lines[7] = act("fixed", text="hello again")
    write_jsonl(path, lines)
    report = import_interactions(store, path, batch_size=3)
    assert report.resumed_from == 6
    assert report.imported == 5 and report.duplicates == 0
    assert _count(store, t.interactions) == 11
    # Done: a later run starts from the top and finds everything known.
    assert import_interactions(store, path, batch_size=3).duplicates == 11


def test_changed_file_before_the_resume_point_starts_over(store, tmp_path):
    lines = [act(str(i)) for i in range(4)] + [b"{broken"]
    path = write_jsonl(tmp_path / "a.jsonl", lines)
    with pytest.raises(ImportFailed):
        import_interactions(store, path, batch_size=2)
    write_jsonl(path, [act("other")] + [act(str(i)) for i in range(1, 4)])
    report = import_interactions(store, path, batch_size=2)
    assert report.resumed_from == 0 and report.imported == 1


def test_skip_bad_imports_the_rest_and_writes_a_report(store, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", [act("1"), b"{nope", act("2", kind="poke"), act("3")])
    out = tmp_path / "rejected.jsonl"
    report = import_interactions(store, path, skip_bad=True, report_path=out)
    assert report.imported == 2 and [e.line for e in report.rejected] == [2, 3]
    rejected = [json.loads(x) for x in out.read_text().splitlines()]
    assert [(r["line"], r["field"]) for r in rejected] == [(2, None), (3, "kind")]
    assert rejected[0]["text"] == "{nope"


def test_csv_with_the_same_columns(store, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(
        "platform,id,kind,author_handle,author_name,text,created_at,in_reply_to,url\n"
        'facebook,1,comment,ana_r,Ana Ruiz,"Two lines,\nand a comma",2026-11-23T10:00:00Z,,\n'
        "facebook,2,like,lenny.b,Lenny,,2026-11-23T10:05:00Z,p1,\n", encoding="utf-8")
    report = import_interactions(store, path)
    assert report.imported == 2
    with store.begin() as conn:
        assert conn.execute(select(t.interactions.c.text).where(
            t.interactions.c.external_id == "1")).scalar_one() == "Two lines,\nand a comma"
    bad = tmp_path / "b.csv"
    bad.write_text("platform,id,kind,author_handle,created_at\nfacebook,1,like,x\n")
    with pytest.raises(ImportFailed) as info:
        import_interactions(store, bad)
    assert info.value.errors[0].line == 2 and "4 cells for 5 columns" in str(info.value)


def test_csv_unknown_column_is_refused(store, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("platform,id,kind,who,created_at\n")
    with pytest.raises(ImportFailed, match="'who' unknown column"):
        import_interactions(store, path)
