"""`sociable import ...`: the relationship book and interactions from files."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

from sociable.cli.app import app, console, err, fail, state
from sociable.ingest.errors import ImportFailed
from sociable.ingest.interactions import import_interactions
from sociable.ingest.people import import_people

import_app = typer.Typer(help="Bring data in from files.\n\n"
                              "Example: sociable import interactions activity.jsonl",
                         no_args_is_help=True)
app.add_typer(import_app, name="import")

# Exit codes, documented in docs/cli.md and the README.
EXIT_BAD_INPUT = 2
EXIT_MISSING = 3


def _report_errors(exc: ImportFailed, limit: int = 20) -> None:
    for error in exc.errors[:limit]:
        err.print(f"  {error}", highlight=False, markup=False)
    if len(exc.errors) > limit:
        err.print(f"  ... and {len(exc.errors) - limit} more")
    if exc.hint:
        err.print(exc.hint, highlight=False, markup=False)


def _exists(path: Path) -> None:
    if not path.is_file():
        raise fail(f"{path}: no such file", EXIT_MISSING)


@import_app.command("people")
def people(
    file: Annotated[Path, typer.Argument(help="A people CSV file.")],
    skip_bad: Annotated[bool, typer.Option("--skip-bad", help="Import the good rows and list the bad ones.")] = False,
) -> None:
    """Import or update the relationship book from a CSV file.

    Columns: name, email, phone, handles, tier, since, story, notes, tags, birthday,
    anniversary, related (only name is required). Re-importing updates people by e-mail,
    else by name. The whole file is one transaction.

    Example: sociable import people people.csv
    """
    _exists(file)
    try:
        report = import_people(state.store(), file, skip_bad=skip_bad)
    except ImportFailed as exc:
        err.print(f"[bold red]error:[/] {file}: nothing imported; {len(exc.errors)} bad row(s):")
        _report_errors(exc)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    console.print(f"{file}: {report.created} people added, {report.updated} updated, "
                  f"{report.handles} handles, {report.links} links; "
                  f"{report.matched_handles} earlier authors now matched.")
    if report.placeholders:
        console.print(f"Added {len(report.placeholders)} people named only in `related`: "
                      + ", ".join(sorted(set(report.placeholders))[:10]))
    if report.skipped:
        err.print(f"Skipped {len(report.skipped)} bad row(s):")
        _report_errors(ImportFailed(report.skipped))


@import_app.command("interactions")
def interactions(
    file: Annotated[Path, typer.Argument(help="A JSONL or CSV file of interactions.")],
    skip_bad: Annotated[bool, typer.Option("--skip-bad", help="Import the good lines; write the bad ones to --report.")] = False,
    report: Annotated[Optional[Path], typer.Option(help="Where --skip-bad writes rejected lines (JSONL). Default: FILE.rejected.jsonl")] = None,
) -> None:
    """Import interactions through identify, detect and prioritize into the inbox.

    Columns: platform, id, kind, author_handle, author_name, text, created_at, in_reply_to,
    url. Safe to run again: nothing is duplicated, and after a failure the same command
    resumes where it stopped.

    Example: sociable import interactions activity.jsonl --skip-bad
    """
    _exists(file)
    if skip_bad and report is None:
        report = file.with_name(file.name + ".rejected.jsonl")
    if report is not None and report.exists():
        report.unlink()
    size = file.stat().st_size
    with Progress(TextColumn("[bold]importing"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
                  TextColumn("{task.fields[lines]:,} lines"), TransferSpeedColumn(),
                  TimeRemainingColumn(), console=err, transient=True,
                  disable=not err.is_terminal) as bar:
        task = bar.add_task("import", total=size, lines=0)
        try:
            result = import_interactions(
                state.store(), file, skip_bad=skip_bad, report_path=report,
                progress=lambda done, lines: bar.update(task, completed=done, lines=lines))
        except ImportFailed as exc:
            bar.stop()
            err.print(f"[bold red]error:[/] {file}: import stopped; "
                      f"{exc.done} interactions were imported before it.")
            _report_errors(exc)
            raise typer.Exit(EXIT_BAD_INPUT) from None
    resumed = f" (resumed after line {result.resumed_from})" if result.resumed_from else ""
    console.print(f"{file}: {result.imported} interactions imported{resumed}, "
                  f"{result.duplicates} already known, {result.moments} moments, "
                  f"{result.items_created} new inbox items.")
    if result.rejected:
        err.print(f"{len(result.rejected)} bad line(s) skipped; see {report}", highlight=False)
