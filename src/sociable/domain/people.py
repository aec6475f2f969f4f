"""The relationship book: people, their handles and the links between them."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Tier(StrEnum):
    VIP = "vip"
    REGULAR = "regular"
    NEW = "new"


@dataclass(frozen=True)
class HandleRef:
    """A person's identity on one platform, as written in the book: `instagram:lenny.b`."""

    platform: str
    handle: str

    @classmethod
    def parse(cls, text: str) -> HandleRef:
        platform, sep, handle = text.strip().partition(":")
        if not sep or not platform.strip() or not handle.strip():
            raise ValueError(f"handle {text!r} is not platform:handle")
        return cls(platform.strip().lower(), normalize_handle(handle))

    def __str__(self) -> str:
        return f"{self.platform}:{self.handle}"


@dataclass(frozen=True)
class Relation:
    """A link from one person to another by name: `family_friend:Owner's Dad`."""

    relation: str
    name: str

    @classmethod
    def parse(cls, text: str) -> Relation:
        relation, sep, name = text.strip().partition(":")
        if not sep or not relation.strip() or not name.strip():
            raise ValueError(f"related {text!r} is not relation:Full Name")
        return cls(relation.strip().lower().replace(" ", "_"), name.strip())


@dataclass
class Person:
    name: str
    id: int | None = None
    email: str | None = None
    phone: str | None = None
    tier: Tier = Tier.NEW
    since: date | None = None
    story: str = ""
    notes: str = ""
    tags: list[str] = field(default_factory=list)
    birthday: date | None = None
    anniversary: date | None = None
    handles: list[HandleRef] = field(default_factory=list)
    related: list[Relation] = field(default_factory=list)

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.split() else self.name


def normalize_handle(handle: str) -> str:
    """Handles compare case-insensitively and without a leading @ (`@LennyB@Mastodon.social`)."""
    return handle.strip().lstrip("@").lower()


_PUNCT = re.compile(r"[^\w\s]")


def normalize_name(name: str) -> str:
    """Fold case, accents and punctuation so `José  O'Neil` matches `jose oneil`."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _PUNCT.sub("", text.lower())
    return " ".join(text.split())


_DIGITS = re.compile(r"\D")


def normalize_phone(phone: str) -> str:
    """Digits only, last ten kept so `+1 (555) 010-2000` matches `555-010-2000`."""
    digits = _DIGITS.sub("", phone)
    return digits[-10:]


def normalize_email(email: str) -> str:
    return email.strip().lower()
