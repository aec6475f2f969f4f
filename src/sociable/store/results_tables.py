"""Tables for results (issue 6): goals, settings, sales, sign-ups, traffic, ads, rollups.

Defined on the shared `metadata`; migration 0004_results.py creates them. Import this module
before using `metadata` (sociable.store.results does).
"""
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
    String,
    Table,
    Text,
    UniqueConstraint,
)

from sociable.store.tables import interactions, metadata
from sociable.store.types import UTCDateTime

goals = Table(
    "goals",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("metric", String(60), nullable=False),
    Column("target", Float, nullable=False),
    # day, week, month or quarter, in the store's time zone.
    Column("period", String(10), nullable=False),
    # The owner's own words for why this goal matters.
    Column("why", Text, nullable=False, default=""),
    Column("archived", Boolean, nullable=False, default=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)

follower_snapshots = Table(
    "follower_snapshots",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("platform", String(40), nullable=False),
    Column("account", String(200), nullable=False),
    Column("on", Date, nullable=False),
    Column("followers", Integer, nullable=False),
    Column("source", String(40), nullable=False, default="manual"),
    UniqueConstraint("platform", "account", "on", name="uq_follower_snapshots_account_on"),
)

tracked_links = Table(
    "tracked_links",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("url", String(2000), nullable=False),
    Column("tagged_url", String(2000), nullable=False, unique=True),
    Column("source", String(100), nullable=False),
    Column("medium", String(100), nullable=False),
    Column("campaign", String(200), nullable=False, index=True),
    Column("content", String(200)),
    Column("created_at", UTCDateTime(), nullable=False),
)

results_imports = Table(
    "results_imports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("path", String(2000), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("rows", Integer, nullable=False),
    Column("created_at", UTCDateTime(), nullable=False),
)

# One row per order (Shopify, folded from its line items) or in-store sale (POS).
sales = Table(
    "sales",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source", String(20), nullable=False),
    Column("order_ref", String(200), nullable=False),
    Column("ordered_at", UTCDateTime(), nullable=False, index=True),
    Column("customer_name", String(200), nullable=False, default=""),
    Column("email", String(320)),
    Column("phone", String(40)),
    Column("amount_cents", Integer, nullable=False),
    Column("currency", String(3), nullable=False, default="USD"),
    Column("items", Integer, nullable=False, default=1),
    Column("person_id", Integer, ForeignKey("people.id", ondelete="SET NULL"), index=True),
    Column("match_rule", String(40)),
    Column("import_id", Integer, ForeignKey("results_imports.id", ondelete="SET NULL")),
    UniqueConstraint("source", "order_ref", name="uq_sales_source_order_ref"),
)

signups = Table(
    "signups",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(320), nullable=False, unique=True),
    Column("name", String(200), nullable=False, default=""),
    # subscribed, unsubscribed or cleaned (Mailchimp's three lists).
    Column("status", String(16), nullable=False),
    Column("signed_up_at", UTCDateTime(), nullable=False, index=True),
    Column("person_id", Integer, ForeignKey("people.id", ondelete="SET NULL"), index=True),
    Column("match_rule", String(40)),
    Column("import_id", Integer, ForeignKey("results_imports.id", ondelete="SET NULL")),
)

# GA4 sessions by source / medium (/ campaign), for one day or a whole report range.
web_traffic = Table(
    "web_traffic",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("start", Date, nullable=False),
    Column("end", Date, nullable=False),
    Column("source", String(200), nullable=False),
    Column("medium", String(200), nullable=False),
    Column("campaign", String(200), nullable=False, default=""),
    Column("sessions", Integer, nullable=False),
    Column("users", Integer),
    Column("engaged_sessions", Integer),
    Column("key_events", Float),
    Column("import_id", Integer, ForeignKey("results_imports.id", ondelete="SET NULL")),
    UniqueConstraint("start", "end", "source", "medium", "campaign",
                     name="uq_web_traffic_range_source"),
)

ad_spend = Table(
    "ad_spend",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("platform", String(40), nullable=False),
    Column("campaign", String(300), nullable=False),
    Column("start", Date, nullable=False),
    Column("end", Date, nullable=False),
    Column("spend_cents", Integer, nullable=False),
    Column("currency", String(3), nullable=False),
    Column("impressions", Integer),
    Column("reach", Integer),
    Column("clicks", Integer),
    Column("results", Integer),
    Column("import_id", Integer, ForeignKey("results_imports.id", ondelete="SET NULL")),
    UniqueConstraint("platform", "campaign", "start", "end", name="uq_ad_spend_campaign_range"),
)

# --- Rollups, kept current from a watermark on interactions.id (see store/results.py). ---

# Who interacted in which week/month/quarter (store time zone), by handle.
results_engaged = Table(
    "results_engaged",
    metadata,
    Column("grain", String(8), primary_key=True),
    Column("period", String(10), primary_key=True),
    Column("handle_id", Integer, ForeignKey("handles.id", ondelete="CASCADE"), primary_key=True),
    Column("n", Integer, nullable=False),
)

results_first_seen = Table(
    "results_first_seen",
    metadata,
    Column("handle_id", Integer, ForeignKey("handles.id", ondelete="CASCADE"), primary_key=True),
    Column("first_at", UTCDateTime(), nullable=False),
)

# Counters per local day: "kind:like", "moment:praise", "all".
results_daily = Table(
    "results_daily",
    metadata,
    Column("day", String(10), primary_key=True),
    Column("name", String(40), primary_key=True),
    Column("n", Integer, nullable=False),
)

results_state = Table(
    "results_state",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", JSON, nullable=False),
)

results_cache = Table(
    "results_cache",
    metadata,
    Column("key", String(120), primary_key=True),
    Column("version", String(200), nullable=False),
    Column("value", JSON, nullable=False),
    Column("computed_at", UTCDateTime(), nullable=False),
)

Index("ix_results_engaged_handle", results_engaged.c.handle_id)
# Attribution asks "did this person interact in the N days before?" per sale: an index scan.
Index("ix_interactions_handle_id_created_at", interactions.c.handle_id, interactions.c.created_at)
