"""Results: is social media paying off? (docs/results.md)

Keeping the figures current off the page view:

    from sociable import results
    results.refresh(store)              # after an import: rollups folded in, figures recomputed
    results.refresh(store, live=True)   # after a live batch: rollups; figures at most once a minute

Imports (`ingest.interactions.import_interactions`), live batches (`ingest.batch`) and
`sociable worker`'s loop call it, so the Results page finds its figures already computed.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

log = logging.getLogger("sociable.results")

LIVE_INTERVAL = 60.0   # seconds between figure recomputes for live batches, per process
_last_figures: dict[int, float] = {}


@dataclass
class Refreshed:
    folded: int = 0                                  # interactions folded into the rollups
    recomputed: list[str] = field(default_factory=list)   # cache keys computed again
    seconds: float = 0.0


def refresh(store, now: datetime | None = None, *, live: bool = False,
            figures: bool = True, errors: bool = False) -> Refreshed | None:
    """Bring the rollups and the cached figures up to date; cheap when nothing changed.

    Rollups fold in only the interactions newer than their watermark. Figures are recomputed
    for the grains someone has looked at (each cached `results:` entry), only when what they
    read changed; a store that never opened Results pays for the rollups alone. With `live`,
    figures are recomputed at most every LIVE_INTERVAL seconds in this process (the worker's
    loop catches up). Errors are logged, not raised (an import must not fail because of its
    aftermath), unless `errors`.
    """
    started = time.perf_counter()
    out = Refreshed()
    try:
        from sociable.store import results as repo

        with store.begin() as conn:
            out.folded = repo.refresh_rollups(conn)
        key = id(store)
        if figures and not (live and time.monotonic() - _last_figures.get(key, -1e9)
                            < LIVE_INTERVAL):
            out.recomputed = warm(store, now)
            _last_figures[key] = time.monotonic()
    except Exception:
        if errors:
            raise
        log.exception("results: refresh failed (the Results page will recompute)")
        return None
    out.seconds = time.perf_counter() - started
    return out


def warm(store, now: datetime | None = None) -> list[str]:
    """Compute again every cached grain and span for `now` (a no-op when still current) and
    drop cached entries of periods that are over. Returns the keys that were recomputed."""
    from sqlalchemy import delete, select

    import sociable.store.results_tables as rt
    from sociable.results import metrics as M

    now = now or datetime.now(UTC)
    c = rt.results_cache
    with store.begin() as conn:
        keys = conn.execute(select(c.c.key, c.c.version).where(c.c.key.like("results:%"))).all()
    spans: dict[tuple[str, int], None] = {}
    for key, _ in keys:
        parts = key.split(":")
        if len(parts) == 4 and parts[1] in M.DEFAULT_SPAN and parts[2].isdigit():
            spans[(parts[1], int(parts[2]))] = None
    if not spans:
        return []
    before = dict(keys)
    memo: dict = {}
    current = []
    for grain, n in spans:
        M.results(store, grain, now, n, memo=memo)
        current.append(memo["keys"][(grain, n)])
    with store.begin() as conn:
        stale = [k for k in before if k not in current]
        if stale:
            conn.execute(delete(c).where(c.c.key.in_(stale)))
        after = dict(conn.execute(select(c.c.key, c.c.version).where(c.c.key.in_(current))).all())
    return [k for k in current if before.get(k) != after.get(k)]
