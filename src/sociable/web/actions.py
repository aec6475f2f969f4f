"""What the web can change, each a call into the library; shared by the API and the pages.

Every function takes an open connection and raises LookupError (404), ValueError or
TransitionError (409/400) with a message fit to show a person.
"""
from __future__ import annotations

import tempfile
from datetime import UTC, datetime, tzinfo
from enum import StrEnum
from pathlib import Path

from sqlalchemy import Connection, select

from sociable.domain.inbox import Action, InboxItem
from sociable.domain.people import Person, Tier
from sociable.identify import decide
from sociable.inbox.refresh import refresh_handles
from sociable.ingest.errors import ImportFailed
from sociable.ingest.people import read as read_people
from sociable.store import inbox as inbox_repo
from sociable.store import people as people_repo
from sociable.store import settings as settings_repo
from sociable.store import tables as t

ITEM_ACTIONS = {a.value: a for a in Action if a is not Action.WAKE}
ItemActionName = StrEnum("ItemActionName", {a.upper(): a for a in ITEM_ACTIONS})


def parse_when(value: str, tz: tzinfo = UTC) -> datetime:
    """An ISO date or time from a form, in UTC; values without an offset are local to `tz`.

    A form's `datetime-local` field sends the wall-clock time the person picked, so it is read
    in the store's time zone (setting `timezone`), not the server's or UTC.
    """
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{value!r} is not a date or time such as 2026-12-01T09:00") from None
    try:
        return (when if when.tzinfo else when.replace(tzinfo=tz)).astimezone(UTC)
    except OverflowError:  # e.g. 9999-12-31T23:59 in a zone east of UTC
        raise ValueError(f"{value!r} is out of range") from None


def act(conn: Connection, item_id: int, action: str, actor: str, *, note: str | None = None,
        to: str | None = None, until: str | None = None, text: str | None = None) -> InboxItem:
    if action not in ITEM_ACTIONS:
        raise ValueError(f"unknown action {action!r}; actions are {', '.join(ITEM_ACTIONS)}")
    when = parse_when(until, settings_repo.timezone(conn)) if until else None
    return inbox_repo.transition(conn, item_id, ITEM_ACTIONS[action], actor=actor, note=note,
                                 to=to, until=when, text=text)


def save_draft(conn: Connection, item_id: int, text: str) -> None:
    inbox_repo.get_item(conn, item_id)  # 404 for an unknown item
    inbox_repo.edit_draft(conn, item_id, text)


def wrong_label(conn: Connection, item_id: int, label: str) -> int:
    """Record "this label is wrong" for every interaction of the item that carries it.

    The corrections feed the detector on its next run. Returns how many were recorded.
    """
    item = inbox_repo.get_item(conn, item_id)
    rows = conn.execute(select(t.interactions.c.id, t.interactions.c.text)
                        .join(t.moments, t.moments.c.interaction_id == t.interactions.c.id)
                        .where(t.interactions.c.id.in_(item.interaction_ids),
                               t.moments.c.label == label)).all()
    if not rows:
        raise ValueError(f"no interaction of item {item_id} is labelled {label!r}")
    now = datetime.now(UTC)
    conn.execute(t.corrections.insert(), [
        {"interaction_id": r.id, "text": r.text, "label": label, "present": False,
         "created_at": now} for r in rows])
    return len(rows)


# --- people -------------------------------------------------------------------------------

EDITABLE = ("name", "email", "phone", "tier", "since", "story", "notes", "tags", "birthday",
            "anniversary")


def edit_person(conn: Connection, person_id: int, fields: dict) -> None:
    """Update the given fields of a person (empty values leave what is known alone)."""
    person = people_repo.get(conn, person_id)
    if person is None:
        raise LookupError(f"no person with id {person_id}")
    changed = {k: v for k, v in fields.items() if k in EDITABLE and v is not None}
    for key, value in changed.items():
        if key == "tier":
            try:
                value = Tier(str(value).lower())
            except ValueError:
                raise ValueError(f"tier {value!r} is not one of vip, regular, new") from None
        elif key in ("since", "birthday", "anniversary"):
            value = people_repo.parse_date(str(value), year_ok=key == "since") if value else None
        elif key == "tags" and isinstance(value, str):
            value = [x.strip() for x in value.replace(";", ",").split(",") if x.strip()]
        elif key == "email" and value and "@" not in str(value):
            raise ValueError(f"{value!r} is not an e-mail address")
        elif key == "name" and not str(value).strip():
            raise ValueError("a person needs a name")
        setattr(person, key, value)
    people_repo.save(conn, person, columns=set(changed))
    refresh_handles(conn, [h.id for h in people_repo.handles_of(conn, person_id)])


def add_link(conn: Connection, person_id: int, relation: str, other: str) -> None:
    if people_repo.get(conn, person_id) is None:
        raise LookupError(f"no person with id {person_id}")
    relation = relation.strip().lower().replace(" ", "_")
    if not relation:
        raise ValueError("say how they are related, e.g. sister or family_friend")
    people_repo.link(conn, person_id, people_repo.resolve(conn, other.strip()).id, relation)


def decide_match(conn: Connection, suggestion_id: int, confirm: bool) -> None:
    chosen = decide(conn, suggestion_id, confirm)
    if confirm:
        refresh_handles(conn, [chosen.handle_id])


# --- importing the book --------------------------------------------------------------------

MAX_UPLOAD = 5_000_000


def with_upload(content: bytes, fn):
    """Run `fn(path)` on the uploaded CSV saved to a temporary file."""
    if len(content) > MAX_UPLOAD:
        raise ValueError("the file is larger than 5 MB; import it with `sociable import people`")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "people.csv"
        path.write_bytes(content)
        return fn(path)


def preview_people(conn: Connection, path: Path) -> dict:
    """What importing this CSV would do, row by row, without writing anything."""
    try:
        rows, errors = read_people(path)
    except ImportFailed as exc:
        return {"rows": [], "errors": [_error(e) for e in exc.errors], "creates": 0,
                "updates": 0}
    planned = []
    for row in rows:
        existing = people_repo.find_key(conn, row.person)
        planned.append({
            "line": row.line, "name": row.person.name, "email": row.person.email,
            "tier": str(row.person.tier), "action": "update" if existing else "create",
            "person_id": existing, "handles": [str(h) for h in row.person.handles],
            "related": [f"{r.relation}: {r.name}" for r in row.person.related],
        })
    return {"rows": planned, "errors": [_error(e) for e in errors],
            "creates": sum(r["action"] == "create" for r in planned),
            "updates": sum(r["action"] == "update" for r in planned)}


def _error(e) -> dict:
    return {"line": e.line, "field": e.field, "reason": e.reason}


def import_report(report) -> dict:
    return {"created": report.created, "updated": report.updated, "links": report.links,
            "handles": report.handles, "placeholders": report.placeholders,
            "matched_handles": report.matched_handles,
            "skipped": [_error(e) for e in report.skipped]}


def new_person(conn: Connection, name: str) -> int:
    if not name.strip():
        raise ValueError("a person needs a name")
    person_id, _ = people_repo.save(conn, Person(name=name.strip()))
    return person_id
