"""`sociable accounts ...`, `sociable sync`, `sociable send`, `sociable worker`,
`sociable import export`: live connectors from the command line."""
from __future__ import annotations

import json
import signal
import threading
from pathlib import Path
from typing import Annotated, Optional

import typer

from sociable.cli.app import app, console, err, fail, state
from sociable.cli.imports import EXIT_BAD_INPUT, EXIT_MISSING, import_app

accounts_app = typer.Typer(help="Connect platform accounts (Mastodon, Bluesky, Facebook, "
                                "Instagram) and choose what to listen for.\n\n"
                                "Example: sociable accounts add mastodon --instance "
                                "mastodon.social --token TOKEN",
                           no_args_is_help=True)
app.add_typer(accounts_app, name="accounts")

PLATFORMS = ("mastodon", "bluesky", "facebook", "instagram")


def _vault():
    from sociable.connectors.secrets import SecretsError, Vault

    try:
        return Vault()
    except SecretsError as exc:
        raise fail(str(exc)) from None


def _connector_errors():
    from sociable.connectors.base import ConnectorError

    return ConnectorError


@accounts_app.command("add")
def add(
    platform: Annotated[str, typer.Argument(help="mastodon, bluesky, facebook or instagram.")],
    instance: Annotated[Optional[str], typer.Option(help="Mastodon: the instance, e.g. mastodon.social.")] = None,
    token: Annotated[Optional[str], typer.Option(help="Mastodon: an access token; Facebook/Instagram: the Page access token.")] = None,
    code: Annotated[Optional[str], typer.Option(help="Mastodon OAuth: the code the instance showed.")] = None,
    handle: Annotated[Optional[str], typer.Option(help="Bluesky: your handle, e.g. store.bsky.social.")] = None,
    app_password: Annotated[Optional[str], typer.Option("--app-password", help="Bluesky: an app password.")] = None,
    service: Annotated[str, typer.Option(help="Bluesky: your PDS.")] = "https://bsky.social",
    page_id: Annotated[Optional[str], typer.Option("--page-id", help="Facebook: the Page id.")] = None,
    ig_user_id: Annotated[Optional[str], typer.Option("--ig-user-id", help="Instagram: the professional account's id.")] = None,
    app_secret: Annotated[Optional[str], typer.Option("--app-secret", help="Facebook/Instagram: the Meta app secret (checks webhook signatures).")] = None,
    verify_token: Annotated[Optional[str], typer.Option("--verify-token", help="Facebook/Instagram: the webhook verify token you chose.")] = None,
    graph_url: Annotated[Optional[str], typer.Option("--graph-url", help="Facebook/Instagram: Graph API base URL.")] = None,
    listen: Annotated[Optional[list[str]], typer.Option(help="A keyword or hashtag to listen for; repeat for more.")] = None,
) -> None:
    """Connect an account. Tokens are encrypted before they are stored.

    Mastodon: pass --token (Preferences > Development > New application, scopes read and
    write), or run without it to get a sign-in URL, then again with --code. Bluesky: --handle
    and --app-password. Facebook: --page-id; Instagram: --ig-user-id; both with --token,
    --app-secret and --verify-token (see docs/connectors/meta.md).

    Example: sociable accounts add bluesky --handle brennan.bsky.social --app-password xxxx-xxxx-xxxx-xxxx
    """
    from sociable.connectors import connect

    if platform not in PLATFORMS:
        raise fail(f"unknown platform {platform!r}; one of {', '.join(PLATFORMS)}", 2)
    vault = _vault()
    keywords = listen or []
    try:
        with state.store().begin() as conn:
            if platform == "mastodon":
                if not instance:
                    raise fail("mastodon needs --instance", 2)
                result = connect.mastodon(conn, vault, instance=instance, token=token, code=code,
                                          keywords=keywords)
            elif platform == "bluesky":
                if not (handle and app_password):
                    raise fail("bluesky needs --handle and --app-password", 2)
                result = connect.bluesky(conn, vault, handle=handle, app_password=app_password,
                                         service=service, keywords=keywords)
            else:
                object_id = page_id if platform == "facebook" else ig_user_id
                if not (object_id and token and app_secret and verify_token):
                    which = "--page-id" if platform == "facebook" else "--ig-user-id"
                    raise fail(f"{platform} needs {which}, --token, --app-secret and "
                               "--verify-token", 2)
                result = connect.meta(conn, vault, platform=platform, object_id=object_id,
                                      token=token, app_secret=app_secret,
                                      verify_token=verify_token, graph_url=graph_url,
                                      keywords=keywords)
    except _connector_errors() as exc:
        raise fail(f"could not connect: {exc}") from None
    if isinstance(result, connect.Pending):
        console.print("Open this address, sign in and allow Sociable, then run the same "
                      "command again with --code CODE:")
        console.print(result.url, highlight=False, soft_wrap=True)
        return
    console.print(f"Connected {result.name}. Run `sociable sync {result.name}` to bring in "
                  "its history.", highlight=False)


