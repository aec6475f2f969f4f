"""Live updates: new and changed inbox items pushed to open Today pages as server-sent events.

The stream polls the database (works the same on SQLite and PostgreSQL, and with several web
processes) for two things:

- items newer than the last one the page has seen (by id): an `item` event with the new card;
- items the page may already show that changed since (by `updated_at`, e.g. new activity folded
  into them, or someone else assigned or closed them): an `item` event with `"updated": true`
  and the fresh card, or `"removed": true` when the item left the page's filters (done,
  dismissed, snoozed, assigned to someone else on "mine").

A stream ends after a few minutes; the browser's EventSource reconnects by itself and resumes
from Last-Event-ID, which carries both cursors (`ID.MICROSECONDS.ID`).
"""
from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import func, or_, select
from starlette.concurrency import run_in_threadpool

from sociable.domain.inbox import OPEN, InboxItem
from sociable.store import inbox as inbox_repo
from sociable.store import tables as t
from sociable.web import views
from sociable.web.auth import Member, Principal, store_of
from sociable.web.params import MAX_INT
from sociable.web.render import templates

router = APIRouter(include_in_schema=False)
STREAM_SECONDS = 300
BATCH = 50
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class Cursor:
    """Where a page is: the newest item id it has, and the last change (time, id) it has seen."""

    last_id: int
    since: datetime
    since_id: int = 0

    def encode(self) -> str:
        micros = (self.since - EPOCH) // _MICROSECOND
        return f"{self.last_id}.{micros}.{self.since_id}"

    @classmethod
    def decode(cls, value: str) -> Cursor | None:
        parts = value.split(".")
        if len(parts) != 3 or not all(p.isdigit() and len(p) < 19 for p in parts):
            return None
        last_id, micros, since_id = (int(p) for p in parts)
        try:
            since = EPOCH + micros * _MICROSECOND
        except OverflowError:
            return None
        return cls(last_id, since, since_id)


_MICROSECOND = datetime(1970, 1, 1, 0, 0, 0, 1, tzinfo=UTC) - EPOCH


def latest_id(store) -> int:
    with store.begin() as conn:
        return conn.execute(select(func.max(t.inbox_items.c.id))).scalar() or 0


def start(store) -> Cursor:
    """The cursor of a page that has just loaded: everything so far is on it."""
    x = t.inbox_items
    with store.begin() as conn:
        last = conn.execute(select(func.max(x.c.id))).scalar() or 0
        newest = conn.execute(select(x.c.updated_at, x.c.id)
                              .order_by(x.c.updated_at.desc(), x.c.id.desc()).limit(1)).first()
    return Cursor(last, newest.updated_at, newest.id) if newest else Cursor(last, EPOCH, 0)


def _wanted(item: InboxItem, me: Principal, moment: str, platform: str, mine: bool) -> bool:
    return (item.status in OPEN
            and (not moment or moment in item.moments)
            and (not platform or item.platform == platform)
            and (not mine or item.assignee == me.user.username))


def _render(conn, items: list[InboxItem], me: Principal, here: str, **flags) -> list[dict]:
    card_template = templates.get_template("_card.html")
    return [{"id": c["id"], "priority": c["priority"], **flags,
             "html": card_template.render(card=c, csrf=me.csrf or "", here=here)}
            for c in views.cards(conn, items)]


def newer(store, after: int, me: Principal, moment: str, platform: str, mine: bool,
          here: str) -> tuple[int, list[dict]]:
    """Cards for open items with ids above `after` that match the page's filters."""
    with store.begin() as conn:
        ids = conn.execute(select(t.inbox_items.c.id).where(t.inbox_items.c.id > after)
                           .order_by(t.inbox_items.c.id).limit(BATCH)).scalars().all()
        if not ids:
            return after, []
        items = [inbox_repo.get_item(conn, i) for i in ids]
        wanted = [i for i in items if _wanted(i, me, moment, platform, mine)]
        return ids[-1], _render(conn, wanted, me, here)


def changed(store, cursor: Cursor, me: Principal, moment: str, platform: str, mine: bool,
            here: str) -> tuple[Cursor, list[dict]]:
    """Events for items up to `cursor.last_id` changed since the cursor (in (updated_at, id)
    order): the fresh card for those still matching the page, `removed` for the others.

    Items above `last_id` are left to `newer`, which sends them as new.
    """
    x = t.inbox_items
    with store.begin() as conn:
        rows = conn.execute(
            select(x.c.id, x.c.updated_at)
            # The range alone, so the updated_at index bounds the read; then the tie-break.
            .where(x.c.updated_at >= cursor.since,
                   or_(x.c.updated_at > cursor.since, x.c.id > cursor.since_id))
            .order_by(x.c.updated_at, x.c.id).limit(BATCH)).all()
        if not rows:
            return cursor, []
        moved = Cursor(cursor.last_id, rows[-1].updated_at, rows[-1].id)
        items = [inbox_repo.get_item(conn, r.id) for r in rows if r.id <= cursor.last_id]
        keep = [i for i in items if _wanted(i, me, moment, platform, mine)]
        events = _render(conn, keep, me, here, updated=True)
        kept = {i.id for i in keep}
        events += [{"id": i.id, "removed": True} for i in items if i.id not in kept]
        return moved, events


def resume(value: str, after: int, store) -> Cursor:
    """The cursor from Last-Event-ID (or the page's `after`), else from now."""
    cursor = Cursor.decode(value)
    if cursor is not None:
        return cursor
    if value.isdigit() and len(value) < 19:  # an id sent before changes were followed
        after = int(value)
    fresh = start(store)
    if 0 < after <= MAX_INT:
        fresh.last_id = after
    return fresh


def poll(store, cursor: Cursor, me: Principal, moment: str, platform: str, mine: bool,
         here: str) -> tuple[Cursor, list[dict]]:
    """One look at the database: changes to items the page may show, then new items."""
    cursor, events = changed(store, cursor, me, moment, platform, mine, here)
    last, fresh = newer(store, cursor.last_id, me, moment, platform, mine, here)
    cursor.last_id = last
    return cursor, events + fresh


@router.get("/live")
async def live(request: Request, me: Member, after: int = 0, moment: str = "",
               platform: str = "", mine: str = ""):
    """text/event-stream of `item` events: {id, priority, html} for a new card, with
    `updated: true` for a changed one, or {id, removed: true} for one that left the page."""
    store = store_of(request)
    interval = request.app.state.live_poll
    cursor = await run_in_threadpool(resume, request.headers.get("last-event-id", ""), after,
                                     store)
    here = request.headers.get("referer", "/today")
    here = "/today" + ("?" + here.split("?", 1)[1] if "?" in here else "")

    async def stream():
        nonlocal cursor
        yield f"retry: 2000\nid: {cursor.encode()}\n\n"
        deadline = time.monotonic() + STREAM_SECONDS
        quiet = 0
        while time.monotonic() < deadline:
            cursor, events = await run_in_threadpool(poll, store, cursor, me, moment, platform,
                                                     bool(mine), here)
            for event in events:
                yield f"id: {cursor.encode()}\nevent: item\ndata: {json.dumps(event)}\n\n"
            quiet = 0 if events else quiet + 1
            if quiet * interval >= 15:  # a comment now and then keeps proxies from closing us
                quiet = 0
                yield f"id: {cursor.encode()}\n: still here\n\n"
            await asyncio.sleep(interval)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
