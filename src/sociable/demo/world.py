"""The demo store's world: the family, staff, customers (the relationship book) and strangers.

`build_world()` is pure: a seeded `random.Random` and today's date in, plain objects out.
The cast (owner, founder, family friend, the customers in today's key scenarios) is fixed so
docs and tests can name them; everyone else is generated.
"""
from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from sociable.demo import names as N

PLATFORMS = ("instagram", "facebook", "mastodon", "bluesky")


class CAST:
    """Names the demo guarantees, for docs and tests."""

    store_name = "Brennan & Daughters Jewelers"
    owner = "Maeve Brennan"
    founder = "Walter Brennan"          # the owner's father
    founder_spouse = "Eileen Brennan"
    sister = "Nora Brennan"             # the other daughter, works the counter
    staff = ("Maeve Brennan", "Nora Brennan", "Rosa Delgado", "Tom Okafor", "Priya Natarajan")
    family_friend = "Leonard Bianchi"   # VIP, family_friend:Walter Brennan; online "Lenny B"
    family_friend_online = "Lenny B"
    family_friend_handle = "lenny.b"    # instagram
    blackout = "Dorothy Kowalski"       # customer since 1991, posts about a power blackout
    engaged = "Marcus Webb"             # "she said yes!"
    fiancee = "Jessica Alvarez"
    repair_complaint = "Gary Holt"
    ring_size_question = "Aisha Rahman"
    hours_question = "Jules Carter"     # a stranger, not in the book (instagram jules.makes)
    gift_shopper = "Daniel Cho"
    praise = "Beatrice Lindqvist"
    fuzzy_book = "Katherine O'Neil"     # no handles in the book...
    fuzzy_online = "Kathy ONeil"        # ...appears on facebook as this
    shared_name = "Maria Garcia"        # two different people in the book


@dataclass
class Account:
    """One identity on one platform as the platform shows it."""

    platform: str
    handle: str
    display: str
    weight: float
    member: Member | None = None
    uid: str = ""  # platform user id (facebook numeric id, bluesky did)


@dataclass
class Member:
    """One row of the relationship book, plus how the person shows up online."""

    name: str
    gender: str
    birth_year: int
    email: str = ""
    phone: str = ""
    handles: list[tuple[str, str]] = field(default_factory=list)
    tier: str = "new"
    since: str = ""
    story: str = ""
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    birthday: date | None = None
    anniversary: date | None = None
    related: list[tuple[str, str]] = field(default_factory=list)
    activity: float = 1.0
    accounts: list[Account] = field(default_factory=list)

    @property
    def first(self) -> str:
        return self.name.split()[0]

    def row(self) -> list[str]:
        return [
            self.name, self.email, self.phone,
            ";".join(f"{p}:{h}" for p, h in self.handles), self.tier, self.since, self.story,
            self.notes, ";".join(self.tags),
            self.birthday.isoformat() if self.birthday else "",
            self.anniversary.isoformat() if self.anniversary else "",
            ";".join(f"{r}:{n}" for r, n in self.related),
        ]


@dataclass
class World:
    members: list[Member]
    strangers: list[Account]
    cast: dict[str, Member]
    store_handles: dict[str, str]
    facts: dict
    today: date

    def accounts(self, platform: str, *, book: bool) -> list[Account]:
        if book:
            return [a for m in self.members for a in m.accounts if a.platform == platform]
        return [a for a in self.strangers if a.platform == platform]


# ---------------------------------------------------------------------------------------------
def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text.lower() if c.isalnum() and c.isascii())


