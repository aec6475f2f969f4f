"""Raw deliveries: everything a connector receives is written here before it is processed.

`(platform, key)` is unique, so a delivery that comes twice (Meta retries for 36 hours, a
stream and a sync overlap) is stored once and processed once. Failed ones keep their reason
and are replayed by the next sync.
"""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from sociable.store import connectors_tables as ct

PENDING = ("received", "failed")


def record(conn: Connection, platform: str, account_id: int | None, source: str,
           payloads: list[tuple[str, bytes, str | None]]) -> dict[str, int]:
    """Store payloads not stored before; returns key -> delivery id of those still to process.

    A key already processed is left out: that is a duplicate delivery.
    """
    if not payloads:
        return {}
    now = datetime.now(UTC)
    rows, seen = [], set()
    for key, payload, heard in payloads:
        if key not in seen:
            seen.add(key)
            rows.append({"platform": platform, "account_id": account_id, "key": key[:300],
                         "source": source, "payload": payload.decode("utf-8", "replace"), "listening": heard,
                         "status": "received", "received_at": now})
    insert = (pg_insert if conn.dialect.name == "postgresql" else sqlite_insert)(ct.deliveries)
    conn.execute(insert.on_conflict_do_nothing(index_elements=["platform", "key"]), rows)
    keys = [r["key"] for r in rows]
    todo = {}
    for chunk in range(0, len(keys), 500):
        for r in conn.execute(select(ct.deliveries.c.id, ct.deliveries.c.key).where(
                ct.deliveries.c.platform == platform, ct.deliveries.c.key.in_(keys[chunk:chunk + 500]),
                ct.deliveries.c.status.in_(PENDING))):
            todo[r.key] = r.id
    return todo


def mark(conn: Connection, ids: list[int], status: str, error: str | None = None) -> None:
    if ids:
        conn.execute(update(ct.deliveries).where(ct.deliveries.c.id.in_(ids)).values(
            status=status, error=error,
            processed_at=datetime.now(UTC) if status == "processed" else None))


def pending(conn: Connection, *, account_id: int | None = None, platform: str | None = None,
            source: str | None = None, statuses=PENDING, limit: int = 500,
            claim: bool = False) -> list:
    """Deliveries still to process, oldest first.

    `claim`: on PostgreSQL, lock the rows for this transaction and skip rows another
    process holds, so several web processes never process the same delivery at once.
    """
    stmt = select(ct.deliveries).where(ct.deliveries.c.status.in_(list(statuses)))
    if claim and conn.dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    if source is not None:
        stmt = stmt.where(ct.deliveries.c.source == source)
    if account_id is not None:
        stmt = stmt.where(ct.deliveries.c.account_id == account_id)
    if platform is not None:
        stmt = stmt.where(ct.deliveries.c.platform == platform)
    return conn.execute(stmt.order_by(ct.deliveries.c.id).limit(limit)).all()
