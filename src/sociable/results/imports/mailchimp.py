"""Mailchimp audience export: a zip of subscribed, unsubscribed and cleaned CSVs, or one CSV.

Sign-up time is CONFIRM_TIME (double opt-in), else OPTIN_TIME, else LAST_CHANGED (contacts
imported into Mailchimp have no opt-in time); all are UTC.
"""
from __future__ import annotations

import io
import zipfile
from zoneinfo import ZoneInfo

from sociable.ingest.errors import LineError
from sociable.results.imports.common import decode, read_csv, require, utc_naive
from sociable.results.imports.records import Parsed, Signup

EMAIL = ("email address", "email", "e-mail address")


def _status(name: str, headers: list[str]) -> str:
    low = name.lower().rsplit("/", 1)[-1]
    if "unsubscribed" in low or "unsub_time" in headers:
        return "unsubscribed"
    if "cleaned" in low or "clean_time" in headers:
        return "cleaned"
    return "subscribed"


def parse(data: bytes, path: str, tz: ZoneInfo) -> Parsed:
    out = Parsed("mailchimp", path)
    if data[:2] == b"PK":
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            raise LineError(path, 1, None, "not a readable zip file") from None
        members = [n for n in archive.namelist() if n.lower().endswith(".csv")
                   and not n.startswith("__MACOSX")]
        if not members:
            raise LineError(path, 1, None, "the zip has no CSV file in it")
        files = [(f"{path}!{n}", archive.read(n), n) for n in sorted(members)]
    else:
        files = [(path, data, path)]
    found: dict[str, Signup] = {}
    for where, raw, name in files:
        table = read_csv(decode(raw, where), where)
        out.errors += table.errors
        require(table, EMAIL)
        status = _status(name, table.headers)
        for row in table.rows:
            email = row.get(*EMAIL).lower()
            if "@" not in email or "." not in email.split("@")[-1]:
                out.errors.append(LineError(where, row.line, "Email Address",
                                            f"{email!r} is not an e-mail address"))
                continue
            stamp = row.get("confirm_time", "optin_time", "last_changed")
            if not stamp:
                out.errors.append(LineError(where, row.line, "OPTIN_TIME", "no CONFIRM_TIME, "
                                            "OPTIN_TIME or LAST_CHANGED to date the sign-up"))
                continue
            try:
                at = utc_naive(stamp)
            except ValueError:
                out.errors.append(LineError(where, row.line, "OPTIN_TIME", f"{stamp!r} is not "
                                            "a time such as 2026-10-03 18:22:10"))
                continue
            full = " ".join(x for x in (row.get("first name"), row.get("last name")) if x)
            old = found.get(email)
            if old is None or old.signed_up_at > at:
                found[email] = Signup(row.line, email, full, status, at,
                                      row.get("phone number", "phone") or None)
            if old is not None and status != "subscribed":
                found[email].status = status
    out.records = list(found.values())
    return out
