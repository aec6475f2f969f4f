"""Small helpers connectors share: HTML to text, times, ids."""
from __future__ import annotations

import html
import re
from datetime import UTC, datetime

_BREAK = re.compile(r"<br\s*/?>|</p>\s*<p[^>]*>", re.I)
_TAG = re.compile(r"<[^>]+>")


def html_to_text(value: str | None) -> str:
    """Mastodon's HTML content as the plain text a person wrote."""
    if not value:
        return ""
    return html.unescape(_TAG.sub("", _BREAK.sub("\n", value))).strip()


def when(value) -> datetime:
    """An aware UTC datetime from a datetime, an ISO 8601 string or epoch seconds."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, UTC)
    text = str(value).strip().replace("Z", "+00:00")
    if re.search(r"[+-]\d{4}$", text):  # Graph API: 2026-11-23T14:00:00+0000
        text = text[:-2] + ":" + text[-2:]
    parsed = datetime.fromisoformat(text)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def id_key(value: str) -> tuple[int, str]:
    """Sort key for platform ids: numeric ids by number, others as text."""
    return (int(value), "") if str(value).isdigit() else (0, str(value))


def newest(a: str | None, b: str | None) -> str | None:
    if a is None or b is None:
        return a or b
    return max(a, b, key=id_key)
