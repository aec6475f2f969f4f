"""The JSON API: everything the pages do, for scripts. Served at /api, described at /openapi.json.

Scripts authenticate with `Authorization: Bearer <token>` (the owner creates tokens); a browser
session works too, with the `X-CSRF-Token` header on every change.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from sociable.domain.inbox import Status
from sociable.domain.moments import Label
from sociable.ingest.errors import ImportFailed
from sociable.ingest.people import import_people
from sociable.store import inbox as inbox_repo
from sociable.store import people as people_repo
from sociable.store import settings as settings_repo
from sociable.store import users
from sociable.store.users import Role
from sociable.web import actions, connections, views
from sociable.web.auth import Forbidden, Member, Owner, log_in, log_out, set_session_cookie, \
    store_of
from sociable.web.params import MAX_INT, Id, Offset

router = APIRouter(prefix="/api")


class Credentials(BaseModel):
    username: str = Field(max_length=120)
    password: str = Field(max_length=1000)


class NewAccount(Credentials):
    name: str = Field("", max_length=200)


class ActionIn(BaseModel):
    text: str | None = Field(None, description="reply: the text to send")
    note: str | None = Field(None, description="flag: why the owner should look")
    to: str | None = Field(None, description="assign: the username who takes it")
    until: str | None = Field(None, description="snooze: ISO 8601 date or time; without an "
                                                 "offset, in the store's time zone (setting "
                                                 "`timezone`)")


class DraftIn(BaseModel):
    text: str = Field(max_length=5000)


class CorrectionIn(BaseModel):
    label: Label


class PersonIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)


class PersonPatch(BaseModel):
    name: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=320)
    phone: str | None = Field(None, max_length=40)
    tier: str | None = None
    since: str | None = None
    story: str | None = None
    notes: str | None = None
    tags: list[str] | None = None
    birthday: str | None = None
    anniversary: str | None = None


class LinkIn(BaseModel):
    relation: str = Field(max_length=60)
    other: str = Field(description="the other person's id or exact name", max_length=200)


class DecisionIn(BaseModel):
    confirm: bool


class InviteIn(BaseModel):
    role: Role = Role.STAFF


class TokenIn(BaseModel):
    name: str = Field(max_length=120)
    user_id: int | None = Field(None, ge=1, le=MAX_INT,
                                description="who the token acts as (default: you)")


class SettingIn(BaseModel):
    value: Any


def _me(user) -> dict:
    return {"id": user.id, "username": user.username, "name": user.name, "role": str(user.role)}


# --- accounts ------------------------------------------------------------------------------

@router.get("/setup", tags=["accounts"])
def setup_needed(request: Request) -> dict:
    """Whether the store still needs its owner (first run)."""
    with store_of(request).begin() as conn:
        return {"needed": users.count(conn) == 0}


@router.post("/setup", tags=["accounts"])
def setup(request: Request, body: NewAccount, response: Response) -> dict:
    """First run only: create the owner's account and log in."""
    with store_of(request).begin() as conn:
        if users.count(conn):
            raise Forbidden("the owner's account already exists; log in instead")
        user = users.create(conn, body.username, body.password, Role.OWNER, body.name)
        secret, token = users.start_session(conn, user.id)
    set_session_cookie(request, response, secret)
    return {"user": _me(user), "csrf": token}


@router.post("/session", tags=["accounts"])
def login(request: Request, body: Credentials, response: Response) -> dict:
    """Log in: sets the session cookie and returns the CSRF token for changes."""
    user, token = log_in(request, response, body.username, body.password)
    return {"user": _me(user), "csrf": token}


@router.delete("/session", tags=["accounts"])
def logout(request: Request, me: Member, response: Response) -> dict:
    return {"ended": log_out(request, response, me)}


@router.post("/logout-everywhere", tags=["accounts"])
def logout_everywhere(request: Request, me: Member, response: Response) -> dict:
    """End every session of yours, on every device."""
    return {"ended": log_out(request, response, me, everywhere=True)}


@router.get("/me", tags=["accounts"])
def whoami(me: Member) -> dict:
    return _me(me.user) | {"via": me.via, "csrf": me.csrf}


@router.get("/users", tags=["accounts"])
def list_users(request: Request, me: Owner) -> list[dict]:
    with store_of(request).begin() as conn:
        return [_me(u) | {"active": u.active} for u in users.all_users(conn)]


@router.delete("/users/{user_id}", tags=["accounts"])
def deactivate_user(request: Request, user_id: Id, me: Owner) -> dict:
    """Switch an account off; its sessions and tokens stop working."""
    with store_of(request).begin() as conn:
        users.deactivate(conn, user_id)
    return {"ok": True}


