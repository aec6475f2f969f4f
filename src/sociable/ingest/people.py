"""Import the relationship book from a CSV file.

Columns (only `name` is required): name, email, phone, handles, tier, since, story, notes, tags,
birthday, anniversary, related. Re-importing updates people (by email, else by name).
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from sociable.domain.people import HandleRef, Person, Relation, Tier
from sociable.ingest.errors import ImportFailed, LineError
from sociable.store import Store
from sociable.store import people as repo

COLUMNS = ("name", "email", "phone", "handles", "tier", "since", "story", "notes", "tags",
           "birthday", "anniversary", "related")


@dataclass
class PeopleReport:
    created: int = 0
    updated: int = 0
    links: int = 0
    handles: int = 0
    placeholders: list[str] = field(default_factory=list)
    skipped: list[LineError] = field(default_factory=list)
    matched_handles: int = 0


@dataclass
class Row:
    line: int
    person: Person
    columns: set[str]


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def parse_row(path: str, line: int, raw: dict[str, str], columns: set[str]) -> Row:
    """One CSV row to a Person; a LineError names the field that is wrong."""
    def err(fieldname: str, reason: str) -> LineError:
        return LineError(path, line, fieldname, reason)

    value = {k: (raw.get(k) or "").strip() for k in COLUMNS}
    if not value["name"]:
        raise err("name", "is empty; every person needs a name")
    person = Person(name=value["name"], email=value["email"] or None,
                    phone=value["phone"] or None, story=value["story"], notes=value["notes"],
                    tags=_split(value["tags"]))
    if value["email"] and "@" not in value["email"]:
        raise err("email", f"{value['email']!r} is not an e-mail address")
    if value["tier"]:
        try:
            person.tier = Tier(value["tier"].lower())
        except ValueError:
            raise err("tier", f"{value['tier']!r} is not one of vip, regular, new") from None
    for name, year_ok in (("since", True), ("birthday", False), ("anniversary", False)):
        if value[name]:
            try:
                setattr(person, name, repo.parse_date(value[name], year_ok=year_ok))
            except ValueError:
                wanted = "a year or a date (YYYY-MM-DD)" if year_ok else "a date (YYYY-MM-DD)"
                raise err(name, f"{value[name]!r} is not {wanted}") from None
    try:
        person.handles = [HandleRef.parse(h) for h in _split(value["handles"])]
    except ValueError as exc:
        raise err("handles", str(exc)) from None
    try:
        person.related = [Relation.parse(r) for r in _split(value["related"])]
    except ValueError as exc:
        raise err("related", str(exc)) from None
    return Row(line, person, columns)


def read(path: Path) -> tuple[list[Row], list[LineError]]:
    """Every row of the file, and every error, so one run reports all that is wrong."""
    rows: list[Row] = []
    errors: list[LineError] = []
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
    except UnicodeDecodeError as exc:
        raise ImportFailed([LineError(str(path), 1, None, f"not UTF-8 text ({exc.reason})")]) from None
    with handle:
        unknown = [h for h in header if h.strip() not in COLUMNS]
        if "name" not in [h.strip() for h in header]:
            raise ImportFailed([LineError(str(path), 1, "name",
                                          "header has no 'name' column; columns are "
                                          + ", ".join(COLUMNS))])
        if unknown:
            raise ImportFailed([LineError(str(path), 1, unknown[0],
                                          "unknown column; columns are " + ", ".join(COLUMNS))])
        columns = {h.strip() for h in header}
        try:
            for raw in reader:
                line = reader.line_num
                if not any((v or "").strip() for v in raw.values() if isinstance(v, str)):
                    continue
                if None in raw:
                    errors.append(LineError(str(path), line, None,
                                            f"{len(header) + len(raw[None])} cells for "
                                            f"{len(header)} columns"))
                    continue
                try:
                    rows.append(parse_row(str(path), line, {k.strip(): v for k, v in raw.items()},
                                          columns))
                except LineError as exc:
                    errors.append(exc)
        except UnicodeDecodeError as exc:
            errors.append(LineError(str(path), reader.line_num + 1, None,
                                    f"not UTF-8 text ({exc.reason})"))
        except csv.Error as exc:
            errors.append(LineError(str(path), reader.line_num, None, f"bad CSV: {exc}"))
    return rows, errors


def import_people(store: Store, path: Path, *, skip_bad: bool = False) -> PeopleReport:
    """Import a people CSV in one transaction: all of it, or (on bad rows) nothing.

    With `skip_bad`, bad rows are left out and listed in the report instead.
    """
    from sociable.identify import relink_unmatched
    from sociable.inbox.refresh import refresh_handles

    rows, errors = read(path)
    if errors and not skip_bad:
        raise ImportFailed(errors, hint="fix the rows above, or pass --skip-bad to import the rest")
    report = PeopleReport(skipped=errors)
    with store.begin() as conn:
        ids: dict[int, int] = {}
        attached: list[int] = []
        for row in rows:
            person_id, created = repo.save(conn, row.person, columns=row.columns)
            ids[row.line] = person_id
            report.created += created
            report.updated += not created
            for ref in row.person.handles:
                attached.append(repo.attach_handle(conn, person_id, ref, rule="book"))
                report.handles += 1
        # Links last, so a row may name someone further down the file.
        for row in rows:
            for rel in row.person.related:
                found = repo.by_name(conn, rel.name)
                if found:
                    other_id = found[0].id
                else:
                    other_id, _ = repo.save(conn, Person(
                        name=rel.name, notes=f"Added as {row.person.name}'s {rel.relation}."))
                    report.placeholders.append(rel.name)
                    report.created += 1
                if other_id != ids[row.line]:
                    repo.link(conn, ids[row.line], other_id, rel.relation)
                    report.links += 1
        report.matched_handles = relink_unmatched(conn)
        refresh_handles(conn, attached)
    return report
