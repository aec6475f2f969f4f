"""Inbox pages: Today, Flagged for owner, one item and its actions, match suggestions."""
from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from sqlalchemy import select

from sociable.domain.inbox import Status, TransitionError
from sociable.store import inbox as inbox_repo
from sociable.store import tables as t
from sociable.store import users
from sociable.web import actions, connections, views
from sociable.web.auth import Member, store_of
from sociable.web.pages.account import go, safe_next
from sociable.web.params import Id, Offset
from sociable.web.render import MOMENTS, STATUSES, page

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form()]

DONE_MESSAGES = {"reply": "Reply recorded; it goes out through the connected account.",
                 "flag": "Flagged for the owner.", "assign": "Assigned.", "snooze": "Snoozed.",
                 "done": "Marked done.", "dismiss": "Dismissed.", "reopen": "Reopened."}


@router.get("/today")
def today(request: Request, me: Member, moment: str = "", platform: str = "", mine: str = "",
          status: str = "", offset: Offset = 0):
    statuses = [Status(status)] if status in STATUSES else None
    with store_of(request).begin() as conn:
        items = inbox_repo.list_items(
            conn, statuses=statuses, moment=moment if moment in MOMENTS else None,
            platform=platform or None, assignee=me.user.username if mine else None,
            limit=30, offset=max(offset, 0))
        cards = views.cards(conn, items)
        platforms = _platforms(conn)
    filters = {"moment": moment, "platform": platform, "mine": mine, "status": status}
    query = "&".join(f"{k}={quote(v)}" for k, v in filters.items() if v)
    return page(request, "today.html", me, cards=cards, filters=filters, platforms=platforms,
                title="Today", offset=offset, here="/today" + (f"?{query}" if query else ""),
                live=not status and not offset)


def _platforms(conn) -> list[str]:
    return list(conn.execute(select(t.handles.c.platform).distinct()
                             .order_by(t.handles.c.platform)).scalars())


@router.get("/flagged")
def flagged(request: Request, me: Member):
    with store_of(request).begin() as conn:
        items = inbox_repo.list_items(conn, statuses=[Status.FLAGGED], days=None, limit=200)
        cards = views.cards(conn, items)
    return page(request, "flagged.html", me, cards=cards, title="Flagged for owner",
                here="/flagged")


@router.get("/items/{item_id}")
def item(request: Request, item_id: Id, me: Member, error: str = "", done: str = "",
         note: str = ""):
    with store_of(request).begin() as conn:
        detail = views.item_detail(conn, item_id)
        team = [u.username for u in users.all_users(conn) if u.active]
    return page(request, "item.html", me, item=detail, team=team, error=error,
                done=DONE_MESSAGES.get(done, "") or note[:300], title=detail["name"])


@router.post("/items/{item_id}/act")
def act(request: Request, item_id: Id, me: Member, action: Text, note: Text = "",
        to: Text = "", until: Text = "", text: Text = "", next: Text = ""):
    with store_of(request).begin() as conn:
        try:
            actions.act(conn, item_id, action, me.user.username, note=note or None,
                        to=to or None, until=until or None, text=text or None)
        except (ValueError, TransitionError) as exc:
            return go(f"/items/{item_id}?error={quote(str(exc))}")
    return go(safe_next(next, f"/items/{item_id}?done={quote(action)}"))


@router.post("/items/{item_id}/replies/{reply_id}/retry")
def retry_reply(request: Request, item_id: Id, reply_id: Id, me: Member):
    """Send a reply that was not sent (or not yet) now; the page says what happened."""
    try:
        result = connections.send_reply_now(store_of(request), connections.vault_of(request),
                                            reply_id)
    except (ValueError, TransitionError) as exc:
        return go(f"/items/{item_id}?error={quote(str(exc))}")
    if result["state"] == "sent":
        return go(f"/items/{item_id}?note=" + quote(f"Sent through {result['account']}."))
    return go(f"/items/{item_id}?error=" + quote(f"Not sent: {result['error']}"))


@router.post("/items/{item_id}/draft")
def save_draft(request: Request, item_id: Id, me: Member, text: Text):
    with store_of(request).begin() as conn:
        actions.save_draft(conn, item_id, text)
    return go(f"/items/{item_id}")


@router.post("/items/{item_id}/wrong-label")
def wrong_label(request: Request, item_id: Id, me: Member, label: Text):
    with store_of(request).begin() as conn:
        try:
            actions.wrong_label(conn, item_id, label)
        except ValueError as exc:
            return go(f"/items/{item_id}?error={quote(str(exc))}")
    return go(f"/items/{item_id}?note=" + quote(f"Thanks: “{label}” recorded as wrong here; "
                                                 "the detector learns from it."))


@router.get("/matches")
def matches(request: Request, me: Member):
    with store_of(request).begin() as conn:
        found = views.match_list(conn)
    return page(request, "matches.html", me, matches=found, title="Who is this?")


@router.post("/matches/{suggestion_id}")
def decide(request: Request, suggestion_id: Id, me: Member, decision: Text, next: Text = ""):
    with store_of(request).begin() as conn:
        actions.decide_match(conn, suggestion_id, decision == "confirm")
    return go(safe_next(next, "/matches"))
