"""The Results and Goals pages (owner only): charts first, numbers one click away.

Mount with `app.include_router(sociable.results.web.router)`; the store is
`request.app.state.store`. Pages: /results, /results/chart/{id}.svg|.csv, /results/behind,
/results/report, /results/import (upload, preview, confirm), /goals.

The JSON API (owner only, in the OpenAPI document) is `api_router`:
`app.include_router(sociable.results.web.api_router)`. GET /api/results?grain=month,
GET /api/results/behind?metric=&period=, GET /api/goals, POST /api/goals,
PATCH /api/goals/{goal_id}.
"""
from __future__ import annotations

import csv
import io
import re
import secrets
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, HTTPException, Query, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from sociable.results import attribution, dashboard, imports
from sociable.results import goals as G
from sociable.results import metrics as M
from sociable.results.report import templates, weekly_html
from sociable.store import results as repo
from sociable.web.auth import Owner

router = APIRouter(include_in_schema=False)  # HTML pages and CSV downloads, not the JSON API
api_router = APIRouter(prefix="/api", tags=["results"])  # the JSON API, in the OpenAPI document
UPLOADS = Path(tempfile.gettempdir()) / "sociable-uploads"
MAX_UPLOAD = 50 * 1024 * 1024


def _store(request: Request):
    return request.app.state.store


def _now(request: Request) -> datetime:
    # Tests and demos may pin the clock: app.state.results_now.
    return getattr(request.app.state, "results_now", None) or datetime.now(UTC)


TITLES = {"results.html": "Results", "goals.html": "Goals", "import.html": "Import results"}


def _page_env():
    """The results templates, able to extend the web app's base.html (shared header, nav and
    styles); the weekly report keeps its own standalone layout (`report.templates`)."""
    from importlib.resources import files

    from jinja2 import ChoiceLoader, FileSystemLoader

    env = templates().overlay(loader=ChoiceLoader([
        FileSystemLoader(str(files("sociable.results") / "templates")),
        FileSystemLoader(str(files("sociable.web") / "templates"))]))
    return env


_pages = _page_env()


def _render(name: str, principal, **context) -> HTMLResponse:
    context.setdefault("title", TITLES.get(name, "Results"))
    return HTMLResponse(_pages.get_template(name).render(me=principal.user, csrf=principal.csrf
                                                         or "", **context))


@router.get("/results", response_class=HTMLResponse)
def results_page(request: Request, me: Owner):
    d = dashboard.build(_store(request), _now(request))
    return _render("results.html", me, d=d, period_key=d.month["periods"][-1])