class Handles:
    """Unique, platform-shaped handles."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: dict[str, set[str]] = {p: set() for p in PLATFORMS}

    def reserve(self, platform: str, handle: str) -> str:
        self.used[platform].add(handle)
        return handle

    def make(self, platform: str, first: str, last: str) -> str:
        r, f, l = self.rng, slug(first), slug(last)
        for attempt in range(50):
            if platform == "instagram":
                base = r.choice((f"{f}.{l}", f"{f}{l}", f"{f}_{l}", f"{f[0]}{l}", f"{f}.{l[0]}",
                                 f"{f}{l}{r.randint(1, 99)}", f"{f}.{l}_", f"its.{f}",
                                 f"{f}_{l[:3]}", f"{f}.{l}.{r.randint(60, 99)}"))
            elif platform == "facebook":
                base = r.choice((f"{f}.{l}", f"{f}.{l}.{r.randint(1, 99)}", f"{f}{l}",
                                 f"{f}.{l}{r.randint(1, 9)}"))
            elif platform == "mastodon":
                user = r.choice((f"{f}{l}", f"{f}_{l}", f"{f[0]}{l}", f"{f}", f"{f}{l[0]}"))
                base = f"@{user}@{r.choice(N.INSTANCES)}"
            else:
                base = r.choice((f"{f}{l}", f"{f}-{l}", f"{f}{l[0]}", f"{f}{r.randint(1, 99)}"))
                base += ".bsky.social"
            if attempt > 5:
                base = base.replace(f, f"{f}{attempt}", 1)
            if base not in self.used[platform]:
                self.used[platform].add(base)
                return base
        raise RuntimeError("no free handle")  # pragma: no cover


def _uid(rng: random.Random, platform: str) -> str:
    if platform == "facebook":
        return str(rng.randrange(100_000_000_000_000, 100_099_999_999_999))
    if platform == "bluesky":
        return "did:plc:" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz234567")
                                    for _ in range(24))
    return str(rng.randrange(1_000_000_000, 79_999_999_999))


# ---------------------------------------------------------------------------------------------
# (story opening, youngest, oldest age that year, latest year it fits)
FIRSTS = (
    ("Bought {her} engagement ring here in {year}", 20, 60, 9999),
    ("First came in {year} to have {her} grandmother's brooch appraised", 18, 90, 9999),
    ("Walked in off the street in {year} needing a watch battery", 16, 90, 9999),
    ("{Her} parents bought {her} first pearls here in {year}", 12, 22, 9999),
    ("Had {her} wedding bands made by Walter in {year}", 20, 60, 2012),
    ("Found us on Instagram in {year} looking for a custom pendant", 16, 70, 9999),
    ("Started with a watch strap replacement in {year}", 16, 90, 9999),
    ("Came in {year} to resize {her} late mother's ring", 30, 90, 9999),
    ("Bought a gold cross for {her} son's confirmation in {year}", 36, 60, 9999),
    ("Has been a customer since {year}, when the store was still half its size", 18, 90, 2004),
    ("Got {her} ears pierced here as a girl and came back for {her} own rings in {year}",
     18, 30, 9999),
    ("Brought in a box of estate jewelry to sort out in {year}", 35, 90, 9999),
    ("Ordered a custom signet ring in {year}", 18, 80, 9999),
    ("Was sent over by a coworker in {year} for a chain repair", 18, 70, 9999),
    ("Picked out {her} anniversary band with Maeve in {year}", 25, 80, 9999),
    ("Came in with a broken Rolex clasp in {year} and has trusted Tom ever since", 25, 90, 9999),
)
# (habit, needs a long history with the store)
HABITS = (
    ("comes in every December for a gift for {her} sister", True),
    ("has {her} watch serviced every couple of years", True),
    ("always asks for Rosa at the bench", True),
    ("buys {her} daughter a charm every birthday", True),
    ("likes to talk vintage watches with Tom", False),
    ("brought the whole family in for matching bands", True),
    ("drops by most Saturdays just to say hello", True),
    ("does {her} Mother's Day shopping the week before, never earlier", True),
    ("is building a pearl strand one pearl at a time", True),
    ("sends friends our way every wedding season", True),
    ("moved to {city} but still orders by phone", True),
    ("gets {her} rings cleaned before every holiday", True),
    ("never leaves without a look at the estate case", False),
    ("pays off something on layaway most years", True),
    ("is always the first to comment on our posts", False),
    ("shops for {her} partner's birthday every spring", True),
    ("prefers to be called, not texted", False),
    ("came back a week later for matching earrings", False),
    ("follows the new arrivals on Instagram", False),
    ("said {she} would be back before the holidays", False),
    ("asked about layaway for a tennis bracelet", False),
    ("wants to learn more about mechanical watches", False),
)
NOTES = (
    "Ring size {size}.", "Prefers white gold.", "Allergic to nickel.", "Call, don't text.",
    "Watch: {watch}; service due {due}.", "Likes to pay cash.", "Partner's birthday in {month}.",
    "Interested in lab-grown stones.", "Has a tennis bracelet on layaway.",
    "Hard of hearing; face them when talking.", "Loves yellow gold, dislikes rose gold.",
    "Kids' birthstones: {stones}.", "Collects Art Deco pieces.",
    "Wears size {size} on the right hand.",
)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
STONES = ("garnet", "amethyst", "aquamarine", "diamond", "emerald", "pearl", "ruby",
          "peridot", "sapphire", "opal", "topaz", "turquoise")


def _pronouns(gender: str) -> dict[str, str]:
    if gender == "f":
        return {"her": "her", "Her": "Her", "she": "she"}
    return {"her": "his", "Her": "His", "she": "he"}


def _story(rng: random.Random, m: Member, year: int, this_year: int) -> str:
    p = _pronouns(m.gender)
    age = year - m.birth_year
    firsts = [t for t, lo, hi, last in FIRSTS if lo <= age <= hi and year <= last]
    if m.gender == "m":
        firsts = [t for t in firsts if "ears pierced" not in t]
    first = rng.choice(firsts or [FIRSTS[2][0]]).format(year=year, **p)
    long = m.tier != "new" and year < this_year - 2
    habits = [t for t, needs_long in HABITS if long or not needs_long]
    habit = rng.choice(habits).format(city=rng.choice(N.CITIES), **p)
    return f"{first}; {habit}."


def _notes(rng: random.Random, today: date) -> str:
    picks = rng.sample(NOTES, k=rng.choice((0, 0, 1, 1, 1, 2)))
    return " ".join(
        n.format(size=rng.choice(("5", "5.5", "6", "6.5", "7", "7.5", "8", "9", "10", "11")),
                 watch=rng.choice(N.WATCHES), due=today.year + rng.randint(0, 2),
                 month=rng.choice(MONTHS), stones=", ".join(rng.sample(STONES, 2)))
        for n in picks)


def _date_in(rng: random.Random, year: int, today: date) -> date:
    d = date(year, 1, 1) + timedelta(days=rng.randrange(365))
    return min(d, today)


class _Builder:
    def __init__(self, rng: random.Random, today: date):
        self.rng, self.today = rng, today
        self.handles = Handles(rng)
        self.names: set[str] = set()
        self.emails: set[str] = set()
        self.members: list[Member] = []

    # -- people ---------------------------------------------------------------------------
    def name(self, gender: str, last: str | None = None) -> str:
        r = self.rng
        for _ in range(100):
            first = r.choice(N.FEMALE if gender == "f" else N.MALE)
            name = f"{first} {last or r.choice(N.LAST)}"
            if name not in self.names:
                return name
        raise RuntimeError("ran out of names")  # pragma: no cover

    def email(self, name: str) -> str:
        r = self.rng
        parts = [slug(p) for p in name.split()]
        f, l = parts[0], parts[-1]
        for i in range(100):
            local = r.choice((f"{f}.{l}", f"{f}{l}", f"{f[0]}{l}", f"{f}_{l}", f"{l}.{f}",
                              f"{f}{l}{r.randint(1, 99)}", f"{f[0]}{l}{r.randint(50, 99)}"))
            if i > 3:
                local += str(i)
            addr = f"{local}@{r.choice(('example.com', 'example.net', 'example.org'))}"
            if addr not in self.emails:
                self.emails.add(addr)
                return addr
        raise RuntimeError("ran out of emails")  # pragma: no cover

    def phone(self) -> str:
        r = self.rng
        area = r.choice(("203", "203", "475", "860", "914", "401"))
        return r.choice((f"({area}) 555-01{r.randint(0, 99):02d}",
                         f"{area}-555-01{r.randint(0, 99):02d}",
                         f"+1 {area} 555 01{r.randint(0, 99):02d}"))

    def add(self, name: str, gender: str, *, tier: str, since_year: int | None = None,
            since: str | None = None, birth_year: int | None = None, story: str | None = None,
            tags: list[str] | None = None, handles: dict[str, str] | None = None,
            birthday: bool | date | None = None, email: bool = True, activity: float = 1.0,
            display: str | None = None) -> Member:
        r, today = self.rng, self.today
        if since is None:
            since_year = since_year or today.year
            since = str(since_year)
        year = int(since[:4])
        if birth_year is None:
            birth_year = max(min(year - r.randint(20, 45), today.year - 19), 1920)
        m = Member(name=name, gender=gender, birth_year=birth_year, tier=tier, since=since,
                   activity=activity)
        m.email = self.email(name) if email else ""
        m.phone = self.phone() if r.random() < 0.7 else ""
        m.story = story if story is not None else _story(r, m, year, today.year)
        m.notes = _notes(r, today)
        m.tags = tags if tags is not None else sorted(r.sample(N.TAGS, k=r.choice((0, 1, 1, 2, 3))))
        if isinstance(birthday, date):
            m.birthday = birthday
        elif birthday or (birthday is None and r.random() < 0.6):
            m.birthday = _date_in(r, birth_year, today)
        for platform, handle in (handles or {}).items():
            m.handles.append((platform, self.handles.reserve(platform, handle)))
            self.online(m, platform, handle, display or name)
        self.names.add(name)
        self.members.append(m)
        return m

    def online(self, m: Member, platform: str, handle: str, display: str) -> Account:
        a = Account(platform, handle, display, m.activity, m, _uid(self.rng, platform))
        m.accounts.append(a)
        return a

    def presence(self, m: Member) -> None:
        """Give a generated member book handles, an unlisted account, a nickname, or nothing."""
        r = self.rng
        first, last = m.name.split(" ", 1)
        young = m.birth_year > 1975
        x = r.random()
        if x < 0.72:
            weights = {"instagram": 0.75 if young else 0.35, "facebook": 0.35 if young else 0.8,
                       "mastodon": 0.1, "bluesky": 0.15 if young else 0.06}
            chosen = [p for p in PLATFORMS if r.random() < weights[p]] or ["instagram"]
            for p in chosen:
                h = self.handles.make(p, first, last)
                m.handles.append((p, h))
                self.online(m, p, h, self.display(m))
            if r.random() < 0.06:  # also on a platform the book does not know
                rest = [p for p in PLATFORMS if p not in chosen]
                if rest:
                    p = r.choice(rest)
                    self.online(m, p, self.handles.make(p, first, last), m.name)
        elif x < 0.86:  # email only in the book; online under the exact book name
            p = "facebook" if r.random() < 0.7 else "instagram"
            handle = _uid(r, "facebook") if p == "facebook" else self.handles.make(p, first, last)
            self.online(m, p, handle, m.name)
        elif x < 0.89:  # online under a nickname or a spelling the book does not have
            p = "facebook" if r.random() < 0.6 else "instagram"
            handle = _uid(r, "facebook") if p == "facebook" else self.handles.make(p, first, last)
            self.online(m, p, handle, variant(r, m.name))
        # else: never online

    def display(self, m: Member) -> str:
        r, (first, last) = self.rng, m.name.split(" ", 1)
        x = r.random()
        if x < 0.68:
            return m.name
        if x < 0.83:
            return f"{first} {last[0]}"
        if x < 0.88:
            return f"{first} {last[0]}."
        if x < 0.95 and first in N.NICKNAMES:
            return f"{N.NICKNAMES[first]} {last}"
        return m.name.lower()


def variant(rng: random.Random, name: str) -> str:
    """A spelling the book does not have: nickname, no apostrophe, no accents, one typo."""
    first, last = name.split(" ", 1)
    if first in N.NICKNAMES:
        first = N.NICKNAMES[first]
    last = last.replace("'", "")
    folded = "".join(c for c in unicodedata.normalize("NFKD", last) if c.isascii())
    if folded != last:
        last = folded
    elif first not in N.NICKNAMES.values() and len(last) > 4:
        i = rng.randrange(1, len(last) - 1)
        last = last[:i] + last[i] + last[i:]  # doubled letter: "Colllins"
    return f"{first} {last}"


# ---------------------------------------------------------------------------------------------
def _cast(b: _Builder) -> dict[str, Member]:
    t = b.today
    c = {}
    ig, fb, md, bs = "instagram", "facebook", "mastodon", "bluesky"
    c["founder"] = b.add(CAST.founder, "m", tier="vip", since="1985", birth_year=1946,
                         story="Founded the store in 1985 with one workbench and two display "
                               "cases; still comes in Saturdays to talk watches with anyone "
                               "who will listen.",
                         tags=["family", "founder", "watch-collector"],
                         handles={fb: "walter.brennan.1985"}, birthday=date(1946, 3, 17),
                         activity=1.5)
    c["founder_spouse"] = b.add(CAST.founder_spouse, "f", tier="vip", since="1985",
                                birth_year=1949, story="Walter's wife; kept the books for the "
                                "first twenty years and still does the holiday window.",
                                tags=["family"], handles={fb: "eileen.brennan.52"},
                                birthday=date(1949, 9, 2), activity=1.2)
    c["owner"] = b.add(CAST.owner, "f", tier="vip", since="1998", birth_year=1976,
                       story="Walter's daughter; took over the store in 2012 and runs the "
                             "bridal side and the social accounts.",
                       tags=["family", "owner", "staff"], handles={ig: "maeve.brennan"},
                       birthday=date(1976, 5, 8), activity=0.8)
    c["sister"] = b.add(CAST.sister, "f", tier="vip", since="2001", birth_year=1980,
                        story="Maeve's younger sister; works the counter and does the engraving.",
                        tags=["family", "staff", "engraving"],
                        handles={ig: "nora.b.engraves", bs: "norabrennan.bsky.social"},
                        birthday=date(1980, 11, 29), activity=0.8)
    for name, g, since, story, tag, h in (
        ("Rosa Delgado", "f", "2006", "Bench jeweler since 2006; sizing, settings and "
         "rescue jobs on heirlooms.", "bench", {ig: "rosa.at.the.bench"}),
        ("Tom Okafor", "m", "2015", "Watchmaker; trained in Switzerland, joined in 2015.",
         "watchmaker", {md: "@tomokafor@mastodon.social"}),
        ("Priya Natarajan", "f", "2022", "Sales and the website; started part-time in 2022.",
         "sales", {ig: "priya.n", bs: "priyan.bsky.social"}),
    ):
        c[slug(name)] = b.add(name, g, tier="regular", since=since, story=story,
                              tags=["staff", tag], handles=h, activity=0.6)
    c["family_friend"] = b.add(
        CAST.family_friend, "m", tier="vip", since="1985", birth_year=1944,
        story="Walter's oldest friend from the Knights of Columbus; bought Gloria's anniversary "
              "band the week the store opened.",
        tags=["family-friend", "watch-collector"], birthday=date(1944, 7, 21),
        handles={ig: CAST.family_friend_handle, md: "@lennyb@mastodon.social"},
        display=CAST.family_friend_online, activity=2.5)
    c["family_friend_spouse"] = b.add(
        "Gloria Bianchi", "f", tier="vip", since="1985", birth_year=1947,
        story="Lenny's wife; has a standing order for a pearl for her strand every Christmas.",
        tags=["family-friend", "pearls"], handles={fb: "gloria.bianchi.47"}, activity=1.2)
    c["blackout"] = b.add(
        CAST.blackout, "f", tier="regular", since="1991", birth_year=1951,
        story="Has brought every watch in the family to Walter since 1991; comes in each spring "
              "to have her late husband's Bulova serviced.",
        tags=["watch-collector", "repairs"], handles={fb: "dorothy.kowalski.7"},
        birthday=date(1951, 2, 11), activity=2.0)
    c["engaged"] = b.add(
        CAST.engaged, "m", tier="new", since=(t - timedelta(days=74)).isoformat(),
        birth_year=1995, story="Spent three Saturdays with Maeve choosing an oval solitaire for "
                               "Jessica; was planning to propose at the lake.",
        tags=["bridal", "custom"], handles={ig: "marcus.webb_"}, activity=1.5)
    c["fiancee"] = b.add(CAST.fiancee, "f", tier="new", since=(t - timedelta(days=40)).isoformat(),
                         birth_year=1996, story="Marcus's girlfriend; came in for an ear "
                         "piercing, with no idea he had been in three times before.",
                         tags=["bridal"], handles={ig: "jess.alvarez"}, activity=1.0)
    c["repair_complaint"] = b.add(
        CAST.repair_complaint, "m", tier="regular", since="2009", birth_year=1966,
        story="Bought his Omega Speedmaster here in 2009; very particular about its timekeeping.",
        tags=["watch-collector", "repairs"], handles={fb: "gary.holt.66"}, activity=1.2)
    c["ring_size_question"] = b.add(
        CAST.ring_size_question, "f", tier="new", since=str(t.year), birth_year=1990,
        story="Found us on Instagram this year looking for a wedding band that fits after "
              "the baby.",
        tags=["bridal"], handles={ig: "aisha.rahman"}, activity=1.2)
    c["gift_shopper"] = b.add(
        CAST.gift_shopper, "m", tier="regular", since="2014", birth_year=1982,
        story="Bought Grace's engagement ring here in 2014; always shops for their anniversary "
              "the week before.",
        tags=["gifts", "pearls"], handles={ig: "dancho.nyc", fb: "daniel.cho.82"}, activity=1.0)
    c["gift_shopper_spouse"] = b.add(
        "Grace Cho", "f", tier="regular", since="2014", birth_year=1984,
        story="Daniel's wife; loves pearls and anything Art Deco.", tags=["pearls", "vintage"],
        handles={ig: "grace.cho.studio"}, activity=1.0)
    c["praise"] = b.add(
        CAST.praise, "f", tier="vip", since="1996", birth_year=1958,
        story="Three generations of Lindqvist brides have their rings from us; she brought "
              "in her grandmother's ring for Rosa to restore.",
        tags=["vintage", "estate", "bridal"], handles={fb: "bea.lindqvist"}, activity=1.5)
    c["fuzzy"] = b.add(CAST.fuzzy_book, "f", tier="regular", since="2003", birth_year=1964,
                       story="Came in in 2003 to resize her late mother's ring; buys her sister "
                             "a gift every December.", tags=["gifts"], activity=1.5)
    b.online(c["fuzzy"], fb, _uid(b.rng, fb), CAST.fuzzy_online)
    c["shared_name_1"] = b.add(CAST.shared_name, "f", tier="regular", since="2011",
                               birth_year=1979, tags=["bridal"],
                               handles={ig: "maria.garcia.designs"})
    b.names.discard(CAST.shared_name)
    c["shared_name_2"] = b.add(CAST.shared_name, "f", tier="new",
                               since=(t - timedelta(days=200)).isoformat(), birth_year=1988,
                               tags=["watch-collector"], handles={fb: "maria.garcia.88"})
    f = c["founder"]
    f.related += [("spouse", CAST.founder_spouse), ("child", CAST.owner), ("child", CAST.sister)]
    c["founder_spouse"].related += [("spouse", CAST.founder), ("child", CAST.owner),
                                    ("child", CAST.sister)]
    c["owner"].related += [("parent", CAST.founder), ("parent", CAST.founder_spouse),
                           ("sibling", CAST.sister)]
    c["sister"].related += [("parent", CAST.founder), ("sibling", CAST.owner)]
    for key in ("rosadelgado", "tomokafor", "priyanatarajan"):
        c[key].related.append(("colleague", CAST.owner))
    c["family_friend"].related += [("family_friend", CAST.founder), ("spouse", "Gloria Bianchi")]
    c["family_friend_spouse"].related += [("spouse", CAST.family_friend),
                                          ("family_friend", CAST.founder)]
    c["family_friend"].anniversary = c["family_friend_spouse"].anniversary = date(1968, 6, 15)
    soon = t + timedelta(days=9)  # the Chos' anniversary is next week: hence the gift question
    soon = date(2015, soon.month, min(soon.day, 28))
    c["gift_shopper"].anniversary = c["gift_shopper_spouse"].anniversary = soon
    c["gift_shopper"].related.append(("spouse", "Grace Cho"))
    c["gift_shopper_spouse"].related.append(("spouse", CAST.gift_shopper))
    c["engaged"].related.append(("partner", CAST.fiancee))
    c["fiancee"].related.append(("partner", CAST.engaged))
    c["blackout"].related.append(("friend", CAST.founder_spouse))
    return c


def _tier(r: random.Random) -> str:
    x = r.random()
    return "vip" if x < 0.07 else "regular" if x < 0.52 else "new"


def _since(r: random.Random, tier: str, today: date) -> str:
    if tier == "new":
        d = today - timedelta(days=r.randrange(1, 500))
        return d.isoformat() if r.random() < 0.6 else str(d.year)
    lo, hi = (1985, 2012) if tier == "vip" else (1986, today.year - 1)
    year = min(int(r.triangular(lo, hi, hi if tier == "regular" else lo)), today.year - 1)
    if year >= today.year - 3 and r.random() < 0.5:
        return _date_in(r, year, today).isoformat()
    return str(year)


def _activity(r: random.Random, tier: str) -> float:
    base = {"vip": 2.2, "regular": 1.2, "new": 0.9}[tier]
    return round(base * min(r.paretovariate(2.0), 6.0), 3)


def _household(b: _Builder, remaining: int) -> list[Member]:
    """A single customer, a couple, a couple with a grown child, siblings or friends."""
    r, today = b.rng, b.today
    x = r.random()
    kind = ("single" if x < 0.5 else "couple" if x < 0.78 else "family" if x < 0.88
            else "siblings" if x < 0.94 else "friends" if x < 0.97 else "old_friend")
    size = {"single": 1, "couple": 2, "family": 3, "siblings": 2, "friends": 2,
            "old_friend": 1}[kind]
    size = min(size, remaining)
    if size == 1 and kind not in ("single", "old_friend"):
        kind = "single"
    gender = r.choice("fm")
    tier = _tier(r)
    birth_year = None
    if kind == "old_friend":
        tier = "vip" if r.random() < 0.5 else "regular"
        since = str(r.randint(1985, 1994))
        birth_year = r.randint(1938, 1952)
    else:
        since = _since(r, tier, today)
    first = b.add(b.name(gender), gender, tier=tier, since=since, birth_year=birth_year,
                  activity=_activity(r, tier))
    out = [first]
    if kind == "old_friend":
        first.related.append(("family_friend", CAST.founder))
        first.tags = sorted(set(first.tags) | {"family-friend"})
        return out
    last = first.name.split(" ", 1)[1]
    if kind in ("couple", "family") and size >= 2:
        g2 = "m" if gender == "f" else "f"
        if r.random() < 0.1:
            g2 = gender
        same_last = r.random() < 0.6
        spouse = b.add(b.name(g2, last if same_last else None), g2, tier=tier, since=since,
                       birth_year=first.birth_year + r.randint(-4, 4),
                       activity=_activity(r, tier))
        wed_year = max(first.birth_year, spouse.birth_year) + r.randint(22, 35)
        wed_year = min(wed_year, today.year - 1)
        first.anniversary = spouse.anniversary = _date_in(r, wed_year, today)
        first.related.append(("spouse", spouse.name))
        spouse.related.append(("spouse", first.name))
        out.append(spouse)
        if kind == "family" and size >= 3:
            g3 = r.choice("fm")
            child_year = first.birth_year + r.randint(24, 36)
            child_since = max(int(since[:4]), min(child_year + 18, today.year))
            child_tier = "new" if child_since >= today.year - 1 else "regular"
            child = b.add(b.name(g3, last), g3, tier=child_tier, since_year=child_since,
                          birth_year=min(child_year, today.year - 19),
                          activity=_activity(r, child_tier))
            for parent in (first, spouse):
                child.related.append(("parent", parent.name))
                parent.related.append(("child", child.name))
            out.append(child)
    elif kind == "siblings" and size >= 2:
        g2 = r.choice("fm")
        sib = b.add(b.name(g2, last), g2, tier=_tier(r), since=_since(r, tier, today),
                    birth_year=first.birth_year + r.randint(-6, 6), activity=_activity(r, tier))
        first.related.append(("sibling", sib.name))
        sib.related.append(("sibling", first.name))
        out.append(sib)
    elif kind == "friends" and size >= 2:
        g2 = r.choice("fm")
        t2 = _tier(r)
        other = b.add(b.name(g2), g2, tier=t2, since=_since(r, t2, today),
                      activity=_activity(r, t2))
        rel = r.choice(("friend", "colleague"))
        first.related.append((rel, other.name))
        other.related.append((rel, first.name))
        out.append(other)
    return out


def _strangers(b: _Builder, count: int) -> list[Account]:
    r = b.rng
    out = []
    brands = list(N.STRANGER_BRANDS)
    for i in range(count):
        platform = r.choices(PLATFORMS, weights=(50, 28, 10, 12))[0]
        if brands and r.random() < 0.04:
            display = brands.pop(0)
            first, last = display.split()[0], display.split()[-1]
        else:
            g = r.choice("fm")
            first = r.choice(N.FEMALE if g == "f" else N.MALE)
            last = r.choice(N.LAST)
            display = f"{first} {last}"
            y = r.random()
            if y < 0.15:
                display = f"{first} {last[0]}."
            elif y < 0.22:
                display = first.lower()
            elif y < 0.25:
                display = f"✨ {first} ✨"
        handle = (_uid(r, "facebook") if platform == "facebook" and r.random() < 0.5
                  else b.handles.make(platform, first, last))
        weight = round(0.5 * min(r.paretovariate(1.6), 8.0), 3)
        out.append(Account(platform, handle, display, weight, None, _uid(r, platform)))
    out.append(Account("instagram", b.handles.reserve("instagram", "jules.makes"),
                       CAST.hours_question, 0.8, None, _uid(r, "instagram")))
    return out


def build_world(rng: random.Random, today: date, people: int) -> World:
    b = _Builder(rng, today)
    cast = _cast(b)
    if people < len(b.members) + 10:
        raise ValueError(f"people must be at least {len(b.members) + 10}")
    while len(b.members) < people:
        for m in _household(b, people - len(b.members)):
            b.presence(m)
    strangers = _strangers(b, round(people * 0.6))
    store_handles = {"instagram": "brennananddaughters", "facebook": "BrennanAndDaughters",
                     "mastodon": "@brennanjewelers@mastodon.social",
                     "bluesky": "brennananddaughters.bsky.social"}
    facts = {
        "store_name": CAST.store_name,
        "owner_name": CAST.owner,
        "timezone": "America/New_York",
        "hours": {"mon": "10:00-18:00", "tue": "10:00-18:00", "wed": "10:00-18:00",
                  "thu": "10:00-20:00", "fri": "10:00-18:00", "sat": "10:00-17:00",
                  "sun": "closed"},
        "services": {
            "ring resizing": "same day for most bands, $35-$60",
            "watch battery": "while you wait, $15 (most quartz watches)",
            "repairs": "chains and clasps in 2-3 days; settings and heirloom work 1-2 weeks",
            "engraving": "by hand or machine, usually next day, from $20",
            "appraisals": "for insurance or estates, by appointment, $75 for the first piece",
            "watch service": "full service on mechanical watches in 4-6 weeks, quoted first",
            "layaway": "20% down, up to 6 months, no fees",
        },
        "phone": "(203) 555-0148",
        "website": "https://brennananddaughters.example",
    }
    return World(b.members, strangers, cast, store_handles, facts, today)