@accounts_app.command("list")
def list_(as_json: Annotated[bool, typer.Option("--json", help="One JSON object per account.")] = False) -> None:
    """Connected accounts with their status, last sync, any error and what they listen for.

    Example: sociable accounts list
    """
    from sociable.connectors import base
    from sociable.store import accounts as accounts_repo

    with state.store().begin() as conn:
        found = accounts_repo.list_accounts(conn)
    for a in found:
        try:
            limits = list(base.get(a.platform).description.limits)
        except LookupError:
            limits = []
        if as_json:
            console.print_json(json.dumps({
                "id": a.id, "name": a.name, "platform": a.platform, "status": a.status,
                "error": a.error, "retry_at": a.retry_at.isoformat() if a.retry_at else None,
                "last_sync_at": a.last_sync_at.isoformat() if a.last_sync_at else None,
                "listening": a.keywords, "limits": limits}))
            continue
        synced = f"synced {a.last_sync_at:%Y-%m-%d %H:%M} UTC" if a.last_sync_at else "never synced"
        console.print(f"{a.id:>3}  {a.name}  [{a.status}]  {synced}", highlight=False,
                      markup=False)
        if a.error:
            wait = f" (next try {a.retry_at:%H:%M} UTC)" if a.retry_at else ""
            console.print(f"     problem: {a.error}{wait}", highlight=False, markup=False,
                          soft_wrap=True)
        if a.keywords:
            console.print(f"     listening for: {', '.join(a.keywords)}", highlight=False)
        for limit in limits:
            console.print(f"     note: {limit}", highlight=False, markup=False, soft_wrap=True)
    if not found and not as_json:
        console.print("No accounts yet: `sociable accounts add PLATFORM ...`.")


@accounts_app.command("remove")
def remove(account: Annotated[str, typer.Argument(help="The account's name or id.")]) -> None:
    """Disconnect an account and forget its tokens; what it brought in stays in the inbox.

    Example: sociable accounts remove mastodon:@brennan@mastodon.social
    """
    from sociable.store import accounts as accounts_repo

    with state.store().begin() as conn:
        try:
            found = accounts_repo.find(conn, account)
        except LookupError as exc:
            raise fail(str(exc)) from None
        accounts_repo.remove(conn, found.id)
    console.print(f"Removed {found.name}.", highlight=False)


@accounts_app.command("listen")
def listen_(
    account: Annotated[str, typer.Argument(help="The account's name or id.")],
    keywords: Annotated[list[str], typer.Argument(help="Keywords or hashtags: 'engagement ring', your store's name, your town.")],
    stop: Annotated[bool, typer.Option("--stop", help="Stop listening for these instead.")] = False,
) -> None:
    """Listen for keywords or hashtags: posts that use them come to the inbox with that reason.

    Example: sociable accounts listen bluesky:@brennan.bsky.social "engagement ring" Millbrook
    """
    from sociable.store import accounts as accounts_repo

    with state.store().begin() as conn:
        try:
            found = accounts_repo.find(conn, account)
        except LookupError as exc:
            raise fail(str(exc)) from None
        for keyword in keywords:
            if stop:
                accounts_repo.unlisten(conn, found.id, keyword)
            else:
                accounts_repo.listen(conn, found.id, keyword)
        now = accounts_repo.find(conn, found.id).keywords
    console.print(f"{found.name} listens for: {', '.join(now) or 'nothing'}", highlight=False)


