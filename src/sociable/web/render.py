"""Templates: Jinja2 with a few filters, and the context every page gets."""
from __future__ import annotations

from datetime import UTC, date, datetime
from importlib.resources import files
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context

from sociable.inbox.prioritize import ago
from sociable.store import settings as settings_repo
from sociable.web import csrf
from sociable.web.auth import Principal

templates = Jinja2Templates(directory=str(files("sociable.web") / "templates"))


def _ago(value: datetime | None) -> str:
    return ago(value, datetime.now(UTC)) if value else ""


@pass_context
def _when(context, value: datetime | date | None) -> str:
    """A time in the store's time zone (the page's `tz`), e.g. 2026-12-01 09:00 EST."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        tz = context.get("tz") or UTC
        return value.astimezone(tz).strftime("%Y-%m-%d %H:%M %Z")
    return value.isoformat()


def store_timezone(request: Request) -> ZoneInfo:
    """The store's time zone (setting `timezone`); forms' times are read in it."""
    from sociable.web.auth import store_of

    try:
        with store_of(request).begin() as conn:
            return settings_repo.timezone(conn)
    except Exception:  # noqa: BLE001 - an error page must render even if the store cannot
        return ZoneInfo("UTC")


templates.env.filters["ago"] = _ago
templates.env.filters["when"] = _when

MOMENTS = ("hardship", "celebration", "complaint", "question", "purchase_intent", "praise")
STATUSES = ("new", "flagged", "assigned", "snoozed", "replied", "done", "dismissed")


def page(request: Request, name: str, principal: Principal | None, status_code: int = 200,
         **context):
    """Render a page; before login it carries (and sets) the double-submit CSRF cookie."""
    from sociable.web.auth import set_anonymous_csrf

    token = principal.csrf if principal and principal.csrf else csrf.anonymous_token(request)
    response = templates.TemplateResponse(
        request, name, {"me": principal.user if principal else None, "csrf": token,
                        "moments_all": MOMENTS, "statuses_all": STATUSES,
                        "tz": store_timezone(request) if principal else ZoneInfo("UTC"),
                        **context},
        status_code=status_code)
    if principal is None:
        set_anonymous_csrf(request, response, token)
    return response
