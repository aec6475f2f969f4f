"""Metrics: every figure the owner's goals and the Results page use, per period.

Each metric is a small `Metric` that describes itself (name, label, unit, which way is better,
whether it adds up over a period); `compute()` fills all of them for a list of periods in a few
queries that run on SQLite and PostgreSQL, reading the rollups and events.

    from sociable.results import metrics
    res = metrics.results(store, "month", now)     # cached until the data changes
    res["values"]["engaged_people"]                # one value per period, oldest first
"""
from __future__ import annotations

import statistics
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, case, cast, func, select
from sqlalchemy.types import Text

import sociable.store.results_tables as rt
from sociable.results.hours import BusinessHours
from sociable.results.periods import Period, last_n
from sociable.store import results as repo
from sociable.store import tables as t

MOMENTS = ("hardship", "celebration", "complaint", "question", "purchase_intent", "praise")
SOCIAL_SOURCES = {"instagram", "l.instagram.com", "instagram.com", "facebook", "facebook.com",
                  "m.facebook.com", "l.facebook.com", "lm.facebook.com", "fb", "ig", "meta",
                  "bluesky", "bsky.app", "bsky", "mastodon", "mastodon.social", "threads",
                  "threads.net", "t.co", "twitter", "x", "x.com", "pinterest", "tiktok",
                  "linkedin", "lnkd.in", "youtube"}
SOCIAL_MEDIUMS = {"social", "social-media", "social_media", "sm", "paid_social", "paid-social",
                  "organic_social", "organic-social", "paidsocial", "cpc-social"}
CONVERSATION_DAYS = 14  # an answer back within this long after the store's reply


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    unit: str           # people, count, percent, hours, money, ratio
    better: str         # "up" or "down"
    additive: bool      # sums over time: a partial period can be projected
    help: str


METRICS: dict[str, Metric] = {}


def register(metric: Metric) -> Metric:
    """Add a metric (built-in ones use this too)."""
    METRICS[metric.name] = metric
    return metric


for _m in (
    Metric("engaged_people", "People who interacted", "people", "up", True,
           "Unique people (or unknown accounts) who liked, commented, shared, messaged, "
           "mentioned, replied, followed or reviewed."),
    Metric("engaged_known", "Known customers who interacted", "people", "up", True,
           "Engaged people who are in the relationship book."),
    Metric("engaged_vip", "VIPs who interacted", "people", "up", True,
           "Engaged people whose tier is VIP."),
    Metric("engaged_new", "New people", "people", "up", True,
           "Engaged people whose first interaction ever was in the period."),
    Metric("engaged_returning", "Returning people", "people", "up", True,
           "Engaged people who had interacted before the period."),
    Metric("followers", "Followers (context only)", "count", "up", False,
           "Followers summed over accounts, latest snapshot by the period's end."),
    Metric("engaged_share", "Engaged share of followers", "percent", "up", False,
           "Engaged people / followers."),
    Metric("conversations", "Conversations", "count", "up", True,
           f"Inbox items the store replied to and the person answered within "
           f"{CONVERSATION_DAYS} days; counted in the period of the first reply."),
    Metric("response_rate", "Response rate", "percent", "up", False,
           "Inbox items that got a reply / inbox items not dismissed, by the item's day."),
    Metric("first_response_median", "First response, median", "hours", "down", False,
           "Business hours from the item's first interaction to the first reply, median."),
    Metric("first_response_p90", "First response, 90th percentile", "hours", "down", False,
           "Business hours to the first reply that 9 in 10 replies beat."),
    Metric("moments_answered", "Moments answered", "percent", "up", False,
           "Items with a moment that got a reply / those answered or missed."),
    Metric("praise_share", "Praise share of feedback", "percent", "up", False,
           "Praise / (praise + complaints) among detected moments."),
    Metric("complaints", "Complaints", "count", "down", True, "Interactions with a complaint."),
    Metric("web_sessions", "Website sessions", "count", "up", True, "GA4 sessions, all sources."),
    Metric("web_sessions_social", "Website sessions from social", "count", "up", True,
           "GA4 sessions whose source or medium is social, or whose campaign is a Sociable "
           "link."),
    Metric("signups", "E-mail sign-ups", "count", "up", True,
           "Mailchimp contacts who signed up in the period (any list)."),
    Metric("signups_social", "E-mail sign-ups from social", "count", "up", True,
           "Sign-ups by people who interacted in the N days before signing up."),
    Metric("sales_total", "Sales", "money", "up", True, "All imported sales (Shopify and POS)."),
    Metric("revenue_engaged", "Revenue from engaged customers", "money", "up", True,
           "Sales by people who interacted in the N days before buying."),
    Metric("ad_spend", "Ad spend", "money", "down", True, "Meta Ads spend, spread over days."),
    Metric("ad_return", "Ad return", "ratio", "up", False,
           "Revenue from engaged customers / ad spend."),
    Metric("cost_per_engaged", "Ad cost per engaged person", "money", "down", False,
           "Ad spend / people who interacted."),
):
    register(_m)


