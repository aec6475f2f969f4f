"""The Results page's content, shared by the web page, the weekly report and the digest:
headline sentences, goal progress and the charts with the numbers behind each.

    d = dashboard.build(store, now)
    d.headlines, d.progress, d.charts[0].svg, d.charts[0].csv
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sociable.results import charts as C
from sociable.results import goals as G
from sociable.results import metrics as M


@dataclass
class Chart:
    id: str
    title: str
    svg: str
    csv: str
    metric: str          # the figure to open for "who is behind this"
    grain: str


@dataclass
class Dashboard:
    now: datetime
    week: dict
    month: dict
    headlines: list[str]
    progress: list[G.Progress]
    charts: list[Chart] = field(default_factory=list)

    def chart(self, chart_id: str) -> Chart:
        for c in self.charts:
            if c.id == chart_id:
                return c
        raise LookupError(f"no chart {chart_id!r}; charts are: "
                          f"{', '.join(c.id for c in self.charts)}")


def _v(res: dict, name: str, k: int = -1):
    vals = M.series(res, name)
    return vals[k] if vals else None


def headlines(month: dict, week: dict) -> list[str]:
    fmt = G.fmt
    cur = month.get("currency", "USD")
    out = []
    people, known = _v(month, "engaged_people"), _v(month, "engaged_known")
    followers = _v(month, "followers")
    line = f"This month {fmt(people, 'people')} people interacted with you"
    if known is not None:
        line += f", {fmt(known, 'people')} of them people you know"
    if followers:
        line += f" — {people / followers:.0%} of your {followers:,} followers"
    out.append(line + ".")
    prev = _v(month, "engaged_people", -2)
    if prev:
        out.append(f"Last month: {prev:,} people.")
    conv = _v(week, "conversations", -2)
    med = _v(month, "first_response_median")
    if conv is not None:
        out.append(f"Last week {conv} conversations went back and forth"
                   + (f"; you answered in {med:.1f} business hours (median) this month."
                      if med is not None else "."))
    rev = _v(month, "revenue_engaged")
    if rev is not None:
        out.append(f"{fmt(rev, 'money', cur)} of sales this month came from people who "
                   f"interacted in the {month['attribution_days']} days before buying "
                   f"(of {fmt(_v(month, 'sales_total'), 'money', cur)} in all).")
    ret = _v(month, "ad_return", -2)
    if ret is not None:
        out.append(f"Last month every ad dollar brought back {ret:.1f}x.")
    return out


def build(store, now: datetime | None = None) -> Dashboard:
    now = now or datetime.now(UTC)
    memo: dict = {}
    week = M.results(store, "week", now, 12, memo=memo)
    month = M.results(store, "month", now, 12, memo=memo)
    progress = G.progress_all(store, now, memo=memo)
    d = Dashboard(now, week, month, headlines(month, week), progress)

    def add(cid, title, svg, labels, series, metric, res):
        d.charts.append(Chart(cid, title, svg, C.to_csv(labels, series, res["periods"]),
                              metric, res["grain"]))

    ml, wl = month["labels"], week["labels"]
    known = M.series(month, "engaged_known")
    people = M.series(month, "engaged_people")
    others = [p - k if p is not None and k is not None else None
              for p, k in zip(people, known)]
    followers = M.series(month, "followers")
    s = {"People you know": known, "Others": others}
    fl = [f for f in followers if f]
    note = (f"Followers, for context: {fl[-1]:,}; the engaged share this month is "
            f"{_v(month, 'engaged_share') or 0:.1f}%." if fl else "No follower counts yet.")
    add("engaged", "People who interacted, per month",
        C.bar_chart("People who interacted, per month", ml, s, stacked=True,
                    summary=C._summary(ml, {"people": people}, "") + ". " + note,
                    colours=("#1f6f8b", "#a8c5d1")),
        ml, s | {"Followers": followers, "Engaged share %": M.series(month, "engaged_share")},
        "engaged_people", month)
    share = {"Engaged share of followers": M.series(month, "engaged_share")}
    add("share", "Engaged share of followers",
        C.line_chart("Engaged share of followers (%)", ml, share, unit="percent"),
        ml, share | {"Followers": followers}, "engaged_share", month)
    conv = {"Conversations": M.series(week, "conversations")}
    add("conversations", "Conversations per week",
        C.bar_chart("Conversations per week", wl, conv), wl, conv, "conversations", week)
    goal = next((p.target for p in progress if p.metric == "first_response_median"), None)
    rt = {"Median": M.series(week, "first_response_median"),
          "9 in 10 within": M.series(week, "first_response_p90")}
    add("response", "First response time (business hours)",
        C.line_chart("First response time, business hours", wl, rt, unit="hours",
                     dashed=("9 in 10 within",), target=goal), wl, rt,
        "first_response_median", week)
    kinds = list(M.MOMENTS)
    recent = slice(-3, None)
    answered = [sum(month["moments"][k]["answered"][recent]) for k in kinds]
    missed = [sum(month["moments"][k]["missed"][recent]) for k in kinds]
    waiting = [sum(month["moments"][k]["open"][recent]) for k in kinds]
    mk = {"Answered": answered, "Missed": missed, "Still open": waiting}
    labels = [k.replace("_", " ") for k in kinds]
    svg = C.bar_chart("Moments answered, last 3 months", labels, mk, stacked=True,
                      colours=("#2a9d8f", "#e07a5f", "#cccccc"))
    d.charts.append(Chart("moments", "Moments answered by kind", svg,
                          C.to_csv(labels, mk, kinds), "moments_answered", "month"))
    engaged_rev = M.series(month, "revenue_engaged")
    total = M.series(month, "sales_total")
    other = [t - e if t is not None and e is not None else None
             for t, e in zip(total, engaged_rev)]
    rv = {"From engaged customers": engaged_rev, "Other sales": other}
    add("revenue", "Revenue from engaged customers",
        C.bar_chart("Sales from people who interacted first", ml, rv, unit="money",
                    stacked=True, colours=("#81b29a", "#dddddd")),
        ml, rv | {"Ad spend": M.series(month, "ad_spend"),
                  "Ad return": M.series(month, "ad_return")}, "revenue_engaged", month)
    fb = {"Praise share %": M.series(month, "praise_share")}
    add("feedback", "Praise vs complaints",
        C.line_chart("Praise share of feedback", ml, fb, unit="percent"),
        ml, fb | {"Complaints": M.series(month, "complaints")}, "praise_share", month)
    if any(v for v in M.series(month, "web_sessions") if v):
        web = {"All sessions": M.series(month, "web_sessions"),
               "From social": M.series(month, "web_sessions_social")}
        add("traffic", "Website visits", C.line_chart("Website sessions", ml, web), ml, web,
            "web_sessions_social", month)
    if progress:
        bars = "".join(C.progress_bar(f"{p.label} ({p.period})", p.percent, p.status,
                                      p.sentence) for p in progress)
        rows = {"value": [p.value for p in progress], "target": [p.target for p in progress],
                "projected": [p.projected for p in progress]}
        names = [f"{p.metric}/{p.period}" for p in progress]
        d.charts.append(Chart("goals", "Goals", f'<div class="goalbars">{bars}</div>',
                              C.to_csv(names, rows), "", "month"))
    return d
