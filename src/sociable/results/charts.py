"""Charts as plain SVG strings (no JavaScript), and sparklines for the terminal.

    svg = line_chart("People who interacted", labels, {"people": [...], "followers": [...]})

Every chart has a title, a sentence that says what it shows (for screen readers and people who
do not read charts), readable labels on a phone, and no colour that carries meaning alone.
"""
from __future__ import annotations

import csv
import io
import math
from html import escape

PALETTE = ("#1f6f8b", "#e07a5f", "#3d405b", "#81b29a", "#f2cc8f", "#9c6644")
FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif"
SPARKS = "▁▂▃▄▅▆▇█"


def sparkline(values: list[float | None]) -> str:
    nums = [v for v in values if v is not None]
    if not nums:
        return ""
    lo, hi = min(nums), max(nums)
    out = []
    for v in values:
        if v is None:
            out.append(" ")
        else:
            k = 0 if hi == lo else round((v - lo) / (hi - lo) * (len(SPARKS) - 1))
            out.append(SPARKS[k])
    return "".join(out)


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    exp = 10 ** math.floor(math.log10(value))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * exp >= value:
            return step * exp
    return 10 * exp


def _fmt(v: float, unit: str = "") -> str:
    if unit == "money":
        return f"${v:,.0f}" if abs(v) >= 10 else f"${v:,.2f}"
    if unit == "percent":
        return f"{v:.0f}%"
    if unit == "hours":
        return f"{v:.1f}h"
    if unit == "ratio":
        return f"{v:.1f}x"
    if abs(v) >= 10_000:
        return f"{v / 1000:,.0f}k"
    return f"{v:,.0f}" if abs(v) >= 10 or v == int(v) else f"{v:.1f}"


def _frame(title: str, summary: str, width: int, height: int, body: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="100%" role="img" aria-label="{escape(title)}: {escape(summary)}" '
            f'style="{FONT};max-width:{width}px">'
            f"<title>{escape(title)}</title><desc>{escape(summary)}</desc>"
            f'<text x="0" y="18" font-size="16" font-weight="600" fill="#222">{escape(title)}'
            f"</text>{body}</svg>")


def _axes(labels: list[str], top: float, unit: str, width: int, height: int,
          left: int = 48, bottom: int = 28, head: int = 54) -> tuple[str, callable, callable]:
    plot_w, plot_h = width - left - 12, height - head - bottom
    n = max(1, len(labels))

    def x(k: float) -> float:
        return left + (k + 0.5) * plot_w / n

    def y(v: float) -> float:
        return head + plot_h - (v / top) * plot_h

    parts = []
    for k in range(5):
        v = top * k / 4
        parts.append(f'<line x1="{left}" x2="{width - 12}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
                     f'stroke="#e5e5e5"/>'
                     f'<text x="{left - 6}" y="{y(v) + 4:.1f}" font-size="11" fill="#666" '
                     f'text-anchor="end">{escape(_fmt(v, unit))}</text>')
    every = max(1, math.ceil(n / 8))
    for k, label in enumerate(labels):
        if k % every == 0 or k == n - 1:
            parts.append(f'<text x="{x(k):.1f}" y="{height - 8}" font-size="11" fill="#666" '
                         f'text-anchor="middle">{escape(label)}</text>')
    return "".join(parts), x, y


def _legend(names: list[str], styles: list[str], y0: int = 38) -> str:
    out, x0 = [], 0
    for k, (name, colour) in enumerate(zip(names, styles)):
        out.append(f'<rect x="{x0}" y="{y0 - 9}" width="12" height="12" rx="2" fill="{colour}"/>'
                   f'<text x="{x0 + 17}" y="{y0 + 1}" font-size="12" fill="#333">'
                   f"{escape(name)}</text>")
        x0 += 30 + 7 * len(name)
    return "".join(out)


