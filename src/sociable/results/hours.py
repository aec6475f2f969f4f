"""Business hours: how much of the store's open time lies between two instants.

Hours are written like the store's `hours` setting: {"mon": "10:00-18:00", "sun": "closed"};
a day that is missing is closed. "09:00-12:00,13:00-17:00" gives two spans.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT = {d: "09:00-17:00" for d in DAYS[:5]} | {"sat": "closed", "sun": "closed"}


def _parse_time(text: str) -> time:
    text = text.strip()
    if text in ("24:00", "24"):
        return time(23, 59, 59, 999999)
    h, _, m = text.partition(":")
    return time(int(h), int(m or 0))


def parse_spans(spec: dict) -> dict[int, list[tuple[time, time]]]:
    """{weekday: [(open, close), ...]}; raises ValueError with the bad day and text."""
    if not isinstance(spec, dict):
        raise ValueError('business hours must be like {"mon": "10:00-18:00", "sun": "closed"}')
    out: dict[int, list[tuple[time, time]]] = {i: [] for i in range(7)}
    for key, value in spec.items():
        day = str(key).strip().lower()[:3]
        if day not in DAYS:
            raise ValueError(f"{key!r} is not a day (mon, tue, wed, thu, fri, sat, sun)")
        text = str(value).strip().lower()
        if text in ("closed", "", "-"):
            continue
        for part in text.split(","):
            a, sep, b = part.partition("-")
            try:
                start, end = _parse_time(a), _parse_time(b)
            except ValueError:
                raise ValueError(f"{key}: {value!r} is not like 10:00-18:00") from None
            if not sep or end <= start:
                raise ValueError(f"{key}: {value!r} is not like 10:00-18:00")
            out[DAYS.index(day)].append((start, end))
    return out


@dataclass
class BusinessHours:
    tz: ZoneInfo
    spans: dict[int, list[tuple[time, time]]]

    @classmethod
    def from_spec(cls, spec: dict | None, tz: ZoneInfo) -> BusinessHours:
        return cls(tz, parse_spans(spec or DEFAULT))

    @property
    def weekly_hours(self) -> float:
        return sum((datetime.combine(datetime.min, b) - datetime.combine(datetime.min, a))
                   .total_seconds() for spans in self.spans.values() for a, b in spans) / 3600

    def between(self, a: datetime, b: datetime, *, max_days: int = 120) -> float:
        """Open hours from `a` to `b` (0 when b <= a)."""
        if b <= a or self.weekly_hours == 0:
            return 0.0
        la, lb = a.astimezone(self.tz), b.astimezone(self.tz)
        total = 0.0
        day = la.date()
        last = min(lb.date(), day + timedelta(days=max_days))
        while day <= last:
            for start, end in self.spans[day.weekday()]:
                s = datetime.combine(day, start, self.tz)
                e = datetime.combine(day, end, self.tz)
                lo, hi = max(s, la), min(e, lb)
                if hi > lo:
                    total += (hi - lo).total_seconds()
            day += timedelta(days=1)
        return total / 3600
