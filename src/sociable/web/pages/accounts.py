"""The owner's Accounts page: connect platform accounts, see how each is doing, fix, listen.

The same flows as `sociable accounts add/list/listen/remove` and `sociable sync`, through
`web.connections` (shared with the JSON API under /api/accounts).
"""
from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request

from sociable.connectors.send import failed_replies
from sociable.web import connections
from sociable.web.auth import Owner, store_of
from sociable.web.pages.account import go
from sociable.web.params import Id
from sociable.web.render import page

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=2000)]


def _page(request: Request, me, status_code: int = 200, **context):
    store = store_of(request)
    rows = connections.list_rows(store)
    with store.begin() as conn:
        unsent = failed_replies(conn)
    return page(request, "accounts.html", me, status_code=status_code, accounts=rows,
                connectors=connections.connectors(), unsent=unsent, title="Accounts",
                here="/accounts", **context)


@router.get("/accounts")
def accounts_page(request: Request, me: Owner, done: str = "", error: str = ""):
    return _page(request, me, done=done[:500], error=error[:500])


def _connected(request: Request, me, result: dict, platform: str):
    if result["pending"]:
        # Mastodon OAuth: the address to open, then the code form for this instance.
        return _page(request, me, oauth=result)
    return go("/accounts?done=" + quote(
        f"Connected {result['account']['name']}. Press “Sync now” to bring in its history."))


@router.post("/accounts/connect")
def connect(request: Request, me: Owner, platform: Text, instance: Text = "", token: Text = "",
            code: Text = "", handle: Text = "", app_password: Text = "", service: Text = "",
            object_id: Text = "", app_secret: Text = "", verify_token: Text = "",
            graph_url: Text = "", listen: Text = ""):
    values = {"instance": instance, "token": token, "code": code, "handle": handle,
              "app_password": app_password, "service": service, "object_id": object_id,
              "app_secret": app_secret, "verify_token": verify_token, "graph_url": graph_url}
    try:
        result = connections.connect(store_of(request), connections.vault_of(request), platform,
                                     values, connections.keywords_from_text(listen))
    except ValueError as exc:
        # Shown on the page again with what was typed (never the secrets) kept.
        return _page(request, me, status_code=400, error=str(exc), form_platform=platform,
                     form={"instance": instance, "handle": handle, "service": service,
                           "object_id": object_id, "graph_url": graph_url, "listen": listen})
    return _connected(request, me, result, platform)


@router.post("/accounts/{account_id}/reconnect")
def reconnect(request: Request, account_id: Id, me: Owner, token: Text = "", code: Text = "",
              app_password: Text = "", app_secret: Text = "", verify_token: Text = ""):
    values = {"token": token, "code": code, "app_password": app_password,
              "app_secret": app_secret, "verify_token": verify_token}
    try:
        result = connections.reconnect(store_of(request), connections.vault_of(request),
                                       account_id, values)
    except ValueError as exc:
        return go("/accounts?error=" + quote(str(exc)[:500]))
    return _connected(request, me, result, "")


@router.post("/accounts/{account_id}/sync")
def sync_now(request: Request, account_id: Id, me: Owner):
    report = connections.sync_now(store_of(request), connections.vault_of(request), account_id)
    message = quote(connections.sync_message(report)[:500])
    return go(f"/accounts?{'error' if report['error'] or report['skipped'] else 'done'}={message}")


@router.post("/accounts/{account_id}/listening")
def listening(request: Request, account_id: Id, me: Owner, keywords: Text = ""):
    now = connections.set_listening(store_of(request), account_id,
                                    connections.keywords_from_text(keywords))
    return go("/accounts?done=" + quote(f"Listening for: {', '.join(now) or 'nothing'}."))


@router.post("/accounts/{account_id}/remove")
def remove(request: Request, account_id: Id, me: Owner):
    name = connections.remove(store_of(request), account_id)
    return go("/accounts?done=" + quote(f"Removed {name}; what it brought in stays in the "
                                        "inbox."))
