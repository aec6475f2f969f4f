"""Ingest interactions that are already in memory (connectors, webhooks, exports).

The same path as files: `Pipeline.run` stores (upsert on platform + id, raw kept), identifies,
detects and folds into the inbox. Listening hits (posts found by a keyword, not addressed to
the store) also get an item with their own reason, even from a stranger without a moment.
"""
from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, select, tuple_, update

from sociable.domain.interactions import Interaction
from sociable.inbox import prioritize as pr
from sociable.inbox.drafts import draft
from sociable.ingest.interactions import ImportReport, Pipeline, _load_corrections
from sociable.store import Store
from sociable.store import tables as t


def listening_reason(keyword: str) -> str:
    return f"heard while listening for “{keyword}” (not addressed to you)"


def pipeline(conn: Connection, detect=None) -> Pipeline:
    if detect is None:
        from sociable.detect import detect
    return Pipeline(conn, detect, _load_corrections(conn))


def ingest_in(conn: Connection, interactions: list[Interaction], raws: list[bytes],
              report: ImportReport, *, listening: dict[tuple[str, str], str] | None = None,
              detect=None, pipe: Pipeline | None = None) -> ImportReport:
    """Run the flow inside the caller's transaction. `listening`: (platform, id) -> keyword."""
    if interactions:
        (pipe or pipeline(conn, detect)).run(conn, interactions, raws, report)
    if listening:
        _listening_items(conn, listening, pipe or pipeline(conn, detect), report)
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


def _listening_items(conn: Connection, listening: dict[tuple[str, str], str], pipe: Pipeline,
                     report: ImportReport) -> None:
    """Give each listening hit an item that says it was heard, not addressed to us."""
    x, links, items = t.interactions, t.inbox_item_interactions, t.inbox_items
    rows = conn.execute(
        select(x.c.id, x.c.platform, x.c.external_id, x.c.handle_id, x.c.kind, x.c.text,
               x.c.author_name, x.c.created_at, t.handles.c.handle, t.handles.c.person_id,
               links.c.item_id)
        .join(t.handles, t.handles.c.id == x.c.handle_id)
        .outerjoin(links, links.c.interaction_id == x.c.id)
        .where(tuple_(x.c.platform, x.c.external_id).in_(list(listening)))).all()
    now = datetime.now(UTC)
    for r in rows:
        reason = listening_reason(listening[(r.platform, r.external_id)])
        item_id = r.item_id
        if item_id is None:
            key = f"p{r.person_id}" if r.person_id is not None else f"h{r.handle_id}"
            day = r.created_at.astimezone(pipe.tz).date().isoformat()
            same_day = conn.execute(select(items.c.id).where(items.c.fold_key == key,
                                                             items.c.day == day)).first()
            if same_day is not None:
                item_id = same_day.id
            else:
                who = pipe.whos.get(r.person_id) if r.person_id is not None else None
                who = who or pr.Who(name=r.author_name or r.handle)
                kinds = {r.kind: 1}
                score = pr.score(who, {}, kinds, r.created_at.date())
                item_id = conn.execute(items.insert().values(
                    fold_key=key, day=day, person_id=r.person_id, handle_id=r.handle_id,
                    score=score, rank=pr.rank(score, r.created_at), last_at=r.created_at,
                    reasons=[pr.who_reason(who, r.created_at.date()), reason],
                    moments=[], signals={"kinds": kinds, "moments": {}},
                    suggested_reply=draft(who, {}, kinds, pipe.facts, key=key + day),
                    draft_edited=False, status="new", created_at=now, updated_at=now,
                ).returning(items.c.id)).scalar_one()
                conn.execute(t.events.insert().values(
                    name="item_created", at=now, item_id=item_id, person_id=r.person_id,
                    actor=None, data={"listening": listening[(r.platform, r.external_id)]}))
                report.items_created += 1
            conn.execute(links.insert().values(item_id=item_id, interaction_id=r.id))
        current = conn.execute(select(items.c.reasons).where(items.c.id == item_id)).scalar_one()
        if reason not in current:
            conn.execute(update(items).where(items.c.id == item_id)
                         .values(reasons=list(current) + [reason]))


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
