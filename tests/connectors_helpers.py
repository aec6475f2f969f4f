"""Shared pieces of the connector tests: a vault with a throwaway key, a fast detector."""
from __future__ import annotations

import json
import time
from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy import func, select

from sociable.connectors.secrets import Vault
from sociable.store import tables as t

PAYLOADS = Path(__file__).resolve().parent / "payloads"


def vault() -> Vault:
    return Vault(Fernet.generate_key())


def payload(platform: str, name: str):
    return json.loads((PAYLOADS / platform / name).read_text(encoding="utf-8"))


def count(store, table) -> int:
    with store.begin() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def items(store) -> list:
    """Inbox items with their person's name and reasons, oldest first."""
    with store.begin() as conn:
        return conn.execute(
            select(t.inbox_items.c.id, t.inbox_items.c.reasons, t.inbox_items.c.moments,
                   t.inbox_items.c.status, t.people.c.name, t.handles.c.handle)
            .join(t.handles, t.handles.c.id == t.inbox_items.c.handle_id)
            .outerjoin(t.people, t.people.c.id == t.inbox_items.c.person_id)
            .order_by(t.inbox_items.c.id)).all()


def wait_for(check, timeout: float = 10.0, every: float = 0.05):
    """Poll `check()` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"still not true after {timeout} s")
        time.sleep(every)


class Served:
    """An ASGI app on a real loopback port, in a thread; `url` while running."""

    def __init__(self, app) -> None:
        import threading

        import uvicorn

        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0,
                                                    log_level="warning", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> "Served":
        self.thread.start()
        wait_for(lambda: self.server.started, timeout=10, every=0.01)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
