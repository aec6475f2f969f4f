"""Import interactions from a file through the whole flow: store, identify, detect, prioritize.

Streams in constant memory, commits per batch (each batch all-or-nothing) and remembers how far
it got, so running the same command again after a failure resumes where it stopped. Upserts on
(platform, id): importing a file again changes nothing.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from collections.abc import Callable

from sqlalchemy import Connection, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from sociable.domain.interactions import TEXT_KINDS, Interaction
from sociable.identify import Identifier
from sociable.ingest.errors import ImportFailed, LineError
from sociable.ingest.files import Line, line_mark, read_lines
from sociable.store import Store
from sociable.store import inbox as inbox_repo
from sociable.store import people as people_repo
from sociable.store import settings as settings_repo
from sociable.store import tables as t

BATCH = 2000
Progress = Callable[[int, int], None]  # (bytes read, lines read)


@dataclass
class ImportReport:
    path: str
    lines: int = 0
    imported: int = 0
    duplicates: int = 0
    items_created: int = 0
    moments: int = 0
    rejected: list[LineError] = field(default_factory=list)
    resumed_from: int = 0
    report_path: str | None = None


def _insert(conn: Connection, table):
    return (pg_insert if conn.dialect.name == "postgresql" else sqlite_insert)(table)


class Pipeline:
    """The per-import state: identify's indexes, who's who, the facts drafts use."""

    def __init__(self, conn: Connection, detect, corrections) -> None:
        self.identify = Identifier(conn)
        self.facts = settings_repo.facts(conn)
        self.tz = settings_repo.timezone(conn)
        self.whos = people_repo.load_who(conn, self.facts.owner_name or None)
        self.detect = detect
        self.corrections = corrections

    def run(self, conn: Connection, batch: list[Interaction], raws: list[bytes],
            report: ImportReport, listening: dict[tuple[str, str], str] | None = None) -> None:
        """Store, identify, detect and fold one batch. `listening` maps (platform, id) to the
        keyword that found a post not addressed to the store: it gets an item all the same."""
        # The same id twice in one batch: the first one wins, as it would across batches.
        seen: dict[tuple[str, str], int] = {}
        for i, x in enumerate(batch):
            seen.setdefault((x.platform, x.external_id), i)
        rows = []
        resolved = self.identify.resolve_many(
            conn, [(batch[i].platform, batch[i].author_handle, batch[i].author_name,
                    batch[i].author_id) for i in seen.values()])
        for i, (handle_id, person_id) in zip(seen.values(), resolved):
            x = batch[i]
            rows.append({
                "platform": x.platform, "external_id": x.external_id, "kind": str(x.kind),
                "handle_id": handle_id, "author_name": x.author_name[:200], "text": x.text,
                "created_at": x.created_at, "in_reply_to": x.in_reply_to, "url": x.url,
                "raw": raws[i].decode("utf-8", "replace").strip(),
                "_person_id": person_id, "_i": i,
            })
        stmt = (_insert(conn, t.interactions)
                .on_conflict_do_nothing(index_elements=["platform", "external_id"])
                .returning(t.interactions.c.id, t.interactions.c.platform,
                           t.interactions.c.external_id))
        inserted = conn.execute(stmt, [{k: v for k, v in r.items() if not k.startswith("_")}
                                       for r in rows]).all() if rows else []
        report.duplicates += len(batch) - len(inserted)
        report.imported += len(inserted)
        by_key = {(r["platform"], r["external_id"]): r for r in rows}
        new = [(row.id, by_key[(row.platform, row.external_id)]) for row in inserted]
        texts = [(iid, r) for iid, r in new if r["kind"] in TEXT_KINDS and r["text"].strip()]
        detections = self.detect([r["text"] for _, r in texts], corrections=self.corrections) \
            if texts else []
        found: dict[int, dict[str, tuple[float, str]]] = {}
        moment_rows = []
        for (iid, _), d in zip(texts, detections):
            found[iid] = {str(lab): (d.scores[str(lab)], d.evidence.get(str(lab), ""))
                          for lab in d.labels}
            moment_rows += [{"interaction_id": iid, "label": lab, "score": s, "evidence": e}
                            for lab, (s, e) in found[iid].items()]
        if moment_rows:
            conn.execute(t.moments.insert(), moment_rows)
            report.moments += len(moment_rows)
        candidates = [
            inbox_repo.Candidate(
                interaction_id=iid, handle_id=r["handle_id"], person_id=r["_person_id"],
                platform=r["platform"], handle=batch[r["_i"]].author_handle,
                author_name=r["author_name"], kind=r["kind"], created_at=r["created_at"],
                text=r["text"], moments=found.get(iid, {}),
                heard=(listening or {}).get((r["platform"], r["external_id"])))
            for iid, r in new
        ]
        report.items_created += inbox_repo.fold(conn, candidates, self.whos, self.facts, self.tz)


def _load_corrections(conn: Connection) -> list[tuple[str, str, bool]]:
    return [(r.text, r.label, r.present) for r in conn.execute(
        select(t.corrections.c.text, t.corrections.c.label, t.corrections.c.present))]


def _start(conn: Connection, path: str) -> tuple[int, int, str]:
    """Where to begin: (line, byte offset, last line mark) of an unfinished earlier run."""
    row = conn.execute(select(t.import_runs).where(t.import_runs.c.path == path)).first()
    now = datetime.now(UTC)
    if row is None:
        conn.execute(t.import_runs.insert().values(path=path, lines_done=0, byte_offset=0,
                                                   last_line="", status="running",
                                                   started_at=now, updated_at=now))
        return 0, 0, ""
    if row.status == "done":
        conn.execute(update(t.import_runs).where(t.import_runs.c.path == path).values(
            lines_done=0, byte_offset=0, last_line="", status="running", error=None,
            started_at=now, updated_at=now))
        return 0, 0, ""
    return row.lines_done, row.byte_offset, row.last_line


def _still_there(fh, offset: int, mark: str) -> bool:
    """True when the line before `offset` is the one committed last time."""
    if not mark:
        return offset == 0
    length = int(mark.split(":")[0])
    if offset < length:
        return False
    fh.seek(offset - length)
    ok = line_mark(fh.read(length)) == mark
    fh.seek(offset)
    return ok


def _checkpoint(conn: Connection, path: str, line: Line, status: str = "running",
                error: str | None = None) -> None:
    conn.execute(update(t.import_runs).where(t.import_runs.c.path == path).values(
        lines_done=line.number, byte_offset=line.end_offset, last_line=line_mark(line.raw),
        status=status, error=error, updated_at=datetime.now(UTC)))


def import_interactions(store: Store, path: Path, *, skip_bad: bool = False,
                        report_path: Path | None = None, batch_size: int = BATCH,
                        progress: Progress | None = None, detect=None) -> ImportReport:
    """Import one JSONL or CSV file. Raises ImportFailed on bad input unless `skip_bad`.

    With `skip_bad`, rejected lines go to `report_path` (JSONL: line, field, reason, text).
    """
    if detect is None:
        from sociable.detect import detect
    key = str(path.resolve())
    report = ImportReport(path=str(path))
    with store.begin() as conn:
        line_no, offset, mark = _start(conn, key)
        pipeline = Pipeline(conn, detect, _load_corrections(conn))
    rejected_out = None
    with path.open("rb") as fh:
        if offset and not _still_there(fh, offset, mark):
            line_no, offset = 0, 0  # the file changed before the resume point: start over
        fh.seek(offset)
        report.resumed_from = line_no
        lines = read_lines(fh, path, start_line=line_no, start_offset=offset)
        try:
            batch: list[Line] = []
            for line in lines:
                batch.append(line)
                if len(batch) >= batch_size:
                    rejected_out = _commit(store, key, batch, pipeline, report, skip_bad,
                                           report_path, rejected_out)
                    batch = []
                    if progress:
                        progress(line.end_offset, line.number)
            if batch:
                rejected_out = _commit(store, key, batch, pipeline, report, skip_bad,
                                       report_path, rejected_out)
                if progress:
                    progress(batch[-1].end_offset, batch[-1].number)
        except LineError as exc:  # a bad header: nothing can be read
            raise ImportFailed([exc]) from None
        finally:
            if rejected_out:
                rejected_out.close()
    with store.begin() as conn:
        conn.execute(update(t.import_runs).where(t.import_runs.c.path == key)
                     .values(status="done", error=None, updated_at=datetime.now(UTC)))
    from sociable.results import refresh as refresh_results  # rollups and cached figures
    refresh_results(store)
    return report


def _commit(store: Store, key: str, batch: list[Line], pipeline: Pipeline,
            report: ImportReport, skip_bad: bool, report_path: Path | None, rejected_out):
    """One batch in one transaction, with the checkpoint that says it is done."""
    bad = [line.error for line in batch if line.error]
    if bad and not skip_bad:
        with store.begin() as conn:
            conn.execute(update(t.import_runs).where(t.import_runs.c.path == key)
                         .values(status="failed", error=str(bad[0])))
        raise ImportFailed(bad, done=report.imported,
                           hint=f"nothing from lines {batch[0].number}-{batch[-1].number} was "
                                "written; fix the line and run the same command again to resume "
                                f"after line {batch[0].number - 1}, or pass --skip-bad")
    good = [line for line in batch if line.interaction]
    report.lines = batch[-1].number
    with store.begin() as conn:
        pipeline.run(conn, [line.interaction for line in good], [line.raw for line in good],
                     report)
        _checkpoint(conn, key, batch[-1])
    if bad:
        report.rejected += bad
        if report_path is not None:
            if rejected_out is None:
                rejected_out = report_path.open("a", encoding="utf-8")
            for line, error in ((line, line.error) for line in batch if line.error):
                rejected_out.write(json.dumps({
                    "file": error.path, "line": error.line, "field": error.field,
                    "reason": error.reason, "text": line.raw.decode("utf-8", "replace").rstrip(),
                }) + "\n")
            rejected_out.flush()
    return rejected_out
