"""Re-score open items after the book changed (a handle was linked, a person updated)."""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, delete, select, update

from sociable.inbox import prioritize as pr
from sociable.store import inbox as inbox_repo
from sociable.store import people as people_repo
from sociable.store import settings as settings_repo
from sociable.store import tables as t

OPEN = ("new", "flagged", "assigned", "snoozed")


def refresh_handles(conn: Connection, handle_ids: list[int]) -> int:
    """Bring open items of these handles up to date with who the handle now belongs to.

    An item that now belongs to a person who already has an item that day is merged into it.
    Returns how many items changed.
    """
    if not handle_ids:
        return 0
    items = conn.execute(select(t.inbox_items, t.handles.c.person_id.label("now_person"),
                                t.handles.c.display_name, t.handles.c.handle)
                         .join(t.handles, t.handles.c.id == t.inbox_items.c.handle_id)
                         .where(t.inbox_items.c.handle_id.in_(handle_ids),
                                t.inbox_items.c.status.in_(OPEN))).all()
    if not items:
        return 0
    facts = settings_repo.facts(conn)
    whos = people_repo.load_who(conn, facts.owner_name or None,
                                {r.now_person for r in items if r.now_person})
    now = datetime.now(UTC)
    maybe = inbox_repo.maybe_names(conn, [r.handle_id for r in items if not r.now_person])
    for row in items:
        key = f"p{row.now_person}" if row.now_person else f"h{row.handle_id}"
        who = whos.get(row.now_person) or pr.Who(name=row.display_name or row.handle,
                                                 maybe=maybe.get(row.handle_id))
        signals = row.signals
        target = conn.execute(select(t.inbox_items).where(
            t.inbox_items.c.fold_key == key, t.inbox_items.c.day == row.day,
            t.inbox_items.c.id != row.id)).first()
        last_at = row.last_at
        item_id = row.id
        if target is not None:
            # Fold this item into the person's item of the same day.
            merged = {"kinds": dict(target.signals["kinds"]),
                      "moments": dict(target.signals["moments"]),
                      "heard": list(dict.fromkeys(target.signals.get("heard", [])
                                                  + signals.get("heard", [])))}
            for kind, n in signals["kinds"].items():
                merged["kinds"][kind] = merged["kinds"].get(kind, 0) + n
            for label, m in signals["moments"].items():
                if label not in merged["moments"] or merged["moments"][label]["score"] < m["score"]:
                    merged["moments"][label] = m
            signals, last_at, item_id = merged, max(last_at, target.last_at), target.id
            conn.execute(update(t.inbox_item_interactions)
                         .where(t.inbox_item_interactions.c.item_id == row.id)
                         .values(item_id=target.id))
            conn.execute(update(t.events).where(t.events.c.item_id == row.id)
                         .values(item_id=target.id))
            conn.execute(delete(t.inbox_items).where(t.inbox_items.c.id == row.id))
        built = inbox_repo._build(who, signals, facts, last_at.date(), key + row.day)
        values = dict(fold_key=key, person_id=row.now_person, score=built["score"],
                      rank=pr.rank(built["score"], last_at), last_at=last_at,
                      reasons=built["reasons"], moments=built["moments"], signals=signals,
                      updated_at=now)
        if not row.draft_edited:
            values["suggested_reply"] = built["draft"]
        if target is not None:
            values.pop("fold_key")
        conn.execute(update(t.inbox_items).where(t.inbox_items.c.id == item_id).values(**values))
    return len(items)