@app.command("sync")
def sync(
    account: Annotated[Optional[str], typer.Argument(help="One account (name or id); default all.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Also accounts in error or waiting for a rate limit.")] = False,
) -> None:
    """Bring in what is new on connected accounts since their last sync, into the inbox.

    Example: sociable sync mastodon:@brennan@mastodon.social
    """
    from sociable.connectors.sync import sync_account
    from sociable.store import accounts as accounts_repo

    vault = _vault()
    store = state.store()
    with store.begin() as conn:
        try:
            targets = [accounts_repo.find(conn, account)] if account \
                else accounts_repo.list_accounts(conn)
        except LookupError as exc:
            raise fail(str(exc)) from None
    failed = False
    for target in targets:
        report = sync_account(store, target.id, vault=vault, force=force)
        if report.skipped:
            console.print(f"{report.account}: skipped ({report.skipped})", highlight=False,
                          markup=False)
            continue
        line = (f"{report.account}: {report.imported} new, {report.duplicates} already known, "
                f"{report.moments} moments, {report.items_created} new inbox items")
        if report.replayed:
            line += f", {report.replayed} stored deliveries replayed"
        console.print(line, highlight=False)
        if report.error:
            failed = True
            err.print(f"  problem: {report.error}", highlight=False, markup=False, soft_wrap=True)
    if failed:
        raise typer.Exit(1)


@app.command("send")
def send(retry: Annotated[bool, typer.Option("--retry", help="Also retry replies that failed.")] = False) -> None:
    """Send replies written in the inbox through the connected accounts.

    A reply that cannot be sent stays as "not sent" with the reason, and its item comes back
    to the inbox; `--retry` tries those again.

    Example: sociable send --retry
    """
    from sociable.connectors.send import send_replies

    results = send_replies(state.store(), vault=_vault(), retry_failed=retry)
    for r in results:
        if r.state == "sent":
            console.print(f"reply {r.reply_id} (item {r.item_id}): sent through {r.account}",
                          highlight=False)
        else:
            err.print(f"reply {r.reply_id} (item {r.item_id}): not sent: {r.error}",
                      highlight=False, markup=False)
    if not results:
        console.print("Nothing to send.")
    if any(r.state == "failed" for r in results):
        raise typer.Exit(1)


@app.command("worker")
def worker(
    poll: Annotated[float, typer.Option(help="Seconds between polls of every account.")] = 60.0,
    once: Annotated[bool, typer.Option("--once", help="One pass (sync all, send replies) and exit.")] = False,
) -> None:
    """Keep every account current: live streams where the platform has one, polling for the
    rest, and replies sent as they are written. Stop with Ctrl-C.

    Example: sociable worker --poll 120
    """
    from sociable.connectors.worker import Worker

    w = Worker(state.store(), _vault(), poll=poll)
    if once:
        stats = w.once()
    else:
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        console.print(f"worker: streaming and polling every {poll:.0f} s; Ctrl-C stops.")
        stats = w.run(stop)
    console.print(f"worker: {stats.synced} synced, {stats.streamed} streamed, {stats.sent} "
                  f"replies sent, {stats.failed_sends} not sent.")
    for problem in stats.errors[-10:]:
        err.print(f"  problem: {problem}", highlight=False, markup=False)


@import_app.command("export")
def export(file: Annotated[Path, typer.Argument(help="A .zip (or unpacked folder) from a platform.")]) -> None:
    """Import an Instagram or Facebook "Download your information" JSON export, or an X
    archive: messages others sent you and your followers go to the inbox and the book.

    Example: sociable import export instagram-brennan-2026-11-23.zip
    """
    from sociable.connectors.exports import ExportError, import_export

    if not file.exists():
        raise fail(f"{file}: no such file", EXIT_MISSING)
    try:
        report = import_export(state.store(), file)
    except ExportError as exc:
        raise fail(str(exc), EXIT_BAD_INPUT) from None
    console.print(f"{file}: {report.platform} export of {report.owner or 'unknown owner'}: "
                  f"{report.imported} interactions imported, {report.duplicates} already known, "
                  f"{report.moments} moments, {report.items_created} new inbox items.",
                  highlight=False)
    if report.skipped:
        console.print("Read but not imported (what you did yourself): " + ", ".join(
            f"{n} {what}" for what, n in sorted(report.skipped.items())), highlight=False)
