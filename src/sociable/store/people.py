"""The relationship book in the database: people, their handles and links."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Connection, delete, func, or_, select, update

from sociable.inbox.prioritize import Who
from sociable.domain.people import (
    HandleRef,
    Person,
    Relation,
    Tier,
    normalize_email,
    normalize_name,
)
from sociable.store import tables as t

# How a link reads from the other side.
INVERSE = {"parent": "child", "child": "parent", "grandparent": "grandchild",
           "grandchild": "grandparent", "employer": "employee", "employee": "employer"}

FAMILY = frozenset({"spouse", "partner", "parent", "child", "sibling", "grandparent",
                    "grandchild", "family"})


def inverse(relation: str) -> str:
    return INVERSE.get(relation, relation)


def _row_to_person(row) -> Person:
    return Person(
        id=row.id, name=row.name, email=row.email, phone=row.phone, tier=Tier(row.tier),
        since=row.since, story=row.story, notes=row.notes, tags=list(row.tags or []),
        birthday=row.birthday, anniversary=row.anniversary,
    )


def find_key(conn: Connection, person: Person) -> int | None:
    """The id of the person this entry updates: same email, else same normalized name."""
    if person.email:
        found = conn.execute(
            select(t.people.c.id).where(t.people.c.email == normalize_email(person.email))
        ).first()
        if found:
            return found.id
    found = conn.execute(
        select(t.people.c.id)
        .where(t.people.c.name_key == normalize_name(person.name))
        .order_by(t.people.c.id)
    ).all()
    # With an email given, a same-name person with another email is someone else.
    for row in found:
        other = conn.execute(select(t.people.c.email).where(t.people.c.id == row.id)).scalar()
        if not person.email or not other or other == normalize_email(person.email):
            return row.id
    return None


def save(conn: Connection, person: Person, *, columns: set[str] | None = None) -> tuple[int, bool]:
    """Insert or update (by email, else name); returns (id, created).

    On update only `columns` are written, and empty values never erase what is known.
    """
    now = datetime.now(UTC)
    values = {
        "name": person.name.strip(),
        "name_key": normalize_name(person.name),
        "email": normalize_email(person.email) if person.email else None,
        "phone": person.phone.strip() if person.phone else None,
        "tier": str(person.tier),
        "since": person.since,
        "story": person.story,
        "notes": person.notes,
        "tags": person.tags,
        "birthday": person.birthday,
        "anniversary": person.anniversary,
    }
    existing = person.id or find_key(conn, person)
    if existing is None:
        new_id = conn.execute(
            t.people.insert().values(**values, created_at=now, updated_at=now)
        ).inserted_primary_key[0]
        return new_id, True
    wanted = columns if columns is not None else set(values)
    changes = {k: v for k, v in values.items()
               if (k in wanted or k == "name_key" and "name" in wanted) and v not in (None, "", [])}
    conn.execute(
        update(t.people).where(t.people.c.id == existing).values(**changes, updated_at=now)
    )
    return existing, False


def get(conn: Connection, person_id: int) -> Person | None:
    row = conn.execute(select(t.people).where(t.people.c.id == person_id)).first()
    if row is None:
        return None
    person = _row_to_person(row)
    person.handles = [HandleRef(h.platform, h.handle) for h in handles_of(conn, person_id)]
    person.related = [Relation(rel, name) for rel, _, name in links_of(conn, person_id)]
    return person


def by_name(conn: Connection, name: str) -> list[Person]:
    rows = conn.execute(
        select(t.people).where(t.people.c.name_key == normalize_name(name)).order_by(t.people.c.id)
    ).all()
    return [_row_to_person(r) for r in rows]


def resolve(conn: Connection, ref: str) -> Person:
    """A person by id or by exact (normalized) name; a clear error when none or several match."""
    if ref.isdigit():
        person = get(conn, int(ref))
        if person is None:
            raise LookupError(f"no person with id {ref}")
        return person
    found = by_name(conn, ref)
    if not found:
        raise LookupError(f"no person named {ref!r}")
    if len(found) > 1:
        ids = ", ".join(str(p.id) for p in found)
        raise LookupError(f"{len(found)} people are named {ref!r} (ids {ids}); use the id")
    return get(conn, found[0].id)  # type: ignore[return-value]


def search(conn: Connection, query: str = "", *, tier: str | None = None,
           limit: int = 50, offset: int = 0) -> list[Person]:
    stmt = select(t.people).order_by(t.people.c.name_key).limit(limit).offset(offset)
    if query:
        like = f"%{normalize_name(query)}%"
        stmt = stmt.where(or_(t.people.c.name_key.like(like),
                              t.people.c.email.like(f"%{query.lower()}%")))
    if tier:
        stmt = stmt.where(t.people.c.tier == tier)
    return [_row_to_person(r) for r in conn.execute(stmt)]


def count(conn: Connection) -> int:
    return conn.execute(select(func.count()).select_from(t.people)).scalar_one()


def link(conn: Connection, person_id: int, other_id: int, relation: str) -> None:
    """Record that `other` is `person`'s `relation`, and the mirror link (parent <-> child)."""
    if person_id == other_id:
        raise ValueError("a person cannot be linked to themselves")
    for a, b, rel in ((person_id, other_id, relation), (other_id, person_id, inverse(relation))):
        exists = conn.execute(
            select(t.person_links).where(
                t.person_links.c.person_id == a, t.person_links.c.other_id == b,
                t.person_links.c.relation == rel,
            )
        ).first()
        if not exists:
            conn.execute(t.person_links.insert().values(person_id=a, other_id=b, relation=rel))


