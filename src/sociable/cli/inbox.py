"""`sociable inbox`: who to talk to today, why, and what to say; and the actions on an item."""
from __future__ import annotations

import getpass
import json
from datetime import UTC, datetime
from typing import Annotated, Optional

import typer
from rich.markup import escape
from rich.table import Table

from sociable.cli.app import app, console, fail, state
from sociable.domain.inbox import Action, InboxItem, Status, TransitionError
from sociable.inbox.prioritize import ago
from sociable.store import inbox as repo

inbox_app = typer.Typer(help="Talk to these people today.\n\nExample: sociable inbox --limit 10")
app.add_typer(inbox_app, name="inbox")

Actor = Annotated[str, typer.Option("--as", help="Who is acting (default: your login name).")]


def _actor(value: str | None) -> str:
    return value or getpass.getuser()


def item_json(item: InboxItem) -> dict:
    return {
        "id": item.id, "person": item.person_name, "person_id": item.person_id,
        "handle": item.handle, "platform": item.platform, "interaction_ids": item.interaction_ids,
        "moments": item.moments, "priority": item.priority, "reasons": item.reasons,
        "suggested_reply": item.suggested_reply, "status": str(item.status),
        "assignee": item.assignee, "flag_note": item.flag_note,
        "last_at": item.last_at.isoformat() if item.last_at else None,
    }