def metric(name: str) -> Metric:
    try:
        return METRICS[name]
    except KeyError:
        raise ValueError(f"unknown metric {name!r}; metrics are: {', '.join(METRICS)}") from None


# --- helpers --------------------------------------------------------------------------------

class Buckets:
    """Map instants or local days to period indexes."""

    def __init__(self, periods: list[Period]):
        self.periods = periods
        self.starts = [p.start for p in periods]
        self.firsts = [p.first for p in periods]
        self.keys = {p.key: i for i, p in enumerate(periods)}

    def at(self, when: datetime) -> int | None:
        i = bisect_right(self.starts, when) - 1
        return i if i >= 0 and when < self.periods[i].end else None

    def day(self, d: date) -> int | None:
        i = bisect_right(self.firsts, d) - 1
        return i if i >= 0 and d <= self.periods[i].last else None


def _pct(a: float, b: float) -> float | None:
    return round(100.0 * a / b, 1) if b else None


def _quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 2)
    return round(statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1], 2)


@dataclass
class Context:
    conn: Connection
    tz: ZoneInfo
    now: datetime
    hours: BusinessHours
    attribution_days: int
    answer_within: timedelta
    social_sources: set[str]


def context(conn: Connection, now: datetime) -> Context:
    tz = repo.timezone(conn)
    return Context(conn, tz, now, BusinessHours.from_spec(repo.get_setting(conn, "business_hours"),
                                                          tz),
                   int(repo.get_setting(conn, "attribution_days")),
                   timedelta(hours=int(repo.get_setting(conn, "answer_within_hours"))),
                   SOCIAL_SOURCES | {s.lower() for s in repo.get_setting(conn, "social_sources")})


# --- families -------------------------------------------------------------------------------

def _person_key():
    return func.coalesce(t.handles.c.person_id, -t.handles.c.id)


def engaged(ctx: Context, periods: list[Period]) -> dict[str, list]:
    conn, grain = ctx.conn, periods[0].grain
    n = len(periods)
    out = {k: [0] * n for k in ("engaged_people", "engaged_known", "engaged_vip",
                                "engaged_new", "engaged_returning")}
    b = Buckets(periods)
    h, p = t.handles, t.people
    if grain == "day":
        # Days are short: read the interactions themselves.
        i = t.interactions
        rows = conn.execute(
            select(i.c.created_at, _person_key().label("pk"), h.c.person_id, p.c.tier)
            .join(h, h.c.id == i.c.handle_id).outerjoin(p, p.c.id == h.c.person_id)
            .where(i.c.created_at >= periods[0].start, i.c.created_at < periods[-1].end))
        seen: list[dict] = [dict() for _ in periods]
        for r in rows:
            k = b.at(r.created_at)
            if k is not None:
                seen[k][r.pk] = (r.person_id, r.tier)
        for k, people in enumerate(seen):
            out["engaged_people"][k] = len(people)
            out["engaged_known"][k] = sum(1 for pid, _ in people.values() if pid is not None)
            out["engaged_vip"][k] = sum(1 for _, tier in people.values() if tier == "vip")
    else:
        e = rt.results_engaged
        rows = conn.execute(
            select(e.c.period, func.count(func.distinct(_person_key())),
                   func.count(func.distinct(h.c.person_id)),
                   func.count(func.distinct(case((p.c.tier == "vip", p.c.id)))))
            .join(h, h.c.id == e.c.handle_id).outerjoin(p, p.c.id == h.c.person_id)
            .where(e.c.grain == grain, e.c.period.in_(list(b.keys)))
            .group_by(e.c.period))
        for period, people, known, vip in rows:
            k = b.keys[period]
            out["engaged_people"][k] = people
            out["engaged_known"][k] = known
            out["engaged_vip"][k] = vip
    # New: the person's first interaction ever falls in the period.
    f = rt.results_first_seen
    firsts = conn.execute(
        select(func.min(f.c.first_at))
        .join(h, h.c.id == f.c.handle_id).group_by(_person_key())
        .having(func.min(f.c.first_at) >= periods[0].start)).scalars()
    for first in firsts:
        k = b.at(first)
        if k is not None:
            out["engaged_new"][k] += 1
    for k in range(n):
        out["engaged_new"][k] = min(out["engaged_new"][k], out["engaged_people"][k])
        out["engaged_returning"][k] = out["engaged_people"][k] - out["engaged_new"][k]
    followers = [repo.followers_on(conn, per.last if per.end <= ctx.now
                                   else ctx.now.astimezone(ctx.tz).date()) for per in periods]
    out["followers"] = followers
    out["engaged_share"] = [_pct(e_, f_) if f_ else None
                            for e_, f_ in zip(out["engaged_people"], followers)]
    return out


