"""web indexes: the inbox's time window and the live feed's changes

Revision ID: 0005
Revises: 0002

- ix_inbox_items_status_last_at: every inbox list (Today, /api/items) asks for open items of
  the last N days ordered by rank; without it SQLite read every item of the status and sorted
  them (about 400 ms at 1,000,000 interactions). With it, the read is bounded by the window,
  with or without planner statistics (benchmarks/bench_web.py).
- ix_inbox_items_updated_at: the live feed polls for items changed since it last looked.
"""
from alembic import op


revision = "0005"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_inbox_items_status_last_at", "inbox_items", ["status", "last_at"])
    op.create_index("ix_inbox_items_updated_at", "inbox_items", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_inbox_items_updated_at", table_name="inbox_items")
    op.drop_index("ix_inbox_items_status_last_at", table_name="inbox_items")
