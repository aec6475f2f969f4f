"""Goals: a metric, a target, a period and the owner's words for why; and how each is doing.

    progress = goals.progress_all(store, now)
    progress[0].status   # "met", "on track", "behind" or "no data"
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sociable.results import metrics as M
from sociable.results.periods import GRAINS
from sociable.store import results as repo

TREND = 6  # periods shown in a goal's trend


def parse_target(text: str | float) -> float:
    """'150', '$8,000', '3x', '2h', '60%' -> a number."""
    if isinstance(text, (int, float)):
        return float(text)
    clean = re.sub(r"[\s$€£,]|(?<=\d)(x|h|hrs?|hours?|%)$", "", text.strip().lower())
    try:
        value = float(clean)
    except ValueError:
        raise ValueError(f"target {text!r} is not a number such as 150, $8,000, 3x, 2h "
                         "or 60%") from None
    if value < 0:
        raise ValueError("a target cannot be negative")
    return value


def check(metric: str, period: str) -> None:
    M.metric(metric)
    if period not in GRAINS:
        raise ValueError(f"period must be one of {', '.join(GRAINS)}, not {period!r}")


def add(conn, metric: str, target: str | float, period: str, why: str = "") -> int:
    check(metric, period)
    return repo.add_goal(conn, metric, parse_target(target), period, why.strip())


def edit(conn, goal_id: int, *, metric: str | None = None, target: str | float | None = None,
         period: str | None = None, why: str | None = None, archived: bool | None = None):
    current = repo.get_goal(conn, goal_id)
    check(metric or current.metric, period or current.period)
    return repo.edit_goal(conn, goal_id, metric=metric,
                          target=None if target is None else parse_target(target),
                          period=period, why=None if why is None else why.strip(),
                          archived=archived)


def fmt(value: float | None, unit: str, currency: str = "USD") -> str:
    if value is None:
        return "—"
    if unit == "money":
        sign = {"USD": "$", "EUR": "€", "GBP": "£", "CAD": "$", "AUD": "$"}.get(currency, "")
        text = f"{value:,.2f}" if abs(value) < 100 and value != int(value) else f"{value:,.0f}"
        return f"{sign}{text}" if sign else f"{text} {currency}"
    if unit == "percent":
        return f"{value:.0f}%"
    if unit == "hours":
        return f"{value:.1f} h"
    if unit == "ratio":
        return f"{value:.1f}x"
    return f"{value:,.0f}"


@dataclass
class Progress:
    id: int
    metric: str
    label: str
    unit: str
    better: str
    period: str
    period_key: str
    target: float
    why: str
    value: float | None            # so far in the current period
    projected: float | None        # at the period's end, at the pace so far
    status: str                    # met, on track, behind, no data
    elapsed: float
    trend: list[float | None] = field(default_factory=list)   # last periods, oldest first
    trend_labels: list[str] = field(default_factory=list)
    previous: float | None = None
    currency: str = "USD"

    @property
    def sentence(self) -> str:
        """One line a person reads: 'People who interacted: 96 of 150 this month, on track'."""
        f = lambda v: fmt(v, self.unit, self.currency)
        comparison = "under" if self.better == "down" else "of"
        text = f"{self.label}: {f(self.value)} {comparison} {f(self.target)} this {self.period}"
        if self.projected is not None and self.projected != self.value and self.status != "met":
            text += f" (heading for {f(self.projected)})"
        return f"{text} — {self.status}"

    @property
    def percent(self) -> float:
        if self.value is None or not self.target:
            return 0.0
        if self.better == "down":
            return 100.0 if self.value <= self.target else 100.0 * self.target / self.value
        return min(100.0, 100.0 * self.value / self.target)


def evaluate(goal: repo.GoalRow, res: dict) -> Progress:
    m = M.metric(goal.metric)
    values = M.series(res, goal.metric)
    value = values[-1]
    elapsed = res["elapsed"][-1]
    projected = value
    if value is not None and m.additive:
        projected = round(value / elapsed, 2) if elapsed >= 0.05 else None
    if value is None:
        status = "no data"
    elif m.better == "up":
        if m.additive and value >= goal.target:
            status = "met"
        else:
            status = "on track" if (projected if projected is not None else value) \
                >= goal.target else "behind"
    else:
        status = "on track" if value <= goal.target else "behind"
    return Progress(goal.id, goal.metric, m.label, m.unit, m.better, goal.period,
                    res["periods"][-1], goal.target, goal.why, value, projected, status,
                    elapsed, values[-TREND:], res["labels"][-TREND:],
                    values[-2] if len(values) > 1 else None, res.get("currency", "USD"))


def progress_all(store, now: datetime | None = None, *, memo: dict | None = None
                 ) -> list[Progress]:
    now = now or datetime.now(UTC)
    memo = {} if memo is None else memo
    with store.begin() as conn:
        rows = repo.goals(conn)
    by_grain: dict[str, dict] = {}
    out = []
    for g in rows:
        if g.period not in by_grain:
            by_grain[g.period] = M.results(store, g.period, now, memo=memo)
        out.append(evaluate(g, by_grain[g.period]))
    return out
