"""The long-running worker: streams what can stream, polls the rest, sends replies.

On start it syncs every account (catching up on what happened while it was away), then keeps
a live stream per account whose platform has one (Mastodon's user and hashtag streams,
Bluesky's Jetstream) and polls every account every `poll` seconds: for platforms without a
stream that is how new things arrive, for the others it fills any gap a reconnect left.
Webhook platforms (Facebook, Instagram) arrive through `sociable serve`; the worker polls them
as a safety net. Every loop also sends the replies that are due.

On SQLite everything runs in this one process. Several workers on PostgreSQL are safe (every
write is idempotent) but do the same work twice; a Postgres task queue is issue 7's business.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

from sociable.connectors import base
from sociable.connectors.secrets import Vault, redact
from sociable.connectors.send import send_replies
from sociable.connectors.sync import deliver, sync_account
from sociable.store import Store
from sociable.store import accounts as accounts_repo

log = logging.getLogger("sociable.worker")


@dataclass
class WorkerStats:
    loops: int = 0
    synced: int = 0
    streamed: int = 0
    sent: int = 0
    failed_sends: int = 0
    errors: list[str] = field(default_factory=list)


class Worker:
    def __init__(self, store: Store, vault: Vault | None = None, *, poll: float = 60.0,
                 detect=None, streams: bool = True) -> None:
        self.store = store
        self.vault = vault or Vault()
        self.poll = poll
        self.detect = detect
        self.streams = streams
        self.stats = WorkerStats()
        self._threads: dict[int, threading.Thread] = {}
        from sociable.ingest.batch import LivePipeline

        self.live = LivePipeline(detect)

    def once(self) -> WorkerStats:
        """One pass: sync every account, send what is due."""
        with self.store.begin() as conn:
            accounts = accounts_repo.list_accounts(conn)
        for account in accounts:
            try:
                base.get(account.platform)
            except LookupError:
                continue
            report = sync_account(self.store, account.id, vault=self.vault, detect=self.detect)
            self.stats.synced += report.imported
            if report.error:
                self.stats.errors.append(f"{account.name}: {report.error}")
        for result in send_replies(self.store, vault=self.vault):
            if result.state == "sent":
                self.stats.sent += 1
            elif result.state == "failed":
                self.stats.failed_sends += 1
        from sociable.results import refresh as refresh_results  # Results figures, off the page
        refresh_results(self.store)
        self.stats.loops += 1
        return self.stats

    def _stream(self, account_id: int, stop: threading.Event) -> None:
        """Keep one account's stream open, reconnecting with backoff, until `stop`."""
        wait = 1.0
        while not stop.is_set():
            with self.store.begin() as conn:
                account = accounts_repo.find(conn, account_id, self.vault)
            if account.status != "active":
                return
            connector = base.get(account.platform)(account)

            def on_page(page, account=account):
                try:
                    report = deliver(self.store, account.platform, account, page.items,
                                     source="stream", live=self.live)
                    self.stats.streamed += report.imported
                except Exception as exc:  # noqa: BLE001 - stored raw; replayed by the next sync
                    log.warning("%s: stream delivery failed: %s", account.name, exc)

            try:
                connector.stream(on_page, stop)
                wait = 1.0
            except NotImplementedError:
                return
            except Exception as exc:  # noqa: BLE001 - reconnect
                log.warning("%s: stream stopped: %s; reconnecting in %.0f s", account.name,
                            redact(str(exc), account.secrets), wait)
                stop.wait(wait)
                wait = min(wait * 2, 300)
            finally:
                connector.close()

    def start_streams(self, stop: threading.Event) -> None:
        if not self.streams:
            return
        with self.store.begin() as conn:
            accounts = accounts_repo.list_accounts(conn)
        for account in accounts:
            try:
                live = base.get(account.platform).description.live
            except LookupError:
                continue
            alive = self._threads.get(account.id)
            if live == "stream" and account.status == "active" and not (alive and alive.is_alive()):
                thread = threading.Thread(target=self._stream, args=(account.id, stop),
                                          name=f"stream-{account.name}", daemon=True)
                thread.start()
                self._threads[account.id] = thread

    def run(self, stop: threading.Event) -> WorkerStats:
        """Until `stop` is set: catch up, stream, poll every `poll` seconds, send replies."""
        self.once()
        while not stop.is_set():
            self.start_streams(stop)
            if stop.wait(self.poll):
                break
            started = time.monotonic()
            self.once()
            log.debug("loop took %.1f s", time.monotonic() - started)
        for thread in self._threads.values():
            thread.join(timeout=10)
        return self.stats