@router.get("/results/chart/{name}")
def chart_file(request: Request, name: str, me: Owner):
    chart_id, _, ext = name.rpartition(".")
    if ext not in ("svg", "csv"):
        raise HTTPException(404, "charts are .svg or .csv")
    d = dashboard.build(_store(request), _now(request))
    try:
        c = d.chart(chart_id)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from None
    if ext == "csv":
        return Response(c.csv, media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="sociable-{chart_id}.csv"'})
    svg = c.svg if c.svg.startswith("<svg") else \
        f'<svg xmlns="http://www.w3.org/2000/svg"><text y="20">{c.title}</text></svg>'
    return Response(svg, media_type="image/svg+xml")


@router.get("/results/behind", response_class=HTMLResponse)
def behind_page(request: Request, me: Owner, metric: str, period: str, format: str = "html"):
    try:
        found = attribution.behind(_store(request), metric, period, _now(request))
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from None
    if format == "csv":
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(found.columns)
        w.writerows(found.rows)
        return Response(buf.getvalue(), media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="sociable-{metric}-{period}.csv"'})
    return _render("behind.html", me, title=found.title, found=found, metric=metric, period=period,
                   m=M.METRICS[metric])


@router.get("/results/report", response_class=HTMLResponse)
def report_page(request: Request, me: Owner):
    return HTMLResponse(weekly_html(_store(request), _now(request)))


# --- goals ----------------------------------------------------------------------------------

def _goals_page(request: Request, me, error: str = "", status: int = 200):
    store = _store(request)
    progress = G.progress_all(store, _now(request))
    with store.begin() as conn:
        rows = repo.goals(conn, archived=True)
    archived = [g for g in rows if g.archived]
    response = _render("goals.html", me, progress=progress, archived=archived,
                       metrics=M.METRICS, error=error)
    response.status_code = status
    return response


@router.get("/goals", response_class=HTMLResponse)
def goals_page(request: Request, me: Owner):
    return _goals_page(request, me)


@router.post("/goals")
def goals_add(request: Request, me: Owner, metric: Annotated[str, Form()],
              target: Annotated[str, Form()], period: Annotated[str, Form()],
              why: Annotated[str, Form()] = ""):
    try:
        with _store(request).begin() as conn:
            G.add(conn, metric, target, period, why)
    except ValueError as exc:
        return _goals_page(request, me, str(exc), 400)
    return RedirectResponse("/goals", status_code=303)


@router.post("/goals/{goal_id}")
def goals_edit(request: Request, me: Owner, goal_id: int,
               target: Annotated[str | None, Form()] = None,
               period: Annotated[str | None, Form()] = None,
               why: Annotated[str | None, Form()] = None,
               action: Annotated[str, Form()] = "save"):
    try:
        with _store(request).begin() as conn:
            G.edit(conn, goal_id, target=target or None, period=period or None, why=why,
                   archived=True if action == "archive" else False if action == "restore"
                   else None)
    except LookupError as exc:
        raise HTTPException(404, str(exc)) from None
    except ValueError as exc:
        return _goals_page(request, me, str(exc), 400)
    return RedirectResponse("/goals", status_code=303)


# --- imports --------------------------------------------------------------------------------

@router.get("/results/import", response_class=HTMLResponse)
def import_page(request: Request, me: Owner):
    with _store(request).begin() as conn:
        recent = repo.imports(conn)
    return _render("import.html", me, kinds=imports.KINDS, recent=recent, preview=None)


@router.post("/results/import", response_class=HTMLResponse)
async def import_preview(request: Request, me: Owner, kind: Annotated[str, Form()],
                         file: Annotated[UploadFile, File()]):
    data = await file.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise HTTPException(413, "the file is larger than 50 MB")
    name = Path(file.filename or "upload").name
    try:
        kind = imports.kind_of(kind)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from None
    store = _store(request)
    with store.begin() as conn:
        tz = repo.timezone(conn)
    parsed = imports.parse_bytes(kind, data, name, tz)
    token = ""
    if not parsed.errors:
        UPLOADS.mkdir(parents=True, exist_ok=True)
        token = secrets.token_urlsafe(16)
        (UPLOADS / f"{token}.{kind}").write_bytes(data)
        (UPLOADS / f"{token}.name").write_text(name, encoding="utf-8")
    with store.begin() as conn:
        recent = repo.imports(conn)
    response = _render("import.html", me, kinds=imports.KINDS, recent=recent,
                       preview=imports.preview(parsed), token=token, kind=kind)
    response.status_code = 200 if not parsed.errors else 422
    return response


@router.post("/results/import/confirm")
def import_confirm(request: Request, me: Owner, token: Annotated[str, Form()]):
    if not re.fullmatch(r"[A-Za-z0-9_-]{10,40}", token):
        raise HTTPException(400, "bad upload token")
    found = list(UPLOADS.glob(f"{token}.*"))
    data_file = next((f for f in found if f.suffix != ".name"), None)
    if data_file is None:
        raise HTTPException(404, "this upload has expired; upload the file again")
    kind = data_file.suffix[1:]
    name = (UPLOADS / f"{token}.name").read_text(encoding="utf-8")
    data = data_file.read_bytes()
    store = _store(request)
    with store.begin() as conn:
        tz = repo.timezone(conn)
    try:
        imports.save(store, imports.parse_bytes(kind, data, name, tz), data)
    except imports.ImportFailed as exc:  # pragma: no cover - checked at preview
        raise HTTPException(422, str(exc)) from None
    finally:
        for f in found:
            f.unlink(missing_ok=True)
    return RedirectResponse("/results", status_code=303)


# --- the JSON API (owner only) ------------------------------------------------------------

Grain = Literal["day", "week", "month", "quarter"]
GoalPeriod = Literal["day", "week", "month", "quarter"]
Target = Annotated[str | float, Field(description="150, $8,000, 3x, 2h or 60%; or a number")]


class GoalIn(BaseModel):
    metric: str = Field(..., max_length=60, description="A metric name, see GET /api/results")
    target: Target
    period: GoalPeriod = "month"
    why: str = Field("", max_length=2000, description="In the owner's words: why it matters")


class GoalPatch(BaseModel):
    metric: str | None = Field(None, max_length=60)
    target: Target | None = None
    period: GoalPeriod | None = None
    why: str | None = Field(None, max_length=2000)
    archived: bool | None = None


class GoalOut(BaseModel):
    id: int
    metric: str
    target: float
    period: str
    why: str
    archived: bool
    label: str | None = None
    unit: str | None = None
    period_key: str | None = Field(None, description="The current period, e.g. 2026-11")
    value: float | None = Field(None, description="So far in the current period")
    projected: float | None = Field(None, description="At the period's end, at this pace")
    status: str | None = Field(None, description="met, on track, behind or no data")
    sentence: str | None = None
    trend: list[float | None] = []
    trend_labels: list[str] = []


class BehindOut(BaseModel):
    metric: str
    period: str
    title: str
    columns: list[str]
    rows: list[list]
    note: str = ""


def _goal_out(g: repo.GoalRow, progress: dict[int, G.Progress]) -> GoalOut:
    p = progress.get(g.id)
    out = GoalOut(id=g.id, metric=g.metric, target=g.target, period=g.period, why=g.why,
                  archived=g.archived)
    if p is not None:
        out = out.model_copy(update={
            "label": p.label, "unit": p.unit, "period_key": p.period_key, "value": p.value,
            "projected": p.projected, "status": p.status, "sentence": p.sentence,
            "trend": p.trend, "trend_labels": p.trend_labels})
    return out


def _goals_out(request: Request, only: int | None = None) -> list[GoalOut]:
    store = _store(request)
    progress = {p.id: p for p in G.progress_all(store, _now(request))}
    with store.begin() as conn:
        rows = repo.goals(conn, archived=True)
    return [_goal_out(g, progress) for g in rows if only is None or g.id == only]


@api_router.get("/results")
def api_results(request: Request, me: Owner, grain: Grain = "month",
                count: Annotated[int | None, Query(ge=1, le=120, description="How many "
                                                   "periods, oldest first")] = None) -> dict:
    """Every metric per period (the last `count` periods of `grain`, the current one last,
    so far), with the metrics' descriptions. Cached until the data changes."""
    res = M.results(_store(request), grain, _now(request), count)
    return res | {"metrics": {m.name: {"label": m.label, "unit": m.unit, "better": m.better,
                                       "additive": m.additive, "help": m.help}
                              for m in M.METRICS.values()}}


@api_router.get("/results/behind")
def api_behind(request: Request, me: Owner,
               metric: Annotated[str, Query(max_length=60, description="A metric name")],
               period: Annotated[str, Query(max_length=20, description="2026-11-23, 2026-W48, "
                                            "2026-11 or 2026-Q4")]) -> BehindOut:
    """The people, orders or rows behind one figure (at most 500 rows)."""
    found = attribution.behind(_store(request), metric, period, _now(request))
    rows = [[v if v is None or isinstance(v, (int, float, str)) else str(v) for v in row]
            for row in found.rows]
    return BehindOut(metric=metric, period=period, title=found.title, columns=found.columns,
                     rows=rows, note=found.note)


@api_router.get("/goals")
def api_goals(request: Request, me: Owner) -> list[GoalOut]:
    """Every goal (archived ones too) with this period's progress for the active ones."""
    return _goals_out(request)


@api_router.post("/goals", status_code=201)
def api_goal_add(request: Request, body: GoalIn, me: Owner) -> GoalOut:
    """Write down a goal: a metric, a target, a period and why."""
    with _store(request).begin() as conn:
        gid = G.add(conn, body.metric, body.target, body.period, body.why)
    return _goals_out(request, gid)[0]


@api_router.patch("/goals/{goal_id}")
def api_goal_edit(request: Request, body: GoalPatch, me: Owner,
                  goal_id: Annotated[int, PathParam(ge=1, le=2**31 - 1)]) -> GoalOut:
    """Change a goal's metric, target, period or why; archive it or bring it back."""
    with _store(request).begin() as conn:
        G.edit(conn, goal_id, metric=body.metric, target=body.target, period=body.period,
               why=body.why, archived=body.archived)
    return _goals_out(request, goal_id)[0]
