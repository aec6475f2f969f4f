"""Schemathesis against /openapi.json: no request the API describes makes the server fail (5xx).

Each operation gets generated valid and invalid requests (a bounded number, so the whole file
runs in well under a minute) as the owner, through a bearer token, on a small seeded SQLite
store. Bad input must be refused with a 4xx and a clear `detail`, never a server error.
"""
from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402

from sociable.ingest.interactions import import_interactions  # noqa: E402
from sociable.ingest.people import import_people  # noqa: E402
from sociable.store import open_store  # noqa: E402
from sociable.store import settings as settings_repo  # noqa: E402
from sociable.store import users  # noqa: E402
from sociable.store.users import Role  # noqa: E402
from sociable.web import api, create_app  # noqa: E402
from tests.helpers import BOOK, act, write_jsonl, write_people  # noqa: E402

# Per operation and generation mode; SOCIABLE_SCHEMA_EXAMPLES=200 searches harder.
MAX_EXAMPLES = int(os.environ.get("SOCIABLE_SCHEMA_EXAMPLES", "15"))


def _ago(hours: float) -> str:
    return (datetime.now(UTC) - timedelta(hours=hours)).isoformat()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("schema")
    store = open_store(str(tmp / "sociable.db"))
    with store.begin() as conn:
        settings_repo.put(conn, "owner_name", "Claire Brennan")
        settings_repo.put(conn, "timezone", "America/New_York")
        owner = users.create(conn, "claire", "correct horse battery", Role.OWNER, "Claire")
        users.create(conn, "maria", "correct horse battery", Role.STAFF, "Maria")
    import_people(store, write_people(tmp / "p.csv", BOOK))
    import_interactions(store, write_jsonl(tmp / "a.jsonl", [
        act("1", "comment", "brennanjewelers", "Brennan Jewelers", "New pearls in store",
            at=_ago(30)),
        act("2", "comment", "ana_r", "Ana Ruiz", "My mom passed away on Sunday.", at=_ago(2),
            in_reply_to="1"),
        act("3", "comment", "kathyo", "Kathy O'Neil", "Do you resize rings?", at=_ago(3),
            platform="mastodon"),
        act("4", "like", "lenny.b", "Lenny", at=_ago(1)),
        act("5", "comment", "sam.lee", "Sam Lee", "We got engaged!! Thank you!", at=_ago(4)),
    ]))
    state = SimpleNamespace(store=store, owner_id=owner.id, token=None)
    yield state
    store.close()


def _token(state) -> str:
    """The owner's token; a new one when a generated request revoked it."""
    with state.store.begin() as conn:
        if state.token is None or users.token_user(conn, state.token) is None:
            state.token = users.create_token(conn, state.owner_id, "schemathesis")[1]
    return state.token


# The OpenAPI document does not depend on the store: load it once, at collection, from an app
# whose store the `seeded` fixture sets. (schemathesis.pytest.from_fixture does not run on
# pytest 9, which no longer has Node._nodeid.)
APP = create_app(None)  # type: ignore[arg-type]
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)
schema.config.generation.update(modes=["positive", "negative"], max_examples=MAX_EXAMPLES,
                                database="none")


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error(case, seeded):
    APP.state.store = seeded.store
    case.call_and_validate(headers={"Authorization": f"Bearer {_token(seeded)}"},
                           checks=[not_a_server_error])


def test_the_schema_describes_every_api_route(seeded):
    """The fuzzing above covers the API: every /api route is in the OpenAPI document."""
    described = set(create_app(seeded.store).openapi()["paths"])
    from sociable.results.web import api_router as results_api

    assert {r.path for r in api.router.routes} | {r.path for r in results_api.routes} == described
