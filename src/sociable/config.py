"""Where the database lives: --db, then SOCIABLE_DATABASE_URL, then the user's data directory."""
from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

ENV_DATABASE_URL = "SOCIABLE_DATABASE_URL"


def default_database_path() -> Path:
    return Path(user_data_dir("sociable", appauthor=False)) / "sociable.db"


def resolve_database(db: str | None) -> str:
    """The database to use, as a path or SQLAlchemy URL, creating the data directory if needed."""
    if db:
        return db
    from_env = os.environ.get(ENV_DATABASE_URL)
    if from_env:
        return from_env
    path = default_database_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return str(path)
