"""A generic point-of-sale CSV for in-store sales: one row per sale.

Columns (any order, case-insensitive): date (or datetime), amount (or total), and any of
customer name (or name, customer), email, phone, receipt (or id, transaction id), currency.
A time without an offset is the store's local time; a date alone is the end of that day.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from zoneinfo import ZoneInfo

from sociable.ingest.errors import LineError
from sociable.results.imports.common import cents, decode, read_csv, require, when
from sociable.results.imports.records import Parsed, Sale

DATE = ("date", "datetime", "sale date", "timestamp", "time", "created at")
AMOUNT = ("amount", "total", "sale amount", "amount paid")
NAME = ("customer name", "name", "customer", "client")
RECEIPT = ("receipt", "receipt id", "receipt number", "id", "transaction id", "order")


def parse(data: bytes, path: str, tz: ZoneInfo) -> Parsed:
    out = Parsed("pos", path)
    table = read_csv(decode(data, path), path)
    out.errors += table.errors
    require(table, DATE, AMOUNT)
    seen: Counter = Counter()
    for row in table.rows:
        try:
            at = when(row.get(*DATE), tz)
        except ValueError:
            out.errors.append(LineError(path, row.line, "date", f"{row.get(*DATE)!r} is not a "
                                        "date such as 2026-11-20 or 2026-11-20 14:05"))
            continue
        try:
            amount = cents(row.get(*AMOUNT))
        except ValueError:
            out.errors.append(LineError(path, row.line, "amount", f"{row.get(*AMOUNT)!r} is "
                                        "not an amount such as 349.99"))
            continue
        name, email, phone = row.get(*NAME), row.get("email", "e-mail").lower(), row.get(
            "phone", "telephone", "mobile")
        if email and "@" not in email:
            out.errors.append(LineError(path, row.line, "email", f"{email!r} is not an e-mail "
                                        "address"))
            continue
        ref = row.get(*RECEIPT)
        if not ref:
            # No receipt number: the same sale imported twice must still be one sale.
            basis = "|".join([at.isoformat(), name, email, phone, str(amount)])
            seen[basis] += 1
            ref = "h" + hashlib.sha1(f"{basis}|{seen[basis]}".encode()).hexdigest()[:16]
        out.records.append(Sale(row.line, ref, at, name, email or None, phone or None, amount,
                                (row.get("currency") or "USD").upper()))
    return out