@router.post("/invites", tags=["accounts"])
def create_invite(request: Request, body: InviteIn, me: Owner) -> dict:
    """An invite link to send to a new member of staff; valid for 7 days, once."""
    with store_of(request).begin() as conn:
        token = users.invite(conn, me.user.id, body.role)
    return {"token": token, "url": str(request.base_url) + f"invite/{token}"}


@router.get("/invites", tags=["accounts"])
def list_invites(request: Request, me: Owner) -> list[dict]:
    with store_of(request).begin() as conn:
        return users.pending_invites(conn)


@router.post("/invites/{token}/accept", tags=["accounts"])
def accept_invite(request: Request, token: str, body: NewAccount, response: Response) -> dict:
    """Create your account from an invite and log in."""
    with store_of(request).begin() as conn:
        user = users.accept_invite(conn, token, body.username, body.password, body.name)
        secret, csrf = users.start_session(conn, user.id)
    set_session_cookie(request, response, secret)
    return {"user": _me(user), "csrf": csrf}


@router.get("/tokens", tags=["accounts"])
def list_tokens(request: Request, me: Owner) -> list[dict]:
    with store_of(request).begin() as conn:
        return users.tokens(conn)


@router.post("/tokens", tags=["accounts"])
def create_token(request: Request, body: TokenIn, me: Owner) -> dict:
    """A bearer token for scripts; it acts with the role of its user. Shown only once."""
    with store_of(request).begin() as conn:
        token_id, token = users.create_token(conn, body.user_id or me.user.id, body.name)
    return {"id": token_id, "token": token}


@router.delete("/tokens/{token_id}", tags=["accounts"])
def revoke_token(request: Request, token_id: Id, me: Owner) -> dict:
    with store_of(request).begin() as conn:
        users.revoke_token(conn, token_id)
    return {"ok": True}


# --- inbox ---------------------------------------------------------------------------------

@router.get("/items", tags=["inbox"])
def list_items(request: Request, me: Member, moment: Label | None = None,
               platform: str | None = None, mine: bool = False,
               status: Annotated[list[Status] | None, Query()] = None,
               days: Annotated[int | None, Query(ge=1, le=3650)] = 14,
               limit: Annotated[int, Query(ge=1, le=200)] = 20,
               offset: Offset = 0) -> list[dict]:
    """The prioritized inbox (open items unless `status` says), highest priority first."""
    with store_of(request).begin() as conn:
        items = inbox_repo.list_items(conn, statuses=status, days=days, moment=moment,
                                      platform=platform,
                                      assignee=me.user.username if mine else None,
                                      limit=limit, offset=offset)
        return views.cards(conn, items)


@router.get("/flagged", tags=["inbox"])
def flagged(request: Request, me: Member) -> list[dict]:
    """Items staff flagged for the owner, with their notes."""
    with store_of(request).begin() as conn:
        items = inbox_repo.list_items(conn, statuses=[Status.FLAGGED], days=None, limit=200)
        return views.cards(conn, items)


@router.get("/items/{item_id}", tags=["inbox"])
def get_item(request: Request, item_id: Id, me: Member) -> dict:
    with store_of(request).begin() as conn:
        return views.item_detail(conn, item_id)


@router.post("/items/{item_id}/corrections", tags=["inbox"])
def wrong_label(request: Request, item_id: Id, body: CorrectionIn, me: Member) -> dict:
    """"This label is wrong": teaches the detector; returns how many posts were corrected."""
    with store_of(request).begin() as conn:
        return {"recorded": actions.wrong_label(conn, item_id, body.label.value)}


@router.post("/items/{item_id}/{action}", tags=["inbox"])
def act(request: Request, item_id: Id, action: actions.ItemActionName, body: ActionIn,
        me: Member) -> dict:
    """Reply (recorded, not sent yet), flag, assign, snooze, done, dismiss or reopen."""
    with store_of(request).begin() as conn:
        actions.act(conn, item_id, action.value, me.user.username, note=body.note, to=body.to,
                    until=body.until, text=body.text)
        return views.item_detail(conn, item_id)


@router.put("/items/{item_id}/draft", tags=["inbox"])
def edit_draft(request: Request, item_id: Id, body: DraftIn, me: Member) -> dict:
    """Change the suggested reply; new activity will no longer overwrite it."""
    with store_of(request).begin() as conn:
        actions.save_draft(conn, item_id, body.text)
        return views.item_detail(conn, item_id)


# --- people --------------------------------------------------------------------------------

