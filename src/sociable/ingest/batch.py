"""Ingest interactions that are already in memory (connectors, webhooks, exports).

The same path as files: `Pipeline.run` stores (upsert on platform + id, raw kept), identifies,
detects and folds into the inbox. Listening hits (posts found by a keyword, not addressed to
the store) also get an item with their own reason, even from a stranger without a moment.
"""
from __future__ import annotations

from sqlalchemy import Connection, select

from sociable.domain.interactions import Interaction
from sociable.ingest.interactions import ImportReport, Pipeline, _load_corrections
from sociable.store import Store
from sociable.store import tables as t


def pipeline(conn: Connection, detect=None) -> Pipeline:
    if detect is None:
        from sociable.detect import detect
    return Pipeline(conn, detect, _load_corrections(conn))


def ingest_in(conn: Connection, interactions: list[Interaction], raws: list[bytes],
              report: ImportReport, *, listening: dict[tuple[str, str], str] | None = None,
              detect=None, pipe: Pipeline | None = None) -> ImportReport:
    """Run the flow inside the caller's transaction. `listening`: (platform, id) -> keyword."""
    if interactions:
        (pipe or pipeline(conn, detect)).run(conn, interactions, raws, report, listening)
    return report


def ingest_interactions(store: Store, interactions: list[Interaction], raws: list[bytes], *,
                        listening: dict[tuple[str, str], str] | None = None, detect=None,
                        source: str = "connector") -> ImportReport:
    """Ingest one batch in one transaction; safe to repeat (duplicates change nothing)."""
    report = ImportReport(path=source)
    with store.begin() as conn:
        ingest_in(conn, interactions, raws, report, listening=listening, detect=detect)
    from sociable.results import refresh as refresh_results  # rollups; figures once a minute
    refresh_results(store, live=True)
    return report


class LivePipeline:
    """A `Pipeline` kept between small deliveries (webhooks, streams), which come one by one.

    Building one reads the whole book (about 50 ms at 500 people); a delivery takes a few. It
    is rebuilt when the book may have changed (people or handles written elsewhere, settings
    changed), after any failure, and at least every `max_age` seconds. Deliveries go through
    it one at a time (a lock): its indexes are not safe to share between threads.
    """

    def __init__(self, detect=None, max_age: float = 30.0) -> None:
        import threading

        self.detect = detect
        self.max_age = max_age
        self.lock = threading.Lock()
        self._pipe: Pipeline | None = None
        self._mark: tuple | None = None
        self._built = 0.0

    @staticmethod
    def _signature(conn: Connection) -> tuple:
        from sqlalchemy import func

        people = conn.execute(select(func.count(), func.max(t.people.c.updated_at))).one()
        handles = conn.execute(select(func.count(), func.max(t.handles.c.id))).one()
        settings = conn.execute(select(t.settings.c.key, t.settings.c.value)).all()
        return tuple(people), tuple(handles), repr(sorted((k, repr(v)) for k, v in settings))

    def ingest_in(self, conn: Connection, interactions: list[Interaction], raws: list[bytes],
                  report: ImportReport, *, listening=None) -> ImportReport:
        import time

        with self.lock:
            mark = self._signature(conn)
            if self._pipe is None or mark != self._mark or \
                    time.monotonic() - self._built > self.max_age:
                self._pipe = pipeline(conn, self.detect)
                self._built = time.monotonic()
            try:
                ingest_in(conn, interactions, raws, report, listening=listening,
                          pipe=self._pipe)
            except BaseException:
                self._pipe = None  # its indexes may hold rows that were rolled back
                raise
            self._mark = self._signature(conn)
        return report
