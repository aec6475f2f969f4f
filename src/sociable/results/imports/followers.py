"""Follower counts over time, from a plain CSV: one row per date and platform.

Columns (any order, case-insensitive): date (or day), platform, followers (or count,
follower count), and optionally account (the store's account on that platform; without it,
each platform counts as one account). Counts are context only: people who interact are what
the figures are about.

    date,platform,account,followers
    2026-11-01,instagram,brennanjewelers,2450
"""
from __future__ import annotations

from zoneinfo import ZoneInfo

from sociable.ingest.errors import LineError
from sociable.results.imports.common import day, decode, number, read_csv, require
from sociable.results.imports.records import Followers, Parsed

DATE = ("date", "day", "on")
PLATFORM = ("platform", "network", "site")
COUNT = ("followers", "follower count", "count", "followers count")
ACCOUNT = ("account", "handle", "username")


def parse(data: bytes, path: str, tz: ZoneInfo) -> Parsed:
    out = Parsed("followers", path)
    table = read_csv(decode(data, path), path)
    out.errors += table.errors
    require(table, DATE, PLATFORM, COUNT)
    seen: dict[tuple, int] = {}
    for row in table.rows:
        try:
            on = day(row.get(*DATE))
        except ValueError:
            out.errors.append(LineError(path, row.line, "date", f"{row.get(*DATE)!r} is not a "
                                        "date such as 2026-11-01"))
            continue
        platform = row.get(*PLATFORM).strip().lower()
        if not platform or len(platform) > 40 or not platform.replace(".", "").replace(
                "_", "").replace("-", "").isalnum():
            out.errors.append(LineError(path, row.line, "platform", f"{platform!r} is not a "
                                        "platform such as instagram or facebook"))
            continue
        text = row.get(*COUNT)
        try:
            value = number(text)
        except ValueError:
            value = -1.0
        if value < 0 or value != int(value) or value > 2_000_000_000:
            out.errors.append(LineError(path, row.line, "followers", f"{text!r} is not a "
                                        "whole number of followers such as 2450"))
            continue
        account = row.get(*ACCOUNT).strip().lstrip("@")[:200]
        key = (platform, account, on)
        if key in seen:
            out.errors.append(LineError(path, row.line, "date", f"{platform} "
                                        f"{account + ' ' if account else ''}on {on} is already "
                                        f"on line {seen[key]}"))
            continue
        seen[key] = row.line
        out.records.append(Followers(row.line, on, platform, account, int(value)))
    return out
