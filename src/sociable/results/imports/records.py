"""What the importers produce: plain records, before anything is written."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sociable.ingest.errors import LineError


@dataclass
class Sale:
    line: int
    order_ref: str
    ordered_at: datetime
    customer_name: str
    email: str | None
    phone: str | None
    amount_cents: int
    currency: str
    items: int = 1


@dataclass
class Signup:
    line: int
    email: str
    name: str
    status: str          # subscribed, unsubscribed, cleaned
    signed_up_at: datetime
    phone: str | None = None


@dataclass
class Traffic:
    line: int
    start: date
    end: date
    source: str
    medium: str
    campaign: str
    sessions: int
    users: int | None = None
    engaged_sessions: int | None = None
    key_events: float | None = None


@dataclass
class AdRow:
    line: int
    campaign: str
    start: date
    end: date
    spend_cents: int
    currency: str
    impressions: int | None = None
    reach: int | None = None
    clicks: int | None = None
    results: int | None = None


@dataclass
class Parsed:
    kind: str
    path: str
    records: list = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)   # things skipped on purpose, said plainly


@dataclass
class Followers:
    line: int
    on: date
    platform: str
    account: str       # "" when the file has no account column: the platform as one account
    followers: int
