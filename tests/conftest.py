"""Shared fixtures: every store test runs on SQLite and on a real PostgreSQL server."""
from __future__ import annotations

import itertools
import os
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, text

from sociable.store import open_store
from tests.pg import PostgresServer, wait_ready

NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
_counter = itertools.count()


@pytest.fixture(scope="session")
def pg_template() -> str:
    """A migrated template database; each test clones it, which takes milliseconds."""
    server = None
    base = os.environ.get("SOCIABLE_TEST_PG_URL")
    if not base:
        server = PostgresServer()
        base = server.start()
    wait_ready(base)
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("DROP DATABASE IF EXISTS sociable_template"))
        conn.execute(text("CREATE DATABASE sociable_template"))
    template_url = base.rsplit("/", 1)[0] + "/sociable_template"
    open_store(template_url).close()
    yield base
    admin.dispose()
    if server:
        server.stop()


def _pg_store(base: str):
    name = f"t{os.getpid()}_{next(_counter)}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name} TEMPLATE sociable_template"))
    admin.dispose()
    return open_store(base.rsplit("/", 1)[0] + "/" + name), name


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    """A fresh, migrated store on each database the product supports."""
    if request.param == "sqlite":
        s = open_store(str(tmp_path / "sociable.db"))
        yield s
        s.close()
        return
    base = request.getfixturevalue("pg_template")
    s, name = _pg_store(base)
    yield s
    s.close()
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture
def db_url(store) -> str:
    """The store's URL, for CLI tests that pass --db."""
    return store.engine.url.render_as_string(hide_password=False)
