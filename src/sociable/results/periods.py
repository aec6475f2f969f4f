"""Periods in the store's time zone: day, week (ISO, Monday first), month, quarter.

    p = Period.containing("month", datetime.now(UTC), ZoneInfo("America/New_York"))
    p.key, p.start, p.end, p.previous()

Keys sort in time order and read well: 2026-11-23, 2026-W48, 2026-11, 2026-Q4.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

GRAINS = ("day", "week", "month", "quarter")


def first_day(grain: str, d: date) -> date:
    if grain == "day":
        return d
    if grain == "week":
        return d - timedelta(days=d.weekday())
    if grain == "month":
        return d.replace(day=1)
    if grain == "quarter":
        return date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)
    raise ValueError(f"period must be one of {', '.join(GRAINS)}, not {grain!r}")


def next_first_day(grain: str, d: date) -> date:
    d = first_day(grain, d)
    if grain == "day":
        return d + timedelta(days=1)
    if grain == "week":
        return d + timedelta(days=7)
    months = 1 if grain == "month" else 3
    m = d.month - 1 + months
    return date(d.year + m // 12, m % 12 + 1, 1)


def key_of(grain: str, d: date) -> str:
    d = first_day(grain, d)
    if grain == "day":
        return d.isoformat()
    if grain == "week":
        y, w, _ = d.isocalendar()
        return f"{y}-W{w:02d}"
    if grain == "month":
        return f"{d.year}-{d.month:02d}"
    return f"{d.year}-Q{(d.month - 1) // 3 + 1}"


def parse_key(key: str) -> tuple[str, date]:
    """The grain and first day of a period key such as 2026-W48."""
    try:
        if "-W" in key:
            y, w = key.split("-W")
            return "week", date.fromisocalendar(int(y), int(w), 1)
        if "-Q" in key:
            y, q = key.split("-Q")
            return "quarter", date(int(y), 3 * (int(q) - 1) + 1, 1)
        if len(key) == 7:
            return "month", date(int(key[:4]), int(key[5:]), 1)
        return "day", date.fromisoformat(key)
    except ValueError:
        raise ValueError(f"{key!r} is not a period such as 2026-11-23, 2026-W48, 2026-11 "
                         "or 2026-Q4") from None


@dataclass(frozen=True)
class Period:
    grain: str
    first: date          # first local day
    tz: ZoneInfo

    @classmethod
    def containing(cls, grain: str, at: datetime, tz: ZoneInfo) -> Period:
        return cls(grain, first_day(grain, at.astimezone(tz).date()), tz)

    @classmethod
    def of_key(cls, key: str, tz: ZoneInfo) -> Period:
        grain, first = parse_key(key)
        return cls(grain, first, tz)

    @property
    def key(self) -> str:
        return key_of(self.grain, self.first)

    @property
    def last(self) -> date:
        """The last local day."""
        return next_first_day(self.grain, self.first) - timedelta(days=1)

    @property
    def start(self) -> datetime:
        """First instant, UTC."""
        return datetime.combine(self.first, time(), self.tz).astimezone(UTC)

    @property
    def end(self) -> datetime:
        """First instant after the period, UTC."""
        return datetime.combine(next_first_day(self.grain, self.first), time(),
                                self.tz).astimezone(UTC)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self, n: int = 1) -> Period:
        p = self
        for _ in range(n):
            p = Period(self.grain, first_day(self.grain, p.first - timedelta(days=1)), self.tz)
        return p

    def next(self) -> Period:
        return Period(self.grain, next_first_day(self.grain, self.first), self.tz)

    def elapsed(self, now: datetime) -> float:
        """Share of the period gone by at `now`, 0..1."""
        total = (self.end - self.start).total_seconds()
        return min(1.0, max(0.0, (now - self.start).total_seconds() / total))

    def label(self) -> str:
        if self.grain == "day":
            return self.first.strftime("%a %b %d").replace(" 0", " ")
        if self.grain == "week":
            return "week of " + self.first.strftime("%b %d").replace(" 0", " ")
        if self.grain == "month":
            return self.first.strftime("%B %Y")
        return self.key.replace("-", " ")

    def short(self) -> str:
        if self.grain in ("day", "week"):
            return self.first.strftime("%b %d").replace(" 0", " ")
        if self.grain == "month":
            return self.first.strftime("%b")
        return self.key[-2:]


def last_n(grain: str, now: datetime, tz: ZoneInfo, n: int) -> list[Period]:
    """The `n` periods up to and including the one containing `now`, oldest first."""
    p = Period.containing(grain, now, tz)
    out = [p]
    for _ in range(n - 1):
        out.append(out[-1].previous())
    return out[::-1]
