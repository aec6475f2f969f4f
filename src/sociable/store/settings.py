"""Store-wide settings: the facts replies draw on, the owner, the time zone."""
from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection, delete, select

from sociable.inbox.drafts import Facts
from sociable.store import tables as t

KNOWN = {
    "store_name": "The store's name, used in replies.",
    "owner_name": "The owner's full name as in the book; their family and friends rank higher.",
    "timezone": "IANA time zone for days and hours (default UTC), e.g. America/New_York.",
    "hours": 'Opening hours per day, JSON: {"mon": "10:00-18:00", ..., "sun": "closed"}.',
    "services": 'Services and their answers, JSON: {"ring resizing": "same day, $35"}.',
    "phone": "The store's phone number.",
    "website": "The store's website.",
}


def get(conn: Connection, key: str, default: Any = None) -> Any:
    row = conn.execute(select(t.settings.c.value).where(t.settings.c.key == key)).first()
    return default if row is None else row.value


def put(conn: Connection, key: str, value: Any) -> None:
    if key not in KNOWN:
        raise KeyError(f"unknown setting {key!r}; settings are: {', '.join(KNOWN)}")
    if key == "timezone":
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not an IANA time zone such as Europe/Paris") from None
    conn.execute(delete(t.settings).where(t.settings.c.key == key))
    conn.execute(t.settings.insert().values(key=key, value=value))


def all_settings(conn: Connection) -> dict[str, Any]:
    return {r.key: r.value for r in conn.execute(select(t.settings))}


def facts(conn: Connection) -> Facts:
    return Facts.from_dict(all_settings(conn))


def timezone(conn: Connection) -> ZoneInfo:
    return ZoneInfo(get(conn, "timezone", "UTC"))
