"""Who is this? Match an author to a person in the book, in a fixed and explained order.

0. source   the platform's account id is already known (survives handle renames)
1. handle   the platform handle is already known (from the book, or linked before)
2. email    the author's handle is an e-mail address a person has
3. phone    the author's handle is a phone number a person has
4. name     the display name, normalized, is exactly one person's name
5. fuzzy    a similar name (rapidfuzz, only among people sharing a name token): a suggestion
            for a human to confirm or reject, never a silent merge

Every link records the rule that made it; confirmations and rejections are remembered.
(Platform source ids come with the live connectors; files carry handles.)
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from rapidfuzz import fuzz
from sqlalchemy import Connection, bindparam, select, update

from sociable.domain.people import normalize_email, normalize_handle, normalize_name, normalize_phone
from sociable.store import tables as t

SUGGEST_AT = 80.0  # fuzzy score from which a human is asked
MAX_SUGGESTIONS = 3


@dataclass(frozen=True)
class Match:
    person_id: int | None
    rule: str | None
    suggestions: tuple[tuple[int, float, str], ...] = ()  # (person id, score, rule)


def _name_tokens(key: str) -> list[str]:
    return [tok for tok in key.split() if len(tok) >= 2]


def _name_from_handle(handle: str) -> str:
    base = handle.split("@")[0]
    for sep in "._-":
        base = base.replace(sep, " ")
    return base


class Identifier:
    """Match authors against in-memory indexes of the book; built once per import."""

    def __init__(self, conn: Connection) -> None:
        self.handles: dict[tuple[str, str], tuple[int, int | None]] = {}
        self.sources: dict[tuple[str, str], tuple[str, str]] = {}  # source id -> handle key
        for row in conn.execute(select(t.handles.c.id, t.handles.c.platform, t.handles.c.handle,
                                       t.handles.c.person_id, t.handles.c.source_id)):
            self.handles[(row.platform, row.handle)] = (row.id, row.person_id)
            if row.source_id:
                self.sources[(row.platform, row.source_id)] = (row.platform, row.handle)
        self.by_email: dict[str, list[int]] = defaultdict(list)
        self.by_phone: dict[str, list[int]] = defaultdict(list)
        self.by_name: dict[str, list[int]] = defaultdict(list)
        self.by_prefix: dict[str, set[int]] = defaultdict(set)
        self.names: dict[int, str] = {}
        for row in conn.execute(select(t.people.c.id, t.people.c.name_key, t.people.c.email,
                                       t.people.c.phone)):
            self.add_person(row.id, row.name_key, row.email, row.phone)
        self.rejected = {
            (r.handle_id, r.person_id)
            for r in conn.execute(select(t.match_suggestions.c.handle_id,
                                         t.match_suggestions.c.person_id)
                                  .where(t.match_suggestions.c.status == "rejected"))
        }

    def add_person(self, person_id: int, name_key: str, email: str | None,
                   phone: str | None) -> None:
        self.names[person_id] = name_key
        self.by_name[name_key].append(person_id)
        for tok in _name_tokens(name_key):
            self.by_prefix[tok[:3]].add(person_id)
        if email:
            self.by_email[normalize_email(email)].append(person_id)
        if phone and normalize_phone(phone):
            self.by_phone[normalize_phone(phone)].append(person_id)

    def match(self, handle: str, display_name: str, handle_id: int | None = None) -> Match:
        """Rules 2 to 5 for an author whose handle is not linked yet."""
        if "@" in handle and "." in handle.split("@")[-1] and handle.count("@") == 1:
            ids = self.by_email.get(normalize_email(handle), [])
            if len(ids) == 1:
                return Match(ids[0], "email")
        digits = normalize_phone(handle)
        if len(digits) >= 7 and len(digits) * 2 > len(handle.replace(" ", "")):
            ids = self.by_phone.get(digits, [])
            if len(ids) == 1:
                return Match(ids[0], "phone")
        key = normalize_name(display_name)
        if key:
            ids = [i for i in self.by_name.get(key, []) if (handle_id, i) not in self.rejected]
            # A single-word name ("Maria") is too weak to link without asking.
            if len(ids) == 1 and len(key.split()) >= 2:
                return Match(ids[0], "name")
            if len(ids) > 1 or (len(ids) == 1 and len(key.split()) < 2):
                return Match(None, None, tuple((i, 100.0, "same_name") for i in ids))
        return Match(None, None, self.fuzzy(key or normalize_name(_name_from_handle(handle)),
                                            handle_id))

    def fuzzy(self, key: str, handle_id: int | None) -> tuple[tuple[int, float, str], ...]:
        tokens = _name_tokens(key)
        if not tokens:
            return ()
        # Blocking: only people sharing a name token's first three letters (kathy ~ katherine).
        candidates: set[int] = set()
        for tok in tokens:
            candidates |= self.by_prefix.get(tok[:3], set())
        scored = []
        for pid in candidates:
            if (handle_id, pid) in self.rejected:
                continue
            name = self.names[pid]
            score = fuzz.token_sort_ratio(key, name)
            a, b = key.split(), name.split()
            if len(a) >= 2 and len(b) >= 2 and a[-1] == b[-1] and a[0][:3] == b[0][:3]:
                score = max(score, 85.0)  # same surname, first names alike
            if score >= SUGGEST_AT:
                scored.append((pid, float(score), "fuzzy_name"))
        scored.sort(key=lambda s: -s[1])
        return tuple(scored[:MAX_SUGGESTIONS])

    def resolve(self, conn: Connection, platform: str, handle: str, display_name: str,
                source_id: str | None = None) -> tuple[int, int | None]:
        """(handle id, person id or None) for one author, creating the handle when new."""
        return self.resolve_many(conn, [(platform, handle, display_name, source_id)])[0]

    def resolve_many(self, conn: Connection,
                     authors: list[tuple[str, str, str, str | None]]) -> list[tuple[int, int | None]]:
        """Resolve a batch of (platform, handle, display name, source id or None).

        New handles are written in one insert; a known source id wins over the handle text.
        """
        keys = []
        new: dict[tuple[str, str], tuple[str, str | None, Match]] = {}
        learned: dict[int, str] = {}
        for platform, handle, name, source_id in authors:
            key = (platform, normalize_handle(handle))
            if source_id and (platform, source_id) in self.sources:
                key = self.sources[(platform, source_id)]
            elif key in self.handles and source_id:
                learned[self.handles[key][0]] = source_id
                self.sources[(platform, source_id)] = key
            elif key not in self.handles and key not in new:
                new[key] = (name, source_id, self.match(key[1], name))
                if source_id:
                    self.sources[(platform, source_id)] = key
            keys.append(key)
        if learned:
            conn.execute(update(t.handles).where(t.handles.c.id == bindparam("hid"))
                         .values(source_id=bindparam("sid")),
                         [{"hid": h, "sid": sid} for h, sid in learned.items()])
        if new:
            rows = [{"platform": p, "handle": h, "display_name": name[:200], "source_id": sid,
                     "person_id": m.person_id, "rule": m.rule}
                    for (p, h), (name, sid, m) in new.items()]
            # Keyed by (platform, handle): no parameter order needed (SQLite would then insert
            # row by row).
            ids = {(r.platform, r.handle): r.id for r in conn.execute(
                t.handles.insert().returning(t.handles.c.id, t.handles.c.platform,
                                             t.handles.c.handle), rows)}
            pending = []
            for key, (_, _, m) in new.items():
                handle_id = ids[key]
                self.handles[key] = (handle_id, m.person_id)
                pending += [(handle_id, *s) for s in m.suggestions]
            _suggest_many(conn, pending)
        return [self.handles[key] for key in keys]


def _suggest(conn: Connection, handle_id: int, suggestions) -> None:
    _suggest_many(conn, [(handle_id, *s) for s in suggestions])


def _suggest_many(conn: Connection, rows: list[tuple[int, int, float, str]]) -> None:
    """Record (handle id, person id, score, rule) suggestions not already on file."""
    if not rows:
        return
    s = t.match_suggestions
    known = set(conn.execute(select(s.c.handle_id, s.c.person_id)
                             .where(s.c.handle_id.in_({r[0] for r in rows}))).all())
    fresh = {(h, p): (h, p, score, rule) for h, p, score, rule in rows if (h, p) not in known}
    if fresh:
        conn.execute(s.insert(), [{"handle_id": h, "person_id": p, "score": score,
                                   "rule": rule, "status": "pending"}
                                  for h, p, score, rule in fresh.values()])


def relink_unmatched(conn: Connection) -> int:
    """Run the chain again for handles nobody is linked to (after the book changed).

    Open inbox items of newly linked handles are re-scored. Returns how many were linked.
    """
    from sociable.inbox.refresh import refresh_handles

    ident = Identifier(conn)
    rows = conn.execute(select(t.handles.c.id, t.handles.c.handle, t.handles.c.display_name)
                        .where(t.handles.c.person_id.is_(None))).all()
    linked = []
    for row in rows:
        found = ident.match(row.handle, row.display_name, row.id)
        if found.person_id is not None:
            conn.execute(update(t.handles).where(t.handles.c.id == row.id)
                         .values(person_id=found.person_id, rule=found.rule))
            linked.append(row.id)
        else:
            _suggest(conn, row.id, found.suggestions)
    refresh_handles(conn, linked)
    return len(linked)


@dataclass
class Suggestion:
    id: int
    handle_id: int
    platform: str
    handle: str
    display_name: str
    person_id: int
    person_name: str
    score: float
    rule: str
    status: str


def suggestions(conn: Connection, status: str = "pending") -> list[Suggestion]:
    s, h, p = t.match_suggestions, t.handles, t.people
    rows = conn.execute(
        select(s.c.id, s.c.handle_id, h.c.platform, h.c.handle, h.c.display_name, s.c.person_id,
               p.c.name, s.c.score, s.c.rule, s.c.status)
        .join(h, h.c.id == s.c.handle_id).join(p, p.c.id == s.c.person_id)
        .where(s.c.status == status).order_by(s.c.score.desc(), s.c.id)
    ).all()
    return [Suggestion(*r) for r in rows]


def decide(conn: Connection, suggestion_id: int, confirm: bool) -> Suggestion:
    """Confirm (link the handle to the person) or reject a suggestion; both are remembered."""
    row = conn.execute(select(t.match_suggestions).where(
        t.match_suggestions.c.id == suggestion_id)).first()
    if row is None:
        raise LookupError(f"no match suggestion with id {suggestion_id}")
    if row.status != "pending":
        raise ValueError(f"suggestion {suggestion_id} was already {row.status}")
    now = datetime.now(UTC)
    conn.execute(update(t.match_suggestions).where(t.match_suggestions.c.id == suggestion_id)
                 .values(status="confirmed" if confirm else "rejected", decided_at=now))
    if confirm:
        conn.execute(update(t.handles).where(t.handles.c.id == row.handle_id)
                     .values(person_id=row.person_id, rule="confirmed"))
        # One handle is one person: the other candidates are answered too.
        conn.execute(update(t.match_suggestions).where(
            t.match_suggestions.c.handle_id == row.handle_id,
            t.match_suggestions.c.status == "pending").values(status="rejected", decided_at=now))
    return next(x for x in suggestions(conn, "confirmed" if confirm else "rejected")
                if x.id == suggestion_id)