def _first_replies(conn: Connection):
    ev = t.events
    return (select(ev.c.item_id, func.min(ev.c.at).label("replied_at"))
            .where(ev.c.name == "item_replied").group_by(ev.c.item_id).subquery())


def _item_groups(ctx: Context, first_day: str, last_day: str) -> list[tuple]:
    """Inbox items counted by (day, moments, status, replied) for a range of local days."""
    it = t.inbox_items
    fr = _first_replies(ctx.conn)
    return ctx.conn.execute(
        select(it.c.day, cast(it.c.moments, Text).label("moments"), it.c.status,
               (fr.c.item_id.is_not(None)).label("replied"), func.count())
        .outerjoin(fr, fr.c.item_id == it.c.id)
        .where(it.c.day >= first_day, it.c.day <= last_day)
        .group_by(it.c.day, cast(it.c.moments, Text), it.c.status,
                  fr.c.item_id.is_not(None))).all()


def _replied(ctx: Context, first_day: str) -> list[tuple]:
    """Replied items from `first_day` on: (row, business hours to the first reply, whether a
    conversation followed)."""
    conn = ctx.conn
    it = t.inbox_items
    fr = _first_replies(conn)
    iii, i = t.inbox_item_interactions, t.interactions
    # One join and one GROUP BY: the former `item_id IN (replied items)` subquery made
    # PostgreSQL take minutes at 300,000 interactions.
    rows = conn.execute(
        select(it.c.id, it.c.day, it.c.handle_id, it.c.person_id, fr.c.replied_at,
               func.min(i.c.created_at).label("first_at"))
        .join(fr, fr.c.item_id == it.c.id).join(iii, iii.c.item_id == it.c.id)
        .join(i, i.c.id == iii.c.interaction_id).where(it.c.day >= first_day)
        .group_by(it.c.id, it.c.day, it.c.handle_id, it.c.person_id, fr.c.replied_at)).all()
    talked = _conversation_items(ctx, rows)
    return [(r, ctx.hours.between(r.first_at, r.replied_at), r.id in talked) for r in rows]


