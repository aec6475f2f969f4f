"""`sociable people ...`: the relationship book by hand, and match suggestions."""
from __future__ import annotations

from typing import Annotated, Optional

import typer
from rich.table import Table

from sociable import identify
from sociable.cli.app import app, console, fail, state
from sociable.domain.people import HandleRef, Person, Tier
from sociable.store import people as repo

people_app = typer.Typer(help="The relationship book: who your people are.\n\n"
                              "Example: sociable people list --tier vip",
                         no_args_is_help=True)
app.add_typer(people_app, name="people")


@people_app.command("add")
def add(
    name: str,
    email: Annotated[Optional[str], typer.Option(help="E-mail address.")] = None,
    phone: Annotated[Optional[str], typer.Option(help="Phone number.")] = None,
    tier: Annotated[Tier, typer.Option(help="vip, regular or new.")] = Tier.NEW,
    since: Annotated[Optional[str], typer.Option(help="Known since: a year or a date.")] = None,
    story: Annotated[str, typer.Option(help="How we know them, in a sentence.")] = "",
    handle: Annotated[Optional[list[str]], typer.Option(help="platform:handle (repeatable).")] = None,
    tag: Annotated[Optional[list[str]], typer.Option(help="A tag (repeatable).")] = None,
) -> None:
    """Add a person, or update the one with the same e-mail (else name).

    Example: sociable people add "Lenny B" --tier vip --since 1998 --handle instagram:lenny.b
    """
    try:
        person = Person(name=name, email=email, phone=phone, tier=tier, story=story,
                        tags=list(tag or []),
                        since=repo.parse_date(since, year_ok=True) if since else None)
        refs = [HandleRef.parse(h) for h in handle or []]
    except ValueError as exc:
        raise fail(str(exc)) from None
    with state.store().begin() as conn:
        person_id, created = repo.save(conn, person)
        for ref in refs:
            repo.attach_handle(conn, person_id, ref, rule="book")
        identify.relink_unmatched(conn)
    console.print(f"{'Added' if created else 'Updated'} {name} (id {person_id})")


@people_app.command("show")
def show(person: Annotated[str, typer.Argument(help="Id or full name.")]) -> None:
    """Show one person's book entry: story, tier, dates, handles and links.

    Example: sociable people show "Lenny B"
    """
    with state.store().begin() as conn:
        try:
            p = repo.resolve(conn, person)
        except LookupError as exc:
            raise fail(str(exc)) from None
        links = repo.links_of(conn, p.id)
        handles = repo.handles_of(conn, p.id)
    console.print(f"[bold]{p.name}[/]  (id {p.id}, {p.tier})")
    for label, value in (("since", p.since and p.since.isoformat()), ("email", p.email),
                         ("phone", p.phone), ("story", p.story), ("notes", p.notes),
                         ("tags", ", ".join(p.tags)), ("birthday", p.birthday),
                         ("anniversary", p.anniversary)):
        if value:
            console.print(f"  {label}: {value}", highlight=False, markup=False)
    for h in handles:
        console.print(f"  handle: {h.platform}:{h.handle}  (matched by {h.rule})", highlight=False,
                      markup=False)
    for relation, other_id, other in links:
        console.print(f"  {relation.replace('_', ' ')}: {other} (id {other_id})", highlight=False,
                      markup=False)


@people_app.command("list")
def list_people(
    query: Annotated[str, typer.Argument(help="Part of a name or e-mail.")] = "",
    tier: Annotated[Optional[Tier], typer.Option(help="Only this tier.")] = None,
    limit: Annotated[int, typer.Option(help="How many to show.")] = 50,
) -> None:
    """List people in the book, by name.

    Example: sociable people list bren --tier vip
    """
    with state.store().begin() as conn:
        found = repo.search(conn, query, tier=str(tier) if tier else None, limit=limit)
        total = repo.count(conn)
    table = Table("id", "name", "tier", "since", "story", title=f"{len(found)} of {total} people")
    for p in found:
        table.add_row(str(p.id), p.name, str(p.tier), str(p.since.year) if p.since else "",
                      p.story[:60])
    console.print(table)


@people_app.command("link")
def link(
    person: Annotated[str, typer.Argument(help="Id or full name.")],
    relation: Annotated[str, typer.Argument(help="e.g. spouse, parent, family_friend.")],
    other: Annotated[str, typer.Argument(help="Id or full name.")],
) -> None:
    """Link two people: PERSON is RELATION of OTHER (parent/child are mirrored).

    Example: sociable people link "Lenny B" family_friend "Walter Brennan"
    """
    with state.store().begin() as conn:
        try:
            a, b = repo.resolve(conn, person), repo.resolve(conn, other)
            # "a is b's relation"
            repo.link(conn, b.id, a.id, relation.lower().replace(" ", "_"))
        except (LookupError, ValueError) as exc:
            raise fail(str(exc)) from None
    console.print(f"{a.name} is {relation} of {b.name}")


@people_app.command("suggestions")
def suggestions() -> None:
    """Authors who may be people in your book: confirm or reject each.

    Example: sociable people suggestions
    """
    with state.store().begin() as conn:
        found = identify.suggestions(conn)
    table = Table("id", "author", "platform", "maybe", "score", "why",
                  title=f"{len(found)} match suggestions")
    for s in found:
        table.add_row(str(s.id), f"{s.display_name} (@{s.handle})", s.platform,
                      f"{s.person_name} (id {s.person_id})", f"{s.score:.0f}", s.rule)
    console.print(table)
    if found:
        console.print("Confirm with `sociable people confirm ID`, reject with "
                      "`sociable people reject ID`.")


def _decide(suggestion_id: int, confirm: bool) -> None:
    with state.store().begin() as conn:
        try:
            s = identify.decide(conn, suggestion_id, confirm)
        except (LookupError, ValueError) as exc:
            raise fail(str(exc)) from None
        from sociable.inbox.refresh import refresh_handles

        refresh_handles(conn, [s.handle_id])
    verb = "is" if confirm else "is not"
    console.print(f"@{s.handle} on {s.platform} {verb} {s.person_name}; remembered.")


@people_app.command("confirm")
def confirm(suggestion_id: int) -> None:
    """Confirm a match suggestion: the author is that person.

    Example: sociable people confirm 12
    """
    _decide(suggestion_id, True)


@people_app.command("reject")
def reject(suggestion_id: int) -> None:
    """Reject a match suggestion; it will not be suggested again.

    Example: sociable people reject 12
    """
    _decide(suggestion_id, False)


@people_app.command("erase")
def erase(
    person: Annotated[str, typer.Argument(help="Id or full name.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do it without asking.")] = False,
) -> None:
    """Erase a person on request: their book entry, their inbox items, and the words of
    everything they wrote (the interactions stay only as counted, anonymous events).

    Example: sociable people erase "Lenny B" --yes
    """
    with state.store().begin() as conn:
        try:
            p = repo.resolve(conn, person)
        except LookupError as exc:
            raise fail(str(exc)) from None
        if not yes and not typer.confirm(f"Erase {p.name} (id {p.id}) for good?"):
            raise typer.Exit(1)
        repo.erase(conn, p.id)
    console.print(f"Erased {p.name}.", highlight=False, markup=False)
