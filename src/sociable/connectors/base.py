"""The connector interface, its errors and the registry.

A connector turns one platform account into interactions and sends replies back:

- `fetch(checkpoints)` yields `Page`s of history since the per-feed checkpoints (oldest first
  within a feed), each with the checkpoint to save once the page is stored;
- `stream(on_page, stop)` delivers pages as they arrive live, until `stop` is set;
- `normalize(payload)` turns one raw payload into `Received` interactions;
- `send_reply(target, text, idempotency_key)` posts a reply and returns the platform's id.

Every connector describes itself (`Description`) and registers with `@register`, the same way a
third-party connector would.
"""
from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, ClassVar, Iterator

from sociable.domain.interactions import Interaction


class ConnectorError(Exception):
    """Base of everything a connector raises on purpose."""


class TransientError(ConnectorError):
    """Worth trying again later: network trouble, 5xx, a rate limit."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class RateLimited(TransientError):
    """The platform said slow down; `retry_after` seconds come from its headers."""


class PermanentError(ConnectorError):
    """Will not go away by itself: revoked token, missing permission, deleted target."""


@dataclass
class Account:
    """A connected platform account, with its secrets decrypted (never printed)."""

    id: int
    platform: str
    name: str
    handle: str = ""
    external_id: str = ""
    base_url: str = ""
    secrets: dict[str, str] = field(default_factory=dict, repr=False)
    options: dict = field(default_factory=dict)
    status: str = "active"
    error: str | None = None
    keywords: list[str] = field(default_factory=list)
    retry_at: datetime | None = None
    last_sync_at: datetime | None = None


@dataclass
class Received:
    """One interaction as normalized, with its raw payload and why it came (listening)."""

    interaction: Interaction
    raw: bytes
    listening: str | None = None  # the keyword it was heard for, when not addressed to us


@dataclass
class Page:
    items: list[Received]
    feed: str | None = None  # which checkpoint this page advances
    position: str | None = None  # the checkpoint to save once the page is stored


@dataclass
class Target:
    """What a reply answers: the interaction as stored."""

    platform: str
    external_id: str
    kind: str
    author_handle: str
    in_reply_to: str | None
    url: str | None
    raw: str
    created_at: datetime


@dataclass(frozen=True)
class Description:
    platform: str
    title: str
    auth: str  # "oauth", "token", "app-password", "webhook", "file"
    ingests: tuple[str, ...]
    live: str  # how new things arrive: "stream", "webhook", "poll", "none"
    limits: tuple[str, ...] = ()  # said in the product, honestly
    add_options: tuple[str, ...] = ()  # what `sociable accounts add PLATFORM` asks for


OnPage = Callable[[Page], None]


class Connector:
    """Base class; subclasses set `description` and implement what their platform allows."""

    description: ClassVar[Description]

    def __init__(self, account: Account) -> None:
        self.account = account

    def fetch(self, checkpoints: dict[str, str]) -> Iterator[Page]:
        return iter(())

    def stream(self, on_page: OnPage, stop: threading.Event) -> None:
        raise NotImplementedError(f"{self.description.platform} has no live stream; poll instead")

    def normalize(self, payload: dict) -> list[Received]:
        raise NotImplementedError

    def send_reply(self, target: Target, text: str, idempotency_key: str) -> str:
        raise PermanentError(f"{self.description.title} does not take replies through Sociable")

    @classmethod
    def reply_closed(cls, target: Target, now: datetime) -> str | None:
        """Why a reply to `target` can no longer be sent (a closed window), else None.

        Said on the item before anyone writes; `send_reply` refuses the same cases.
        """
        return None

    def close(self) -> None:
        pass


REGISTRY: dict[str, type[Connector]] = {}
BUILTINS = ["mastodon", "bluesky", "meta"]


def register(cls: type[Connector]) -> type[Connector]:
    """Class decorator: make a connector available by its platform name."""
    REGISTRY[cls.description.platform] = cls
    return cls


def _load_builtins() -> None:
    # Importing registers them; each import is cheap until a connector is used.
    import importlib

    for name in BUILTINS:
        importlib.import_module(f"sociable.connectors.{name}")


def get(platform: str) -> type[Connector]:
    _load_builtins()
    try:
        return REGISTRY[platform]
    except KeyError:
        known = ", ".join(sorted(REGISTRY))
        raise LookupError(f"no connector for {platform!r}; available: {known}") from None


def available() -> list[Description]:
    _load_builtins()
    return [REGISTRY[name].description for name in sorted(REGISTRY)]


def raw(payload) -> bytes:
    """A payload as the bytes we keep: compact JSON, keys sorted (stable for dedup)."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str).encode()
