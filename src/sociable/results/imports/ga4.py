"""Google Analytics 4 report download (CSV): `#` preamble lines, then one table.

Columns: Session source / medium (or Session source and Session medium, or the First user
and plain variants), Sessions, and optionally Date (YYYYMMDD), Session campaign, Total users,
Engaged sessions, Key events (or Conversions). Without a Date column every row covers the
report's range from the preamble's `# Start date:` and `# End date:` lines.
"""
from __future__ import annotations

from zoneinfo import ZoneInfo

from sociable.ingest.errors import LineError
from sociable.results.imports.common import day, decode, number, read_csv, whole
from sociable.results.imports.records import Parsed, Traffic

SOURCE_MEDIUM = ("session source / medium", "first user source / medium", "source / medium")
SOURCE = ("session source", "first user source", "source")
MEDIUM = ("session medium", "first user medium", "medium")
CAMPAIGN = ("session campaign", "first user campaign", "campaign", "session campaign name")
SESSIONS = ("sessions",)


def parse(data: bytes, path: str, tz: ZoneInfo) -> Parsed:
    out = Parsed("ga4", path)
    lines = decode(data, path).splitlines()
    start = end = None
    k = 0
    while k < len(lines) and (lines[k].startswith("#") or not lines[k].strip()):
        text = lines[k].lstrip("#").strip()
        for label in ("start date:", "end date:"):
            if text.lower().startswith(label):
                try:
                    value = day(text[len(label):].strip())
                except ValueError:
                    raise LineError(path, k + 1, label[:-1], f"{text!r} has no date such as "
                                    "20261101") from None
                start, end = (value, end) if label == "start date:" else (start, value)
        k += 1
    if k >= len(lines):
        raise LineError(path, max(1, k), None, "no table after the # lines")
    # The first table ends at the first blank line (GA4 may append more tables after it).
    stop = k
    while stop < len(lines) and lines[stop].strip() and not lines[stop].startswith("#"):
        stop += 1
    table = read_csv("\n".join(lines[k:stop]) + "\n", path, first_line=k + 1)
    out.errors += table.errors
    sm, src, med = table.has(*SOURCE_MEDIUM), table.has(*SOURCE), table.has(*MEDIUM)
    if not sm and not (src and med):
        raise LineError(path, k + 1, "Session source / medium", "no source / medium columns "
                        f"(found: {', '.join(table.headers)})")
    if not table.has(*SESSIONS):
        raise LineError(path, k + 1, "Sessions", f"no Sessions column (found: "
                        f"{', '.join(table.headers)})")
    has_date = table.has("date")
    if not has_date and (start is None or end is None):
        raise LineError(path, k + 1, "Date", "no Date column and no '# Start date' / "
                        "'# End date' lines to date the rows")
    for row in table.rows:
        first = next(iter(row.cells.values()), "")
        if first.lower() in ("grand total", "total", "totals"):
            continue
        if sm:
            source, _, medium = row.get(sm).partition(" / ")
        else:
            source, medium = row.get(src), row.get(med)
        try:
            d0 = d1 = day(row.get("date")) if has_date else None
        except ValueError:
            out.errors.append(LineError(path, row.line, "Date", f"{row.get('date')!r} is not a "
                                        "date such as 20261123"))
            continue
        try:
            sessions = round(number(row.get("sessions") or "0"))
            users = whole(row.get("total users", "users", "active users"))
            engaged = whole(row.get("engaged sessions"))
            key = row.get("key events", "conversions")
            key_events = number(key) if key else None
        except ValueError as exc:
            out.errors.append(LineError(path, row.line, "Sessions", f"{exc}"))
            continue
        out.records.append(Traffic(row.line, d0 or start, d1 or end, source.strip() or
                                   "(not set)", medium.strip() or "(not set)",
                                   row.get(*CAMPAIGN), sessions, users, engaged, key_events))
    return out
