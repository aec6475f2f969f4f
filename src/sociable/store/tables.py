"""Every table, in one place. Migrations in store/migrations must match this file."""
from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from sociable.store.types import UTCDateTime

metadata = MetaData()

people = Table(
    "people",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("name_key", String(200), nullable=False, index=True),
    Column("email", String(320), index=True),
    Column("phone", String(40), index=True),
    Column("tier", String(16), nullable=False, default="new"),
    Column("since", Date),
    Column("story", Text, nullable=False, default=""),
    Column("notes", Text, nullable=False, default=""),
    Column("tags", JSON, nullable=False, default=list),
    Column("birthday", Date),
    Column("anniversary", Date),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

person_links = Table(
    "person_links",
    metadata,
    Column("person_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("other_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("relation", String(60), nullable=False, primary_key=True),
)

handles = Table(
    "handles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("platform", String(40), nullable=False),
    Column("handle", String(200), nullable=False),
    # The platform's own account id (Mastodon account id, Bluesky DID...): survives renames.
    Column("source_id", String(200)),
    Column("display_name", String(200), nullable=False, default=""),
    Column("person_id", Integer, ForeignKey("people.id", ondelete="SET NULL"), index=True),
    # Which identify rule linked this handle to its person (book, email, phone, name, confirmed).
    Column("rule", String(40)),
    UniqueConstraint("platform", "handle", name="uq_handles_platform_handle"),
    UniqueConstraint("platform", "source_id", name="uq_handles_platform_source_id"),
)

interactions = Table(
    "interactions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("platform", String(40), nullable=False),
    Column("external_id", String(200), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("handle_id", Integer, ForeignKey("handles.id"), nullable=False, index=True),
    Column("author_name", String(200), nullable=False, default=""),
    Column("text", Text, nullable=False, default=""),
    Column("created_at", UTCDateTime(), nullable=False, index=True),
    Column("in_reply_to", String(200)),
    Column("url", String(2000)),
    # The line as received, so anything can be replayed.
    Column("raw", Text, nullable=False),
    UniqueConstraint("platform", "external_id", name="uq_interactions_platform_external_id"),
)

moments = Table(
    "moments",
    metadata,
    Column(
        "interaction_id",
        Integer,
        ForeignKey("interactions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("label", String(32), primary_key=True),
    Column("score", Float, nullable=False),
    Column("evidence", Text, nullable=False, default=""),
)

inbox_items = Table(
    "inbox_items",
    metadata,
    Column("id", Integer, primary_key=True),
    # Same person (or unmatched handle) on the same day folds into one item.
    Column("fold_key", String(40), nullable=False),
    Column("day", String(10), nullable=False),
    Column("person_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), index=True),
    Column("handle_id", Integer, ForeignKey("handles.id"), nullable=False),
    Column("score", Float, nullable=False),
    # ln(score) + last_at/tau: ordering by it orders by the decayed priority at any moment.
    Column("rank", Float, nullable=False),
    Column("last_at", UTCDateTime(), nullable=False),
    Column("reasons", JSON, nullable=False),
    Column("moments", JSON, nullable=False),
    # What the score was built from (kinds seen, moments with evidence), so folding a new
    # interaction into the item can rebuild score, reasons and draft.
    Column("signals", JSON, nullable=False),
    Column("suggested_reply", Text, nullable=False),
    Column("draft_edited", Boolean, nullable=False, default=False),
    Column("status", String(16), nullable=False, default="new"),
    Column("assignee", String(120)),
    Column("flag_note", Text),
    Column("flagged_by", String(120)),
    Column("snoozed_until", UTCDateTime()),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
    UniqueConstraint("fold_key", "day", name="uq_inbox_items_fold_key_day"),
    Index("ix_inbox_items_status_rank", "status", "rank"),
)

inbox_item_interactions = Table(
    "inbox_item_interactions",
    metadata,
    Column("item_id", Integer, ForeignKey("inbox_items.id", ondelete="CASCADE"), index=True),
    Column(
        "interaction_id",
        Integer,
        ForeignKey("interactions.id", ondelete="CASCADE"),
        primary_key=True,
    ),
)

replies = Table(
    "replies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("item_id", Integer, ForeignKey("inbox_items.id", ondelete="CASCADE"), index=True),
    Column("text", Text, nullable=False),
    Column("author", String(120), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    # "recorded" until a connector sends it; then "sent" with the platform's id, or "failed".
    Column("state", String(16), nullable=False, default="recorded"),
    Column("platform_id", String(200)),
    Column("error", Text),
)

match_suggestions = Table(
    "match_suggestions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("handle_id", Integer, ForeignKey("handles.id", ondelete="CASCADE"), nullable=False),
    Column("person_id", Integer, ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
    Column("score", Float, nullable=False),
    Column("rule", String(40), nullable=False),
    # pending, confirmed, rejected: decisions are remembered so they are never asked again.
    Column("status", String(16), nullable=False, default="pending"),
    Column("decided_at", UTCDateTime()),
    UniqueConstraint("handle_id", "person_id", name="uq_match_suggestions_handle_person"),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(60), nullable=False, index=True),
    Column("at", UTCDateTime(), nullable=False, index=True),
    Column("actor", String(120)),
    Column("item_id", Integer, ForeignKey("inbox_items.id", ondelete="CASCADE"), index=True),
    Column("person_id", Integer, ForeignKey("people.id", ondelete="SET NULL")),
    Column("data", JSON, nullable=False, default=dict),
)

import_runs = Table(
    "import_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("path", String(2000), nullable=False, unique=True),
    Column("lines_done", Integer, nullable=False, default=0),
    # Where to resume: the byte offset after the last committed line, and that line's
    # length and hash, so a file changed before that point is imported from the start.
    Column("byte_offset", Integer, nullable=False, default=0),
    Column("last_line", String(80), nullable=False, default=""),
    Column("status", String(16), nullable=False, default="running"),
    Column("error", Text),
    Column("started_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

settings = Table(
    "settings",
    metadata,
    Column("key", String(80), primary_key=True),
    Column("value", JSON, nullable=False),
)

corrections = Table(
    "corrections",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("interaction_id", Integer, ForeignKey("interactions.id", ondelete="CASCADE")),
    Column("text", Text, nullable=False),
    Column("label", String(32), nullable=False),
    # False: the detector said this label and was wrong; True: it missed it.
    Column("present", Boolean, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)


# --- Web accounts (the web inbox): users, sessions, invites, API tokens, login attempts. ---
# Secrets (session ids, invite and API tokens) are stored only as SHA-256 hashes.

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(120), nullable=False, unique=True),
    Column("name", String(200), nullable=False, default=""),
    # owner: everything; staff: work the inbox and the book, no accounts, erasing or settings.
    Column("role", String(16), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", UTCDateTime(), nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("csrf", String(64), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("last_seen_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
)

invites = Table(
    "invites",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("role", String(16), nullable=False),
    Column("created_by", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("expires_at", UTCDateTime(), nullable=False),
    Column("used_at", UTCDateTime()),
    Column("used_by", Integer, ForeignKey("users.id", ondelete="SET NULL")),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(120), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("last_used_at", UTCDateTime()),
    Column("revoked_at", UTCDateTime()),
)

login_attempts = Table(
    "login_attempts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("username", String(120), nullable=False),
    Column("ip", String(64), nullable=False),
    Column("at", UTCDateTime(), nullable=False),
    Index("ix_login_attempts_username_ip_at", "username", "ip", "at"),
)

# Web inbox indexes on inbox_items (migration 0005): lists bounded by their time window, and the
# live feed's "changed since" poll.
Index("ix_inbox_items_status_last_at", inbox_items.c.status, inbox_items.c.last_at)
Index("ix_inbox_items_updated_at", inbox_items.c.updated_at)


# Tables that live in their own modules register on the same metadata when imported here.
from sociable.store import connectors_tables, results_tables  # noqa: E402,F401