def line_chart(title: str, labels: list[str], series: dict[str, list[float | None]], *,
               unit: str = "", width: int = 640, height: int = 260, dashed: tuple = (),
               target: float | None = None, summary: str = "") -> str:
    nums = [v for vals in series.values() for v in vals if v is not None]
    top = _nice_max(max(nums + ([target] if target else []) + [0]))
    grid, x, y = _axes(labels, top, unit, width, height)
    body = [grid]
    if target is not None:
        body.append(f'<line x1="48" x2="{width - 12}" y1="{y(target):.1f}" y2="{y(target):.1f}" '
                    f'stroke="#2a9d8f" stroke-width="2" stroke-dasharray="6 4"/>'
                    f'<text x="{width - 14}" y="{y(target) - 5:.1f}" font-size="11" '
                    f'fill="#2a9d8f" text-anchor="end">goal {escape(_fmt(target, unit))}</text>')
    for k, (name, values) in enumerate(series.items()):
        colour = PALETTE[k % len(PALETTE)]
        dash = ' stroke-dasharray="5 4"' if name in dashed else ""
        pts = [(x(i), y(v)) for i, v in enumerate(values) if v is not None]
        if len(pts) > 1:
            body.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2.5"{dash} '
                        f'points="{" ".join(f"{a:.1f},{b:.1f}" for a, b in pts)}"/>')
        for a, b in pts:
            body.append(f'<circle cx="{a:.1f}" cy="{b:.1f}" r="3" fill="{colour}"/>')
        last = [(i, v) for i, v in enumerate(values) if v is not None]
        if last:
            i, v = last[-1]
            body.append(f'<text x="{x(i) - 4:.1f}" y="{y(v) - 8:.1f}" font-size="12" '
                        f'font-weight="600" fill="{colour}" text-anchor="end">'
                        f"{escape(_fmt(v, unit))}</text>")
    body.append(_legend(list(series), [PALETTE[k % len(PALETTE)] for k in range(len(series))]))
    return _frame(title, summary or _summary(labels, series, unit), width, height, "".join(body))


def bar_chart(title: str, labels: list[str], series: dict[str, list[float | None]], *,
              unit: str = "", width: int = 640, height: int = 260, stacked: bool = False,
              summary: str = "", colours: tuple[str, ...] = PALETTE) -> str:
    n = len(labels)
    if stacked:
        totals = [sum(v or 0 for v in vals) for vals in zip(*series.values())] or [0]
        top = _nice_max(max(totals + [0]))
    else:
        top = _nice_max(max([v or 0 for vals in series.values() for v in vals] + [0]))
    grid, x, y = _axes(labels, top, unit, width, height)
    slot = (width - 60) / max(1, n)
    bar_w = slot * 0.7 / (1 if stacked else max(1, len(series)))
    body = [grid]
    base = [0.0] * n
    for s, (name, values) in enumerate(series.items()):
        colour = colours[s % len(colours)]
        for k, v in enumerate(values):
            if not v:
                continue
            if stacked:
                x0 = x(k) - bar_w / 2
                y1, y0 = y(base[k] + v), y(base[k])
                base[k] += v
            else:
                x0 = x(k) - slot * 0.35 + s * bar_w
                y1, y0 = y(v), y(0)
            body.append(f'<rect x="{x0:.1f}" y="{y1:.1f}" width="{bar_w:.1f}" '
                        f'height="{max(0.5, y0 - y1):.1f}" fill="{colour}">'
                        f"<title>{escape(name)} {escape(labels[k])}: "
                        f"{escape(_fmt(v, unit))}</title></rect>")
    if stacked and n:
        k = n - 1
        body.append(f'<text x="{x(k):.1f}" y="{y(base[k]) - 6:.1f}" font-size="12" '
                    f'font-weight="600" fill="#222" text-anchor="middle">'
                    f"{escape(_fmt(base[k], unit))}</text>")
    body.append(_legend(list(series), [colours[k % len(colours)] for k in range(len(series))]))
    return _frame(title, summary or _summary(labels, series, unit), width, height, "".join(body))


def progress_bar(label: str, percent: float, status: str, text: str, *,
                 width: int = 640) -> str:
    colour = {"met": "#2a9d8f", "on track": "#2a9d8f", "behind": "#e07a5f"}.get(status, "#999")
    w = max(0.0, min(100.0, percent)) / 100 * (width - 4)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 46" width="100%" '
            f'role="img" aria-label="{escape(text)}" style="{FONT};max-width:{width}px">'
            f'<text x="0" y="15" font-size="14" fill="#222">{escape(label)}</text>'
            f'<text x="{width}" y="15" font-size="13" fill="{colour}" text-anchor="end" '
            f'font-weight="600">{escape(status)}</text>'
            f'<rect x="2" y="24" width="{width - 4}" height="16" rx="8" fill="#eee"/>'
            f'<rect x="2" y="24" width="{w:.1f}" height="16" rx="8" fill="{colour}"/></svg>')


def _summary(labels: list[str], series: dict[str, list], unit: str) -> str:
    parts = []
    for name, values in series.items():
        known = [(lab, v) for lab, v in zip(labels, values) if v is not None]
        if known:
            (l0, v0), (l1, v1) = known[0], known[-1]
            parts.append(f"{name} went from {_fmt(v0, unit)} ({l0}) to {_fmt(v1, unit)} ({l1})")
    return "; ".join(parts) or "no data yet"


def to_csv(labels: list[str], series: dict[str, list], periods: list[str] | None = None) -> str:
    """The numbers behind a chart, one row per period."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["period", *series])
    for k, label in enumerate(periods or labels):
        w.writerow([label, *["" if vals[k] is None else vals[k] for vals in series.values()]])
    return buf.getvalue()
