"""Read interaction files (JSONL or CSV) as a stream of validated lines, in constant memory.

Columns: platform, id, kind, author_handle, author_name, text, created_at, in_reply_to, url.
"""
from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO
from collections.abc import Iterator

from sociable.domain.interactions import Interaction, Kind
from sociable.ingest.errors import LineError

COLUMNS = ("platform", "id", "kind", "author_handle", "author_name", "text", "created_at",
           "in_reply_to", "url", "author_id")  # author_id is optional: the platform's account id
REQUIRED = ("platform", "id", "kind", "author_handle", "created_at")
KINDS = ", ".join(k.value for k in Kind)


@dataclass
class Line:
    number: int
    end_offset: int  # byte offset just after this line: where a resume starts
    raw: bytes
    interaction: Interaction | None = None
    error: LineError | None = None


def line_mark(raw: bytes) -> str:
    """How a resume recognizes the last committed line: its length and hash."""
    return f"{len(raw)}:{hashlib.sha1(raw).hexdigest()}"


def parse_time(value: str) -> datetime:
    """ISO 8601 with or without offset; a naive time is taken as UTC."""
    parsed = datetime.fromisoformat(value.strip())
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def to_interaction(path: str, number: int, record: dict) -> Interaction:
    """Validate one record; a LineError names the field and what is wrong with it."""
    def err(field: str | None, reason: str) -> LineError:
        return LineError(path, number, field, reason)

    if not isinstance(record, dict):
        raise err(None, f"expected a JSON object, got {type(record).__name__}")
    for name in REQUIRED:
        value = record.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise err(name, "is missing" if value is None else "is empty")
    for name in COLUMNS:
        value = record.get(name)
        if value is not None and not isinstance(value, (str, int)):
            raise err(name, f"must be text, got {type(value).__name__}")
    try:
        kind = Kind(str(record["kind"]).strip().lower())
    except ValueError:
        raise err("kind", f"{record['kind']!r} is not one of {KINDS}") from None
    try:
        created = parse_time(str(record["created_at"]))
    except ValueError:
        raise err("created_at", f"{record['created_at']!r} is not an ISO 8601 time") from None
    text = str(record.get("text") or "")

    def opt(name: str) -> str | None:
        value = record.get(name)
        return str(value).strip() or None if value is not None else None

    return Interaction(
        platform=str(record["platform"]).strip().lower(),
        external_id=str(record["id"]).strip(),
        kind=kind,
        author_handle=str(record["author_handle"]).strip(),
        author_name=str(record.get("author_name") or "").strip(),
        text=text,
        created_at=created,
        in_reply_to=opt("in_reply_to"),
        url=opt("url"),
        author_id=opt("author_id"),
    )


def _decode(path: str, number: int, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise LineError(path, number, None,
                        f"not UTF-8 text (byte {exc.start + 1}: {exc.reason})") from None


def read_jsonl(fh: BinaryIO, path: str, *, start_line: int = 0,
               start_offset: int = 0) -> Iterator[Line]:
    offset = start_offset
    number = start_line
    for raw in fh:
        number += 1
        offset += len(raw)
        line = Line(number, offset, raw)
        stripped = raw.strip()
        if not stripped:
            yield line
            continue
        try:
            text = _decode(path, number, stripped)
            try:
                record = json.loads(text)
            except json.JSONDecodeError as exc:
                raise LineError(path, number, None,
                                f"bad JSON at column {exc.colno}: {exc.msg}") from None
            line.interaction = to_interaction(path, number, record)
        except LineError as exc:
            line.error = exc
        yield line


def read_csv(fh: BinaryIO, path: str, *, start_line: int = 0,
             start_offset: int = 0) -> Iterator[Line]:
    """CSV with a header row; a quoted field may span lines, so a record ends where csv says."""
    header_raw = fh.readline() if start_offset == 0 else None
    if start_offset:
        fh.seek(0)
        header_raw = fh.readline()
        fh.seek(start_offset)
    number = 1 if start_line == 0 else start_line
    offset = len(header_raw) if start_offset == 0 else start_offset
    try:
        header = next(csv.reader([_decode(path, 1, header_raw).lstrip("\ufeff")]))
    except (LineError, StopIteration) as exc:
        raise LineError(path, 1, None, f"unreadable header: {exc}") from None
    header = [h.strip() for h in header]
    unknown = [h for h in header if h not in COLUMNS]
    if unknown:
        raise LineError(path, 1, unknown[0], "unknown column; columns are " + ", ".join(COLUMNS))
    missing = [h for h in REQUIRED if h not in header]
    if missing:
        raise LineError(path, 1, missing[0], "column is missing from the header")
    pending = b""
    first = number + 1
    for raw in fh:
        number += 1
        offset += len(raw)
        pending += raw
        try:
            text = _decode(path, number, pending)
        except LineError as exc:
            yield Line(number, offset, pending, error=exc)
            pending = b""
            first = number + 1
            continue
        rows = list(csv.reader([text], strict=True)) if text.count('"') % 2 == 0 else None
        if rows is None:
            continue  # inside a quoted field that goes on over the next line
        line = Line(first, offset, pending)
        pending = b""
        first = number + 1
        if not rows or not any(c.strip() for c in rows[0]):
            yield line
            continue
        cells = rows[0]
        try:
            if len(cells) != len(header):
                raise LineError(path, line.number, None,
                                f"{len(cells)} cells for {len(header)} columns")
            line.interaction = to_interaction(path, line.number, dict(zip(header, cells)))
        except LineError as exc:
            line.error = exc
        except csv.Error as exc:
            line.error = LineError(path, line.number, None, f"bad CSV: {exc}")
        yield line
    if pending:
        yield Line(first, offset, pending,
                   error=LineError(path, first, None, "quoted field never closed"))


def read_lines(fh: BinaryIO, path: Path, **kw) -> Iterator[Line]:
    if path.suffix.lower() == ".csv":
        return read_csv(fh, str(path), **kw)
    return read_jsonl(fh, str(path), **kw)
