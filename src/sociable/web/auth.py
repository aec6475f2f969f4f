"""Who is asking: a session cookie (people in a browser) or a bearer token (scripts).

`Member` is anyone signed in, `Owner` only the owner; both refuse unsafe requests that come with
a session cookie but without its CSRF token.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request, Response
from starlette.concurrency import run_in_threadpool

from sociable.store import Store
from sociable.store import users
from sociable.store.users import User
from sociable.web import csrf

SESSION_COOKIE = "sociable_session"


class NotLoggedIn(Exception):
    """No valid session or token: pages send people to log in, the API answers 401."""


class Forbidden(Exception):
    """Signed in, but this role may not do that (403)."""


class TooManyAttempts(Exception):
    """Login refused for a while after repeated failures (429)."""


@dataclass
class Principal:
    user: User
    via: str  # "session" or "token"
    csrf: str | None = None
    secret: str | None = None


def store_of(request: Request) -> Store:
    return request.app.state.store


def _resolve(request: Request) -> Principal | None:
    store = store_of(request)
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotLoggedIn("use the header Authorization: Bearer <token>")
        with store.begin() as conn:
            user = users.token_user(conn, token.strip())
        if user is None:
            raise NotLoggedIn("unknown or revoked API token")
        return Principal(user, "token")
    secret = request.cookies.get(SESSION_COOKIE)
    if secret:
        with store.begin() as conn:
            found = users.session(conn, secret)
        if found:
            return Principal(found.user, "session", found.csrf, secret)
    return None


async def viewer(request: Request) -> Principal | None:
    """The signed-in person, or None (for pages anyone may see, such as the login page)."""
    if not hasattr(request.state, "principal"):
        request.state.principal = await run_in_threadpool(_resolve, request)
    return request.state.principal


async def member(request: Request) -> Principal:
    principal = await viewer(request)
    if principal is None:
        raise NotLoggedIn("log in first")
    if principal.via == "session":
        await csrf.check(request, principal.csrf)
    return principal


async def owner(request: Request) -> Principal:
    principal = await member(request)
    if not principal.user.is_owner:
        raise Forbidden("only the owner can do that")
    return principal


Viewer = Annotated[Principal | None, Depends(viewer)]
Member = Annotated[Principal, Depends(member)]
Owner = Annotated[Principal, Depends(owner)]


def client_ip(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _secure(request: Request) -> bool:
    configured = request.app.state.secure_cookies
    return request.url.scheme == "https" if configured is None else configured


def log_in(request: Request, response: Response, username: str, password: str) -> tuple[User, str]:
    """Check the password (with rate limiting) and start a session; returns (user, csrf).

    Raises TooManyAttempts when rate limited and NotLoggedIn on a wrong password.
    """
    ip = client_ip(request)
    with store_of(request).begin() as conn:
        if users.login_blocked(conn, username, ip):
            raise TooManyAttempts("too many failed logins; wait 15 minutes and try again")
        user = users.authenticate(conn, username, password)
        if user is None:
            users.login_failed(conn, username, ip)
    if user is None:
        raise NotLoggedIn("wrong username or password")
    with store_of(request).begin() as conn:
        users.login_succeeded(conn, username, ip)
        secret, token = users.start_session(conn, user.id)
    set_session_cookie(request, response, secret)
    return user, token


def set_session_cookie(request: Request, response: Response, secret: str) -> None:
    response.set_cookie(SESSION_COOKIE, secret, max_age=users.SESSION_DAYS * 86400,
                        httponly=True, samesite="lax", secure=_secure(request), path="/")


def set_anonymous_csrf(request: Request, response: Response, token: str) -> None:
    if request.cookies.get(csrf.COOKIE) != token:
        response.set_cookie(csrf.COOKIE, token, httponly=True, samesite="strict",
                            secure=_secure(request), path="/")


def log_out(request: Request, response: Response, principal: Principal | None,
            everywhere: bool = False) -> int:
    ended = 0
    if principal is not None:
        with store_of(request).begin() as conn:
            if everywhere:
                ended = users.end_sessions(conn, principal.user.id)
            elif principal.secret:
                users.end_session(conn, principal.secret)
                ended = 1
    response.delete_cookie(SESSION_COOKIE, path="/")
    return ended
