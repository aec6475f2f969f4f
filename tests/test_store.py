from datetime import UTC, datetime

from sqlalchemy import inspect, select

from sociable.store import tables as t
from sociable.store.db import database_url, open_store


def test_migrations_create_every_table(store):
    names = set(inspect(store.engine).get_table_names())
    assert set(t.metadata.tables) <= names


def test_reopening_a_migrated_store_is_harmless(store):
    url = store.engine.url.render_as_string(hide_password=False)
    open_store(url).close()
    open_store(url).close()


def test_datetimes_come_back_aware_utc(store):
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    with store.begin() as conn:
        conn.execute(t.settings.insert().values(key="k", value={"a": 1}))
        conn.execute(
            t.import_runs.insert().values(path="p", started_at=when, updated_at=when)
        )
        got = conn.execute(select(t.import_runs.c.started_at)).scalar_one()
    assert got == when and got.tzinfo is not None


def test_database_url_takes_paths_and_urls():
    assert database_url("x/y.db") == "sqlite:///x/y.db"
    assert database_url("postgresql://u@h/db").startswith("postgresql+psycopg://")


def test_migrations_have_one_head():
    from alembic.script import ScriptDirectory

    from sociable.store.db import Store, alembic_config

    script = ScriptDirectory.from_config(alembic_config(Store(engine=None)))
    assert len(script.get_heads()) == 1, "a new migration must revise the current head"
