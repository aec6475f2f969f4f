"""Suggested replies in the voice of a store owner: personal, short, and never salesy in hard times.

Pure functions: the item's person, moments and the store's facts in, one editable draft out.
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field

from sociable.inbox.prioritize import Who

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_WORDS = {
    "monday": "mon", "tuesday": "tue", "wednesday": "wed", "thursday": "thu", "friday": "fri",
    "saturday": "sat", "sunday": "sun", "weekend": "sat",
}
DAY_NAMES = dict(zip(DAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                            "Saturday", "Sunday")))
HOURS_WORDS = re.compile(r"\b(open|opening|close|closing|closed|hours?|today|tomorrow|"
                         r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend|"
                         r"holiday)\b", re.I)

# Words that point a question at one of the store's services (keys of facts["services"]).
SERVICE_WORDS = {
    "resiz": "ring resizing", "ring size": "ring resizing", "sizing": "ring resizing",
    "size my": "ring resizing", "batter": "watch battery", "repair": "repairs",
    "fix": "repairs", "broke": "repairs", "clasp": "repairs", "prong": "repairs",
    "engrav": "engraving", "apprais": "appraisals", "insurance": "appraisals",
    "clean": "cleaning", "layaway": "layaway", "custom": "custom design",
}


@dataclass
class Facts:
    """What the owner configured for replies to draw on (see `sociable settings`)."""

    store_name: str = "our store"
    owner_name: str = ""
    hours: dict[str, str] = field(default_factory=dict)
    services: dict[str, str] = field(default_factory=dict)
    phone: str = ""
    website: str = ""

    @classmethod
    def from_dict(cls, data: dict) -> Facts:
        known = {k: data[k] for k in ("store_name", "owner_name", "hours", "services", "phone",
                                      "website") if k in data and data[k]}
        return cls(**known)

    @property
    def sign(self) -> str:
        return self.owner_name.split()[0] if self.owner_name else ""


def _pick(options: list[str], key: str) -> str:
    """A stable choice, so the same item gets the same draft every time."""
    return options[zlib.crc32(key.encode()) % len(options)]


def _hours_answer(text: str, facts: Facts) -> str | None:
    if not facts.hours or not HOURS_WORDS.search(text):
        return None
    asked = [DAY_WORDS[w.lower()] for w in re.findall(r"\b(\w+day|weekend)\b", text)
             if w.lower() in DAY_WORDS]
    days = asked or list(DAYS)

    def says(day: str) -> str:
        value = facts.hours.get(day, "closed")
        return f"{DAY_NAMES[day]} {'we are closed' if value == 'closed' else value}"
    if asked:
        return "Our hours: " + "; ".join(says(d) for d in dict.fromkeys(days)) + "."
    return "Our hours are " + "; ".join(says(d) for d in DAYS) + "."


def _service_answer(text: str, facts: Facts) -> str | None:
    lowered = text.lower()
    for word, service in SERVICE_WORDS.items():
        if word in lowered and service in facts.services:
            return f"For {service}: {facts.services[service]}."
    return None


def answer(text: str, facts: Facts) -> str | None:
    """A factual answer from the owner's configured facts, or None when we do not know."""
    found = [a for a in (_hours_answer(text, facts), _service_answer(text, facts)) if a]
    return " ".join(found) or None


def draft(who: Who, moments: dict[str, str], kinds: dict[str, int], facts: Facts,
          key: str = "") -> str:
    """One suggested reply. `moments` maps each label to the text that carried it."""
    name = who.first_name if who.known or who.name else "there"
    key = key or who.name
    sign = f" – {facts.sign}" if facts.sign else ""
    closeness = ""
    if who.circle:
        closeness = " " + _pick(["Please give the family our love.",
                                 "It means a lot to hear from you.",
                                 "You're family to us, you know that."], key)
    if "hardship" in moments:
        # Support only: no offers, no links, no store talk.
        body = _pick([
            f"{name}, I'm so sorry you're going through this. We're thinking of you — "
            "if there's anything at all we can do, just say the word.",
            f"Oh {name}, that sounds really hard. Sending you all our best; please take care "
            "of yourself and let us know if you need anything.",
            f"{name}, we just saw this and wanted to say we're here for you. Thinking of you "
            "and yours.",
        ], key)
        return body + sign
    parts: list[str] = []
    if "complaint" in moments:
        text = moments["complaint"]
        fix = _service_answer(text, facts)
        parts.append(_pick([
            f"{name}, I'm sorry — that's not the experience we want for you, and it's on us.",
            f"{name}, thank you for telling us, and I'm sorry. You deserve better than that.",
        ], key))
        parts.append("Could you bring it in (or send me a message) so I can look at it myself "
                     "and make it right at no cost to you?" if fix or "repair" in text.lower()
                     else "Please send me a message with the details so I can make it right.")
    if "question" in moments:
        found = answer(moments["question"], facts)
        if not parts:
            parts.append(f"Hi {name}, great question!")
        parts.append(found if found else
                     "I want to give you the right answer, so let me check and get back to you "
                     "today.")
    if "celebration" in moments and "complaint" not in moments:
        parts.insert(0, _pick([
            f"Congratulations, {name}! This is wonderful news.",
            f"{name}, congratulations! We're so happy for you.",
            f"What wonderful news, {name} — congratulations from all of us!",
        ], key))
    if "purchase_intent" in moments and "complaint" not in moments:
        if not parts:
            parts.append(f"Hi {name}!")
        parts.append(_pick([
            "We'd love to help you find the right piece — tell me a little about who it's for "
            "and your budget, and I'll pull a few ideas together.",
            "Come see us and we'll show you a few pieces that fit what you have in mind — no "
            "pressure, just ideas.",
        ], key))
    if "praise" in moments and "complaint" not in moments:
        parts.append(_pick([
            f"Thank you so much, {name} — that made our day!",
            f"{name}, this means the world to us. Thank you!",
            "Thank you for the kind words — we'll pass them on to the whole team.",
        ], key) if parts else _pick([
            f"Thank you so much, {name} — that made our day!",
            f"{name}, this means the world to us. Thank you!",
        ], key))
    if not parts:
        # A known person simply interacting: a warm hello, no pitch.
        if who.known:
            parts.append(_pick([
                f"Hi {name}! So good to see you here.",
                f"Thanks for the love, {name}! Hope all is well with you.",
                f"{name}! Always nice to hear from you.",
            ], key))
        else:
            parts.append(f"Hi {name}, thanks for stopping by!")
    return " ".join(parts) + closeness + sign
