"""Templates: Jinja2 with a few filters, and the context every page gets."""
from __future__ import annotations

from datetime import UTC, date, datetime
from importlib.resources import files

from fastapi import Request
from fastapi.templating import Jinja2Templates

from sociable.inbox.prioritize import ago
from sociable.web import csrf
from sociable.web.auth import Principal

templates = Jinja2Templates(directory=str(files("sociable.web") / "templates"))


def _ago(value: datetime | None) -> str:
    return ago(value, datetime.now(UTC)) if value else ""


def _when(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return value.isoformat()


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
                        "moments_all": MOMENTS, "statuses_all": STATUSES, **context},
        status_code=status_code)
    if principal is None:
        set_anonymous_csrf(request, response, token)
    return response
