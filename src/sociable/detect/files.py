"""Detect moments in JSONL/CSV files, streaming: constant memory whatever the file size."""
from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import IO, TextIO

from sociable.detect.corrections import CorrectionIndex
from sociable.detect.model import Detector

_CHUNK = 2048


class InputError(ValueError):
    """A bad input line, with where it is: `file:line: message`."""

    def __init__(self, path: str, line: int, message: str):
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line = path, line


def _is_csv(path: str) -> bool:
    return path.lower().endswith((".csv", ".tsv"))


def read_posts(path: str | Path, stream: TextIO | None = None) -> Iterator[tuple[object, str]]:
    """(id, text) for each record of a JSONL or CSV file with `id` and `text` fields."""
    name = str(path)
    opened: IO[str] | None = None
    if stream is None:
        if name == "-":
            stream = sys.stdin
        else:
            # errors="surrogateescape": invalid UTF-8 becomes lone surrogates, cleaned later.
            opened = stream = open(name, encoding="utf-8", errors="surrogateescape", newline="")
    try:
        yield from (_read_csv if _is_csv(name) else _read_jsonl)(name, stream)
    finally:
        if opened is not None:
            opened.close()


def _read_jsonl(name: str, stream: TextIO) -> Iterator[tuple[object, str]]:
    for lineno, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(name, lineno, f"not valid JSON ({exc.msg})") from None
        if not isinstance(record, dict):
            raise InputError(name, lineno, "expected a JSON object with 'id' and 'text'")
        yield _fields(name, lineno, record)


def _read_csv(name: str, stream: TextIO) -> Iterator[tuple[object, str]]:
    reader = csv.DictReader(stream, delimiter="\t" if name.lower().endswith(".tsv") else ",")
    fields = reader.fieldnames or []
    for required in ("id", "text"):
        if required not in fields:
            raise InputError(name, 1, f"missing column '{required}' (columns: {', '.join(fields)})")
    for record in reader:
        yield _fields(name, reader.line_num, record)


def _fields(name: str, lineno: int, record: dict) -> tuple[object, str]:
    if "id" not in record or record["id"] in (None, ""):
        raise InputError(name, lineno, "missing field 'id'")
    text = record.get("text")
    if text is None:
        if "text" not in record:
            raise InputError(name, lineno, "missing field 'text'")
        text = ""
    if not isinstance(text, str):
        raise InputError(name, lineno, f"field 'text' must be a string, got {type(text).__name__}")
    return record["id"], text


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def detect_file(path: str | Path, out: str | Path | TextIO | None = None,
                corrections: Iterable[object] | None = None,
                detector: Detector | None = None) -> int:
    """Write one JSON object per input record: {"id", "labels", "scores", "evidence"}.

    `out` is a path, an open text stream, or None for stdout. Returns the number of records.
    Raises InputError (a ValueError naming file, line and field) on a bad record.
    """
    from sociable.detect import get_detector  # late: avoids an import cycle

    det = detector or get_detector()
    corr = CorrectionIndex(corrections) if corrections is not None else None
    close = False
    if out is None:
        sink: TextIO = sys.stdout
    elif isinstance(out, (str, Path)):
        sink, close = open(out, "w", encoding="utf-8"), True
    else:
        sink = out
    count = 0
    try:
        for chunk in _chunks(read_posts(path), _CHUNK):
            for (post_id, _), found in zip(chunk, det.detect((t for _, t in chunk), corr)):
                sink.write(json.dumps({"id": post_id, **found.to_json()}))
                sink.write("\n")
            count += len(chunk)
    finally:
        if close:
            sink.close()
    return count
