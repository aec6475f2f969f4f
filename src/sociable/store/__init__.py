"""Storage: SQLAlchemy Core tables, Alembic migrations, one repository module per noun."""
from sociable.store.db import Store, open_store

__all__ = ["Store", "open_store"]
