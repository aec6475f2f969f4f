"""Inbox items in the database: folding new interactions in, listing, and the workflow."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, and_, bindparam, func, or_, select, update

from sociable.domain.inbox import Action, InboxItem, Status, next_status
from sociable.inbox import prioritize as pr
from sociable.inbox.drafts import Facts, draft
from sociable.store import tables as t


@dataclass
class Candidate:
    """A newly stored interaction, ready to fold into an inbox item."""

    interaction_id: int
    handle_id: int
    person_id: int | None
    platform: str
    handle: str
    author_name: str
    kind: str
    created_at: datetime
    text: str
    moments: dict[str, tuple[float, str]]  # label -> (score, evidence)
    heard: str | None = None  # the listening keyword that found it, when not addressed to us


def _fold_key(c: Candidate) -> str:
    return f"p{c.person_id}" if c.person_id is not None else f"h{c.handle_id}"


def _merge(signals: dict, c: Candidate) -> dict:
    kinds = dict(signals.get("kinds", {}))
    kinds[c.kind] = kinds.get(c.kind, 0) + 1
    moments = dict(signals.get("moments", {}))
    for label, (score, evidence) in c.moments.items():
        if label not in moments or moments[label]["score"] < score:
            moments[label] = {"score": score, "evidence": evidence, "text": c.text[:500]}
    heard = list(signals.get("heard", []))
    if c.heard and c.heard not in heard:
        heard.append(c.heard)
    return {**signals, "kinds": kinds, "moments": moments, "heard": heard}


def _build(who: pr.Who, signals: dict, facts: Facts, today, key: str) -> dict:
    moments = {m: v["score"] for m, v in signals["moments"].items()}
    value = pr.score(who, moments, signals["kinds"], today)
    reasons = [pr.who_reason(who, today)] + pr.what_reasons(
        {m: (v["score"], v["evidence"], v.get("text", "")) for m, v in signals["moments"].items()},
        signals["kinds"]) + [pr.heard_reason(k) for k in signals.get("heard", [])]
    reply = draft(who, {m: v["text"] for m, v in signals["moments"].items()}, signals["kinds"],
                  facts, key=key)
    return {"score": value, "reasons": reasons, "moments": sorted(moments), "draft": reply}


def fold(conn: Connection, candidates: list[Candidate], whos: dict[int, pr.Who], facts: Facts,
         tz: ZoneInfo) -> int:
    """Fold interactions into items: one item per person (or unknown handle) per local day.

    Returns how many items were created.
    """
    groups: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
    for c in candidates:
        who = whos.get(c.person_id) if c.person_id is not None else None
        if who is None:
            who = pr.Who(name=c.author_name or c.handle)
        if pr.worth_an_item(who, c.moments, c.kind) or c.heard:
            groups[(_fold_key(c), c.created_at.astimezone(tz).date().isoformat())].append(c)
    if not groups:
        return 0
    keys = {k for k, _ in groups}
    days = {d for _, d in groups}
    existing = {
        (r.fold_key, r.day): r
        for r in conn.execute(select(t.inbox_items).where(
            t.inbox_items.c.fold_key.in_(keys), t.inbox_items.c.day.in_(days)))
    }
    now = datetime.now(UTC)
    maybe = maybe_names(conn, [cs[0].handle_id for cs in groups.values()
                               if cs[0].person_id is None])
    created = 0
    links = []
    new_rows = []
    updates: list[dict] = []
    for (key, day), cs in groups.items():
        first = cs[0]
        who = whos.get(first.person_id) if first.person_id is not None else None
        who = who or pr.Who(name=first.author_name or first.handle,
                            maybe=maybe.get(first.handle_id))
        old = existing.get((key, day))
        signals = dict(old.signals) if old is not None else {"kinds": {}, "moments": {}}
        for c in cs:
            signals = _merge(signals, c)
        last_at = max([c.created_at for c in cs] + ([old.last_at] if old is not None else []))
        built = _build(who, signals, facts, last_at.date(), key + day)
        values = dict(score=built["score"], rank=pr.rank(built["score"], last_at),
                      last_at=last_at, reasons=built["reasons"], moments=built["moments"],
                      signals=signals, updated_at=now)
        if old is None:
            new_rows.append(dict(values, fold_key=key, day=day, person_id=first.person_id,
                                 handle_id=first.handle_id, status="new", created_at=now,
                                 suggested_reply=built["draft"], draft_edited=False))
        else:
            values["suggested_reply"] = (old.suggested_reply if old.draft_edited
                                         else built["draft"])
            updates.append(dict(values, item_id=old.id))
            links += [(old.id, c.interaction_id) for c in cs]
    if updates:
        # One executemany for every item touched, not a statement per item.
        conn.execute(update(t.inbox_items).where(t.inbox_items.c.id == bindparam("item_id"))
                     .values({k: bindparam(k) for k in updates[0] if k != "item_id"}), updates)
    if new_rows:
        ids = conn.execute(
            # Rows come back keyed by (fold_key, day), so their order does not matter; asking
            # SQLite for parameter order would make SQLAlchemy insert one row at a time.
            t.inbox_items.insert().returning(t.inbox_items.c.id, t.inbox_items.c.fold_key,
                                             t.inbox_items.c.day),
            new_rows,
        ).all()
        created = len(ids)
        events = []
        for row in ids:
            links += [(row.id, c.interaction_id) for c in groups[(row.fold_key, row.day)]]
            events.append({"name": "item_created", "at": now, "item_id": row.id,
                           "person_id": groups[(row.fold_key, row.day)][0].person_id,
                           "actor": None, "data": {}})
        conn.execute(t.events.insert(), events)
    if links:
        conn.execute(t.inbox_item_interactions.insert(),
                     [{"item_id": i, "interaction_id": x} for i, x in links])
    return created


def maybe_names(conn: Connection, handle_ids: list[int]) -> dict[int, str]:
    """For unmatched handles, the name of the best pending match suggestion."""
    if not handle_ids:
        return {}
    rows = conn.execute(
        select(t.match_suggestions.c.handle_id, t.people.c.name)
        .join(t.people, t.people.c.id == t.match_suggestions.c.person_id)
        .where(t.match_suggestions.c.handle_id.in_(handle_ids),
               t.match_suggestions.c.status == "pending")
        .order_by(t.match_suggestions.c.score)).all()
    return {r.handle_id: r.name for r in rows}  # the highest score is written last


_ITEM_COLUMNS = (t.inbox_items, t.handles.c.platform, t.handles.c.handle,
                 t.handles.c.display_name, t.people.c.name.label("person_name"))


def _item(row, interaction_ids: list[int], now: datetime) -> InboxItem:
    return InboxItem(
        id=row.id, person_id=row.person_id, handle_id=row.handle_id, platform=row.platform,
        handle=row.handle, person_name=row.person_name or row.display_name or row.handle,
        day=row.day, priority=pr.priority_now(row.rank, now), reasons=list(row.reasons),
        moments=list(row.moments), suggested_reply=row.suggested_reply,
        status=Status(row.status), interaction_ids=interaction_ids, assignee=row.assignee,
        flag_note=row.flag_note, snoozed_until=row.snoozed_until, last_at=row.last_at,
    )


def _select():
    return (select(*_ITEM_COLUMNS)
            .join(t.handles, t.handles.c.id == t.inbox_items.c.handle_id)
            .outerjoin(t.people, t.people.c.id == t.inbox_items.c.person_id))


def _interaction_ids(conn: Connection, item_ids: list[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = defaultdict(list)
    if item_ids:
        for r in conn.execute(select(t.inbox_item_interactions)
                              .where(t.inbox_item_interactions.c.item_id.in_(item_ids))
                              .order_by(t.inbox_item_interactions.c.interaction_id)):
            found[r.item_id].append(r.interaction_id)
    return found


def list_items(conn: Connection, *, now: datetime | None = None, statuses=None,
               days: int | None = 14, moment: str | None = None, platform: str | None = None,
               assignee: str | None = None, limit: int = 20, offset: int = 0) -> list[InboxItem]:
    """Open items, highest decayed priority first. Snoozed items return when their time comes."""
    now = now or datetime.now(UTC)
    stmt = _select()
    if statuses is None:
        open_now = [Status.NEW, Status.FLAGGED, Status.ASSIGNED]
        stmt = stmt.where(or_(t.inbox_items.c.status.in_(open_now),
                              and_(t.inbox_items.c.status == Status.SNOOZED,
                                   t.inbox_items.c.snoozed_until <= now)))
    else:
        stmt = stmt.where(t.inbox_items.c.status.in_([str(s) for s in statuses]))
    if days is not None:
        stmt = stmt.where(t.inbox_items.c.last_at >= now - timedelta(days=days))
    stmt = stmt.where(t.inbox_items.c.last_at <= now)
    if platform:
        stmt = stmt.where(t.handles.c.platform == platform)
    if assignee:
        stmt = stmt.where(t.inbox_items.c.assignee == assignee)
    if moment:
        # JSON list membership, portably: the serialized list contains the quoted label.
        stmt = stmt.where(func.cast(t.inbox_items.c.moments, t.Text).like(f'%"{moment}"%'))
    stmt = stmt.order_by(t.inbox_items.c.rank.desc(), t.inbox_items.c.id).limit(limit).offset(offset)
    rows = conn.execute(stmt).all()
    ids = _interaction_ids(conn, [r.id for r in rows])
    return [_item(r, ids[r.id], now) for r in rows]


def get_item(conn: Connection, item_id: int, now: datetime | None = None) -> InboxItem:
    row = conn.execute(_select().where(t.inbox_items.c.id == item_id)).first()
    if row is None:
        raise LookupError(f"no inbox item with id {item_id}")
    return _item(row, _interaction_ids(conn, [item_id])[item_id], now or datetime.now(UTC))


def count_items(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(t.inbox_items)).scalar_one()


def transition(conn: Connection, item_id: int, action: Action, *, actor: str,
               note: str | None = None, to: str | None = None, until: datetime | None = None,
               text: str | None = None, now: datetime | None = None) -> InboxItem:
    """The one way an item's status changes: checks the move, records it, emits its event."""
    now = now or datetime.now(UTC)
    row = conn.execute(select(t.inbox_items.c.status, t.inbox_items.c.person_id)
                       .where(t.inbox_items.c.id == item_id)).first()
    if row is None:
        raise LookupError(f"no inbox item with id {item_id}")
    target, event = next_status(Status(row.status), action)
    values: dict = {"status": target, "updated_at": now}
    data: dict = {"from": row.status, "to": str(target)}
    if action == Action.FLAG:
        values |= {"flag_note": note or "", "flagged_by": actor}
        data["note"] = note or ""
    elif action == Action.ASSIGN:
        if not to:
            raise ValueError("assign needs someone to assign to")
        values["assignee"] = to
        data["to"] = to
    elif action == Action.SNOOZE:
        if until is None or until <= now:
            raise ValueError("snooze needs a time in the future")
        values["snoozed_until"] = until
        data["until"] = until.isoformat()
    elif action == Action.REPLY:
        if not text or not text.strip():
            raise ValueError("a reply needs text")
        reply_id = conn.execute(t.replies.insert().values(
            item_id=item_id, text=text.strip(), author=actor, created_at=now, state="recorded",
        )).inserted_primary_key[0]
        data["reply_id"] = reply_id
    conn.execute(update(t.inbox_items).where(t.inbox_items.c.id == item_id).values(**values))
    conn.execute(t.events.insert().values(name=event, at=now, actor=actor, item_id=item_id,
                                          person_id=row.person_id, data=data))
    return get_item(conn, item_id, now)


def edit_draft(conn: Connection, item_id: int, text: str) -> None:
    conn.execute(update(t.inbox_items).where(t.inbox_items.c.id == item_id)
                 .values(suggested_reply=text, draft_edited=True, updated_at=datetime.now(UTC)))


def events_of(conn: Connection, item_id: int) -> list[dict]:
    rows = conn.execute(select(t.events).where(t.events.c.item_id == item_id)
                        .order_by(t.events.c.at, t.events.c.id))
    return [{"name": r.name, "at": r.at, "actor": r.actor, "data": r.data} for r in rows]


def replies_of(conn: Connection, item_id: int) -> list[dict]:
    """Our replies on an item: `state` recorded (not sent yet), sent (`platform_id`) or
    failed (`error`, the reason it was not sent)."""
    rows = conn.execute(select(t.replies).where(t.replies.c.item_id == item_id)
                        .order_by(t.replies.c.id))
    return [{"id": r.id, "text": r.text, "author": r.author, "at": r.created_at,
             "state": r.state, "platform_id": r.platform_id, "error": r.error} for r in rows]
