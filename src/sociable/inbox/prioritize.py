"""Priority from who (the book), what (moments, kinds) and when (recency), with reasons.

Scores are stored undecayed; `rank = ln(score) + t / TAU` orders items exactly as the decayed
priority `score * exp(-age / TAU)` would at any moment, so the inbox sorts on an index.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime

from sociable.domain.people import Tier

TAU_HOURS = 36.0  # an untouched item's priority falls to about a third in a day and a half

TIER_WEIGHT = {Tier.VIP: 3.0, Tier.REGULAR: 1.8, Tier.NEW: 1.3}
STRANGER_WEIGHT = 1.0
CIRCLE_BONUS = 1.0

MOMENT_WEIGHT = {
    "hardship": 5.0, "complaint": 4.5, "question": 4.0, "celebration": 3.5,
    "purchase_intent": 3.5, "praise": 2.0,
}
KIND_WEIGHT = {
    "message": 2.0, "review": 1.8, "comment": 1.5, "reply": 1.5, "mention": 1.5,
    "share": 1.2, "like": 1.0, "follow": 0.8,
}

KIND_PHRASE = {
    "like": "liked your post", "comment": "commented", "reply": "replied",
    "mention": "mentioned you", "message": "sent you a message", "share": "shared your post",
    "follow": "followed you", "review": "reviewed you",
}
MOMENT_PHRASE = {
    "hardship": "is going through something hard", "celebration": "has something to celebrate",
    "complaint": "has a complaint", "question": "asked a question",
    "purchase_intent": "is looking to buy", "praise": "said something kind",
}


@dataclass
class Who:
    """What the book says about an author, as prioritizing needs it."""

    name: str
    person_id: int | None = None
    tier: Tier | None = None
    since: date | None = None
    story: str = ""
    circle: list[str] = field(default_factory=list)  # e.g. "family friend of Walter Brennan"
    tags: list[str] = field(default_factory=list)
    maybe: str | None = None  # for an unknown author: the book person a suggestion points to

    @property
    def known(self) -> bool:
        return self.person_id is not None

    @property
    def first_name(self) -> str:
        parts = self.name.split()
        return parts[0] if parts else self.name


def who_weight(who: Who, today: date) -> float:
    if not who.known:
        return STRANGER_WEIGHT
    weight = TIER_WEIGHT.get(who.tier or Tier.NEW, 1.3)
    if who.since:
        weight += min((today - who.since).days / 365.25 / 10.0, 1.5)  # +0.1 a year, up to 15
    if who.circle:
        weight += CIRCLE_BONUS
    return weight


def what_weight(moments: dict[str, float], kinds: dict[str, int]) -> float:
    """The strongest moment counts fully; further moments and gestures add a little."""
    weights = sorted((MOMENT_WEIGHT[m] * (0.5 + s / 2) for m, s in moments.items()), reverse=True)
    gestures = sorted((KIND_WEIGHT.get(k, 1.0) for k in kinds), reverse=True)
    if weights:
        return weights[0] + 0.3 * sum(weights[1:]) + 0.1 * sum(gestures)
    return gestures[0] + 0.1 * sum(gestures[1:]) if gestures else 0.0


GESTURES = frozenset({"like", "follow", "share"})


def worth_an_item(who: Who, moments: dict[str, float], kind: str = "comment") -> bool:
    """A moment from anyone; words from anyone in the book; a bare gesture (like, follow,
    share) only from a VIP, a regular or the owner's circle. A stranger's like is not an item."""
    if moments:
        return True
    if not who.known:
        return False
    if kind not in GESTURES:
        return True
    return who.tier in (Tier.VIP, Tier.REGULAR) or bool(who.circle)


def score(who: Who, moments: dict[str, float], kinds: dict[str, int], today: date) -> float:
    return round(who_weight(who, today) * what_weight(moments, kinds), 4)


def rank(score_value: float, last_at: datetime) -> float:
    return math.log(max(score_value, 1e-6)) + last_at.timestamp() / 3600.0 / TAU_HOURS


def priority_now(rank_value: float, now: datetime) -> float:
    """The decayed priority at `now`, on a 0-100-ish scale for people to read."""
    return round(10 * math.exp(rank_value - now.timestamp() / 3600.0 / TAU_HOURS), 1)


def who_reason(who: Who, today: date) -> str:
    """`Lenny B: family friend of Walter Brennan, customer since 1998, VIP`."""
    if not who.known:
        if who.maybe:
            return f"{who.name}: not in your book yet (maybe {who.maybe}?)"
        return f"{who.name}: not in your book yet"
    parts = list(who.circle)
    if who.since:
        years = today.year - who.since.year
        parts.append(f"customer since {who.since.year}" if years >= 1 else "new this year")
    if who.tier == Tier.VIP:
        parts.append("VIP")
    elif who.tier == Tier.REGULAR:
        parts.append("regular")
    return f"{who.name}: " + (", ".join(parts) if parts else "in your book")


def quote(text: str, limit: int = 90) -> str:
    """A post's words, short enough for one line of reasons."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def what_reasons(moments: dict[str, tuple[float, str, str]], kinds: dict[str, int]) -> list[str]:
    """One line per moment, with the words that carry it and what the detector saw in them
    (a matched phrase; a bag of model words helps nobody, so those are left out), then one line
    for the gestures: `liked your post x3`."""
    lines = []
    quoted: set[str] = set()
    for label, (_, evidence, text) in sorted(moments.items(),
                                             key=lambda m: -MOMENT_WEIGHT[m[0]]):
        line = f"{MOMENT_PHRASE[label]} ({label})"
        if text and text not in quoted:
            line += f": “{quote(text)}”"
            quoted.add(text)
        if evidence.startswith(("phrase:", "store correction:")):
            line += f" [{evidence}]"
        lines.append(line)
    gestures = []
    for kind, n in sorted(kinds.items(), key=lambda k: -KIND_WEIGHT.get(k[0], 1.0)):
        phrase = KIND_PHRASE.get(kind, kind)
        gestures.append(f"{phrase} x{n}" if n > 1 else phrase)
    if gestures:
        lines.append(", ".join(gestures))
    return lines


def heard_reason(keyword: str) -> str:
    """Why a post found by keyword listening is in the inbox."""
    return f"heard while listening for “{keyword}” (not addressed to you)"


def ago(then: datetime, now: datetime) -> str:
    seconds = max((now - then).total_seconds(), 0)
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 86400:
        return f"{int(seconds // 3600)} h ago"
    return f"{int(seconds // 86400)} d ago"