def links_of(conn: Connection, person_id: int) -> list[tuple[str, int, str]]:
    """(relation, other id, other name) for everyone linked to this person."""
    rows = conn.execute(
        select(t.person_links.c.relation, t.people.c.id, t.people.c.name)
        .join(t.people, t.people.c.id == t.person_links.c.other_id)
        .where(t.person_links.c.person_id == person_id)
        .order_by(t.person_links.c.relation, t.people.c.name)
    ).all()
    return [(r.relation, r.id, r.name) for r in rows]


@dataclass
class HandleRow:
    id: int
    platform: str
    handle: str
    display_name: str
    person_id: int | None
    rule: str | None


def handles_of(conn: Connection, person_id: int) -> list[HandleRow]:
    rows = conn.execute(
        select(t.handles).where(t.handles.c.person_id == person_id).order_by(t.handles.c.platform)
    ).all()
    return [HandleRow(r.id, r.platform, r.handle, r.display_name, r.person_id, r.rule) for r in rows]


def attach_handle(conn: Connection, person_id: int, ref: HandleRef, rule: str) -> int:
    """Give a person a handle (creating it, or re-linking it); returns the handle id."""
    row = conn.execute(
        select(t.handles.c.id).where(
            t.handles.c.platform == ref.platform, t.handles.c.handle == ref.handle
        )
    ).first()
    if row is None:
        return conn.execute(
            t.handles.insert().values(
                platform=ref.platform, handle=ref.handle, display_name="",
                person_id=person_id, rule=rule,
            )
        ).inserted_primary_key[0]
    conn.execute(
        update(t.handles).where(t.handles.c.id == row.id).values(person_id=person_id, rule=rule)
    )
    return row.id


def erase(conn: Connection, person_id: int) -> None:
    """Forget a person on request: their book entry, and the text of everything they wrote."""
    handle_ids = [h.id for h in handles_of(conn, person_id)]
    if handle_ids:
        conn.execute(
            update(t.interactions).where(t.interactions.c.handle_id.in_(handle_ids))
            .values(text="", author_name="", raw="{}")
        )
        theirs = select(t.interactions.c.id).where(t.interactions.c.handle_id.in_(handle_ids))
        conn.execute(delete(t.moments).where(t.moments.c.interaction_id.in_(theirs)))
        conn.execute(delete(t.corrections).where(t.corrections.c.interaction_id.in_(theirs)))
        conn.execute(
            update(t.handles).where(t.handles.c.id.in_(handle_ids))
            .values(person_id=None, rule=None, display_name="")
        )
    conn.execute(delete(t.people).where(t.people.c.id == person_id))


