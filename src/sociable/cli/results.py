"""`sociable goals`, `link`, `results`, `report`, `digest` and `import results`: is social
media paying off?"""
from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from sociable.cli.app import app, console, err, fail, state
from sociable.cli.imports import EXIT_BAD_INPUT, EXIT_MISSING, _report_errors, import_app
from sociable.ingest.errors import ImportFailed

Now = Annotated[str | None, typer.Option("--now", help="Pretend it is this time (ISO 8601); "
                                                          "default: now.")]


def _now(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    at = datetime.fromisoformat(value)
    return at if at.tzinfo else at.replace(tzinfo=UTC)


# --- goals ----------------------------------------------------------------------------------

goals_app = typer.Typer(help="The owner's hard goals: a metric, a target, a period and why.\n\n"
                             "Example: sociable goals add engaged_people 150 --period month "
                             "--why \"A shop full of people\"", no_args_is_help=True)
app.add_typer(goals_app, name="goals")


@goals_app.command("add")
def goals_add(
    metric: Annotated[str, typer.Argument(help="A metric name (see `sociable goals metrics`).")],
    target: Annotated[str, typer.Argument(help="The target: 150, $8,000, 3x, 2h, 60%.")],
    period: Annotated[str, typer.Option(help="day, week, month or quarter.")] = "month",
    why: Annotated[str, typer.Option(help="In your own words: why this goal matters.")] = "",
) -> None:
    """Write down a goal.

    Example: sociable goals add first_response_median 2h --period month --why "Dad answered by the second ring"
    """
    from sociable.results import goals

    try:
        with state.store().begin() as conn:
            gid = goals.add(conn, metric, target, period, why)
    except ValueError as exc:
        raise fail(str(exc), 2) from None
    console.print(f"Goal {gid} added.")


@goals_app.command("edit")
def goals_edit(
    goal_id: Annotated[int, typer.Argument(help="The goal's id (from `sociable goals list`).")],
    metric: Annotated[str | None, typer.Option(help="A new metric.")] = None,
    target: Annotated[str | None, typer.Option(help="A new target.")] = None,
    period: Annotated[str | None, typer.Option(help="A new period.")] = None,
    why: Annotated[str | None, typer.Option(help="New words for why.")] = None,
    archive: Annotated[bool, typer.Option("--archive", help="Put the goal away.")] = False,
    restore: Annotated[bool, typer.Option("--restore", help="Bring an archived goal back.")] = False,
) -> None:
    """Change a goal, or archive it.

    Example: sociable goals edit 3 --target 1.5h
    """
    from sociable.results import goals

    try:
        with state.store().begin() as conn:
            g = goals.edit(conn, goal_id, metric=metric, target=target, period=period, why=why,
                           archived=True if archive else False if restore else None)
    except LookupError as exc:
        raise fail(str(exc)) from None
    except ValueError as exc:
        raise fail(str(exc), 2) from None
    console.print(f"Goal {g.id}: {g.metric} {g.target:g} per {g.period}"
                  + (" (archived)" if g.archived else "") + ".")


@goals_app.command("list")
def goals_list(
    now: Now = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per goal.")] = False,
) -> None:
    """Each goal with this period's progress, its trend and whether it is on track.

    Example: sociable goals list
    """
    from sociable.results import charts, goals

    progress = goals.progress_all(state.store(), _now(now))
    if as_json:
        for p in progress:
            console.print_json(json.dumps({
                "id": p.id, "metric": p.metric, "period": p.period, "period_key": p.period_key,
                "target": p.target, "value": p.value, "projected": p.projected,
                "status": p.status, "trend": p.trend, "why": p.why}))
        return
    if not progress:
        console.print("No goals yet. Example: sociable goals add engaged_people 150 "
                      "--period month")
        return
    for p in progress:
        colour = {"behind": "red", "no data": "dim"}.get(p.status, "green")
        console.print(f"[bold]{p.id}.[/] {p.sentence.rsplit(' — ', 1)[0]} — "
                      f"[{colour}]{p.status}[/]", highlight=False)
        console.print(f"    trend {charts.sparkline(p.trend)}  "
                      f"({', '.join(goals.fmt(v, p.unit, p.currency) for v in p.trend)})",
                      highlight=False)
        if p.why:
            console.print(f"    [italic]“{p.why}”[/]", highlight=False)


@goals_app.command("metrics")
def goals_metrics() -> None:
    """The metrics a goal (or `sociable results behind`) can name.

    Example: sociable goals metrics
    """
    from sociable.results.metrics import METRICS

    table = Table("metric", "what it counts", "better")
    for m in METRICS.values():
        table.add_row(m.name, m.help, "higher" if m.better == "up" else "lower")
    console.print(table)


# --- link -----------------------------------------------------------------------------------

@app.command("link")
def link(
    url: Annotated[str, typer.Argument(help="The page to link to.")],
    campaign: Annotated[str, typer.Option(help="Campaign name; becomes lower-case-hyphenated.")],
    platform: Annotated[str, typer.Option(help="Where the link is posted: instagram, facebook...")],
    content: Annotated[str | None, typer.Option(help="Which post or button (utm_content).")] = None,
    medium: Annotated[str, typer.Option(help="utm_medium.")] = "social",
) -> None:
    """Build a UTM-tagged link and remember it, so website visits can be matched later.

    Example: sociable link https://shop.example/rings --campaign "Holiday Rings" --platform instagram
    """
    from sociable.results import links

    try:
        built = links.build(url, campaign=campaign, platform=platform, medium=medium,
                            content=content)
    except ValueError as exc:
        raise fail(str(exc), 2) from None
    with state.store().begin() as conn:
        links.remember(conn, built)
    console.print(built.tagged_url, highlight=False, soft_wrap=True)


# --- results ---------------------------------------------------------------------------------

results_app = typer.Typer(help="Is social media paying off? The figures, their people, "
                               "settings and follower counts.\n\n"
                               "Example: sociable results --period week", no_args_is_help=False)
app.add_typer(results_app, name="results")

SHOWN = ("engaged_people", "engaged_known", "engaged_new", "followers", "engaged_share",
         "conversations", "response_rate", "first_response_median", "first_response_p90",
         "moments_answered", "praise_share", "web_sessions_social", "signups",
         "signups_social", "sales_total", "revenue_engaged", "ad_spend", "ad_return",
         "cost_per_engaged")


@results_app.callback(invoke_without_command=True)
def results(
    ctx: typer.Context,
    period: Annotated[str, typer.Option(help="day, week, month or quarter.")] = "month",
    count: Annotated[int | None, typer.Option("--count", help="How many periods.")] = None,
    now: Now = None,
    as_json: Annotated[bool, typer.Option("--json", help="All figures as JSON.")] = False,
) -> None:
    """Every figure per period, with a sparkline of its trend.

    Example: sociable results --period week --count 8
    """
    if ctx.invoked_subcommand:
        return
    from sociable.results import charts, dashboard, goals, metrics

    try:
        res = metrics.results(state.store(), period, _now(now), count)
    except (KeyError, ValueError) as exc:
        raise fail(f"period must be day, week, month or quarter ({exc})", 2) from None
    if as_json:
        console.print_json(json.dumps(res))
        return
    if period == "month":
        week = metrics.results(state.store(), "week", _now(now), 12)
        for line in dashboard.headlines(res, week):
            console.print(line, highlight=False)
        console.print()
    table = Table("figure", "trend", *res["labels"][-4:], title=f"per {period} "
                  f"({res['timezone']}; the last column is so far)")
    for name in SHOWN:
        m = metrics.METRICS[name]
        vals = metrics.series(res, name)
        if all(v is None for v in vals):
            continue
        table.add_row(m.label, charts.sparkline(vals),
                      *[goals.fmt(v, m.unit, res["currency"]) for v in vals[-4:]])
    console.print(table)
    console.print("Open any figure: sociable results behind METRIC PERIOD "
                  "(e.g. revenue_engaged " + res["periods"][-1] + ")", highlight=False)


@results_app.command("behind")
def behind(
    metric: Annotated[str, typer.Argument(help="A metric name (see `sociable goals metrics`).")],
    period: Annotated[str, typer.Argument(help="A period: 2026-11-23, 2026-W48, 2026-11, 2026-Q4.")],
    as_csv: Annotated[bool, typer.Option("--csv", help="CSV instead of a table.")] = False,
) -> None:
    """The people, orders or rows behind one figure.

    Example: sociable results behind revenue_engaged 2026-11
    """
    from sociable.results.attribution import behind as find

    try:
        found = find(state.store(), metric, period)
    except ValueError as exc:
        raise fail(str(exc), 2) from None
    if as_csv:
        import csv
        import sys

        w = csv.writer(sys.stdout)
        w.writerow(found.columns)
        w.writerows(found.rows)
        return
    table = Table(*found.columns, title=found.title)
    for row in found.rows:
        table.add_row(*["" if v is None else str(v) for v in row])
    console.print(table)
    if found.note:
        console.print(found.note, highlight=False)


@results_app.command("set")
def results_set(
    key: Annotated[str, typer.Argument(help="A results setting (see `sociable results settings`).")],
    value: Annotated[str, typer.Argument(help="Its value (JSON for hours and lists).")],
) -> None:
    """Set a results setting: business hours, attribution window, SMTP for the digest...

    Example: sociable results set attribution_days 30
    """
    from sociable.store import results as repo

    try:
        with state.store().begin() as conn:
            repo.put_setting(conn, key, value)
    except KeyError as exc:
        raise fail(str(exc.args[0]), 2) from None
    except ValueError as exc:
        raise fail(str(exc), 2) from None
    console.print(f"{key} set.")


@results_app.command("settings")
def results_settings() -> None:
    """The results settings, their values and what each does.

    Example: sociable results settings
    """
    from sociable.store import results as repo

    with state.store().begin() as conn:
        values = repo.all_settings(conn)
    table = Table("setting", "value", "meaning")
    for key, meaning in repo.SETTINGS.items():
        v = values.get(key)
        table.add_row(key, "" if v is None else json.dumps(v), meaning)
    console.print(table)


@results_app.command("followers")
def followers(
    platform: Annotated[str, typer.Argument(help="instagram, facebook, mastodon, bluesky...")],
    account: Annotated[str, typer.Argument(help="The store's account on it.")],
    count: Annotated[int, typer.Argument(help="How many followers it has.")],
    on: Annotated[str | None, typer.Option(help="The date counted (default: today).")] = None,
) -> None:
    """Record a follower count (shown only as context beside the people who interact).

    Many at once, from a CSV: `sociable import results followers FILE`.

    Example: sociable results followers instagram brennanjewelers 2450 --on 2026-11-01
    """
    from sociable.store import results as repo

    try:
        day = date.fromisoformat(on) if on else date.today()
        with state.store().begin() as conn:
            repo.add_followers(conn, platform, account, day, count)
    except ValueError as exc:
        raise fail(str(exc), 2) from None
    console.print(f"{platform} {account}: {count:,} followers on {day}.")


@results_app.command("chart")
def chart(
    chart_id: Annotated[str, typer.Argument(help="engaged, share, conversations, response, moments, revenue, feedback, traffic or goals.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write: .svg for the picture, .csv for its numbers.")],
    now: Now = None,
) -> None:
    """Write one Results chart as SVG, or the numbers behind it as CSV.

    Example: sociable results chart engaged --out engaged.svg
    """
    from sociable.results import dashboard

    d = dashboard.build(state.store(), _now(now))
    try:
        c = d.chart(chart_id)
    except LookupError as exc:
        raise fail(str(exc), 2) from None
    out.write_text(c.csv if out.suffix.lower() == ".csv" else c.svg, encoding="utf-8")
    console.print(f"Wrote {out}.")


@results_app.command("demo")
def demo_results(
    files: Annotated[Path, typer.Option(help="Where to write the demo's export files.")] = Path("demo-files/results"),
    now: Now = None,
    seed: Annotated[int, typer.Option(help="Same seed, same results.")] = 7,
) -> None:
    """Give the demo store a year of results: the team's replies, follower counts, sales,
    sign-ups, web traffic, ads and goals (run once, after `sociable demo`).

    Example: sociable --db demo.db results demo --now 2026-11-23T15:00:00Z
    """
    from sociable.results.demo import seed_results

    report = seed_results(state.store(), files, now=_now(now), seed=seed)
    console.print(f"{report.replies} replies and {report.closed} closed items recorded, "
                  f"{report.sales} sales imported, {report.goals} goals; exports in {files}.")


# --- report and digest ------------------------------------------------------------------------

@app.command("report")
def report(
    week: Annotated[bool, typer.Option("--week", help="The weekly report (last full week).")] = True,
    out: Annotated[Path | None, typer.Option("--out", help="HTML file to write.")] = None,
    pdf: Annotated[Path | None, typer.Option("--pdf", help="PDF file to write (needs Chromium).")] = None,
    now: Now = None,
) -> None:
    """The weekly results report as HTML and/or PDF.

    Example: sociable report --week --out week.html --pdf week.pdf
    """
    from sociable.results import report as rep

    at = _now(now)
    html = rep.weekly_html(state.store(), at)
    out = out or (None if pdf else Path(f"sociable-week-{at:%Y-%m-%d}.html"))
    if out:
        out.write_text(html, encoding="utf-8")
        console.print(f"Wrote {out}.")
    if pdf:
        try:
            rep.to_pdf(html, pdf)
        except rep.PdfError as exc:
            raise fail(str(exc)) from None
        console.print(f"Wrote {pdf}.")


@app.command("digest")
def digest(
    send: Annotated[bool, typer.Option("--send", help="E-mail it over SMTP (see `sociable results settings`).")] = False,
    to: Annotated[str | None, typer.Option(help="Send to these addresses (comma-separated) instead of digest_to.")] = None,
    now: Now = None,
) -> None:
    """The morning digest: people to talk to today and goals at a glance.

    Without --send it prints the digest.

    Example: sociable digest --send
    """
    from sociable.results import digest as dg

    store = state.store()
    message = dg.build(store, _now(now))
    if not send:
        console.print(message.text, highlight=False, markup=False)
        return
    try:
        sent = dg.send(store, message, to=[x.strip() for x in to.split(",")] if to else None)
    except dg.MailError as exc:
        raise fail(str(exc)) from None
    console.print(f"Digest sent to {', '.join(sent)}.")


# --- import results -------------------------------------------------------------------------

@import_app.command("results")
def import_results_cmd(
    kind: Annotated[str, typer.Argument(help="shopify, mailchimp, ga4, meta_ads, pos or followers.")],
    file: Annotated[Path, typer.Argument(help="The export file (CSV; zip for Mailchimp).")],
    preview: Annotated[bool, typer.Option("--preview", help="Check and summarize; write nothing.")] = False,
) -> None:
    """Import sales, sign-ups, traffic, ad spend or follower counts from an export.

    The whole file is checked first: any bad row stops the import, lists every problem with
    its file, line, field and reason, and writes nothing. Importing again changes nothing.
    Follower counts: a CSV with date, platform, followers (and optionally account).

    Example: sociable import results shopify orders_export_1.csv
    """
    from sociable.results import imports
    from sociable.store import results as repo

    if not file.is_file():
        raise fail(f"{file}: no such file", EXIT_MISSING)
    try:
        kind = imports.kind_of(kind)
    except ValueError as exc:
        raise fail(str(exc), 2) from None
    store = state.store()
    data = file.read_bytes()
    with store.begin() as conn:
        tz = repo.timezone(conn)
    parsed = imports.parse_bytes(kind, data, str(file), tz)
    if preview:
        p = imports.preview(parsed)
        console.print(f"{file}: {p.total}, {p.first} to {p.last}; "
                      f"{len(p.errors)} problem(s).", highlight=False)
        for note in p.notes[:10]:
            console.print(f"  {note}", highlight=False)
        if p.errors:
            _report_errors(ImportFailed(p.errors))
            raise typer.Exit(EXIT_BAD_INPUT)
        return
    try:
        rep = imports.save(store, parsed, data)
    except ImportFailed as exc:
        err.print(f"[bold red]error:[/] {file}: nothing imported; {len(exc.errors)} problem(s):")
        _report_errors(exc)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    console.print(f"{file}: {rep.rows} {kind} rows imported"
                  + (f", {rep.matched} customers matched to people in the book"
                     if kind in ("shopify", "pos", "mailchimp") else "") + ".", highlight=False)
    for note in rep.notes[:10]:
        console.print(f"  {note}", highlight=False)
