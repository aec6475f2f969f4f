"""Sync: fetch what is new on each account and take it through the same flow as files.

Every page is first stored raw (`deliveries`), then ingested with its checkpoint in one
transaction, so a crash between the two loses nothing: the next sync replays what was stored
and not processed. Transient trouble retries with backoff, then waits on the account
(`retry_at`); a permanent failure puts the account in `error` with the reason, visible in
`sociable accounts list` and the settings page, until it is connected again.
"""
from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Callable

from sociable.connectors import base
from sociable.connectors.base import Account, Page, PermanentError, RateLimited, Received, \
    TransientError
from sociable.connectors.secrets import Vault, redact
from sociable.ingest.batch import ingest_in
from sociable.ingest.interactions import ImportReport
from sociable.store import Store
from sociable.store import accounts as accounts_repo
from sociable.store import deliveries as deliveries_repo

log = logging.getLogger("sociable.connectors")

ATTEMPTS = 4
BACKOFF = 2.0  # seconds, doubled each attempt


@dataclass
class SyncReport:
    account: str
    pages: int = 0
    received: int = 0
    imported: int = 0
    duplicates: int = 0
    items_created: int = 0
    moments: int = 0
    replayed: int = 0
    error: str | None = None
    retry_at: datetime | None = None
    skipped: str | None = None
    attempts: int = 0
    items: list[int] = field(default_factory=list)

    def add(self, report: ImportReport) -> None:
        self.imported += report.imported
        self.duplicates += report.duplicates
        self.items_created += report.items_created
        self.moments += report.moments


def delivery_key(item: Received) -> str:
    return item.interaction.external_id


def deliver(store: Store, platform: str, account: Account | None, items: list[Received], *,
            source: str, feed: str | None = None, position: str | None = None,
            detect=None, live=None) -> ImportReport:
    """Store the raw payloads, then ingest the ones not seen before, with the checkpoint.

    `live`: a `LivePipeline` for one-by-one deliveries (streams), so each does not reread
    the book.
    """
    report = ImportReport(path=f"{platform}:{source}")
    account_id = account.id if account else None
    with store.begin() as conn:
        todo = deliveries_repo.record(conn, platform, account_id, source,
                                      [(delivery_key(r), r.raw, r.listening) for r in items])
    fresh = [r for r in items if delivery_key(r) in todo]
    report.duplicates += len(items) - len(fresh)
    ids = sorted(set(todo.values()))
    try:
        listening = {(r.interaction.platform, r.interaction.external_id): r.listening
                     for r in fresh if r.listening} or None
        with store.begin() as conn:
            if live is not None:
                live.ingest_in(conn, [r.interaction for r in fresh], [r.raw for r in fresh],
                               report, listening=listening)
            else:
                ingest_in(conn, [r.interaction for r in fresh], [r.raw for r in fresh], report,
                          listening=listening, detect=detect)
            deliveries_repo.mark(conn, ids, "processed")
            if account is not None and feed and position:
                accounts_repo.save_checkpoint(conn, account.id, feed, position)
    except Exception as exc:
        with store.begin() as conn:
            deliveries_repo.mark(conn, ids, "failed", f"{type(exc).__name__}: {exc}"[:2000])
        raise
    return report


def replay(store: Store, connector: base.Connector, *, detect=None) -> int:
    """Process again what was stored but not processed (a crash, a bug since fixed)."""
    account = connector.account
    with store.begin() as conn:
        rows = deliveries_repo.pending(conn, account_id=account.id)
        if connector.description.live == "webhook":  # bodies are stored before routing
            rows += deliveries_repo.pending(conn, platform=account.platform, source="webhook",
                                            statuses=("failed",))
    done = 0
    for row in rows:
        items = connector.normalize(json.loads(row.payload))
        for r in items:
            r.listening = r.listening or row.listening
        with store.begin() as conn:
            ingest_in(conn, [r.interaction for r in items], [r.raw for r in items],
                      ImportReport(path="replay"), detect=detect,
                      listening={(r.interaction.platform, r.interaction.external_id): r.listening
                                 for r in items if r.listening} or None)
            deliveries_repo.mark(conn, [row.id], "processed")
        done += 1
    return done


