"""Shopify orders export (Orders > Export > CSV): one row per line item.

The first row of an order carries its totals; continuation rows repeat the order name
(`Name`, e.g. #1001) with only line-item fields. Cancelled and voided orders are left out;
refunds are taken off the total.
"""
from __future__ import annotations

from zoneinfo import ZoneInfo

from sociable.ingest.errors import LineError
from sociable.results.imports.common import cents, decode, read_csv, require, when
from sociable.results.imports.records import Parsed, Sale

NAME, CREATED, TOTAL = "name", "created at", "total"


def parse(data: bytes, path: str, tz: ZoneInfo) -> Parsed:
    out = Parsed("shopify", path)
    table = read_csv(decode(data, path), path)
    out.errors += table.errors
    require(table, (NAME,), (CREATED, "paid at"), (TOTAL,))
    orders: dict[str, Sale] = {}
    skipped: set[str] = set()
    for row in table.rows:
        name = row.get(NAME)
        if not name:
            out.errors.append(LineError(path, row.line, "Name", "the order name is empty"))
            continue
        total = row.get(TOTAL)
        if name in skipped:
            continue
        if name in orders or (not total and not row.get(CREATED)):
            if name not in orders:
                out.errors.append(LineError(
                    path, row.line, "Name", f"line item of order {name} comes before the "
                    "order's first row (which has its Total)"))
                continue
            if name in orders:
                try:
                    orders[name].items += int(float(row.get("lineitem quantity") or 1))
                except ValueError:
                    out.errors.append(LineError(path, row.line, "Lineitem quantity",
                                                f"{row.get('lineitem quantity')!r} is not a "
                                                "number"))
            continue
        try:
            at = when(row.get(CREATED, "paid at"), tz)
        except ValueError:
            out.errors.append(LineError(path, row.line, "Created at",
                                        f"{row.get(CREATED)!r} is not a date and time such as "
                                        "2026-11-02 14:31:05 -0500"))
            continue
        try:
            amount = cents(total)
            refunded = cents(row.get("refunded amount") or "0")
        except ValueError:
            out.errors.append(LineError(path, row.line, "Total",
                                        f"{total!r} is not an amount such as 1249.00"))
            continue
        if row.get("cancelled at") or row.get("financial status").lower() == "voided":
            out.notes.append(f"line {row.line}: order {name} was cancelled or voided; left out")
            skipped.add(name)
            continue
        try:
            qty = int(float(row.get("lineitem quantity") or 1))
        except ValueError:
            qty = 1
        orders[name] = Sale(row.line, name, at,
                            row.get("billing name", "shipping name"),
                            row.get("email").lower() or None,
                            row.get("phone", "billing phone", "shipping phone") or None,
                            max(0, amount - refunded), (row.get("currency") or "USD").upper(),
                            qty)
    out.records = list(orders.values())
    return out

