"""Account pages: first-run owner setup, login, invites, the team (owner) and settings (owner)."""
from __future__ import annotations

import json
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from sociable.store import settings as settings_repo
from sociable.store import users
from sociable.store.users import Role
from sociable.web import csrf
from sociable.web.auth import (Member, NotLoggedIn, Owner, TooManyAttempts, Viewer, log_in,
                               log_out, set_session_cookie, store_of)
from sociable.web.params import FormId, Id
from sociable.web.render import page

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form()]


def go(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def safe_next(value: str | None, default: str = "/today") -> str:
    """Only same-site paths, so a crafted link cannot send someone elsewhere after login."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return default


def _no_users(request: Request) -> bool:
    with store_of(request).begin() as conn:
        return users.count(conn) == 0


@router.get("/")
def home(request: Request, me: Viewer):
    if me is None:
        return go("/setup" if _no_users(request) else "/login")
    return go("/today")


@router.get("/setup")
def setup_form(request: Request, me: Viewer):
    if not _no_users(request):
        return go("/login")
    return page(request, "setup.html", me)


@router.post("/setup")
async def setup(request: Request, username: Text, password: Text, name: Text = ""):
    await csrf.check_anonymous(request)

    def create():
        with store_of(request).begin() as conn:
            if users.count(conn):
                return None
            user = users.create(conn, username, password, Role.OWNER, name)
            return users.start_session(conn, user.id)[0]
    try:
        secret = await run_in_threadpool(create)
    except ValueError as exc:
        return page(request, "setup.html", None, status_code=400, error=str(exc),
                    username=username, name=name)
    if secret is None:
        return go("/login")
    response = go("/today")
    set_session_cookie(request, response, secret)
    return response


@router.get("/login")
def login_form(request: Request, me: Viewer, next: str = "/today"):
    if _no_users(request):
        return go("/setup")
    return page(request, "login.html", me, next=safe_next(next))


@router.post("/login")
async def login(request: Request, username: Text, password: Text, next: Text = "/today"):
    await csrf.check_anonymous(request)
    response = go(safe_next(next))
    try:
        await run_in_threadpool(log_in, request, response, username, password)
    except (NotLoggedIn, TooManyAttempts) as exc:
        code = 429 if isinstance(exc, TooManyAttempts) else 401
        return page(request, "login.html", None, status_code=code, error=str(exc),
                    username=username, next=safe_next(next))
    return response


@router.post("/logout")
def logout(request: Request, me: Member):
    response = go("/login")
    log_out(request, response, me)
    return response


@router.post("/logout-everywhere")
def logout_everywhere(request: Request, me: Member):
    response = go("/login")
    log_out(request, response, me, everywhere=True)
    return response


@router.get("/invite/{token}")
def invite_form(request: Request, token: str, me: Viewer):
    with store_of(request).begin() as conn:
        valid = users.open_invite(conn, token) is not None
    return page(request, "invite.html", me, token=token, valid=valid,
                status_code=200 if valid else 404)


@router.post("/invite/{token}")
async def accept_invite(request: Request, token: str, username: Text, password: Text,
                        name: Text = ""):
    await csrf.check_anonymous(request)

    def accept():
        with store_of(request).begin() as conn:
            user = users.accept_invite(conn, token, username, password, name)
            return users.start_session(conn, user.id)[0]
    try:
        secret = await run_in_threadpool(accept)
    except (ValueError, LookupError) as exc:
        return page(request, "invite.html", None, status_code=400, token=token, valid=True,
                    error=str(exc), username=username, name=name)
    response = go("/today")
    set_session_cookie(request, response, secret)
    return response


@router.get("/team")
def team(request: Request, me: Owner, invite_url: str = "", token: str = ""):
    with store_of(request).begin() as conn:
        return page(request, "team.html", me, users=users.all_users(conn),
                    invites=users.pending_invites(conn), tokens=users.tokens(conn),
                    invite_url=invite_url, new_token=token)


@router.post("/team/invites")
def create_invite(request: Request, me: Owner, role: Text = "staff"):
    with store_of(request).begin() as conn:
        token = users.invite(conn, me.user.id, role)
    # Shown once on the team page; the link itself is the secret.
    return page(request, "team_secret.html", me, title="Invite link",
                secret=str(request.base_url) + f"invite/{token}",
                hint="Send this link to the new member of staff. It works once, for 7 days.")


@router.post("/team/tokens")
def create_token(request: Request, me: Owner, name: Text, user_id: FormId = 0):
    with store_of(request).begin() as conn:
        _, token = users.create_token(conn, user_id or me.user.id, name)
    return page(request, "team_secret.html", me, title="API token", secret=token,
                hint="Copy it now: it is not shown again. Use it as "
                     "Authorization: Bearer <token>.")


@router.post("/team/tokens/{token_id}/revoke")
def revoke_token(request: Request, token_id: Id, me: Owner):
    with store_of(request).begin() as conn:
        users.revoke_token(conn, token_id)
    return go("/team")


@router.post("/team/users/{user_id}/deactivate")
def deactivate(request: Request, user_id: Id, me: Owner):
    with store_of(request).begin() as conn:
        users.deactivate(conn, user_id)
    return go("/team")


@router.get("/settings")
def settings_page(request: Request, me: Owner, saved: str = ""):
    with store_of(request).begin() as conn:
        values = settings_repo.all_settings(conn)
    shown = {k: (v if isinstance(v, str) else json.dumps(v)) for k, v in values.items()}
    return page(request, "settings.html", me, known=settings_repo.KNOWN, values=shown,
                saved=saved)


@router.post("/settings")
def save_settings(request: Request, me: Owner, key: Text, value: Text = ""):
    if key not in settings_repo.KNOWN:
        raise ValueError(f"unknown setting {key!r}")
    parsed: object = value.strip()
    if key in ("hours", "services"):
        try:
            parsed = json.loads(value or "{}")
        except json.JSONDecodeError:
            raise ValueError(f"{key} must be JSON, e.g. {settings_repo.KNOWN[key]}") from None
    with store_of(request).begin() as conn:
        settings_repo.put(conn, key, parsed)
    return go(f"/settings?saved={quote(key)}")