@router.get("/people", tags=["people"])
def list_people(request: Request, me: Member, q: str = "", tier: str | None = None,
                limit: Annotated[int, Query(ge=1, le=500)] = 50,
                offset: Offset = 0) -> list[dict]:
    with store_of(request).begin() as conn:
        return [views.person_row(p) for p in people_repo.search(conn, q, tier=tier, limit=limit,
                                                                  offset=offset)]


@router.post("/people", tags=["people"], status_code=201)
def create_person(request: Request, body: PersonIn, me: Member) -> dict:
    with store_of(request).begin() as conn:
        return views.person_card(conn, actions.new_person(conn, body.name))


@router.get("/people/{person_id}", tags=["people"])
def get_person(request: Request, person_id: Id, me: Member) -> dict:
    with store_of(request).begin() as conn:
        return views.person_card(conn, person_id)


@router.patch("/people/{person_id}", tags=["people"])
def edit_person(request: Request, person_id: Id, body: PersonPatch, me: Member) -> dict:
    with store_of(request).begin() as conn:
        actions.edit_person(conn, person_id, body.model_dump(exclude_unset=True))
        return views.person_card(conn, person_id)


@router.delete("/people/{person_id}", tags=["people"])
def erase_person(request: Request, person_id: Id, me: Owner) -> dict:
    """Forget a person on request (owner only): their entry and the text of all they wrote."""
    with store_of(request).begin() as conn:
        if people_repo.get(conn, person_id) is None:
            raise LookupError(f"no person with id {person_id}")
        people_repo.erase(conn, person_id)
    return {"ok": True}


@router.post("/people/{person_id}/links", tags=["people"])
def add_link(request: Request, person_id: Id, body: LinkIn, me: Member) -> dict:
    with store_of(request).begin() as conn:
        actions.add_link(conn, person_id, body.relation, body.other)
        return views.person_card(conn, person_id)


@router.post("/people/import/preview", tags=["people"])
def preview_import(request: Request, me: Member,
                   file: Annotated[UploadFile, File(description="a people CSV")]) -> dict:
    """What importing this CSV would create and update, and the errors per row; writes nothing."""
    content = file.file.read(actions.MAX_UPLOAD + 1)
    with store_of(request).begin() as conn:
        return actions.with_upload(content, lambda path: actions.preview_people(conn, path))


@router.post("/people/import", tags=["people"])
def run_import(request: Request, me: Member,
               file: Annotated[UploadFile, File(description="a people CSV")],
               skip_bad: Annotated[bool, Form()] = False) -> Response:
    """Import a people CSV: all of it, or with `skip_bad` all but the bad rows."""
    content = file.file.read(actions.MAX_UPLOAD + 1)
    try:
        report = actions.with_upload(content, lambda path: import_people(
            store_of(request), path, skip_bad=skip_bad))
    except ImportFailed as exc:
        return JSONResponse({"detail": str(exc), "errors": [
            {"line": e.line, "field": e.field, "reason": e.reason} for e in exc.errors]},
            status_code=400)
    return JSONResponse(actions.import_report(report))


@router.get("/matches", tags=["people"])
def matches(request: Request, me: Member) -> list[dict]:
    """Unmatched authors who may be people in the book: confirm or reject each."""
    with store_of(request).begin() as conn:
        return views.match_list(conn)


@router.post("/matches/{suggestion_id}", tags=["people"])
def decide_match(request: Request, suggestion_id: Id, body: DecisionIn, me: Member) -> dict:
    with store_of(request).begin() as conn:
        actions.decide_match(conn, suggestion_id, body.confirm)
    return {"ok": True}


@router.get("/export/people", tags=["people"])
def export_people(request: Request, me: Owner) -> list[dict]:
    """Every person in the book (owner only)."""
    with store_of(request).begin() as conn:
        return [views.person_row(p) | {"notes": p.notes, "birthday": p.birthday,
                                       "anniversary": p.anniversary}
                for p in people_repo.search(conn, limit=1_000_000)]


# --- settings ------------------------------------------------------------------------------

@router.get("/settings", tags=["settings"])
def get_settings(request: Request, me: Owner) -> dict:
    with store_of(request).begin() as conn:
        return {"known": settings_repo.KNOWN, "values": settings_repo.all_settings(conn)}


@router.put("/settings/{key}", tags=["settings"])
def put_setting(request: Request, key: str, body: SettingIn, me: Owner) -> dict:
    if key not in settings_repo.KNOWN:
        raise ValueError(f"unknown setting {key!r}; settings are: {', '.join(settings_repo.KNOWN)}")
    with store_of(request).begin() as conn:
        settings_repo.put(conn, key, body.value)
    return {"ok": True}


# --- connected platform accounts (owner) ---------------------------------------------------

