"""`sociable detect` and `sociable eval`: moment detection on files (library: sociable.detect)."""
from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from sociable.cli.app import app, console, fail
from sociable.domain.moments import LABELS


@app.command("detect")
def detect_command(
    file: Annotated[Path, typer.Argument(help="JSONL or CSV with 'id' and 'text' ('-' = stdin).")],
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write JSONL here "
                                             "(default: standard output).")] = None,
) -> None:
    """Find moments (hardship, celebration, complaint, question, purchase_intent, praise) in
    posts; writes one JSON object per post: id, labels, scores, evidence.

    Example: sociable detect posts.jsonl --out moments.jsonl
    """
    from sociable.detect import InputError, detect_file

    if str(file) != "-" and not file.exists():
        raise fail(f"{file}: no such file")
    try:
        count = detect_file(str(file), out)
    except InputError as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"{exc.filename or file}: {exc.strerror}") from None
    if out is not None:
        console.print(f"{count} posts -> {out}")


@app.command("eval")
def eval_command(
    file: Annotated[Path, typer.Argument(help="Labeled JSONL: 'text' and 'labels' per line.")],
    label: Annotated[list[str] | None, typer.Option("--label", "-l", help="Score only this "
                                                    "label (repeatable).")] = None,
) -> None:
    """Measure moment detection on a labeled file: precision, recall, F1 per label, macro-F1.

    Example: sociable eval ../shared/datasets/moments-dev.jsonl --label complaint
    """
    from sociable.detect import evaluate

    names = [str(x) for x in LABELS]
    for name in label or []:
        if name not in names:
            raise fail(f"unknown label '{name}' (choose from: {', '.join(names)})")
    if not file.exists():
        raise fail(f"{file}: no such file")
    try:
        report = evaluate(file, labels=label or None)
    except ValueError as exc:
        raise fail(str(exc)) from None
    table = Table(title=f"{file.name}: {report.posts} posts, {report.posts_per_second:,.0f} posts/s")
    for column in ("label", "precision", "recall", "F1", "support"):
        table.add_column(column, justify="left" if column == "label" else "right")
    for s in report.labels:
        table.add_row(s.label, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}",
                      str(s.support))
    table.add_row("macro", "", "", f"{report.macro_f1:.3f}", "", style="bold")
    console.print(table)
