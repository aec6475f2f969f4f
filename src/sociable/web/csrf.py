"""CSRF tokens: every unsafe request made with a session cookie must carry the session's token.

Forms send it as the hidden field `csrf`; scripts send the `X-CSRF-Token` header. Bearer-token
requests need none (a browser never adds that header by itself). Before login, forms use a
double-submit cookie: the hidden field must equal the `sociable_csrf` cookie.
"""
from __future__ import annotations

import secrets

from fastapi import Request

UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
HEADER = "x-csrf-token"
FIELD = "csrf"
COOKIE = "sociable_csrf"


class CsrfRefused(Exception):
    """An unsafe request without the right CSRF token."""


async def sent_token(request: Request) -> str:
    sent = request.headers.get(HEADER, "")
    kind = request.headers.get("content-type", "")
    if not sent and (kind.startswith("application/x-www-form-urlencoded")
                     or kind.startswith("multipart/form-data")):
        value = (await request.form()).get(FIELD)
        sent = value if isinstance(value, str) else ""
    return sent


async def check(request: Request, expected: str | None) -> None:
    if request.method not in UNSAFE:
        return
    sent = await sent_token(request)
    if not expected or not sent or not secrets.compare_digest(sent, expected):
        raise CsrfRefused("this form is out of date or came from another site; reload and retry")


def anonymous_token(request: Request) -> str:
    """The pre-login token: the cookie's, or a new one (the caller sets the cookie)."""
    return request.cookies.get(COOKIE) or secrets.token_urlsafe(32)


async def check_anonymous(request: Request) -> None:
    await check(request, request.cookies.get(COOKIE))