def _parse_now(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@inbox_app.callback(invoke_without_command=True)
def inbox(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per item.")] = False,
    limit: Annotated[int, typer.Option(help="How many items.")] = 20,
    moment: Annotated[Optional[str], typer.Option(help="Only items with this moment.")] = None,
    platform: Annotated[Optional[str], typer.Option(help="Only this platform.")] = None,
    status: Annotated[Optional[list[Status]], typer.Option(help="Only these statuses (default: open).")] = None,
    days: Annotated[int, typer.Option(help="Only items from the last N days.")] = 14,
    now: Annotated[Optional[str], typer.Option(help="Pretend it is this time (ISO 8601).", hidden=True)] = None,
) -> None:
    """The prioritized inbox, highest first, each with its reasons and a suggested reply.

    Example: sociable inbox --moment hardship
    """
    if ctx.invoked_subcommand:
        return
    at = _parse_now(now)
    with state.store().begin() as conn:
        items = repo.list_items(conn, now=at, statuses=status, days=days, moment=moment,
                                platform=platform, limit=limit)
        dates = upcoming(conn, at)
    if as_json:
        for item in items:
            typer.echo(json.dumps(item_json(item), ensure_ascii=False))
        return
    render(items, at)
    render_dates(dates)


def upcoming(conn, at: datetime):
    from sociable.store import people, settings

    return people.upcoming_dates(conn, at.astimezone(settings.timezone(conn)).date(), days=3)


def render_dates(dates) -> None:
    if not dates:
        return
    console.print("[bold]Coming up[/]")
    for when, kind, person_id, name, years in dates:
        plural = "s" if years != 1 else ""
        what = (f"turns {years}" if kind == "birthday" else f"{years} year{plural} married") \
            if years else kind
        console.print(f"  {when:%a %d %b}  {name} ({what}) — `sociable people show {person_id}`",
                      highlight=False)


def render(items: list[InboxItem], now: datetime) -> None:
    table = Table(title="Talk to these people today", show_lines=True, expand=True)
    table.add_column("#", justify="right", style="bold")
    table.add_column("who and why", ratio=3)
    table.add_column("suggested reply", ratio=2, style="italic")
    for item in items:
        when = ago(item.last_at, now) if item.last_at else ""
        head, *rest = [escape(r) for r in item.reasons]  # people's words are not markup
        why = f"[bold]{head}[/]\n" + "\n".join(f"• {r}" for r in rest)
        moments = f"\n[cyan]{', '.join(item.moments)}[/]" if item.moments else ""
        status = "" if item.status == Status.NEW else f"  [magenta]{item.status}[/]"
        table.add_row(str(item.id),
                      f"{why}\n[dim]{escape(item.platform)} @{escape(item.handle)} · {when} · "
                      f"priority {item.priority}[/]{moments}{status}",
                      escape(item.suggested_reply))
    if not items:
        console.print("Nothing to do: the inbox is empty.")
        return
    console.print(table)


@inbox_app.command("show")
def show(item_id: int) -> None:
    """One item in full: reasons, interactions, history.

    Example: sociable inbox show 12
    """
    from sociable.store import tables as t
    from sqlalchemy import select

    with state.store().begin() as conn:
        try:
            item = repo.get_item(conn, item_id)
        except LookupError as exc:
            raise fail(str(exc)) from None
        posts = conn.execute(select(t.interactions.c.kind, t.interactions.c.text,
                                    t.interactions.c.created_at, t.interactions.c.url)
                             .where(t.interactions.c.id.in_(item.interaction_ids))
                             .order_by(t.interactions.c.created_at)).all()
        history = repo.events_of(conn, item_id)
        replies = repo.replies_of(conn, item_id)
    console.print(f"[bold]#{item.id} {escape(item.person_name)}[/] ({item.platform} "
                  f"@{escape(item.handle)}) "
                  f"— {item.status}, priority {item.priority}")
    for reason in item.reasons:
        console.print(f"  • {reason}", highlight=False, markup=False)
    for p in posts:
        console.print(f"  [{p.created_at:%Y-%m-%d %H:%M}] {p.kind}: {p.text}", highlight=False,
                      markup=False)
    console.print(f"[italic]Suggested reply:[/] {escape(item.suggested_reply)}", highlight=False)
    if item.flag_note:
        console.print(f"Flag note: {item.flag_note}", highlight=False, markup=False)
    for r in replies:
        console.print(f"Reply by {r['author']} ({r['state']}): {r['text']}", highlight=False,
                      markup=False)
    for e in history:
        console.print(f"  {e['at']:%Y-%m-%d %H:%M} {e['name']} by {e['actor'] or 'sociable'}",
                      highlight=False)


def _act(item_id: int, action: Action, actor: str | None, **kw) -> None:
    with state.store().begin() as conn:
        try:
            item = repo.transition(conn, item_id, action, actor=_actor(actor), **kw)
        except (LookupError, ValueError, TransitionError) as exc:
            raise fail(str(exc)) from None
    console.print(f"#{item.id} {item.person_name}: {item.status}")


@inbox_app.command("flag")
def flag(item_id: int, note: Annotated[str, typer.Option(help="Why the owner should look.")] = "",
         actor: Actor = None) -> None:
    """Bring an item to the owner's attention, with a note.

    Example: sociable inbox flag 12 --note "Her mother passed; you knew her well"
    """
    _act(item_id, Action.FLAG, actor, note=note)


@inbox_app.command("assign")
def assign(item_id: int, to: Annotated[str, typer.Option(help="Who takes it.")],
           actor: Actor = None) -> None:
    """Give an item to someone.

    Example: sociable inbox assign 12 --to maria
    """
    _act(item_id, Action.ASSIGN, actor, to=to)


@inbox_app.command("reply")
def reply(item_id: int,
          text: Annotated[Optional[str], typer.Option(help="The reply (default: the suggested one).")] = None,
          actor: Actor = None) -> None:
    """Record a reply (sending through the platform comes with connectors).

    Example: sociable inbox reply 12 --text "Congratulations, Ana!"
    """
    if text is None:
        with state.store().begin() as conn:
            try:
                text = repo.get_item(conn, item_id).suggested_reply
            except LookupError as exc:
                raise fail(str(exc)) from None
    _act(item_id, Action.REPLY, actor, text=text)


@inbox_app.command("snooze")
def snooze(item_id: int, until: Annotated[str, typer.Option(help="ISO 8601 date or time.")],
           actor: Actor = None) -> None:
    """Hide an item until a time; it comes back by itself.

    Example: sociable inbox snooze 12 --until 2026-12-01T09:00
    """
    try:
        when = _parse_now(until)
    except ValueError:
        raise fail(f"--until {until!r} is not an ISO 8601 date or time") from None
    _act(item_id, Action.SNOOZE, actor, until=when)


@inbox_app.command("done")
def done(item_id: int, actor: Actor = None) -> None:
    """Mark an item done.

    Example: sociable inbox done 12
    """
    _act(item_id, Action.DONE, actor)


@inbox_app.command("dismiss")
def dismiss(item_id: int, actor: Actor = None) -> None:
    """Dismiss an item that needs nothing.

    Example: sociable inbox dismiss 12
    """
    _act(item_id, Action.DISMISS, actor)


@inbox_app.command("reopen")
def reopen(item_id: int, actor: Actor = None) -> None:
    """Open a done, replied or dismissed item again.

    Example: sociable inbox reopen 12
    """
    _act(item_id, Action.REOPEN, actor)
