"""Prioritizing, folding, reasons, and the one transition function."""
import json
from datetime import timedelta

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from sociable.cli import app
from sociable.domain.inbox import Action, Status, TransitionError
from sociable.ingest.interactions import import_interactions
from sociable.ingest.people import import_people
from sociable.store import inbox as repo
from sociable.store import settings
from sociable.store import tables as t
from tests.conftest import NOW
from tests.helpers import BOOK, act, write_jsonl, write_people


@pytest.fixture
def loaded(store, tmp_path):
    with store.begin() as conn:
        settings.put(conn, "owner_name", "Claire Brennan")
    import_people(store, write_people(tmp_path / "p.csv", BOOK))
    import_interactions(store, write_jsonl(tmp_path / "a.jsonl", [
        act("1", "like", "lenny.b", "Lenny", at="2026-11-23T13:00:00Z"),
        act("2", "like", "lenny.b", "Lenny", at="2026-11-23T13:05:00Z"),
        act("3", "like", "stranger", "Stranger", at="2026-11-23T14:00:00Z"),
        act("4", "comment", "pat", "Pat Doe", "haha my dog does that too", at="2026-11-23T14:00:00Z"),
        act("5", "comment", "ana_r", "Ana Ruiz", "My mom passed away on Sunday. Hug your "
            "loved ones.", at="2026-11-23T11:00:00Z"),
        act("6", "comment", "old", "Old Timer", "Are you open on Sunday?",
            at="2026-11-13T11:00:00Z"),
    ]))
    return store


def test_order_reasons_and_folding(loaded):
    with loaded.begin() as conn:
        items = repo.list_items(conn, now=NOW, days=None)
    names = [i.person_name for i in items]
    assert names[0] == "Ana Ruiz"  # hardship from a regular beats a VIP's like
    assert names[1] == "Lenny B"
    assert "Stranger" not in names and "Pat Doe" not in names  # strangers need a moment
    lenny = items[1]
    assert len(lenny.interaction_ids) == 2  # two likes the same day fold into one item
    assert lenny.reasons[0] == ("Lenny B: family friend of Walter Brennan (owner's parent), "
                                "customer since 1998, VIP")
    assert lenny.reasons[1] == "liked your post x2"
    assert "hardship" in items[0].moments and "hardship" in items[0].reasons[1]
    assert names[-1] == "Old Timer"  # ten days old: decayed to the bottom


def test_stale_items_leave_the_default_window(loaded):
    with loaded.begin() as conn:
        recent = repo.list_items(conn, now=NOW, days=7)
        later = repo.list_items(conn, now=NOW + timedelta(days=3), days=None)
    assert "Old Timer" not in [i.person_name for i in recent]
    assert all(a.priority > b.priority for a, b in zip(recent, later))


def test_transitions_emit_events_and_refuse_bad_moves(loaded):
    with loaded.begin() as conn:
        item = repo.list_items(conn, now=NOW)[0]
        flagged = repo.transition(conn, item.id, Action.FLAG, actor="maria",
                                  note="You know her mother", now=NOW)
        assert flagged.status == Status.FLAGGED and flagged.flag_note == "You know her mother"
        repo.transition(conn, item.id, Action.ASSIGN, actor="maria", to="claire", now=NOW)
        replied = repo.transition(conn, item.id, Action.REPLY, actor="claire",
                                  text="So sorry, Ana.", now=NOW)
        assert replied.status == Status.REPLIED
        with pytest.raises(TransitionError, match="cannot snooze an item that is replied"):
            repo.transition(conn, item.id, Action.SNOOZE, actor="x",
                            until=NOW + timedelta(days=1), now=NOW)
        repo.transition(conn, item.id, Action.DONE, actor="claire", now=NOW)
        with pytest.raises(TransitionError):
            repo.transition(conn, item.id, Action.DISMISS, actor="x", now=NOW)
        names = [e["name"] for e in repo.events_of(conn, item.id)]
        assert names == ["item_created", "item_flagged", "item_assigned", "item_replied",
                         "item_done"]
        assert repo.replies_of(conn, item.id)[0]["state"] == "recorded"
        assert item.id not in [i.id for i in repo.list_items(conn, now=NOW)]


def test_snoozed_items_come_back(loaded):
    with loaded.begin() as conn:
        item = repo.list_items(conn, now=NOW)[0]
        repo.transition(conn, item.id, Action.SNOOZE, actor="x", until=NOW + timedelta(hours=2),
                        now=NOW)
        assert item.id not in [i.id for i in repo.list_items(conn, now=NOW)]
        back = repo.list_items(conn, now=NOW + timedelta(hours=3))
        assert item.id in [i.id for i in back]
        with pytest.raises(ValueError, match="future"):
            repo.transition(conn, item.id, Action.SNOOZE, actor="x", until=NOW, now=NOW)


def test_new_interactions_fold_into_an_open_item(loaded, tmp_path):
    import_interactions(loaded, write_jsonl(tmp_path / "b.jsonl", [
        act("7", "comment", "lenny.b", "Lenny", "Are you open Saturday?",
            at="2026-11-23T14:30:00Z")]))
    with loaded.begin() as conn:
        lenny = next(i for i in repo.list_items(conn, now=NOW) if i.person_name == "Lenny B")
        assert len(lenny.interaction_ids) == 3 and lenny.moments == ["question"]


