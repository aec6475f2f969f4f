"""The `sociable` command: a thin Typer shell over the library.

Each noun has its own module here (people, interactions, inbox, detect, demo...) that adds its
commands to `app`; they parse, call one library function and render.
"""
from __future__ import annotations

from sociable.cli.app import app, main

# Importing the command modules registers their commands on `app`.
from sociable.cli import (  # noqa: E402,F401,I001
    accounts, demo, detect, imports, inbox, people, results, serve, settings,
)

__all__ = ["app", "main"]
