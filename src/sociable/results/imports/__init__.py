"""Results imports from the exports a store really has: Shopify orders, Mailchimp audience,
GA4 traffic, Meta Ads, a generic POS sales CSV, and follower counts over time.

    parsed = read("shopify", Path("orders_export.csv"), tz)     # parse only, nothing written
    report = import_results(store, "shopify", Path("orders_export.csv"))

A file is parsed whole before anything is written; any bad row stops the import with every
error (file, line, field, reason) and nothing is written. Writing is one transaction that
upserts, so importing the same file twice changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import sociable.store.results_tables as rt
from sociable.identify import Identifier
from sociable.ingest.errors import ImportFailed, LineError
from sociable.results.imports import followers, ga4, mailchimp, meta_ads, pos, shopify
from sociable.results.imports.records import AdRow, Followers, Parsed, Sale, Signup, Traffic
from sociable.store import Store
from sociable.store import results as repo

KINDS = {
    "shopify": (shopify.parse, "Shopify orders export CSV (one row per line item)"),
    "mailchimp": (mailchimp.parse, "Mailchimp audience export (zip or CSV)"),
    "ga4": (ga4.parse, "Google Analytics 4 report CSV (source / medium, sessions)"),
    "meta_ads": (meta_ads.parse, "Meta Ads Manager CSV export (any language)"),
    "pos": (pos.parse, "Point-of-sale sales CSV (date, customer, email, phone, amount)"),
    "followers": (followers.parse, "Follower counts CSV (date, platform, followers; account)"),
}
ALIASES = {"meta": "meta_ads", "meta-ads": "meta_ads", "facebook_ads": "meta_ads",
           "ga": "ga4", "analytics": "ga4", "sales": "pos"}


def kind_of(kind: str) -> str:
    k = ALIASES.get(kind.lower(), kind.lower())
    if k not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; kinds are: {', '.join(KINDS)}")
    return k


def parse_bytes(kind: str, data: bytes, path: str, tz: ZoneInfo) -> Parsed:
    """Parse without writing. A file-level problem becomes one error in `errors`."""
    k = kind_of(kind)
    try:
        return KINDS[k][0](data, path, tz)
    except LineError as exc:
        return Parsed(k, path, [], [exc])


def read(kind: str, path: Path, tz: ZoneInfo) -> Parsed:
    return parse_bytes(kind, Path(path).read_bytes(), str(path), tz)


@dataclass
class Preview:
    kind: str
    path: str
    rows: int
    errors: list[LineError]
    notes: list[str]
    first: str | None            # earliest date covered
    last: str | None
    total: str                   # plain words: "42 orders, $12,480.00"
    sample: list[dict] = field(default_factory=list)


def preview(parsed: Parsed) -> Preview:
    recs = parsed.records
    dates = []
    for r in recs:
        if isinstance(r, Sale):
            dates.append(r.ordered_at.date())
        elif isinstance(r, Signup):
            dates.append(r.signed_up_at.date())
        elif isinstance(r, Followers):
            dates.append(r.on)
        else:
            dates += [r.start, r.end]
    if parsed.kind in ("shopify", "pos"):
        total = f"{len(recs)} sales, {sum(r.amount_cents for r in recs) / 100:,.2f} " \
                f"{recs[0].currency if recs else ''}".strip()
    elif parsed.kind == "mailchimp":
        subs = sum(r.status == "subscribed" for r in recs)
        total = f"{len(recs)} contacts ({subs} subscribed)"
    elif parsed.kind == "ga4":
        total = f"{len(recs)} rows, {sum(r.sessions for r in recs):,} sessions"
    elif parsed.kind == "followers":
        total = f"{len(recs)} follower counts ({', '.join(sorted({r.platform for r in recs}))})"
    else:
        total = f"{len(recs)} rows, {sum(r.spend_cents for r in recs) / 100:,.2f} " \
                f"{recs[0].currency if recs else ''} spent".strip()
    sample = [{k: (str(v) if not isinstance(v, (int, float)) or isinstance(v, bool) else v)
               for k, v in vars(r).items()} for r in recs[:5]]
    return Preview(parsed.kind, parsed.path, len(recs), parsed.errors, parsed.notes,
                   str(min(dates)) if dates else None, str(max(dates)) if dates else None,
                   total, sample)


@dataclass
class ImportReport:
    kind: str
    path: str
    rows: int
    matched: int          # customers matched to people in the book
    notes: list[str]


def _match(ident: Identifier, name: str, email: str | None, phone: str | None):
    """E-mail, then phone, then name: the identify rules, never a fuzzy guess."""
    for handle in (email, phone):
        if handle:
            m = ident.match(handle, name or "")
            if m.person_id is not None and m.rule in ("email", "phone"):
                return m.person_id, m.rule
    if name:
        m = ident.match("", name)
        if m.person_id is not None:
            return m.person_id, m.rule
    return None, None


def save(store: Store, parsed: Parsed, data: bytes) -> ImportReport:
    """Write parsed records in one transaction; refuses a parse that had errors."""
    if parsed.errors:
        raise ImportFailed(parsed.errors, hint="Nothing was imported; fix the lines above "
                                                "and run the same command again.")
    with store.begin() as conn:
        import_id = repo.record_import(conn, parsed.kind, parsed.path, data, len(parsed.records))
        ident = Identifier(conn)
        matched = 0
        recs = parsed.records
        if parsed.kind in ("shopify", "pos"):
            rows = []
            for r in recs:
                pid, rule = _match(ident, r.customer_name, r.email, r.phone)
                matched += pid is not None
                rows.append({"source": parsed.kind, "order_ref": r.order_ref,
                             "ordered_at": r.ordered_at, "customer_name": r.customer_name[:200],
                             "email": r.email, "phone": r.phone, "amount_cents": r.amount_cents,
                             "currency": r.currency[:3], "items": r.items, "person_id": pid,
                             "match_rule": rule, "import_id": import_id})
            repo.upsert(conn, rt.sales, rows, ["source", "order_ref"])
        elif parsed.kind == "mailchimp":
            rows = []
            for r in recs:
                pid, rule = _match(ident, r.name, r.email, r.phone)
                matched += pid is not None
                rows.append({"email": r.email, "name": r.name[:200], "status": r.status,
                             "signed_up_at": r.signed_up_at, "person_id": pid,
                             "match_rule": rule, "import_id": import_id})
            repo.upsert(conn, rt.signups, rows, ["email"])
        elif parsed.kind == "ga4":
            merged: dict[tuple, dict] = {}
            for r in recs:
                key = (r.start, r.end, r.source[:200], r.medium[:200], r.campaign[:200])
                row = merged.setdefault(key, {"start": r.start, "end": r.end, "source": key[2],
                                              "medium": key[3], "campaign": key[4],
                                              "sessions": 0, "users": None,
                                              "engaged_sessions": None, "key_events": None,
                                              "import_id": import_id})
                row["sessions"] += r.sessions
                for f in ("users", "engaged_sessions", "key_events"):
                    if getattr(r, f) is not None:
                        row[f] = (row[f] or 0) + getattr(r, f)
            repo.upsert(conn, rt.web_traffic, list(merged.values()),
                        ["start", "end", "source", "medium", "campaign"])
        elif parsed.kind == "followers":
            repo.upsert(conn, rt.follower_snapshots,
                        [{"platform": r.platform, "account": r.account, "on": r.on,
                          "followers": r.followers, "source": "import"} for r in recs],
                        ["platform", "account", "on"])
        else:
            merged = {}
            for r in recs:
                key = ("meta", r.campaign[:300], r.start, r.end)
                merged[key] = {"platform": "meta", "campaign": key[1], "start": r.start,
                               "end": r.end, "spend_cents": r.spend_cents,
                               "currency": r.currency, "impressions": r.impressions,
                               "reach": r.reach, "clicks": r.clicks, "results": r.results,
                               "import_id": import_id}
            repo.upsert(conn, rt.ad_spend, list(merged.values()),
                        ["platform", "campaign", "start", "end"])
    return ImportReport(parsed.kind, parsed.path, len(recs), matched, parsed.notes)


def import_results(store: Store, kind: str, path: Path) -> ImportReport:
    """Parse `path` as `kind` and write it; ImportFailed (nothing written) on any bad row."""
    data = Path(path).read_bytes()
    with store.begin() as conn:
        tz = repo.timezone(conn)
    return save(store, parse_bytes(kind, data, str(path), tz), data)


def rematch(store: Store) -> int:
    """Match sales and sign-ups again after the book changed; returns how many are now matched."""
    from sqlalchemy import select, update

    found = 0
    with store.begin() as conn:
        ident = Identifier(conn)
        for table, name_col in ((rt.sales, rt.sales.c.customer_name),
                                (rt.signups, rt.signups.c.name)):
            phone = table.c.phone if "phone" in table.c else None
            cols = [table.c.id, name_col, table.c.email] + ([phone] if phone is not None else [])
            for row in conn.execute(select(*cols).where(table.c.person_id.is_(None))).all():
                pid, rule = _match(ident, row[1], row[2], row[3] if len(row) > 3 else None)
                if pid is not None:
                    conn.execute(update(table).where(table.c.id == row[0])
                                 .values(person_id=pid, match_rule=rule))
                    found += 1
        if found:
            repo.bump(conn)
    return found


__all__ = ["KINDS", "AdRow", "Followers", "ImportReport", "Parsed", "Preview", "Sale", "Signup",
           "Traffic", "import_results", "kind_of", "parse_bytes", "preview", "read", "rematch",
           "save"]
