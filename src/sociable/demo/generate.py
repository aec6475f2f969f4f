"""Write the seeded demo store: people CSV, interactions JSONL and the store's facts JSON.

    from datetime import datetime, timezone
    from sociable.demo import generate
    files = generate(Path("demo"), now=datetime.now(timezone.utc))

The same seed and `now` give byte-identical files. Interactions are written a day at a time,
so a million of them need no more memory than thirty thousand.
"""
from __future__ import annotations

import bisect
import csv
import json
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from pathlib import Path

from sociable.demo import texts as T
from sociable.demo.ids import Ids
from sociable.demo.scenarios import today_scenarios
from sociable.demo.world import CAST, PLATFORMS, Account, World, build_world

HEADER = ("name", "email", "phone", "handles", "tier", "since", "story", "notes", "tags",
          "birthday", "anniversary", "related")
KINDS = ("like", "comment", "mention", "reply", "message", "share", "follow", "review")
TEXT_KINDS = frozenset({"comment", "mention", "reply", "message", "review"})
ON_POST = frozenset({"like", "comment", "reply", "share"})  # in_reply_to a store post
DAY = 86_400
LOCAL_OFFSET = -5 * 3600  # the store's clock, near enough (America/New_York)

PLATFORM_WEIGHTS = (45, 30, 12, 13)
KIND_WEIGHTS = {  # like, comment, mention, reply, message, share, follow, review
    "instagram": (58, 17, 5, 4, 5, 5, 6, 0),
    "facebook": (50, 17, 4, 6, 5, 8, 3, 7),
    "mastodon": (52, 14, 8, 8, 3, 10, 5, 0),
    "bluesky": (55, 12, 7, 7, 2, 9, 8, 0),
}
# Share of each kind written by people in the book (the rest: strangers).
BOOK_SHARE = {"like": 0.5, "comment": 0.6, "mention": 0.55, "reply": 0.7, "message": 0.65,
              "share": 0.45, "follow": 0.2, "review": 0.7}
CATEGORY_WEIGHTS = {
    "comment": {"chatter": 72, "praise": 8, "question": 9, "celebration": 4,
                "purchase_intent": 3, "hardship": 2, "complaint": 2},
    "reply": {"chatter": 74, "question": 10, "praise": 9, "complaint": 5, "hardship": 2},
    "mention": {"chatter": 40, "celebration": 22, "hardship": 13, "praise": 14,
                "complaint": 6, "purchase_intent": 5},
    "message": {"question": 42, "purchase_intent": 24, "complaint": 12, "hardship": 6,
                "chatter": 10, "praise": 6},
    "review": {"praise": 76, "complaint": 24},
}
# Seasons: subtype weight multipliers by month.
SEASONS = {
    ("celebration", "engagement"): {12: 2.2, 2: 1.8, 1: 1.3},
    ("celebration", "wedding"): {6: 2.0, 9: 2.0, 10: 2.0, 1: 0.5, 2: 0.5},
    ("celebration", "graduation"): {5: 4.0, 6: 4.0, **{m: 0.3 for m in (1, 2, 3, 4, 7, 8, 9,
                                                                      10, 11, 12)}},
    ("hardship", "blackout"): {1: 1.6, 2: 1.6, 8: 1.8, 9: 1.8, 10: 1.8},
    ("hardship", "storm"): {8: 2.5, 9: 2.5, 10: 2.5, 3: 1.3, 5: 0.5, 6: 0.5},
    ("hardship", "quarantine"): {12: 1.8, 1: 1.8, 2: 1.8, 3: 1.8, 6: 0.4, 7: 0.4, 8: 0.4},
    ("hardship", "illness"): {12: 1.4, 1: 1.4, 2: 1.4},
    ("purchase_intent", "gift"): {11: 2.5, 12: 2.5, 5: 1.8, 2: 1.5},
    ("purchase_intent", "engagement"): {11: 1.8, 12: 1.8},
    ("question", "hours"): {11: 1.6, 12: 1.6},
    ("chatter", "nostalgia"): {},
}
WEEKDAY_FACTOR = (0.9, 0.92, 0.95, 1.0, 1.05, 1.2, 1.15)
MONTH_FACTOR = (0.8, 1.15, 0.9, 0.95, 1.1, 1.05, 0.9, 0.9, 0.95, 1.0, 1.15, 1.45)
# People are awake and scrolling at lunch and in the evening (store time).
HOUR_WEIGHTS = (2, 1, 0.5, 0.3, 0.3, 0.6, 2, 4, 5, 5, 5, 6, 8, 7, 5, 5, 5, 6, 8, 9, 10, 9, 7,
                4)