def test_cli_inbox_json_and_actions(loaded, db_url):
    runner = CliRunner()
    out = runner.invoke(app, ["--db", db_url, "inbox", "--json", "--now", NOW.isoformat()])
    assert out.exit_code == 0, out.output
    items = [json.loads(line) for line in out.output.splitlines()]
    assert set(items[0]) >= {"id", "person", "handle", "platform", "interaction_ids", "moments",
                             "priority", "reasons", "suggested_reply", "status"}
    first = items[0]["id"]
    for args in (["flag", str(first), "--note", "look", "--as", "maria"],
                 ["assign", str(first), "--to", "claire"],
                 ["reply", str(first), "--text", "Thinking of you"],
                 ["done", str(first)]):
        result = runner.invoke(app, ["--db", db_url, "inbox", *args])
        assert result.exit_code == 0, result.output
    bad = runner.invoke(app, ["--db", db_url, "inbox", "dismiss", str(first)])
    assert bad.exit_code == 1 and "cannot dismiss an item that is done" in bad.output
    shown = runner.invoke(app, ["--db", db_url, "inbox", "show", str(first)])
    assert "Thinking of you" in shown.output and "item_flagged by maria" in shown.output
    missing = runner.invoke(app, ["--db", db_url, "inbox", "done", "99999"])
    assert missing.exit_code == 1 and "no inbox item with id 99999" in missing.output
    table = runner.invoke(app, ["--db", db_url, "inbox", "--now", NOW.isoformat()])
    assert "Talk to these people today" in table.output


def test_edited_draft_survives_new_activity(loaded, tmp_path):
    with loaded.begin() as conn:
        item = next(i for i in repo.list_items(conn, now=NOW) if i.person_name == "Lenny B")
        repo.edit_draft(conn, item.id, "Lenny! Coffee soon?")
    import_interactions(loaded, write_jsonl(tmp_path / "b.jsonl", [
        act("8", "like", "lenny.b", "Lenny", at="2026-11-23T14:40:00Z")]))
    with loaded.begin() as conn:
        assert repo.get_item(conn, item.id).suggested_reply == "Lenny! Coffee soon?"
        assert conn.execute(select(t.inbox_items.c.draft_edited)
                            .where(t.inbox_items.c.id == item.id)).scalar_one()


def test_filters_by_moment_platform_and_assignee(loaded):
    with loaded.begin() as conn:
        hard = repo.list_items(conn, now=NOW, days=None, moment="hardship")
        assert [i.person_name for i in hard] == ["Ana Ruiz"]
        assert repo.list_items(conn, now=NOW, days=None, platform="facebook") == []
        item = hard[0]
        repo.transition(conn, item.id, Action.ASSIGN, actor="x", to="maria", now=NOW)
        mine = repo.list_items(conn, now=NOW, days=None, assignee="maria")
        assert [i.id for i in mine] == [item.id]
        done = repo.list_items(conn, now=NOW, days=None, statuses=[Status.ASSIGNED])
        assert [i.id for i in done] == [item.id]


def test_a_new_persons_like_is_no_item_but_their_words_are(store, tmp_path):
    import_people(store, write_people(tmp_path / "p.csv", BOOK))
    import_interactions(store, write_jsonl(tmp_path / "a.jsonl", [
        act("1", "like", "samlee", "Sam Lee"),
        act("2", "like", "lenny.b", "Lenny"),
        act("3", "follow", "ana_r", "Ana Ruiz"),
        act("4", "comment", "sam1@example.com", "Sam", "nice one"),
    ]))
    with store.begin() as conn:
        names = sorted(i.person_name for i in repo.list_items(conn, now=NOW, days=None))
    assert names == ["Ana Ruiz", "Lenny B", "Sam Lee"]  # Sam's comment (matched by e-mail)


def test_cli_table_shows_brackets_in_posts_literally(store, tmp_path, db_url):
    import_interactions(store, write_jsonl(tmp_path / "a.jsonl", [
        act("1", "comment", "pat", "Pat [bold]Doe", "My [red]ring[/] broke again, so annoyed")]))
    out = CliRunner().invoke(app, ["--db", db_url, "inbox", "--now", NOW.isoformat()],
                             env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    assert "Pat [bold]Doe" in out.output and "[red]ring[/]" in out.output


def test_the_listening_reason_survives_later_folds(store):
    """A post heard while listening keeps that reason when more activity folds into its item,
    carried in the item's signals (`heard`)."""
    from datetime import UTC, datetime

    from sociable.domain.interactions import Interaction
    from sociable.inbox.prioritize import heard_reason as listening_reason
    from sociable.ingest.batch import ingest_interactions

    def post(id: str, text: str, hour: int) -> Interaction:
        return Interaction(platform="mastodon", external_id=id, kind="mention",
                           author_handle="kim@town.social", author_name="Kim", text=text,
                           created_at=datetime(2026, 11, 23, hour, tzinfo=UTC))

    heard = post("h1", "Anyone know a good place for an engagement ring in Millbrook?", 10)
    ingest_interactions(store, [heard], [b"{}"], listening={("mastodon", "h1"): "Millbrook"})
    reason = listening_reason("Millbrook")
    with store.begin() as conn:
        [item] = repo.list_items(conn, now=NOW, days=None)
    assert reason in item.reasons
    ingest_interactions(store, [post("h2", "We got engaged!! Looking for a ring under $2000", 12)],
                        [b"{}"])
    ingest_interactions(store, [post("h3", "Are you open on Sunday?", 13)], [b"{}"])
    with store.begin() as conn:
        [again] = repo.list_items(conn, now=NOW, days=None)
        signals = conn.execute(select(t.inbox_items.c.signals)
                               .where(t.inbox_items.c.id == again.id)).scalar_one()
    assert again.id == item.id and len(again.interaction_ids) == 3
    assert again.reasons.count(reason) == 1 and again.reasons[-1] == reason
    assert "question" in again.moments  # rebuilt from signals, with the listening reason
    assert signals["heard"] == ["Millbrook"]