def parse_date(text: str, *, year_ok: bool = False) -> date:
    """ISO dates, and for `since` a bare year (taken as January 1st)."""
    text = text.strip()
    if year_ok and text.isdigit() and len(text) == 4:
        return date(int(text), 1, 1)
    return date.fromisoformat(text)



def load_who(conn: Connection, owner_name: str | None, person_ids=None) -> dict[int, Who]:
    """What prioritizing needs to know about people, with their ties to the owner's circle.

    The circle is the owner (setting `owner_name`) and the owner's family; anyone linked to
    them reads e.g. "family friend of Walter Brennan". People tagged `owner` count as the owner.
    """
    stmt = select(t.people.c.id, t.people.c.name, t.people.c.tier, t.people.c.since,
                  t.people.c.story, t.people.c.tags)
    if person_ids is not None:
        stmt = stmt.where(t.people.c.id.in_(list(person_ids)))
    whos = {r.id: Who(name=r.name, person_id=r.id, tier=Tier(r.tier), since=r.since,
                      story=r.story, tags=list(r.tags or [])) for r in conn.execute(stmt)}
    owners = set()
    if owner_name:
        owners |= {p.id for p in by_name(conn, owner_name)}
    owners |= {r.id for r in conn.execute(select(t.people.c.id, t.people.c.tags))
               if "owner" in (r.tags or [])}
    if not owners:
        return whos
    circle = dict.fromkeys(owners, "the owner")
    names = dict(conn.execute(select(t.people.c.id, t.people.c.name)
                              .where(t.people.c.id.in_(list(owners)))).all())
    for row in conn.execute(select(t.person_links).where(t.person_links.c.person_id.in_(owners))):
        if row.relation in FAMILY and row.other_id not in circle:
            # A link row reads "other is person's relation": here, other is the owner's relation.
            circle[row.other_id] = f"owner's {row.relation}"
    names.update(conn.execute(select(t.people.c.id, t.people.c.name)
                              .where(t.people.c.id.in_(list(circle)))).all())
    for row in conn.execute(select(t.person_links).where(t.person_links.c.other_id.in_(list(circle)))):
        who = whos.get(row.person_id)
        if who is None:
            continue
        if row.person_id in circle:
            role = circle[row.person_id]
            if role != "the owner" and role not in who.circle:
                who.circle.append(role)
            continue
        # The row says the circle member is this person's relation; say it the other way round.
        label = inverse(row.relation).replace("_", " ")
        other = names[row.other_id]
        note = f" ({circle[row.other_id]})" if circle[row.other_id] != "the owner" else " (owner)"
        who.circle.append(f"{label} of {other}{note}")
    return whos


def upcoming_dates(conn: Connection, today: date, days: int = 7) -> list[tuple[date, str, int, str, int]]:
    """Birthdays and anniversaries in the next `days` days, soonest first.

    Returns (when, kind, person id, name, years) with years the age or years married then
    (0 when the year is unknown or in the future).
    """
    found = []
    rows = conn.execute(select(t.people.c.id, t.people.c.name, t.people.c.birthday,
                               t.people.c.anniversary)
                        .where(or_(t.people.c.birthday.is_not(None),
                                   t.people.c.anniversary.is_not(None))))
    for row in rows:
        for kind, value in (("birthday", row.birthday), ("anniversary", row.anniversary)):
            if value is None:
                continue
            for year in (today.year, today.year + 1):
                try:
                    when = value.replace(year=year)
                except ValueError:  # 29 February in a common year
                    when = date(year, 3, 1)
                if 0 <= (when - today).days <= days:
                    found.append((when, kind, row.id, row.name, max(year - value.year, 0)))
                    break
    # A couple shares one anniversary: list it once, with both names.
    spouses = {(r.person_id, r.other_id) for r in conn.execute(
        select(t.person_links).where(t.person_links.c.relation.in_(("spouse", "partner"))))}
    merged, seen = [], set()
    for entry in sorted(found):
        when, kind, pid, name, years = entry
        if (when, kind, pid) in seen:
            continue
        if kind == "anniversary":
            for other in found:
                if other[:2] == (when, kind) and (pid, other[2]) in spouses:
                    seen.add((when, kind, other[2]))
                    name = f"{name} & {other[3]}"
        merged.append((when, kind, pid, name, years))
    return merged
