"""Attribution, and the people and orders behind every figure.

A sale (or sign-up) is *from socially engaged customers* when its customer is matched to a
person in the book (by e-mail, phone or name, with the identify rules) and that person
interacted with the store in the N days before it (N = the `attribution_days` setting).

    rows = behind(store, "revenue_engaged", "2026-11")   # Behind(title, columns, rows)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func, select

import sociable.store.results_tables as rt
from sociable.results import metrics as M
from sociable.results.periods import Period
from sociable.store import results as repo
from sociable.store import tables as t

LIMIT = 500


@dataclass
class Behind:
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    note: str = ""


def _money(cents: int) -> str:
    return f"{cents / 100:,.2f}"


def _engaged(conn, p: Period, metric: str) -> Behind:
    i, h, pe = t.interactions, t.handles, t.people
    who = func.coalesce(h.c.person_id, -h.c.id)
    stmt = (select(who.label("pk"), func.max(pe.c.name), func.max(h.c.display_name),
                   func.max(h.c.handle), func.max(h.c.platform), func.max(pe.c.tier),
                   func.count(i.c.id), func.min(i.c.created_at), func.max(i.c.created_at))
            .join(h, h.c.id == i.c.handle_id).outerjoin(pe, pe.c.id == h.c.person_id)
            .where(i.c.created_at >= p.start, i.c.created_at < p.end).group_by(who))
    if metric == "engaged_known":
        stmt = stmt.where(h.c.person_id.is_not(None))
    if metric == "engaged_vip":
        stmt = stmt.where(pe.c.tier == "vip")
    rows = conn.execute(stmt.order_by(func.count(i.c.id).desc())).all()
    if metric in ("engaged_new", "engaged_returning"):
        f = rt.results_first_seen
        firsts = dict(conn.execute(select(func.coalesce(h.c.person_id, -h.c.id),
                                          func.min(f.c.first_at))
                                   .join(h, h.c.id == f.c.handle_id)
                                   .group_by(func.coalesce(h.c.person_id, -h.c.id))).all())
        new = metric == "engaged_new"
        rows = [r for r in rows if (firsts.get(r.pk) is not None
                                    and firsts[r.pk] >= p.start) == new]
    out = Behind(f"{M.metric(metric).label}, {p.label()}",
                 ["person", "in the book", "tier", "platform", "interactions", "last"])
    for r in rows[:LIMIT]:
        name = r[1] or r[2] or r[3]
        out.rows.append([name, "yes" if r.pk > 0 else "no", r[5] or "", r[4], r[6],
                         r[8].astimezone(p.tz).strftime("%Y-%m-%d %H:%M")])
    if len(rows) > LIMIT:
        out.note = f"first {LIMIT} of {len(rows)}"
    return out


def _sales(conn, p: Period, metric: str, days: int) -> Behind:
    s, pe = rt.sales, t.people
    social = M.attributed(conn, s, s.c.ordered_at, days, since=p.start, until=p.end)
    rows = conn.execute(select(s, pe.c.name.label("person"))
                        .outerjoin(pe, pe.c.id == s.c.person_id)
                        .where(s.c.ordered_at >= p.start, s.c.ordered_at < p.end)
                        .order_by(s.c.ordered_at)).all()
    if metric == "revenue_engaged":
        rows = [r for r in rows if r.id in social]
    out = Behind(f"{M.metric(metric).label}, {p.label()}",
                 ["date", "order", "source", "customer", "person in the book", "amount",
                  "interacted before", "last interaction"])
    for r in rows[:LIMIT]:
        last = social.get(r.id)
        out.rows.append([r.ordered_at.astimezone(p.tz).strftime("%Y-%m-%d"), r.order_ref,
                         r.source, r.customer_name or r.email or "", r.person or "",
                         _money(r.amount_cents), "yes" if last else "no",
                         last.astimezone(p.tz).strftime("%Y-%m-%d") if last else ""])
    out.note = (f"attributed when the person interacted in the {days} days before buying; "
                f"{sum(1 for r in rows if r.id in social)} of {len(rows)} sales")
    return out


def _signups(conn, p: Period, metric: str, days: int) -> Behind:
    su, pe = rt.signups, t.people
    social = M.attributed(conn, su, su.c.signed_up_at, days, since=p.start, until=p.end)
    rows = conn.execute(select(su, pe.c.name.label("person"))
                        .outerjoin(pe, pe.c.id == su.c.person_id)
                        .where(su.c.signed_up_at >= p.start, su.c.signed_up_at < p.end)
                        .order_by(su.c.signed_up_at)).all()
    if metric == "signups_social":
        rows = [r for r in rows if r.id in social]
    out = Behind(f"{M.metric(metric).label}, {p.label()}",
                 ["date", "email", "status", "person in the book", "interacted before"])
    for r in rows[:LIMIT]:
        out.rows.append([r.signed_up_at.astimezone(p.tz).strftime("%Y-%m-%d"), r.email,
                         r.status, r.person or "", "yes" if r.id in social else "no"])
    return out


def _items(conn, p: Period, metric: str, now: datetime) -> Behind:
    it, h, pe, ev = t.inbox_items, t.handles, t.people, t.events
    first_reply = (select(ev.c.item_id, func.min(ev.c.at).label("at"))
                   .where(ev.c.name == "item_replied").group_by(ev.c.item_id).subquery())
    stmt = (select(it.c.id, it.c.day, it.c.status, it.c.moments, first_reply.c.at,
                   func.coalesce(pe.c.name, h.c.display_name, h.c.handle).label("who"))
            .join(h, h.c.id == it.c.handle_id).outerjoin(pe, pe.c.id == it.c.person_id)
            .outerjoin(first_reply, first_reply.c.item_id == it.c.id))
    if metric == "conversations":
        stmt = stmt.where(first_reply.c.at >= p.start, first_reply.c.at < p.end)
    else:
        stmt = stmt.where(it.c.day >= p.first.isoformat(), it.c.day <= p.last.isoformat())
    if metric.startswith("first_response"):
        stmt = stmt.where(first_reply.c.at.is_not(None))
    if metric == "moments_answered":
        stmt = stmt.where(func.cast(it.c.moments, t.Text).like('%"%'))
    rows = conn.execute(stmt.order_by(it.c.day, it.c.id).limit(LIMIT)).all()
    out = Behind(f"{M.metric(metric).label}, {p.label()}",
                 ["item", "day", "person", "moments", "status", "first reply"])
    for r in rows:
        out.rows.append([r.id, r.day, r.who, ", ".join(r.moments), r.status,
                         r.at.astimezone(p.tz).strftime("%Y-%m-%d %H:%M") if r.at else ""])
    return out


def _feedback(conn, p: Period) -> Behind:
    i, m, h = t.interactions, t.moments, t.handles
    rows = conn.execute(select(i.c.created_at, m.c.label, h.c.platform, h.c.display_name,
                               h.c.handle, i.c.text)
                        .join(m, m.c.interaction_id == i.c.id).join(h, h.c.id == i.c.handle_id)
                        .where(m.c.label.in_(["praise", "complaint"]),
                               i.c.created_at >= p.start, i.c.created_at < p.end)
                        .order_by(i.c.created_at).limit(LIMIT)).all()
    out = Behind(f"Praise and complaints, {p.label()}",
                 ["when", "moment", "platform", "who", "text"])
    for r in rows:
        out.rows.append([r.created_at.astimezone(p.tz).strftime("%Y-%m-%d %H:%M"), r.label,
                         r.platform, r.display_name or r.handle, r.text[:200]])
    return out


def _traffic(conn, p: Period) -> Behind:
    w = rt.web_traffic
    campaigns = {c.lower() for c in conn.execute(select(rt.tracked_links.c.campaign)).scalars()}
    social = M.SOCIAL_SOURCES | {s.lower() for s in repo.get_setting(conn, "social_sources")}
    rows = conn.execute(select(w).where(w.c.end >= p.first, w.c.start <= p.last)
                        .order_by(w.c.sessions.desc()).limit(LIMIT)).all()
    out = Behind(f"Website sessions, {p.label()}",
                 ["from", "to", "source / medium", "campaign", "sessions", "social"])
    for r in rows:
        out.rows.append([str(r.start), str(r.end), f"{r.source} / {r.medium}", r.campaign,
                         r.sessions, "yes" if M.is_social(r.source, r.medium, r.campaign,
                                                          campaigns, social) else "no"])
    out.note = "rows covering several days are spread evenly over them"
    return out


def _ads(conn, p: Period) -> Behind:
    a = rt.ad_spend
    rows = conn.execute(select(a).where(a.c.end >= p.first, a.c.start <= p.last)
                        .order_by(a.c.start)).all()
    out = Behind(f"Ad spend, {p.label()}",
                 ["campaign", "from", "to", "spent", "currency", "impressions", "clicks"])
    for r in rows:
        out.rows.append([r.campaign, str(r.start), str(r.end), _money(r.spend_cents),
                         r.currency, r.impressions, r.clicks])
    return out


def behind(store, metric: str, period_key: str, now: datetime | None = None) -> Behind:
    """The people, orders or rows a figure was computed from."""
    M.metric(metric)
    now = now or datetime.now(UTC)
    with store.begin() as conn:
        repo.refresh_rollups(conn)
    with store.begin() as conn:
        p = Period.of_key(period_key, repo.timezone(conn))
        days = int(repo.get_setting(conn, "attribution_days"))
        if metric.startswith("engaged_") and metric != "engaged_share" or metric in (
                "engaged_share", "cost_per_engaged"):
            name = "engaged_people" if metric in ("engaged_share", "cost_per_engaged") \
                else metric
            return _engaged(conn, p, name)
        if metric in ("sales_total", "revenue_engaged", "ad_return"):
            return _sales(conn, p, "revenue_engaged" if metric == "ad_return" else metric,
                          days)
        if metric in ("signups", "signups_social"):
            return _signups(conn, p, metric, days)
        if metric in ("conversations", "response_rate", "first_response_median",
                      "first_response_p90", "moments_answered"):
            return _items(conn, p, metric, now)
        if metric in ("praise_share", "complaints"):
            return _feedback(conn, p)
        if metric in ("web_sessions", "web_sessions_social"):
            return _traffic(conn, p)
        if metric == "ad_spend":
            return _ads(conn, p)
        snaps = repo.follower_snapshots(conn)
        out = Behind("Follower snapshots", ["date", "platform", "account", "followers", "source"])
        out.rows = [[str(s["on"]), s["platform"], s["account"], s["followers"], s["source"]]
                    for s in snaps]
        return out


