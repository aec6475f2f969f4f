"""One normalized social event (like, comment, message...) from any platform."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Kind(StrEnum):
    LIKE = "like"
    COMMENT = "comment"
    MENTION = "mention"
    REPLY = "reply"
    MESSAGE = "message"
    SHARE = "share"
    FOLLOW = "follow"
    REVIEW = "review"


# Kinds that carry words worth reading; the rest are gestures.
TEXT_KINDS = frozenset({Kind.COMMENT, Kind.MENTION, Kind.REPLY, Kind.MESSAGE, Kind.REVIEW})


@dataclass
class Interaction:
    platform: str
    external_id: str
    kind: Kind
    author_handle: str
    created_at: datetime  # always timezone-aware UTC
    author_name: str = ""
    text: str = ""
    in_reply_to: str | None = None
    url: str | None = None
    author_id: str | None = None  # the platform's account id, when the source gives one
    id: int | None = None
