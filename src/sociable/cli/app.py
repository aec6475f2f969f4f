"""The Typer app, the global --db option and shared helpers for command modules."""
from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from sociable.config import resolve_database
from sociable.store import Store, open_store

app = typer.Typer(
    name="sociable",
    help=(
        "Turn social media back into conversations: import your relationship book and social "
        "activity, see who to talk to today and why.\n\n"
        "Example: sociable --db store.db import people people.csv"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

console = Console()
err = Console(stderr=True)


class State:
    db: str | None = None
    _store: Store | None = None

    def store(self) -> Store:
        if self._store is None:
            self._store = open_store(resolve_database(self.db))
        return self._store


state = State()


@app.callback()
def _global(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database: a SQLite file path or a SQLAlchemy URL "
            "(default: $SOCIABLE_DATABASE_URL, then sociable.db in your data directory).",
        ),
    ] = None,
) -> None:
    state.db = db
    state._store = None


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a clear error and return the Exit to raise: `raise fail("...")`."""
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False)
    return typer.Exit(code)


def main() -> None:
    app()
