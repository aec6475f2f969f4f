"""What a page or an API answer shows, as plain dicts built from the library's repositories.

The JSON API returns these dicts and the templates render them, so the two never disagree.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime

from sqlalchemy import Connection, and_, or_, select

from sociable.domain.inbox import InboxItem
from sociable.identify import suggestions
from sociable.inbox.prioritize import ago
from sociable.store import inbox as inbox_repo
from sociable.store import people as people_repo
from sociable.store import tables as t


def _interactions(conn: Connection, ids: list[int]) -> dict[int, dict]:
    """Interactions by id, each with its moments and the post it answered (its context)."""
    if not ids:
        return {}
    x = t.interactions
    rows = conn.execute(select(x.c.id, x.c.platform, x.c.external_id, x.c.kind, x.c.text,
                               x.c.created_at, x.c.in_reply_to, x.c.url, x.c.author_name)
                        .where(x.c.id.in_(ids))).all()
    labels: dict[int, list[str]] = defaultdict(list)
    for m in conn.execute(select(t.moments.c.interaction_id, t.moments.c.label)
                          .where(t.moments.c.interaction_id.in_(ids))
                          .order_by(t.moments.c.label)):
        labels[m.interaction_id].append(m.label)
    parents = {(r.platform, r.in_reply_to) for r in rows if r.in_reply_to}
    context: dict[tuple[str, str], str] = {}
    if parents:
        cond = or_(*[and_(x.c.platform == p, x.c.external_id == e) for p, e in parents])
        for r in conn.execute(select(x.c.platform, x.c.external_id, x.c.text, x.c.author_name)
                              .where(cond)):
            context[(r.platform, r.external_id)] = f"{r.author_name}: {r.text}".strip(": ")
    return {r.id: {"id": r.id, "kind": r.kind, "text": r.text, "created_at": r.created_at,
                   "url": r.url, "author_name": r.author_name, "moments": labels[r.id],
                   "in_reply_to": context.get((r.platform, r.in_reply_to)) if r.in_reply_to
                   else None}
            for r in rows}


def cards(conn: Connection, items: list[InboxItem], now: datetime | None = None) -> list[dict]:
    """Inbox items with who the person is and what they wrote, for lists and the live feed."""
    now = now or datetime.now(UTC)
    person_ids = {i.person_id for i in items if i.person_id}
    people = {r.id: r for r in conn.execute(
        select(t.people.c.id, t.people.c.name, t.people.c.tier, t.people.c.story,
               t.people.c.since).where(t.people.c.id.in_(person_ids)))} if person_ids else {}
    extra = {r.id: r for r in conn.execute(
        select(t.inbox_items.c.id, t.inbox_items.c.flagged_by)
        .where(t.inbox_items.c.id.in_([i.id for i in items])))} if items else {}
    texts = _interactions(conn, [x for i in items for x in i.interaction_ids])
    out = []
    for item in items:
        p = people.get(item.person_id)
        posts = sorted((texts[x] for x in item.interaction_ids if x in texts),
                       key=lambda d: d["created_at"])
        out.append({
            "id": item.id, "status": str(item.status), "priority": item.priority,
            "moments": item.moments, "reasons": item.reasons,
            "suggested_reply": item.suggested_reply, "platform": item.platform,
            "handle": item.handle, "name": item.person_name, "person_id": item.person_id,
            "person": {"id": p.id, "name": p.name, "tier": p.tier, "story": p.story,
                       "since": p.since} if p else None,
            "interactions": posts, "last_at": item.last_at,
            "ago": ago(item.last_at, now) if item.last_at else "",
            "assignee": item.assignee, "flag_note": item.flag_note,
            "flagged_by": extra[item.id].flagged_by if item.id in extra else None,
            "snoozed_until": item.snoozed_until,
        })
    return out


def item_detail(conn: Connection, item_id: int) -> dict:
    """One item with its history, replies, and (for an unknown author) who it might be."""
    item = inbox_repo.get_item(conn, item_id)
    card = cards(conn, [item])[0]
    card["events"] = inbox_repo.events_of(conn, item_id)
    card["replies"] = [dict(r, link=reply_link(item.platform, r["platform_id"]))
                       for r in inbox_repo.replies_of(conn, item_id)]
    card |= sending(conn, item_id, item.platform)
    card["match_suggestions"] = [] if item.person_id else [
        {"id": s.id, "person_id": s.person_id, "person_name": s.person_name,
         "score": round(s.score), "rule": s.rule}
        for s in suggestions(conn) if s.handle_id == item.handle_id]
    return card


def reply_link(platform: str, platform_id: str | None) -> str | None:
    """Where a sent reply can be seen, when its platform id says (a URL, a Bluesky post)."""
    if not platform_id:
        return None
    if platform_id.startswith(("https://", "http://")):
        return platform_id
    if platform == "bluesky" and platform_id.startswith("at://"):
        did, _, rest = platform_id[len("at://"):].partition("/")
        return f"https://bsky.app/profile/{did}/post/{rest.rsplit('/', 1)[-1]}"
    return None


def sending(conn: Connection, item_id: int, platform: str, now: datetime | None = None) -> dict:
    """How a reply to this item would go out: through which connected account, or why not.

    `reply_closed`: the platform's reply window has closed (Meta's 24 hours for messages);
    `send_through`: the active account of the platform, None when none is connected.
    """
    from sociable.connectors import base
    from sociable.connectors.send import target_of
    from sociable.store import accounts as accounts_repo

    now = now or datetime.now(UTC)
    account = next((a for a in accounts_repo.list_accounts(conn, platform=platform)
                    if a.status == "active"), None)
    closed = None
    target = target_of(conn, item_id)
    if target is not None:
        try:
            closed = base.get(target.platform).reply_closed(target, now)
        except LookupError:  # a platform without a connector (files only)
            closed = None
    return {"send_through": account.name if account else None, "reply_closed": closed}


def _next_date(day: date | None, today: date) -> tuple[date, int] | None:
    """The next time a birthday or anniversary comes round, and in how many days."""
    if day is None:
        return None
    for year in (today.year, today.year + 1):
        try:
            when = day.replace(year=year)
        except ValueError:  # February 29th in a common year
            when = date(year, 3, 1)
        if when >= today:
            return when, (when - today).days
    return None


def person_card(conn: Connection, person_id: int, today: date | None = None) -> dict:
    person = people_repo.get(conn, person_id)
    if person is None:
        raise LookupError(f"no person with id {person_id}")
    today = today or datetime.now(UTC).date()
    handles = people_repo.handles_of(conn, person_id)
    handle_ids = [h.id for h in handles]
    ids = conn.execute(select(t.interactions.c.id).where(t.interactions.c.handle_id.in_(
        handle_ids)).order_by(t.interactions.c.created_at.desc()).limit(50)).scalars().all() \
        if handle_ids else []
    texts = _interactions(conn, list(ids))
    item_of = dict(conn.execute(select(t.inbox_item_interactions.c.interaction_id,
                                       t.inbox_item_interactions.c.item_id)
                                .where(t.inbox_item_interactions.c.interaction_id.in_(ids)))
                   .all()) if ids else {}
    history = [dict(texts[i], item_id=item_of.get(i)) for i in ids if i in texts]
    replies = [{"id": r.id, "item_id": r.item_id, "text": r.text, "author": r.author,
                "at": r.created_at, "state": r.state}
               for r in conn.execute(select(t.replies).join(
                   t.inbox_items, t.inbox_items.c.id == t.replies.c.item_id)
                   .where(t.inbox_items.c.person_id == person_id)
                   .order_by(t.replies.c.id.desc()).limit(50))]
    upcoming = []
    for label, day in (("birthday", person.birthday), ("anniversary", person.anniversary)):
        nxt = _next_date(day, today)
        if nxt:
            upcoming.append({"what": label, "date": nxt[0], "in_days": nxt[1]})
    upcoming.sort(key=lambda u: u["in_days"])
    items = conn.execute(select(t.inbox_items.c.id, t.inbox_items.c.status, t.inbox_items.c.day,
                                t.inbox_items.c.moments)
                         .where(t.inbox_items.c.person_id == person_id)
                         .order_by(t.inbox_items.c.last_at.desc()).limit(20)).all()
    return {
        "id": person.id, "name": person.name, "email": person.email, "phone": person.phone,
        "tier": str(person.tier), "since": person.since, "story": person.story,
        "notes": person.notes, "tags": person.tags, "birthday": person.birthday,
        "anniversary": person.anniversary,
        "links": [{"relation": rel, "person_id": other, "name": name}
                  for rel, other, name in people_repo.links_of(conn, person_id)],
        "handles": [{"id": h.id, "platform": h.platform, "handle": h.handle,
                     "display_name": h.display_name, "rule": h.rule} for h in handles],
        "interactions": history, "replies": replies, "upcoming": upcoming,
        "items": [{"id": r.id, "status": r.status, "day": r.day, "moments": list(r.moments)}
                  for r in items],
    }


def person_row(p) -> dict:
    return {"id": p.id, "name": p.name, "email": p.email, "phone": p.phone, "tier": str(p.tier),
            "since": p.since, "story": p.story, "tags": p.tags}


def match_list(conn: Connection) -> list[dict]:
    return [{"id": s.id, "handle_id": s.handle_id, "platform": s.platform, "handle": s.handle,
             "display_name": s.display_name, "person_id": s.person_id,
             "person_name": s.person_name, "score": round(s.score), "rule": s.rule}
            for s in suggestions(conn)]
