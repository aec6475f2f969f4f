"""Connected platform accounts for the web: connect, reconnect, sync now, listen, remove.

The same flows as `sociable accounts ...` (`connectors.connect`), shared by the owner's
Accounts page and the JSON API. Every function raises ValueError (400) with a message fit to
show a person when the platform refuses or cannot be reached, and LookupError (404) for an
unknown account. Secrets are never returned.
"""
from __future__ import annotations

from datetime import UTC, datetime

from fastapi import Request

from sociable.connectors import base
from sociable.connectors.secrets import SecretsError, Vault, redact
from sociable.store import Store
from sociable.store import accounts as accounts_repo

PLATFORMS = ("mastodon", "bluesky", "facebook", "instagram")

# The form fields each platform's connect flow asks for (the CLI's `accounts add` options).
FIELDS = {
    "mastodon": ("instance", "token", "code"),
    "bluesky": ("handle", "app_password", "service"),
    "facebook": ("object_id", "token", "app_secret", "verify_token", "graph_url"),
    "instagram": ("object_id", "token", "app_secret", "verify_token", "graph_url"),
}


def vault_of(request: Request) -> Vault:
    """The app's vault (tests pass one to `create_app`), else the one the CLI uses."""
    vault = getattr(request.app.state, "vault", None)
    if vault is None:
        try:
            vault = request.app.state.vault = Vault()
        except SecretsError as exc:
            raise ValueError(f"cannot open the secret key: {exc}") from None
    return vault


def describe(platform: str) -> dict:
    """What a connector is, ingests, and cannot do — said in the product, honestly."""
    try:
        d = base.get(platform).description
    except LookupError:
        return {"platform": platform, "title": platform, "auth": "", "ingests": [], "live": "",
                "limits": [], "fields": list(FIELDS.get(platform, ()))}
    return {"platform": d.platform, "title": d.title, "auth": d.auth, "ingests": list(d.ingests),
            "live": d.live, "limits": list(d.limits), "fields": list(FIELDS.get(platform, ()))}


def connectors() -> list[dict]:
    return [describe(p) for p in PLATFORMS]


def account_row(a, now: datetime | None = None) -> dict:
    """An account as shown: status, last sync, the reason of a failure, listening, limits."""
    now = now or datetime.now(UTC)
    waiting = a.retry_at is not None and a.retry_at > now
    return {"id": a.id, "name": a.name, "platform": a.platform, "handle": a.handle,
            "base_url": a.base_url, "status": a.status, "error": a.error,
            "retry_at": a.retry_at if waiting else None, "last_sync_at": a.last_sync_at,
            "listening": list(a.keywords), "limits": describe(a.platform)["limits"],
            "needs_reconnect": a.status in ("error", "pending")}


def list_rows(store: Store) -> list[dict]:
    with store.begin() as conn:
        return [account_row(a) for a in accounts_repo.list_accounts(conn)]


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def connect(store: Store, vault: Vault, platform: str, values: dict,
            keywords: list[str] = ()) -> dict:
    """Connect an account; {"account": row} or {"pending": True, "url": ...} (Mastodon OAuth).

    `values` holds the platform's fields (`FIELDS`); empty strings count as missing.
    """
    from sociable.connectors import connect as flows
    from sociable.connectors.base import ConnectorError

    if platform not in PLATFORMS:
        raise ValueError(f"unknown platform {platform!r}; one of {', '.join(PLATFORMS)}")
    v = {k: _clean(values.get(k)) for k in FIELDS[platform]}
    keywords = [k.strip() for k in keywords if k and k.strip()]
    secrets = [x for x in v.values() if x]
    try:
        with store.begin() as conn:
            if platform == "mastodon":
                if not v["instance"]:
                    raise ValueError("Mastodon needs the instance, e.g. mastodon.social")
                result = flows.mastodon(conn, vault, instance=v["instance"], token=v["token"],
                                        code=v["code"], keywords=keywords)
            elif platform == "bluesky":
                if not (v["handle"] and v["app_password"]):
                    raise ValueError("Bluesky needs your handle and an app password")
                result = flows.bluesky(conn, vault, handle=v["handle"],
                                       app_password=v["app_password"],
                                       service=v["service"] or "https://bsky.social",
                                       keywords=keywords)
            else:
                if not (v["object_id"] and v["token"] and v["app_secret"] and v["verify_token"]):
                    which = "the Page id" if platform == "facebook" else \
                        "the Instagram professional account id"
                    raise ValueError(f"{platform} needs {which}, the Page access token, the app "
                                     "secret and the verify token")
                result = flows.meta(conn, vault, platform=platform, object_id=v["object_id"],
                                    token=v["token"], app_secret=v["app_secret"],
                                    verify_token=v["verify_token"], graph_url=v["graph_url"],
                                    keywords=keywords)
    except ValueError:
        raise
    except LookupError:
        raise ValueError("no sign-in was started for this instance: connect without a code "
                         "first, open the address, then enter the code it shows") from None
    except (ConnectorError, OSError, Exception) as exc:  # noqa: BLE001 - the platform's own
        # errors (network, refused token, a library's exception) are the person's to fix.
        reason = redact(str(exc) or type(exc).__name__, dict(enumerate(secrets)))
        if not isinstance(exc, ConnectorError):
            reason = f"{type(exc).__name__}: {reason}"
        raise ValueError(f"could not connect: {reason}"[:1000]) from None
    if isinstance(result, flows.Pending):
        return {"pending": True, "url": result.url, "account": account_row(result.account)}
    return {"pending": False, "account": account_row(result)}