def response(ctx: Context, periods: list[Period], shared: dict | None = None
             ) -> dict[str, list]:
    """Response rate, first-response times, conversations and moments answered by kind.

    `shared` (one dict for the grains of one page) keeps what does not depend on the grain:
    the item counts per day and the replied items, read once for all grains.
    """
    shared = {} if shared is None else shared
    b = Buckets(periods)
    n = len(periods)
    first_day, last_day = periods[0].first.isoformat(), periods[-1].last.isoformat()
    have = shared.get("item_groups")
    if have is None or not (have[0] <= first_day and last_day <= have[1]):
        # Read what any grain of the page may ask for: 8 quarters back, a quarter ahead.
        lo = min(first_day, (periods[-1].first - timedelta(days=800)).isoformat())
        hi = max(last_day, (periods[-1].last + timedelta(days=100)).isoformat())
        have = shared["item_groups"] = (lo, hi, _item_groups(ctx, lo, hi))
        shared["replied"] = _replied(ctx, lo)
    rows = have[2]
    items, answered = [0] * n, [0] * n
    by_kind = {m: {"answered": [0] * n, "missed": [0] * n, "open": [0] * n} for m in MOMENTS}
    import json as _json
    for day, moments, status, replied, count in rows:
        d = date.fromisoformat(day)
        k = b.day(d)
        if k is None:
            continue
        if status != "dismissed" or replied:
            items[k] += count
        if replied:
            answered[k] += count
        labels = _json.loads(moments) if moments else []
        late = datetime.combine(d + timedelta(days=1), datetime.min.time(), ctx.tz) \
            + ctx.answer_within <= ctx.now
        for label in labels:
            if label not in by_kind:
                continue
            if replied:
                by_kind[label]["answered"][k] += count
            elif late or status in ("done", "dismissed"):
                by_kind[label]["missed"][k] += count
            else:
                by_kind[label]["open"][k] += count
    # First response times: replied items, from their first interaction.
    times: list[list[float]] = [[] for _ in periods]
    conversations = [0] * n
    for r, hours, talked in shared["replied"]:
        k = b.day(date.fromisoformat(r.day))
        if k is not None:
            times[k].append(hours)
        if talked:
            # Counted in the period of the first reply.
            k = b.at(r.replied_at)
            if k is not None:
                conversations[k] += 1
    answered_moments = [sum(by_kind[m]["answered"][k] for m in MOMENTS) for k in range(n)]
    missed_moments = [sum(by_kind[m]["missed"][k] for m in MOMENTS) for k in range(n)]
    return {
        "response_rate": [_pct(a, x) for a, x in zip(answered, items)],
        "first_response_median": [_quantile(x, 0.5) for x in times],
        "first_response_p90": [_quantile(x, 0.9) for x in times],
        "moments_answered": [_pct(a, a + m) for a, m in zip(answered_moments, missed_moments)],
        "conversations": conversations,
        "_items": items, "_replied": answered, "_by_kind": by_kind,
    }


def _conversation_items(ctx: Context, replied_rows) -> set[int]:
    """Replied items whose person (or account) wrote again within CONVERSATION_DAYS."""
    conn = ctx.conn
    out: set[int] = set()
    todo = list(replied_rows)
    if not todo:
        return out
    person_ids = {r.person_id for r in todo if r.person_id is not None}
    handles_of: dict[int, set[int]] = defaultdict(set)
    for chunk in _chunks(sorted(person_ids)):
        for hid, pid in conn.execute(select(t.handles.c.id, t.handles.c.person_id)
                                     .where(t.handles.c.person_id.in_(chunk))):
            handles_of[pid].add(hid)
    wanted = {r.handle_id for r in todo} | {h for s in handles_of.values() for h in s}
    since = min(r.replied_at for r in todo)
    times: dict[int, list[datetime]] = defaultdict(list)
    i = t.interactions
    for chunk in _chunks(sorted(wanted)):
        for hid, at in conn.execute(select(i.c.handle_id, i.c.created_at)
                                    .where(i.c.handle_id.in_(chunk), i.c.created_at > since)):
            times[hid].append(at)
    for r in todo:
        hs = handles_of.get(r.person_id, set()) | {r.handle_id}
        until = r.replied_at + timedelta(days=CONVERSATION_DAYS)
        if any(r.replied_at < at <= until for h in hs for at in times.get(h, ())):
            out.add(r.id)
    return out


def _chunks(values: list, size: int = 900):
    for k in range(0, len(values), size):
        yield values[k:k + size]


def feedback(ctx: Context, periods: list[Period]) -> dict[str, list]:
    b = Buckets(periods)
    n = len(periods)
    counts = {"moment:praise": [0] * n, "moment:complaint": [0] * n}
    d = rt.results_daily
    for day, name, value in ctx.conn.execute(
            select(d.c.day, d.c.name, d.c.n).where(
                d.c.name.in_(list(counts)), d.c.day >= periods[0].first.isoformat(),
                d.c.day <= periods[-1].last.isoformat())):
        k = b.day(date.fromisoformat(day))
        if k is not None:
            counts[name][k] += value
    praise, complaints = counts["moment:praise"], counts["moment:complaint"]
    return {"praise_share": [_pct(p, p + c) for p, c in zip(praise, complaints)],
            "complaints": complaints, "_praise": praise}


