"""Tables for live connectors: accounts, checkpoints, deliveries (raw payloads), listening, sends.

They live on the shared `metadata`, so migrations and `metadata.tables` see them; the migration
is `0003_connectors`. Secrets are stored only encrypted (`connectors.secrets`).
"""
from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from sociable.store.tables import metadata
from sociable.store.types import UTCDateTime

accounts = Table(
    "accounts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("platform", String(40), nullable=False),
    # What people call it: `mastodon:@brennan@mastodon.social`; unique, used by the CLI.
    Column("name", String(300), nullable=False, unique=True),
    Column("handle", String(200), nullable=False, default=""),
    # The platform's own id for the store's account (Mastodon account id, DID, page id).
    Column("external_id", String(200), nullable=False, default=""),
    Column("base_url", String(500), nullable=False, default=""),
    # Fernet token of a JSON object (access token, app secret...); never stored in clear.
    Column("secrets", Text, nullable=False, default=""),
    Column("options", JSON, nullable=False, default=dict),
    # active, pending (OAuth not finished), error (permanent failure: see `error`), paused.
    Column("status", String(16), nullable=False, default="active"),
    Column("error", Text),
    Column("error_at", UTCDateTime()),
    # Transient trouble (rate limit, network) does not change the status; it sets this.
    Column("retry_at", UTCDateTime()),
    Column("last_sync_at", UTCDateTime()),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

checkpoints = Table(
    "checkpoints",
    metadata,
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"),
           primary_key=True),
    # One per feed of an account: `notifications`, `tag:engagementring`, `search:...`.
    Column("stream", String(200), primary_key=True),
    Column("position", String(500), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("platform", String(40), nullable=False),
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="SET NULL"), index=True),
    # What makes two deliveries the same: the platform's id of the event (or a body hash).
    Column("key", String(300), nullable=False),
    Column("source", String(40), nullable=False),  # sync, stream, webhook, export
    Column("payload", Text, nullable=False),
    # The keyword a post was heard for, when it came from listening (kept for replays).
    Column("listening", String(200)),
    # received -> processed; failed keeps the reason and is replayed by `sociable sync`.
    Column("status", String(16), nullable=False, default="received"),
    Column("error", Text),
    Column("received_at", UTCDateTime(), nullable=False),
    Column("processed_at", UTCDateTime()),
    UniqueConstraint("platform", "key", name="uq_deliveries_platform_key"),
    Index("ix_deliveries_status", "status"),
)

listening = Table(
    "listening",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("keyword", String(200), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    UniqueConstraint("account_id", "keyword", name="uq_listening_account_keyword"),
)

reply_sends = Table(
    "reply_sends",
    metadata,
    Column("reply_id", Integer, ForeignKey("replies.id", ondelete="CASCADE"), primary_key=True),
    Column("account_id", Integer, ForeignKey("accounts.id", ondelete="SET NULL")),
    # The platform's id of what the reply answers.
    Column("target", String(200), nullable=False),
    # Sent with the request so a retry after a lost answer cannot post twice.
    Column("idempotency_key", String(80), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_attempt_at", UTCDateTime()),
    # Set after a transient failure: the worker tries again then. None after a permanent one.
    Column("next_attempt_at", UTCDateTime()),
)