def _listening_of(items: list[Received]) -> dict | None:
    return {(r.interaction.platform, r.interaction.external_id): r.listening
            for r in items if r.listening} or None


def connector_for(account: Account) -> base.Connector:
    return base.get(account.platform)(account)


def sync_account(store: Store, ref: str | int, *, vault: Vault | None = None, detect=None,
                 connector: base.Connector | None = None, force: bool = False,
                 sleep: Callable[[float], None] = time.sleep,
                 now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> SyncReport:
    """Fetch everything new on one account since its checkpoints, into the inbox."""
    vault = vault or Vault()
    with store.begin() as conn:
        account = accounts_repo.find(conn, ref, vault)
    report = SyncReport(account=account.name)
    if account.status in ("pending", "paused") or (account.status == "error" and not force):
        report.skipped = f"{account.status}: {account.error or 'not connected yet'}"
        return report
    if account.retry_at and account.retry_at > now() and not force:
        report.skipped = f"waiting until {account.retry_at:%H:%M:%S} UTC ({account.error})"
        report.retry_at = account.retry_at
        return report
    connector = connector or connector_for(account)
    try:
        report.replayed = replay(store, connector, detect=detect)
        for attempt in range(1, ATTEMPTS + 1):
            report.attempts = attempt
            try:
                with store.begin() as conn:
                    cps = accounts_repo.checkpoints(conn, account.id)
                for page in connector.fetch(cps):
                    _page(store, account, page, report, detect)
                break
            except RateLimited:
                raise
            except TransientError as exc:
                if attempt == ATTEMPTS:
                    raise
                log.info("%s: %s; retrying", account.name, redact(str(exc), account.secrets))
                sleep(BACKOFF * 2 ** (attempt - 1))
    except RateLimited as exc:
        report.retry_at = now() + timedelta(seconds=exc.retry_after or 60)
        report.error = redact(str(exc), account.secrets)
        with store.begin() as conn:
            accounts_repo.set_retry(conn, account.id, report.retry_at, report.error)
        return report
    except TransientError as exc:
        report.retry_at = now() + timedelta(seconds=exc.retry_after or 300)
        report.error = redact(f"{exc} (gave up after {ATTEMPTS} tries; will try again)",
                              account.secrets)
        with store.begin() as conn:
            accounts_repo.set_retry(conn, account.id, report.retry_at, report.error)
        return report
    except PermanentError as exc:
        report.error = redact(str(exc), account.secrets)
        with store.begin() as conn:
            accounts_repo.set_error(conn, account.id, report.error)
        return report
    finally:
        _keep_secrets(store, vault, account, connector)
        connector.close()
    with store.begin() as conn:
        accounts_repo.mark_synced(conn, account.id)
    return report


def _keep_secrets(store: Store, vault: Vault, account: Account, connector) -> None:
    """A connector that refreshed its session hands the new secrets back; store them."""
    changed = getattr(connector, "secrets_changed", None)
    if changed:
        with store.begin() as conn:
            accounts_repo.update_account(conn, account.id, vault, secrets=changed)
        connector.secrets_changed = None


def _page(store: Store, account: Account, page: Page, report: SyncReport, detect) -> None:
    report.pages += 1
    report.received += len(page.items)
    report.add(deliver(store, account.platform, account, page.items, source="sync",
                       feed=page.feed, position=page.position, detect=detect))


def sync_all(store: Store, *, vault: Vault | None = None, detect=None,
             sleep: Callable[[float], None] = time.sleep) -> list[SyncReport]:
    vault = vault or Vault()
    with store.begin() as conn:
        accounts = accounts_repo.list_accounts(conn)
    return [sync_account(store, a.id, vault=vault, detect=detect, sleep=sleep)
            for a in accounts if a.platform in base.REGISTRY or _known(a.platform)]


def _known(platform: str) -> bool:
    try:
        base.get(platform)
        return True
    except LookupError:
        return False

