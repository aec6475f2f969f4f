"""Open a store: an engine on SQLite or PostgreSQL, migrated to the newest schema."""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from importlib.resources import files
from collections.abc import Iterator

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the web app read while an import writes; foreign keys are off by default in SQLite.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


@dataclass
class Store:
    """A migrated database. Repository functions take `store.begin()` connections."""

    engine: Engine

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        with self.engine.begin() as conn:
            yield conn

    def close(self) -> None:
        self.engine.dispose()


def database_url(value: str) -> str:
    """A path becomes a SQLite URL; anything with `://` is taken as a SQLAlchemy URL."""
    if "://" in value:
        url = make_url(value)
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        return url.render_as_string(hide_password=False)
    return f"sqlite:///{value}"


def open_store(url_or_path: str, *, migrate: bool = True) -> Store:
    url = database_url(url_or_path)
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    store = Store(engine)
    if migrate:
        upgrade(store)
    return store


def alembic_config(store: Store):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(files("sociable.store") / "migrations"))
    config.attributes["engine"] = store.engine
    return config


def upgrade(store: Store, revision: str = "heads") -> None:
    """Bring the schema to `revision`; each migration runs in its own transaction."""
    from alembic import command

    command.upgrade(alembic_config(store), revision)
