"""What every results import shares: decoding, CSV rows with line numbers, numbers and dates
in the formats real exports use, and errors that name the file, line, field and reason."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sociable.ingest.errors import LineError

MAX_ERRORS = 50


def decode(data: bytes, path: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252 as exports often are."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def norm(header: str) -> str:
    return re.sub(r"\s+", " ", header.replace("\ufeff", "").strip().lower())


@dataclass
class Row:
    line: int
    cells: dict[str, str]   # normalized header -> stripped cell

    def get(self, *names: str) -> str:
        for name in names:
            value = self.cells.get(name)
            if value:
                return value
        return ""


@dataclass
class Table:
    path: str
    headers: list[str]      # normalized
    rows: list[Row]
    errors: list[LineError] = field(default_factory=list)

    def has(self, *names: str) -> str | None:
        for name in names:
            if name in self.headers:
                return name
        return None


def read_csv(text: str, path: str, *, first_line: int = 1, delimiter: str | None = None) -> Table:
    """Parse CSV text whose first line is the header; row.line is the row's first line."""
    if delimiter is None:
        head = text.split("\n", 1)[0]
        delimiter = ";" if head.count(";") > head.count(",") and "\t" not in head else (
            "\t" if "\t" in head else ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise LineError(path, first_line, None, "the file is empty") from None
    headers = [norm(h) for h in header]
    table = Table(path, headers, [])
    prev_end = reader.line_num
    for cells in reader:
        start = first_line + prev_end
        prev_end = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(headers):
            table.errors.append(LineError(path, start, None, f"has {len(cells)} fields, the "
                                          f"header has {len(headers)}", ",".join(cells)[:200]))
            continue
        table.rows.append(Row(start, {h: c.strip() for h, c in zip(headers, cells)}))
    return table


def require(table: Table, *groups: tuple[str, ...]) -> None:
    """Each group of synonyms must have one column; else one error naming what is missing."""
    for names in groups:
        if not table.has(*names):
            raise LineError(table.path, 1, names[0],
                            f"no '{names[0]}' column (found: {', '.join(table.headers)[:300]})")


_CURRENCY = re.compile(r"[\s\u00a0\u202f$€£¥]|usd|eur|gbp|cad|aud", re.IGNORECASE)


def number(text: str, *, decimal_comma: bool = False) -> float:
    """'1,234.56', '1.234,56', '1 234,56', '$12', '(12.00)' -> float. Raises ValueError."""
    s = _CURRENCY.sub("", text.strip())
    negative = s.startswith("(") and s.endswith(")") or s.startswith("-")
    s = s.strip("()-+")
    if not s:
        raise ValueError("empty")
    if "," in s and "." in s:
        s = s.replace(".", "").replace(",", ".") if s.rfind(",") > s.rfind(".") \
            else s.replace(",", "")
    elif "," in s:
        s = s.replace(",", "") if re.fullmatch(r"\d{1,3}(,\d{3})+", s) and not decimal_comma \
            else s.replace(",", ".")
    elif "." in s and decimal_comma and re.fullmatch(r"\d{1,3}(\.\d{3})+", s):
        s = s.replace(".", "")
    if not re.fullmatch(r"\d+(\.\d+)?", s):
        raise ValueError(f"{text!r} is not a number")
    value = float(s)
    return -value if negative else value


def cents(text: str, **kw) -> int:
    return round(number(text, **kw) * 100)


def whole(text: str, **kw) -> int | None:
    return round(number(text, **kw)) if text.strip() else None


_DT_FORMATS = ("%Y-%m-%d %H:%M:%S %z", "%Y-%m-%d %H:%M %z", "%Y-%m-%dT%H:%M:%S%z",
               "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M",
               "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y %I:%M %p")
_D_FORMATS = ("%Y-%m-%d", "%Y%m%d", "%m/%d/%Y", "%d.%m.%Y", "%Y/%m/%d")


def when(text: str, tz: ZoneInfo, *, day_end: bool = True, day_first: bool = False) -> datetime:
    """A datetime from an export's text. With an offset it is exact; without, it is the
    store's local time; a date alone is the end of that local day (or its start)."""
    s = text.strip()
    if not s:
        raise ValueError("empty")
    try:
        parsed = datetime.fromisoformat(s.replace("Z", "+00:00"))
        if len(s) > 10:
            return (parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)).astimezone(UTC)
    except ValueError:
        pass
    for fmt in _DT_FORMATS:
        try:
            parsed = datetime.strptime(s, fmt)
        except ValueError:
            continue
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)).astimezone(UTC)
    d = day(s, day_first=day_first)
    t = time(23, 59, 59) if day_end else time()
    return datetime.combine(d, t, tz).astimezone(UTC)


def day(text: str, *, day_first: bool = False) -> date:
    s = text.strip()
    formats = _D_FORMATS if not day_first else ("%Y-%m-%d", "%Y%m%d", "%d.%m.%Y", "%d/%m/%Y",
                                                "%Y/%m/%d")
    for fmt in formats:
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"{text!r} is not a date such as 2026-11-23")


def utc_naive(text: str) -> datetime:
    """Mailchimp's times: 'YYYY-MM-DD HH:MM:SS' in UTC."""
    return datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)

