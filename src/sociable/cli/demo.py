"""`sociable demo`: build the demo jewelry store and show today's inbox."""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Optional

import typer

from sociable.cli.app import app, console, err, state
from sociable.cli.inbox import render, render_dates, upcoming
from sociable.store import inbox as inbox_repo


@app.command()
def demo(
    seed: Annotated[int, typer.Option(help="Same seed, same store.")] = 7,
    now: Annotated[Optional[str], typer.Option(help="The demo's 'now' (ISO 8601); default: this hour.")] = None,
    people: Annotated[int, typer.Option(help="How many people in the book.")] = 500,
    interactions: Annotated[int, typer.Option(help="How many interactions over 12 months.")] = 30_000,
    files: Annotated[Optional[Path], typer.Option(help="Where to write the generated files (default: next to the database).")] = None,
    limit: Annotated[int, typer.Option(help="How many inbox items to show.")] = 10,
    serve: Annotated[bool, typer.Option("--serve", help="Then serve the web inbox on 127.0.0.1:8000.")] = False,
    port: Annotated[int, typer.Option(help="Port for --serve.")] = 8000,
) -> None:
    """Generate the demo store (people, 12 months of activity), import it and show the inbox.

    The files it imports are kept, so you can look at them or import them again.

    Example: sociable --db demo.db demo --seed 7
    """
    from sociable.demo.load import DEMO_LOGINS, load_demo

    at = datetime.fromisoformat(now) if now else datetime.now(UTC).replace(minute=0, second=0,
                                                                          microsecond=0)
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    store = state.store()
    where = files or _files_dir(store)
    err.print(f"Building the demo store (seed {seed}) in {where} ...")
    result = load_demo(store, where, seed=seed, now=at, people=people, interactions=interactions,
                       progress=True)
    console.print(f"{result.people} people, {result.interactions} interactions imported "
                  f"({result.items} inbox items, {result.suggestions} match suggestions).")
    with store.begin() as conn:
        items = inbox_repo.list_items(conn, now=at, limit=limit)
        dates = upcoming(conn, at)
    render(items, at)
    render_dates(dates)
    console.print("\nNext: `sociable inbox show ID`, `sociable inbox reply ID`, "
                  "`sociable people suggestions`.")
    logins = ", ".join(f"{u} / {p} ({r})" for u, p, r, _ in DEMO_LOGINS)
    if serve:
        from sociable.cli.serve import serve as run_server

        console.print(f"\nThe web inbox: http://127.0.0.1:{port}/  — demo logins: {logins}",
                      highlight=False)
        run_server(host="127.0.0.1", port=port)
    else:
        console.print(f"Web inbox: `sociable serve`, then log in as {logins}.", highlight=False)


def _files_dir(store) -> Path:
    db = store.engine.url.database
    if store.dialect == "sqlite" and db:
        return Path(db).resolve().parent / "demo-files"
    return Path.cwd() / "demo-files"
