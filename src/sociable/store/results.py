"""Results in the database: settings, goals, follower snapshots, links, imported sales,
sign-ups, traffic and ads, and the rollups that keep metrics fast at millions of rows.

Rollups are kept current from a watermark: `refresh_rollups` folds every interaction with an id
above the last one it saw into per-period tables, so each call costs only what is new.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, delete, func, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

import sociable.store.results_tables as rt
from sociable.results.periods import key_of
from sociable.store import settings as store_settings
from sociable.store import tables as t

# --- settings -----------------------------------------------------------------------------

SETTINGS: dict[str, str] = {
    "business_hours": 'Hours that count for response times, JSON like the `hours` setting: '
                      '{"mon": "10:00-18:00", "sun": "closed"}. Default: the store\'s `hours`, '
                      'else Monday to Friday 09:00-17:00.',
    "attribution_days": "N: a sale or sign-up counts as social when the person interacted in "
                        "the N days before it (default 30).",
    "answer_within_hours": "An unanswered moment counts as missed after this many hours "
                           "(default 48); before that it is still open.",
    "currency": "Currency shown for sales and ad spend (default USD).",
    "social_sources": "Extra GA4 sources counted as social, JSON list, e.g. [\"linktr.ee\"].",
    "smtp_host": "SMTP server for the digest, e.g. smtp.example.com.",
    "smtp_port": "SMTP port (default 587 with starttls, 465 with ssl, 25 with none).",
    "smtp_tls": "starttls (default), ssl or none.",
    "smtp_user": "SMTP user name, if the server wants one.",
    "smtp_password": "SMTP password (stored encrypted; $SOCIABLE_SMTP_PASSWORD overrides).",
    "mail_from": "The digest's From address.",
    "digest_to": "Who gets the morning digest, JSON list of addresses.",
}
DEFAULTS: dict[str, Any] = {"attribution_days": 30, "answer_within_hours": 48, "currency": "USD",
                            "social_sources": [], "smtp_tls": "starttls", "digest_to": []}
INT_KEYS = {"attribution_days", "answer_within_hours", "smtp_port"}


def get_setting(conn: Connection, key: str) -> Any:
    row = conn.execute(select(t.settings.c.value).where(t.settings.c.key == key)).first()
    if row is not None:
        return row.value
    if key == "business_hours":
        return store_settings.get(conn, "hours")
    return DEFAULTS.get(key)


def put_setting(conn: Connection, key: str, value: Any) -> Any:
    """Check and store one results setting; returns the value as stored."""
    from sociable.results.hours import parse_spans

    if key not in SETTINGS:
        raise KeyError(f"unknown results setting {key!r}; they are: {', '.join(SETTINGS)}")
    if isinstance(value, str) and key in ("business_hours", "social_sources", "digest_to"):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            if key == "digest_to":
                value = [v.strip() for v in value.split(",") if v.strip()]
            else:
                raise ValueError(f"{key} must be JSON, e.g. {SETTINGS[key]}") from None
    if key in INT_KEYS:
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise ValueError(f"{key} must be a whole number, not {value!r}") from None
        if value <= 0 or value > 100_000:
            raise ValueError(f"{key} must be a positive number")
    if key == "business_hours":
        parse_spans(value)
    if key == "smtp_tls" and value not in ("starttls", "ssl", "none"):
        raise ValueError("smtp_tls is starttls, ssl or none")
    if key in ("social_sources", "digest_to") and not isinstance(value, list):
        raise ValueError(f"{key} must be a JSON list")
    if key == "smtp_password":
        value = _seal(str(value))
    # The store's one key/value table; results keys never collide with the store's own.
    conn.execute(delete(t.settings).where(t.settings.c.key == key))
    conn.execute(t.settings.insert().values(key=key, value=value))
    bump(conn)
    return value


def _seal(password: str) -> dict:
    from sociable.connectors.secrets import Vault

    return {"sealed": Vault().seal({"password": password})}


def smtp_password(conn: Connection) -> str | None:
    import os

    if os.environ.get("SOCIABLE_SMTP_PASSWORD"):
        return os.environ["SOCIABLE_SMTP_PASSWORD"]
    stored = get_setting(conn, "smtp_password")
    if not stored:
        return None
    from sociable.connectors.secrets import Vault

    return Vault().open(stored["sealed"]).get("password")


def all_settings(conn: Connection) -> dict[str, Any]:
    out = {key: get_setting(conn, key) for key in SETTINGS}
    if out.get("smtp_password"):
        out["smtp_password"] = "***"
    return out


def timezone(conn: Connection) -> ZoneInfo:
    return store_settings.timezone(conn)


# --- state and version --------------------------------------------------------------------

def _state(conn: Connection, key: str, default: Any = None) -> Any:
    row = conn.execute(select(rt.results_state.c.value).where(rt.results_state.c.key == key)).first()
    return default if row is None else row.value


def _set_state(conn: Connection, key: str, value: Any) -> None:
    conn.execute(delete(rt.results_state).where(rt.results_state.c.key == key))
    conn.execute(rt.results_state.insert().values(key=key, value=value))


def bump(conn: Connection) -> None:
    """Mark results data as changed (goals, settings, imports): cached figures recompute."""
    _set_state(conn, "version", int(_state(conn, "version", 0)) + 1)


def data_version(conn: Connection) -> str:
    """Changes whenever anything a metric reads changes; only cheap lookups (primary keys and
    the small tables), so a cached page costs milliseconds at millions of rows. Status changes
    always write an event, and folding new interactions into items adds interactions."""
    parts = [
        conn.execute(select(func.max(t.interactions.c.id))).scalar(),
        conn.execute(select(func.max(t.events.c.id))).scalar(),
        conn.execute(select(func.max(t.inbox_items.c.id))).scalar(),
        conn.execute(select(func.count(t.handles.c.person_id), func.max(t.handles.c.id))).one(),
        conn.execute(select(func.max(t.people.c.updated_at), func.count(t.people.c.id))).one(),
        _state(conn, "version", 0),
        store_settings.get(conn, "timezone"), store_settings.get(conn, "hours"),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def cached(conn: Connection, key: str, version: str, compute) -> Any:
    """The JSON value stored under `key` for `version`, computing and storing it when stale."""
    row = conn.execute(select(rt.results_cache).where(rt.results_cache.c.key == key)).first()
    if row is not None and row.version == version:
        return row.value
    value = compute()
    conn.execute(delete(rt.results_cache).where(rt.results_cache.c.key == key))
    conn.execute(rt.results_cache.insert().values(key=key, version=version, value=value,
                                                  computed_at=datetime.now(UTC)))
    return value


# --- upserts that work on both databases --------------------------------------------------

def _insert(conn: Connection, table):
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)


def upsert(conn: Connection, table, rows: list[dict], keys: list[str],
           update_cols: Iterable[str] | None = None, add: Iterable[str] = ()) -> None:
    """Insert rows; on a conflict on `keys` set `update_cols` and add up the `add` columns."""
    if not rows:
        return
    stmt = _insert(conn, table)
    cols = list(update_cols if update_cols is not None
                else [c for c in rows[0] if c not in keys and c not in add])
    sets = {c: stmt.excluded[c] for c in cols}
    sets |= {c: table.c[c] + stmt.excluded[c] for c in add}
    if sets:
        stmt = stmt.on_conflict_do_update(index_elements=keys, set_=sets)
    else:
        stmt = stmt.on_conflict_do_nothing(index_elements=keys)
    for i in range(0, len(rows), 2000):
        conn.execute(stmt, rows[i:i + 2000])


# --- rollups ------------------------------------------------------------------------------

ROLLUP_GRAINS = ("week", "month", "quarter")
ROLLUP_LOCK = 0x50C1AB1E  # pg_advisory_xact_lock key for refresh_rollups


def refresh_rollups(conn: Connection, *, batch: int = 50_000) -> int:
    """Fold interactions newer than the watermark into the rollups; returns how many."""
    if conn.dialect.name == "postgresql":
        # One refresher at a time (web, worker, imports): two would fold the same rows twice.
        # Taken before the watermark is read, so the second sees what the first committed.
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": ROLLUP_LOCK})
    tz = timezone(conn)
    if _state(conn, "rollup_tz") != tz.key:
        for table in (rt.results_engaged, rt.results_first_seen, rt.results_daily):
            conn.execute(delete(table))
        _set_state(conn, "rollup_tz", tz.key)
        _set_state(conn, "rollup_id", 0)
    mark = int(_state(conn, "rollup_id", 0))
    if conn.dialect.name == "postgresql":
        return _refresh_rollups_pg(conn, tz.key, mark, batch=max(batch, 500_000))
    return _refresh_rollups_py(conn, tz, mark, batch=batch)


def _refresh_rollups_py(conn: Connection, tz: ZoneInfo, mark: int, *, batch: int) -> int:
    """Row by row in Python (SQLite has no time zones); executemany keeps it fast there."""
    done = 0
    i, m = t.interactions, t.moments
    while True:
        rows = conn.execute(
            select(i.c.id, i.c.handle_id, i.c.created_at, i.c.kind)
            .where(i.c.id > mark).order_by(i.c.id).limit(batch)).all()
        if not rows:
            break
        hi = rows[-1].id
        labels = defaultdict(list)
        for r in conn.execute(select(m.c.interaction_id, m.c.label).where(
                m.c.interaction_id > mark, m.c.interaction_id <= hi)):
            labels[r.interaction_id].append(r.label)
        engaged: Counter = Counter()
        daily: Counter = Counter()
        first: dict[int, datetime] = {}
        offsets: dict[tuple, date] = {}
        for r in rows:
            # Local day via a cache per UTC hour: zoneinfo conversions are the slow part.
            hour = r.created_at.replace(minute=0, second=0, microsecond=0)
            local = offsets.get(hour)
            if local is None:
                local = offsets[hour] = hour.astimezone(tz).replace(tzinfo=None)
            day = (local + (r.created_at - hour)).date()
            for grain in ROLLUP_GRAINS:
                engaged[(grain, key_of(grain, day), r.handle_id)] += 1
            ds = day.isoformat()
            daily[(ds, "all")] += 1
            daily[(ds, "kind:" + r.kind)] += 1
            for label in labels.get(r.id, ()):
                daily[(ds, "moment:" + label)] += 1
            if r.handle_id not in first or r.created_at < first[r.handle_id]:
                first[r.handle_id] = r.created_at
        upsert(conn, rt.results_engaged,
               [{"grain": g, "period": p, "handle_id": h, "n": n}
                for (g, p, h), n in engaged.items()],
               ["grain", "period", "handle_id"], update_cols=[], add=["n"])
        upsert(conn, rt.results_daily, [{"day": d, "name": k, "n": n}
                                         for (d, k), n in daily.items()],
               ["day", "name"], update_cols=[], add=["n"])
        stmt = _insert(conn, rt.results_first_seen)
        stmt = stmt.on_conflict_do_update(
            index_elements=["handle_id"],
            set_={"first_at": func.min(rt.results_first_seen.c.first_at, stmt.excluded.first_at)
                  if conn.dialect.name == "sqlite"
                  else func.least(rt.results_first_seen.c.first_at, stmt.excluded.first_at)})
        items = [{"handle_id": h, "first_at": at} for h, at in first.items()]
        for k in range(0, len(items), 2000):
            conn.execute(stmt, items[k:k + 2000])
        mark = hi
        done += len(rows)
        _set_state(conn, "rollup_id", mark)
    return done


# Set-based on PostgreSQL: the database groups and upserts, nothing travels row by row.
# Period keys as periods.key_of writes them: 2026-11-23, 2026-W48, 2026-11, 2026-Q4.
_PG_ROLLUP = {
    "engaged": """
        INSERT INTO results_engaged (grain, period, handle_id, n)
        SELECT g.grain, to_char(x.local, g.fmt), x.handle_id, count(*)
        FROM (SELECT handle_id, created_at AT TIME ZONE :tz AS local FROM interactions
              WHERE id > :lo AND id <= :hi) AS x
        CROSS JOIN (VALUES ('week', 'IYYY-"W"IW'), ('month', 'YYYY-MM'),
                           ('quarter', 'YYYY-"Q"Q')) AS g (grain, fmt)
        GROUP BY g.grain, to_char(x.local, g.fmt), x.handle_id
        ON CONFLICT (grain, period, handle_id)
        DO UPDATE SET n = results_engaged.n + excluded.n""",
    "daily": """
        INSERT INTO results_daily (day, name, n)
        SELECT day, name, count(*) FROM (
            SELECT to_char(i.created_at AT TIME ZONE :tz, 'YYYY-MM-DD') AS day, v.name
            FROM interactions AS i
            CROSS JOIN LATERAL (VALUES ('all'), ('kind:' || i.kind)) AS v (name)
            WHERE i.id > :lo AND i.id <= :hi
            UNION ALL
            SELECT to_char(i.created_at AT TIME ZONE :tz, 'YYYY-MM-DD'), 'moment:' || m.label
            FROM interactions AS i JOIN moments AS m ON m.interaction_id = i.id
            WHERE i.id > :lo AND i.id <= :hi AND m.interaction_id > :lo
              AND m.interaction_id <= :hi
        ) AS x
        GROUP BY day, name
        ON CONFLICT (day, name) DO UPDATE SET n = results_daily.n + excluded.n""",
    "first_seen": """
        INSERT INTO results_first_seen (handle_id, first_at)
        SELECT handle_id, min(created_at) FROM interactions WHERE id > :lo AND id <= :hi
        GROUP BY handle_id
        ON CONFLICT (handle_id)
        DO UPDATE SET first_at = LEAST(results_first_seen.first_at, excluded.first_at)""",
}


def _refresh_rollups_pg(conn: Connection, tz: str, mark: int, *, batch: int) -> int:
    i = t.interactions
    top = conn.execute(select(func.max(i.c.id)).where(i.c.id > mark)).scalar()
    done = 0
    while top is not None and mark < top:
        hi = min(top, mark + batch)
        n = conn.execute(select(func.count()).select_from(i)
                         .where(i.c.id > mark, i.c.id <= hi)).scalar()
        if n:
            for sql in _PG_ROLLUP.values():
                conn.execute(text(sql), {"tz": tz, "lo": mark, "hi": hi})
        done += n
        mark = hi
        _set_state(conn, "rollup_id", mark)
    return done


# --- goals --------------------------------------------------------------------------------

@dataclass
class GoalRow:
    id: int
    metric: str
    target: float
    period: str
    why: str
    archived: bool


def add_goal(conn: Connection, metric: str, target: float, period: str, why: str = "") -> int:
    now = datetime.now(UTC)
    gid = conn.execute(rt.goals.insert().values(
        metric=metric, target=target, period=period, why=why, archived=False,
        created_at=now, updated_at=now)).inserted_primary_key[0]
    bump(conn)
    return gid


def goals(conn: Connection, *, archived: bool = False) -> list[GoalRow]:
    stmt = select(rt.goals).order_by(rt.goals.c.id)
    if not archived:
        stmt = stmt.where(rt.goals.c.archived.is_(False))
    return [GoalRow(r.id, r.metric, r.target, r.period, r.why, r.archived)
            for r in conn.execute(stmt)]


def get_goal(conn: Connection, goal_id: int) -> GoalRow:
    for g in goals(conn, archived=True):
        if g.id == goal_id:
            return g
    raise LookupError(f"no goal with id {goal_id}")


def edit_goal(conn: Connection, goal_id: int, **values) -> GoalRow:
    get_goal(conn, goal_id)
    values = {k: v for k, v in values.items() if v is not None}
    if values:
        conn.execute(update(rt.goals).where(rt.goals.c.id == goal_id)
                     .values(**values, updated_at=datetime.now(UTC)))
        bump(conn)
    return get_goal(conn, goal_id)


# --- follower snapshots -------------------------------------------------------------------

def add_followers(conn: Connection, platform: str, account: str, on: date, followers: int,
                  source: str = "manual") -> None:
    if followers < 0:
        raise ValueError("followers cannot be negative")
    upsert(conn, rt.follower_snapshots,
           [{"platform": platform.lower(), "account": account, "on": on, "followers": followers,
             "source": source}], ["platform", "account", "on"])
    bump(conn)


def followers_on(conn: Connection, day: date) -> int | None:
    """Followers summed over accounts, each account's latest snapshot on or before `day`."""
    f = rt.follower_snapshots
    latest = (select(f.c.platform, f.c.account, func.max(f.c.on).label("on"))
              .where(f.c.on <= day).group_by(f.c.platform, f.c.account).subquery())
    total = conn.execute(select(func.sum(f.c.followers)).join(
        latest, (latest.c.platform == f.c.platform) & (latest.c.account == f.c.account)
        & (latest.c.on == f.c.on))).scalar()
    return None if total is None else int(total)


def follower_snapshots(conn: Connection) -> list[dict]:
    f = rt.follower_snapshots
    return [dict(r._mapping) for r in conn.execute(select(f).order_by(f.c.on, f.c.platform))]


# --- imports ------------------------------------------------------------------------------

def record_import(conn: Connection, kind: str, path: str, data: bytes, rows: int) -> int:
    bump(conn)
    return conn.execute(rt.results_imports.insert().values(
        kind=kind, path=path, sha256=hashlib.sha256(data).hexdigest(), rows=rows,
        created_at=datetime.now(UTC))).inserted_primary_key[0]


def imports(conn: Connection, limit: int = 20) -> list[dict]:
    r = rt.results_imports
    return [dict(x._mapping) for x in conn.execute(
        select(r).order_by(r.c.id.desc()).limit(limit))]
