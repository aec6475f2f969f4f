"""Live updates: new inbox items pushed to open Today pages as server-sent events.

The stream polls the database for items newer than the last one the page has seen (works the
same on SQLite and PostgreSQL, and with several web processes). A stream ends after a few
minutes; the browser's EventSource reconnects by itself and resumes from Last-Event-ID.
"""
from __future__ import annotations

import asyncio
import json
import time

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool

from sociable.domain.inbox import OPEN
from sociable.store import inbox as inbox_repo
from sociable.store import tables as t
from sociable.web import views
from sociable.web.auth import Member, Principal, store_of
from sociable.web.render import templates

router = APIRouter(include_in_schema=False)
STREAM_SECONDS = 300


def latest_id(store) -> int:
    with store.begin() as conn:
        return conn.execute(select(func.max(t.inbox_items.c.id))).scalar() or 0


def newer(store, after: int, me: Principal, moment: str, platform: str, mine: bool,
          here: str) -> tuple[int, list[dict]]:
    """Cards for open items with ids above `after` that match the page's filters."""
    with store.begin() as conn:
        ids = conn.execute(select(t.inbox_items.c.id).where(t.inbox_items.c.id > after)
                           .order_by(t.inbox_items.c.id).limit(50)).scalars().all()
        if not ids:
            return after, []
        items = [inbox_repo.get_item(conn, i) for i in ids]
        wanted = [i for i in items if i.status in OPEN
                  and (not moment or moment in i.moments)
                  and (not platform or i.platform == platform)
                  and (not mine or i.assignee == me.user.username)]
        cards = views.cards(conn, wanted)
    card_template = templates.get_template("_card.html")
    events = [{"id": c["id"], "priority": c["priority"],
               "html": card_template.render(card=c, csrf=me.csrf or "", here=here)}
              for c in cards]
    return ids[-1], events


@router.get("/live")
async def live(request: Request, me: Member, after: int = 0, moment: str = "",
               platform: str = "", mine: str = ""):
    """text/event-stream of `item` events, each {id, priority, html} for a new card."""
    store = store_of(request)
    poll = request.app.state.live_poll
    resume = request.headers.get("last-event-id", "")
    last = int(resume) if resume.isdigit() else after
    if last <= 0:
        last = await run_in_threadpool(latest_id, store)
    here = request.headers.get("referer", "/today")
    here = "/today" + ("?" + here.split("?", 1)[1] if "?" in here else "")

    async def stream():
        nonlocal last
        yield f"retry: 2000\nid: {last}\n\n"
        deadline = time.monotonic() + STREAM_SECONDS
        quiet = 0
        while time.monotonic() < deadline:
            last, events = await run_in_threadpool(newer, store, last, me, moment, platform,
                                                   bool(mine), here)
            for event in events:
                yield f"id: {event['id']}\nevent: item\ndata: {json.dumps(event)}\n\n"
            quiet = 0 if events else quiet + 1
            if quiet * poll >= 15:  # a comment now and then keeps proxies from closing us
                quiet = 0
                yield f"id: {last}\n: still here\n\n"
            await asyncio.sleep(poll)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
