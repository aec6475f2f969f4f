"""Errors that say exactly where input went wrong: file, line, field and why."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class LineError(Exception):
    """One bad line; raised while parsing, collected for reports."""

    path: str
    line: int
    field: str | None
    reason: str
    text: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}"
        field = f" field '{self.field}'" if self.field else ""
        return f"{where}:{field} {self.reason}"


class ImportFailed(Exception):
    """An import stopped on bad input; nothing from the failing batch was written."""

    def __init__(self, errors: list[LineError], *, done: int = 0, hint: str = "") -> None:
        self.errors = errors
        self.done = done
        self.hint = hint
        first = errors[0] if errors else "unknown error"
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        super().__init__(f"{first}{more}")
