"""`sociable settings ...`: the store's facts that replies draw on."""
from __future__ import annotations

import json
from typing import Annotated

import typer

from sociable.cli.app import app, console, fail, state
from sociable.store import settings as repo

settings_app = typer.Typer(help="Store facts: name, owner, time zone, hours, services.\n\n"
                                "Example: sociable settings set owner_name \"Claire Brennan\"",
                           no_args_is_help=True)
app.add_typer(settings_app, name="settings")


@settings_app.command("show")
def show() -> None:
    """Show every setting and what it is for.

    Example: sociable settings show
    """
    with state.store().begin() as conn:
        values = repo.all_settings(conn)
    for key, about in repo.KNOWN.items():
        value = values.get(key)
        console.print(f"[bold]{key}[/] = {json.dumps(value) if value is not None else '(unset)'}"
                      f"\n  [dim]{about}[/]", highlight=False)


@settings_app.command("set")
def set_(key: str, value: Annotated[str, typer.Argument(help="Text, or JSON for hours/services.")]) -> None:
    """Set one setting; hours and services take JSON.

    Example: sociable settings set hours '{"mon": "10:00-18:00", "sun": "closed"}'
    """
    parsed: object = value
    if key in ("hours", "services"):
        try:
            parsed = json.loads(value)
        except json.JSONDecodeError as exc:
            raise fail(f"{key} must be a JSON object: {exc.msg} at column {exc.colno}") from None
        if not isinstance(parsed, dict):
            raise fail(f"{key} must be a JSON object like {{\"mon\": \"10:00-18:00\"}}")
    with state.store().begin() as conn:
        try:
            repo.put(conn, key, parsed)
        except (KeyError, ValueError) as exc:
            raise fail(str(exc.args[0])) from None
    console.print(f"{key} set.")