def _spread(rows, b: Buckets, n: int) -> list[float]:
    """Spread (start, end, amount) evenly over the days it covers, into periods."""
    out = [0.0] * n
    lo, hi = b.periods[0].first, b.periods[-1].last
    for start, end, amount in rows:
        days = (end - start).days + 1
        if days <= 0 or end < lo or start > hi:
            continue
        per_day = amount / days
        d = max(start, lo)
        while d <= min(end, hi):
            k = b.day(d)
            if k is not None:
                out[k] += per_day
            d += timedelta(days=1)
    return out


def is_social(source: str, medium: str, campaign: str, campaigns: set[str],
              extra: set[str]) -> bool:
    s = source.strip().lower()
    return (s in extra or s.removeprefix("www.") in extra or medium.strip().lower()
            in SOCIAL_MEDIUMS or (bool(campaign) and campaign.strip().lower() in campaigns))


def traffic(ctx: Context, periods: list[Period]) -> dict[str, list]:
    conn = ctx.conn
    b = Buckets(periods)
    n = len(periods)
    campaigns = {c.lower() for c in conn.execute(select(rt.tracked_links.c.campaign)).scalars()}
    w = rt.web_traffic
    rows = conn.execute(select(w.c.start, w.c.end, w.c.source, w.c.medium, w.c.campaign,
                               w.c.sessions).where(w.c.end >= periods[0].first,
                                                   w.c.start <= periods[-1].last)).all()
    total = _spread([(r.start, r.end, r.sessions) for r in rows], b, n)
    social = _spread([(r.start, r.end, r.sessions) for r in rows
                      if is_social(r.source, r.medium, r.campaign, campaigns,
                                   ctx.social_sources)], b, n)
    has = bool(rows)
    return {"web_sessions": [round(x) for x in total] if has else [None] * n,
            "web_sessions_social": [round(x) for x in social] if has else [None] * n}


def attributed(conn: Connection, table, at_col, days: int, *, since: datetime | None = None,
               until: datetime | None = None, ids: list[int] | None = None) -> dict[int, datetime]:
    """{row id: the person's last interaction before it} for rows attributed to social:
    the person (matched to the book) interacted in the `days` before."""
    h, i = t.handles, t.interactions
    last = (select(func.max(i.c.created_at)).join(h, h.c.id == i.c.handle_id)
            .where(h.c.person_id == table.c.person_id, i.c.created_at < at_col)
            .correlate(table).scalar_subquery())
    stmt = select(table.c.id, at_col, last.label("last")).where(table.c.person_id.is_not(None))
    if since is not None:
        stmt = stmt.where(at_col >= since)
    if until is not None:
        stmt = stmt.where(at_col < until)
    if ids is not None:
        stmt = stmt.where(table.c.id.in_(ids))
    out = {}
    for rid, at, last_at in conn.execute(stmt):
        if last_at is not None:
            if last_at.tzinfo is None:
                last_at = last_at.replace(tzinfo=UTC)
            if last_at >= at - timedelta(days=days):
                out[rid] = last_at
    return out


