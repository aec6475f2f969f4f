"""The Results and Goals pages (owner only): charts first, numbers one click away.

Mount with `app.include_router(sociable.results.web.router)`; the store is
`request.app.state.store`. Pages: /results, /results/chart/{id}.svg|.csv, /results/behind,
/results/report, /results/import (upload, preview, confirm), /goals.
"""
from __future__ import annotations

import csv
import io
import re
import secrets
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sociable.results import attribution, dashboard, imports
from sociable.results import goals as G
from sociable.results import metrics as M
from sociable.results.report import templates, weekly_html
from sociable.store import results as repo
from sociable.web.auth import Owner

router = APIRouter(include_in_schema=False)  # HTML pages and CSV downloads, not the JSON API
_env = templates()
UPLOADS = Path(tempfile.gettempdir()) / "sociable-uploads"
MAX_UPLOAD = 50 * 1024 * 1024


def _store(request: Request):
    return request.app.state.store


def _now(request: Request) -> datetime:
    # Tests and demos may pin the clock: app.state.results_now.
    return getattr(request.app.state, "results_now", None) or datetime.now(UTC)


def _render(name: str, principal, **context) -> HTMLResponse:
    return HTMLResponse(_env.get_template(name).render(me=principal.user, csrf=principal.csrf
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
    return _render("behind.html", me, found=found, metric=metric, period=period,
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
