"""Load the generated demo store through the same importers a real store uses."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sociable.ingest.interactions import import_interactions
from sociable.ingest.people import import_people
from sociable.store import Store
from sociable.store import settings as settings_repo

FACT_KEYS = ("store_name", "owner_name", "timezone", "hours", "services", "phone", "website")

# Demo logins for the web inbox: a published demo secret, never use these for a real store.
DEMO_LOGINS = (("maeve", "brennan-demo", "owner", "Maeve Brennan"),
               ("rosa", "brennan-demo", "staff", "Rosa Delgado"))


@dataclass
class DemoResult:
    people: int
    interactions: int
    items: int
    suggestions: int


def load_demo(store: Store, out_dir: Path, *, seed: int, now: datetime, people: int = 500,
              interactions: int = 30_000, progress: bool = False) -> DemoResult:
    from sociable import identify
    from sociable.demo import generate

    out_dir.mkdir(parents=True, exist_ok=True)
    files = generate(out_dir, seed=seed, now=now, people=people, interactions=interactions)
    facts = json.loads(Path(files.facts_json).read_text(encoding="utf-8"))
    with store.begin() as conn:
        for key in FACT_KEYS:
            if key in facts:
                settings_repo.put(conn, key, facts[key])
    book = import_people(store, Path(files.people_csv))
    report = _import_with_bar(store, Path(files.interactions_jsonl)) if progress else \
        import_interactions(store, Path(files.interactions_jsonl))
    with store.begin() as conn:
        pending = len(identify.suggestions(conn))
        _demo_logins(conn)
    return DemoResult(book.created + book.updated, report.imported, report.items_created, pending)


def _demo_logins(conn) -> None:
    from sociable.store import users

    existing = {u.username for u in users.all_users(conn)}
    for username, password, role, name in DEMO_LOGINS:
        if username not in existing:
            users.create(conn, username, password, role, name=name)


def _import_with_bar(store: Store, path: Path):
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        task = bar.add_task("importing the demo activity", total=path.stat().st_size)
        return import_interactions(store, path, progress=lambda done, _: bar.update(
            task, completed=done))