class ConnectIn(BaseModel):
    platform: Literal["mastodon", "bluesky", "facebook", "instagram"]
    instance: str | None = Field(None, max_length=500, description="Mastodon: the instance, e.g. "
                                                               "mastodon.social")
    token: str | None = Field(None, max_length=2000, description="Mastodon: an access token (leave "
                          "out, with no code, to start the OAuth sign-in); Facebook/Instagram: "
                          "the Page access token")
    code: str | None = Field(None, max_length=500, description="Mastodon OAuth: the code the "
                                                           "instance showed")
    handle: str | None = Field(None, max_length=300, description="Bluesky: your handle")
    app_password: str | None = Field(None, max_length=200, description="Bluesky: an app password")
    service: str | None = Field(None, max_length=500, description="Bluesky: your PDS "
                                                              "(default https://bsky.social)")
    object_id: str | None = Field(None, max_length=100, description="Facebook: the Page id; "
                              "Instagram: the professional account id")
    app_secret: str | None = Field(None, max_length=500, description="Facebook/Instagram: the Meta "
                                                                 "app secret")
    verify_token: str | None = Field(None, max_length=500, description="Facebook/Instagram: the "
                                                                   "webhook verify token")
    graph_url: str | None = Field(None, max_length=500, description="Facebook/Instagram: Graph API "
                                                                "base URL")
    listen: list[Annotated[str, Field(max_length=200)]] = Field(
        default_factory=list, max_length=100, description="keywords or hashtags to listen for")


class ReconnectIn(BaseModel):
    token: str | None = Field(None, max_length=2000, description="Mastodon or Meta: a new token "
                          "(Mastodon without token or code starts the OAuth sign-in)")
    code: str | None = Field(None, max_length=500, description="Mastodon OAuth: the code")
    app_password: str | None = Field(None, max_length=200, description="Bluesky: a new app password")
    app_secret: str | None = Field(None, max_length=500, description="Meta: a new app secret "
                                                                 "(default: keep)")
    verify_token: str | None = Field(None, max_length=500, description="Meta: a new verify token "
                                                                   "(default: keep)")


class ListeningIn(BaseModel):
    keywords: list[Annotated[str, Field(max_length=200)]] = Field(max_length=100)


@router.get("/connectors", tags=["connectors"])
def list_connectors(me: Owner) -> list[dict]:
    """The platforms you can connect: what each brings in, how, and its limits."""
    return connections.connectors()


@router.get("/accounts", tags=["connectors"])
def list_accounts(request: Request, me: Owner) -> list[dict]:
    """Connected accounts: status, last sync, the reason of a failure, listening, limits."""
    return connections.list_rows(store_of(request))


@router.post("/accounts", tags=["connectors"], status_code=201)
def connect_account(request: Request, body: ConnectIn, me: Owner) -> dict:
    """Connect an account (as `sociable accounts add`). Mastodon without a token or code
    answers `{"pending": true, "url": ...}`: open it, then post again with `code`."""
    return connections.connect(store_of(request), connections.vault_of(request), body.platform,
                               body.model_dump(exclude={"platform", "listen"}), body.listen)


@router.delete("/accounts/{account_id}", tags=["connectors"])
def remove_account(request: Request, account_id: Id, me: Owner) -> dict:
    """Disconnect and forget the tokens; what it brought in stays in the inbox."""
    return {"removed": connections.remove(store_of(request), account_id)}


@router.post("/accounts/{account_id}/reconnect", tags=["connectors"])
def reconnect_account(request: Request, account_id: Id, body: ReconnectIn, me: Owner) -> dict:
    """Connect again with new credentials, e.g. after the platform refused the old ones."""
    return connections.reconnect(store_of(request), connections.vault_of(request), account_id,
                                 body.model_dump())


@router.post("/accounts/{account_id}/sync", tags=["connectors"])
def sync_account(request: Request, account_id: Id, me: Owner) -> dict:
    """Sync now: bring in what is new since the last sync."""
    return connections.sync_now(store_of(request), connections.vault_of(request), account_id)


@router.put("/accounts/{account_id}/listening", tags=["connectors"])
def set_listening(request: Request, account_id: Id, body: ListeningIn, me: Owner) -> dict:
    """Listen for exactly these keywords or hashtags."""
    return {"listening": connections.set_listening(store_of(request), account_id,
                                                   body.keywords)}


@router.post("/replies/{reply_id}/retry", tags=["inbox"])
def retry_reply(request: Request, reply_id: Id, me: Member) -> dict:
    """Send a reply that was not sent (or not yet): through the item's platform, now."""
    return connections.send_reply_now(store_of(request), connections.vault_of(request),
                                      reply_id)