def reconnect_values(account, vault: Vault, values: dict) -> dict:
    """A reconnect form's values completed from the stored account (identity, kept secrets)."""
    with_identity = dict(values)
    if account.platform == "mastodon":
        with_identity["instance"] = account.base_url
    elif account.platform == "bluesky":
        with_identity["handle"] = account.handle or account.name.split("@", 1)[-1]
        with_identity["service"] = account.base_url or None
    else:
        with_identity["object_id"] = account.external_id
        with_identity["graph_url"] = account.base_url or None
        for key in ("app_secret", "verify_token"):  # keep what was there unless replaced
            if not _clean(values.get(key)):
                with_identity[key] = account.secrets.get(key)
    return with_identity


def reconnect(store: Store, vault: Vault, account_id: int, values: dict) -> dict:
    """Connect an existing account again with new credentials (the same name is updated)."""
    with store.begin() as conn:
        account = accounts_repo.find(conn, account_id, vault)
    platform = account.platform
    if platform not in PLATFORMS:
        raise ValueError(f"{platform} accounts cannot be connected from here")
    return connect(store, vault, platform, reconnect_values(account, vault, values),
                   account.keywords)


def sync_now(store: Store, vault: Vault, account_id: int) -> dict:
    """Sync one account now (as `sociable sync NAME`); what it brought in, or why not."""
    from sociable.connectors.sync import sync_account

    with store.begin() as conn:
        accounts_repo.find(conn, account_id)  # 404 for an unknown account
    report = sync_account(store, account_id, vault=vault)
    return {"account": report.account, "skipped": report.skipped, "error": report.error,
            "imported": report.imported, "duplicates": report.duplicates,
            "moments": report.moments, "items_created": report.items_created,
            "replayed": report.replayed,
            "retry_at": report.retry_at.isoformat() if report.retry_at else None}


def sync_message(report: dict) -> str:
    if report["skipped"]:
        return f"{report['account']}: not synced ({report['skipped']})."
    line = (f"{report['account']}: {report['imported']} new, {report['duplicates']} already "
            f"known, {report['items_created']} new inbox items.")
    if report["error"]:
        line += f" Problem: {report['error']}"
    return line


def set_listening(store: Store, account_id: int, keywords: list[str]) -> list[str]:
    """Listen for exactly these keywords; returns what the account listens for (oldest first)."""
    wanted: list[str] = []
    for k in keywords:
        k = k.strip()
        if len(k) > 200:
            raise ValueError("a keyword is at most 200 characters")
        if k and k not in wanted:
            wanted.append(k)
    with store.begin() as conn:
        account = accounts_repo.find(conn, account_id)
        for old in account.keywords:
            if old not in wanted:
                accounts_repo.unlisten(conn, account_id, old)
        for k in wanted:
            accounts_repo.listen(conn, account_id, k)
        return accounts_repo.find(conn, account_id).keywords


def remove(store: Store, account_id: int) -> str:
    with store.begin() as conn:
        account = accounts_repo.find(conn, account_id)
        accounts_repo.remove(conn, account.id)
    return account.name


def keywords_from_text(text: str) -> list[str]:
    """One keyword per line or comma: 'engagement ring, Millbrook'."""
    return [k.strip() for k in text.replace("\n", ",").split(",") if k.strip()]


# --- replies: sending again what was not sent ----------------------------------------------

def send_reply_now(store: Store, vault: Vault, reply_id: int) -> dict:
    """Send (or retry) one reply through the connected account of its item's platform.

    Returns {"state", "error", "platform_id", "item_id"}: "sent", "failed" with the reason, or
    "recorded" when there is nothing to send it through (the reason says why).
    """
    from sqlalchemy import select

    from sociable.connectors.send import send_replies
    from sociable.domain.inbox import TransitionError
    from sociable.store import tables as t

    with store.begin() as conn:
        row = conn.execute(select(t.replies.c.id, t.replies.c.item_id, t.replies.c.state)
                           .where(t.replies.c.id == reply_id)).first()
    if row is None:
        raise LookupError(f"no reply with id {reply_id}")
    if row.state == "sent":
        raise TransitionError(f"reply {reply_id} was already sent")
    [result] = send_replies(store, vault=vault, reply_ids=[reply_id]) or [None]
    if result is None:  # sent meanwhile by the worker
        raise TransitionError(f"reply {reply_id} was already sent")
    return {"reply_id": reply_id, "item_id": row.item_id, "state": result.state,
            "error": result.error, "platform_id": result.platform_id,
            "account": result.account}