STORE_POSTS_PER_WEEK = {"instagram": 5, "facebook": 4, "mastodon": 3, "bluesky": 3}


@dataclass
class DemoFiles:
    people_csv: Path
    interactions_jsonl: Path
    facts_json: Path
    people: int
    strangers: int
    interactions: int
    store_posts: int


def _cum(weights) -> tuple[list, float]:
    cum = list(accumulate(weights))
    return cum, cum[-1]


class _Pick:
    """Weighted choice by bisect on precomputed cumulative weights (fast in a hot loop)."""

    def __init__(self, items, weights):
        self.items = list(items)
        self.cum, self.total = _cum(weights)

    def __call__(self, rng: random.Random):
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]


class _Posts:
    """The store's own posts on one platform, for in_reply_to."""

    def __init__(self) -> None:
        self.times: list[int] = []
        self.posts: list[tuple[str, str]] = []

    def before(self, rng: random.Random, ts: int) -> tuple[str, str]:
        i = bisect.bisect_right(self.times, ts) - 1
        back = min(int(rng.expovariate(0.7)), max(i, 0))
        return self.posts[max(i - back, 0)]


class Generator:
    def __init__(self, world: World, seed: int, end: int, days: int):
        self.w, self.seed, self.end, self.days = world, seed, end, days
        self.rng = random.Random(f"{seed}/events")
        self.ids = Ids()
        self.platform = _Pick(PLATFORMS, PLATFORM_WEIGHTS)
        self.kinds = {p: _Pick(KINDS, w) for p, w in KIND_WEIGHTS.items()}
        self.kinds_today = {p: _Pick(KINDS, [x * (0.55 if k == "like" else 1.6 if k in TEXT_KINDS
                                                  else 1.0) for k, x in zip(KINDS, w)])
                            for p, w in KIND_WEIGHTS.items()}
        self.book = {p: self._pool(world.accounts(p, book=True)) for p in PLATFORMS}
        self.strangers = {p: self._pool(world.accounts(p, book=False)) for p in PLATFORMS}
        self.categories = {k: _Pick(w.keys(), w.values()) for k, w in CATEGORY_WEIGHTS.items()}
        self.subtypes = {m: {c: _Pick(w.keys(), [x * SEASONS.get((c, s), {}).get(m, 1.0)
                                                for s, x in w.items()])
                             for c, w in T.SUBTYPE_WEIGHTS.items()} for m in range(1, 13)}
        hour0 = ((end + LOCAL_OFFSET) // 3600) % 24  # store hour at the start of each bucket
        self.slot = _Pick(range(24), [HOUR_WEIGHTS[(hour0 + j) % 24] for j in range(24)])
        self.staff = tuple(n.split()[0] for n in CAST.staff) + ("Walter",)
        self.posts = {p: _Posts() for p in PLATFORMS}
        self.store_posts = self._make_posts()
        self._special = self._special_days()
        self.must = today_scenarios(self, random.Random(f"{seed}/today"))

    @staticmethod
    def _pool(accounts: list[Account]) -> _Pick | None:
        return _Pick(accounts, [a.weight for a in accounts]) if accounts else None

    # -- the store's posts ------------------------------------------------------------------
    def _make_posts(self) -> int:
        rng, count = random.Random(f"{self.seed}/posts"), 0
        start = self.end - (self.days + 21) * DAY
        for p in PLATFORMS:
            per_day = STORE_POSTS_PER_WEEK[p] / 7
            ts = start
            while True:
                ts += int(rng.expovariate(per_day) * DAY) + 600
                if ts >= self.end - 2 * 3600:
                    break
                pid, url = self.ids.post(rng, p, ts, self.w.store_handles[p])
                self.posts[p].times.append(ts)
                self.posts[p].posts.append((pid, url))
                count += 1
            if not self.posts[p].times:  # a tiny span: still one post to answer
                self.posts[p].times.append(start)
                self.posts[p].posts.append(self.ids.post(rng, p, start, self.w.store_handles[p]))
                count += 1
        return count

    # -- birthdays and anniversaries in the book become posts on the day ---------------------
    def _special_days(self) -> dict[tuple[int, int], list[tuple[str, object]]]:
        out: dict[tuple[int, int], list[tuple[str, object]]] = {}
        for m in self.w.members:
            if not m.accounts:
                continue
            for what, d in (("birthday", m.birthday), ("anniversary", m.anniversary)):
                if d:
                    out.setdefault((d.month, d.day), []).append((what, m))
        return out

    def _local_date(self, bucket_start: int) -> date:
        return datetime.fromtimestamp(bucket_start + DAY // 2 + LOCAL_OFFSET, UTC).date()

    # -- volumes ----------------------------------------------------------------------------
    def counts(self, total: int, today_min: int) -> list[int]:
        """Interactions per 24-hour bucket; bucket 0 is the last 24 hours before `now`."""
        rng = random.Random(f"{self.seed}/counts")
        avg = total / self.days
        today = min(total, max(today_min, round(avg * 1.3)))
        viral = set(rng.sample(range(1, self.days), k=min(3, self.days - 1)))
        weights = []
        for k in range(1, self.days):
            d = self._local_date(self.end - (k + 1) * DAY)
            w = (WEEKDAY_FACTOR[d.weekday()] * MONTH_FACTOR[d.month - 1]
                 * (0.8 + 0.4 * (1 - k / self.days)) * rng.uniform(0.8, 1.2))
            weights.append(w * (2.5 if k in viral else 1.0))
        rest, counts, acc, prev = total - today, [today], 0.0, 0
        s = sum(weights) or 1.0
        for w in weights:
            acc += w
            cur = round(rest * acc / s)
            counts.append(cur - prev)
            prev = cur
        return counts

    # -- one interaction ----------------------------------------------------------------------
    def author(self, platform: str, kind: str) -> Account:
        rng = self.rng
        book, strangers = self.book[platform], self.strangers[platform]
        pool = book if (rng.random() < BOOK_SHARE[kind] and book) or not strangers else strangers
        return pool(rng)

    def text(self, kind: str, month: int, category: str | None = None,
             subtype: str | None = None, fixed: dict | None = None) -> str:
        rng = self.rng
        category = category or self.categories[kind](rng)
        if subtype is None:
            if category == "chatter" and kind in ("reply", "message") and rng.random() < 0.7:
                subtype = "thread"
            elif category == "complaint" and kind == "review":
                subtype = rng.choice(("repair", "repair", "service"))
            else:
                subtype = self.subtypes[month][category](rng)
        slots = T.Slots(rng, {"owner": "Maeve", "staff_names": self.staff,
                              "year": self.w.today.year,
                              "store": rng.choice(("Brennan's", "Brennan & Daughters",
                                                   "Brennans", "you guys", "Maeve and Rosa"))})
        slots.update(fixed or {})
        return T.compose(rng, category, subtype, slots)

    def event(self, b0: int, month: int, today: bool) -> tuple:
        rng = self.rng
        ts = b0 + self.slot(rng) * 3600 + rng.randrange(3600)
        platform = self.platform(rng)
        kind = (self.kinds_today if today else self.kinds)[platform](rng)
        acc = self.author(platform, kind)
        text = self.text(kind, month) if kind in TEXT_KINDS else ""
        return (ts, platform, kind, acc, text)

    def specials(self, d: date, b0: int) -> list[tuple]:
        rng, out = self.rng, []
        for what, m in self._special.get((d.month, d.day), ()):
            if rng.random() >= (0.3 if what == "birthday" else 0.2):
                continue
            acc = rng.choice(m.accounts)
            fixed: dict[str, object] = {}
            if what == "birthday":
                fixed["n"] = d.year - m.birthday.year
            else:
                fixed["years"] = d.year - m.anniversary.year
                spouse = next((n for r, n in m.related if r == "spouse"), None)
                if spouse:
                    fixed["partner"] = spouse.split()[0]
            if fixed.get("n", 1) <= 0 or fixed.get("years", 1) <= 0:
                continue
            kind = "mention" if rng.random() < 0.7 else "comment"
            ts = b0 + self.slot(rng) * 3600 + rng.randrange(3600)
            text = self.text(kind, d.month, "celebration", what, fixed)
            out.append((ts, acc.platform, kind, acc, text))
        return out

    def line(self, ev: tuple) -> str:
        ts, platform, kind, acc, text = ev[:5]
        post = ev[5] if len(ev) > 5 else None
        if post is None and kind in ON_POST:
            post = self.posts[platform].before(self.rng, ts)
        iid, url = self.ids.interaction(platform, kind, ts, acc.handle, acc.uid, post,
                                        self.w.store_handles[platform])
        return json.dumps({
            "platform": platform, "id": iid, "kind": kind, "author_handle": acc.handle,
            "author_name": acc.display, "text": text,
            "created_at": datetime.fromtimestamp(ts, UTC).isoformat(),
            "in_reply_to": post[0] if post else None, "url": url,
        }, ensure_ascii=False)

    def run(self, out, total: int) -> int:
        rng = self.rng
        must = self.must
        counts = self.counts(total, len(must))
        written = 0
        for k in range(self.days - 1, -1, -1):
            b0 = self.end - (k + 1) * DAY
            d = self._local_date(b0)
            n = counts[k]
            events = must if k == 0 else self.specials(d, b0)[:n]
            events = list(events)
            while len(events) < n:
                ev = self.event(b0, d.month, k == 0)
                events.append(ev)
                if ev[2] == "like" and rng.random() < 0.07:  # a few more likes in a row
                    for _ in range(min(rng.randint(1, 3), n - len(events))):
                        events.append((min(ev[0] + rng.randrange(30, 1800), b0 + DAY - 1),
                                       ev[1], "like", ev[3], ""))
            events.sort(key=lambda e: e[0])
            out.writelines(self.line(ev) + "\n" for ev in events)
            written += len(events)
        return written


def generate(out_dir: Path, *, seed: int = 7, now: datetime, people: int = 500,
             interactions: int = 30_000, months: int = 12) -> DemoFiles:
    """Write people.csv, interactions.jsonl and facts.json for a believable jewelry store.

    `now` must be timezone-aware; interactions fill the `months` before it, the last 24 hours
    busiest and holding the key scenarios (see `sociable.demo.CAST`).
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware, e.g. datetime.now(timezone.utc)")
    if months < 1:
        raise ValueError("months must be at least 1")
    now = now.astimezone(UTC).replace(microsecond=0)
    end = int(now.timestamp())
    days = max(2, round(months * 30.437))
    world = build_world(random.Random(f"{seed}/world"), (now - timedelta(seconds=1)).date(),
                        people)
    gen = Generator(world, seed, end, days)
    if interactions < len(gen.must):
        raise ValueError(f"interactions must be at least {len(gen.must)} (today's scenarios)")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    files = DemoFiles(out_dir / "people.csv", out_dir / "interactions.jsonl",
                      out_dir / "facts.json", len(world.members), len(world.strangers), 0,
                      gen.store_posts)
    with files.people_csv.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(m.row() for m in world.members)
    files.facts_json.write_text(json.dumps(world.facts, indent=2, ensure_ascii=False) + "\n",
                                encoding="utf-8")
    with files.interactions_jsonl.open("w", encoding="utf-8", newline="\n") as f:
        files.interactions = gen.run(f, interactions)
    return files