def money(ctx: Context, periods: list[Period], engaged_people: list[int]) -> dict[str, list]:
    conn = ctx.conn
    b = Buckets(periods)
    n = len(periods)
    since, until = periods[0].start, periods[-1].end
    s, su = rt.sales, rt.signups
    sales = conn.execute(select(s.c.id, s.c.ordered_at, s.c.amount_cents)
                         .where(s.c.ordered_at >= since, s.c.ordered_at < until)).all()
    social_sales = attributed(conn, s, s.c.ordered_at, ctx.attribution_days, since=since,
                              until=until)
    total, engaged = [0.0] * n, [0.0] * n
    for sid, at, cents in sales:
        k = b.at(at)
        if k is not None:
            total[k] += cents / 100
            if sid in social_sales:
                engaged[k] += cents / 100
    signups = conn.execute(select(su.c.id, su.c.signed_up_at)
                           .where(su.c.signed_up_at >= since, su.c.signed_up_at < until)).all()
    social_signups = attributed(conn, su, su.c.signed_up_at, ctx.attribution_days, since=since,
                                until=until)
    sign, sign_social = [0] * n, [0] * n
    for sid, at in signups:
        k = b.at(at)
        if k is not None:
            sign[k] += 1
            sign_social[k] += sid in social_signups
    a = rt.ad_spend
    ads = conn.execute(select(a.c.start, a.c.end, a.c.spend_cents)
                       .where(a.c.end >= periods[0].first, a.c.start <= periods[-1].last)).all()
    spend = _spread([(r.start, r.end, r.spend_cents / 100) for r in ads], b, n)
    any_sales = conn.execute(select(func.count()).select_from(s)).scalar() > 0
    any_signups = conn.execute(select(func.count()).select_from(su)).scalar() > 0
    any_ads = conn.execute(select(func.count()).select_from(a)).scalar() > 0
    none = [None] * n
    return {
        "sales_total": [round(x, 2) for x in total] if any_sales else none,
        "revenue_engaged": [round(x, 2) for x in engaged] if any_sales else none,
        "signups": sign if any_signups else none,
        "signups_social": sign_social if any_signups else none,
        "ad_spend": [round(x, 2) for x in spend] if any_ads else none,
        "ad_return": [round(r / x, 2) if x else None for r, x in zip(engaged, spend)]
        if any_ads and any_sales else none,
        "cost_per_engaged": [round(x / e, 2) if e and x else None
                             for x, e in zip(spend, engaged_people)] if any_ads else none,
    }


# --- all together ---------------------------------------------------------------------------

def compute(conn: Connection, periods: list[Period], now: datetime,
            shared: dict | None = None) -> dict:
    """Every metric for `periods` (one grain, oldest first): JSON-ready. Reads the rollups
    as they are: `results()` brings them up to date first. `shared`: see `response`."""
    ctx = context(conn, now)
    values: dict[str, list] = {}
    values |= engaged(ctx, periods)
    values |= response(ctx, periods, shared)
    values |= feedback(ctx, periods)
    values |= traffic(ctx, periods)
    values |= money(ctx, periods, values["engaged_people"])
    by_kind = values.pop("_by_kind")
    extra = {k.lstrip("_"): values.pop(k) for k in list(values) if k.startswith("_")}
    return {
        "grain": periods[0].grain,
        "periods": [p.key for p in periods],
        "labels": [p.short() for p in periods],
        "current": [p.start <= now < p.end for p in periods],
        "elapsed": [round(p.elapsed(now), 4) for p in periods],
        "values": {name: values.get(name) for name in METRICS},
        "moments": by_kind,
        "extra": extra,
        "currency": repo.get_setting(conn, "currency"),
        "attribution_days": ctx.attribution_days,
        "timezone": ctx.tz.key,
        "now": now.isoformat(),
    }


DEFAULT_SPAN = {"day": 30, "week": 26, "month": 12, "quarter": 8}


def results(store, grain: str = "month", now: datetime | None = None,
            n: int | None = None, *, memo: dict | None = None) -> dict:
    """The metrics for the last `n` periods of `grain` up to now, cached until data changes.

    Pass the same `memo` dict to several calls (one page) to check the data version once.
    """
    now = now or datetime.now(UTC)
    n = n or DEFAULT_SPAN[grain]
    memo = {} if memo is None else memo
    if (grain, n) in memo:
        return memo[(grain, n)]
    if "version" not in memo:
        # The version first, then the rollups: a row that lands in between makes the next
        # view recompute, never a stale figure under a newer version. Folding is its own short
        # transaction, so the lock it takes on PostgreSQL is not held while figures compute.
        with store.begin() as conn:
            # "now" matters for open vs missed and partial periods: cache per hour.
            memo["version"] = repo.data_version(conn) + now.astimezone(UTC).strftime("%Y%m%d%H")
            memo["tz"] = repo.timezone(conn)
        with store.begin() as conn:
            repo.refresh_rollups(conn)
    with store.begin() as conn:
        periods = last_n(grain, now, memo["tz"], n)
        key = memo.setdefault("keys", {})[(grain, n)] = f"results:{grain}:{n}:{periods[-1].key}"
        memo[(grain, n)] = repo.cached(conn, key, memo["version"], lambda: compute(
            conn, periods, now, memo.setdefault("shared", {})))
    return memo[(grain, n)]


def series(res: dict, name: str) -> list:
    return res["values"].get(name) or [None] * len(res["periods"])
