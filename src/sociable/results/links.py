"""UTM-tagged links: built once, remembered, matched back to GA4 traffic by campaign.

    build("https://brennan.example/rings?x=1", campaign="Holiday Rings 2026", platform="Instagram")
    # https://brennan.example/rings?x=1&utm_source=instagram&utm_medium=social&utm_campaign=holiday-rings-2026
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import Connection, select

import sociable.store.results_tables as rt
from sociable.store.results import upsert


def slug(text: str) -> str:
    """Lower-case, hyphenated, ASCII: 'Holiday Rings — 2026!' -> 'holiday-rings-2026'."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


@dataclass(frozen=True)
class Link:
    url: str
    tagged_url: str
    source: str
    medium: str
    campaign: str
    content: str | None


def build(url: str, *, campaign: str, platform: str, medium: str = "social",
          content: str | None = None) -> Link:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{url!r} is not a web address such as https://example.com/page")
    source, camp, med = slug(platform), slug(campaign), slug(medium)
    if not source or not camp or not med:
        raise ValueError("campaign, platform and medium need at least one letter or digit")
    cont = slug(content) if content else None
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith("utm_")]
    query += [("utm_source", source), ("utm_medium", med), ("utm_campaign", camp)]
    if cont:
        query.append(("utm_content", cont))
    tagged = urlunsplit((parts.scheme, parts.netloc, parts.path or "/", urlencode(query),
                         parts.fragment))
    return Link(url.strip(), tagged, source, med, camp, cont)


def remember(conn: Connection, link: Link) -> Link:
    upsert(conn, rt.tracked_links, [{
        "url": link.url, "tagged_url": link.tagged_url, "source": link.source,
        "medium": link.medium, "campaign": link.campaign, "content": link.content,
        "created_at": datetime.now(UTC)}], ["tagged_url"], update_cols=[])
    return link


def all_links(conn: Connection) -> list[Link]:
    r = rt.tracked_links
    return [Link(x.url, x.tagged_url, x.source, x.medium, x.campaign, x.content)
            for x in conn.execute(select(r).order_by(r.c.id))]
