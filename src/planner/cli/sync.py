"""`planner sync ...`: two-way sync with CalDAV calendars (phones, Thunderbird, Nextcloud)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from planner.cli.common import App, context

app = App(help="Sync projects with CalDAV task lists (Nextcloud, Radicale, Fastmail, iCloud …).")

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@app.command("caldav")
def caldav(
    cli_ctx: typer.Context,
    url: Annotated[Optional[str], typer.Option("--url", help="The calendar collection's URL.")] = None,
    project: Annotated[Optional[str], typer.Option("--project", "-p", help="The project (or stream) to sync.")] = None,
    user: Annotated[Optional[str], typer.Option("--user", "-u", help="The CalDAV user name.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Say what would change; write nothing.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Sync a project with a CalDAV calendar (remembered), or every remembered pairing.

    The password comes from PLANNER_CALDAV_PASSWORD or the system keyring
    (`keyring set planner-caldav USER`); it is never stored or printed.
    """
    from planner.render.console import print_json
    from planner.services.sync.caldav import sync_caldav

    reports = sync_caldav(context(cli_ctx), url=url, project=project, user=user, dry_run=dry_run)
    if as_json:
        print_json([report.to_json() for report in reports])
        return
    for report in reports:
        verb = "would change" if report.dry_run else "synced"
        typer.echo(f"{report.project} ↔ {report.url}: {verb} here +{report.created_here} "
                   f"~{report.updated_here} -{report.deleted_here}, there +{report.created_there} "
                   f"~{report.updated_there} -{report.deleted_there} ({report.requests} requests, "
                   f"{report.seconds:.1f} s)")
        for conflict in report.conflicts:
            typer.echo(f"  conflict: {conflict}")


@app.command("ls")
def list_pairings(cli_ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """The remembered pairings and when each last synced."""
    from planner.render.console import print_json, print_rows
    from planner.services.sync.pairings import list_pairings as query

    pairings = query(context(cli_ctx))
    if as_json:
        print_json([pairing.to_json() for pairing in pairings])
    elif not pairings:
        typer.echo("no pairings: `planner sync caldav --url URL --project KEY` makes one")
    else:
        print_rows([[p.project, p.url, p.user or "-", p.last_synced_at.strftime("%Y-%m-%d %H:%M") if p.last_synced_at
                     else "never", str(len((p.last_report or {}).get("conflicts") or []))] for p in pairings],
                   ["Project", "Calendar", "User", "Last sync (UTC)", "Conflicts"], {4})


@app.command("rm")
def remove(
    cli_ctx: typer.Context,
    project: Annotated[str, typer.Argument(help="The project whose pairing to forget.")],
    url: Annotated[Optional[str], typer.Option("--url", help="Only the pairing with this calendar.")] = None,
) -> None:
    """Forget a pairing; the tasks and the calendar's objects stay where they are."""
    from planner.services.sync.pairings import remove_pairing

    removed = remove_pairing(context(cli_ctx), project, url)
    typer.echo(f"forgot {removed} pairing{'s' if removed != 1 else ''} of {project}")


feed_app = App(help="A calendar feed of the plan.")


@feed_app.command("feed")
def feed(
    cli_ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (loopback unless you say so).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8765,
    project: Annotated[Optional[str], typer.Option("--project", "-p", help="Only this project.")] = None,
    user: Annotated[Optional[str], typer.Option("--user", "-u", help="With --print: only this person's plan.")] = None,
    print_it: Annotated[bool, typer.Option("--print", help="Print the feed once instead of serving it.")] = False,
) -> None:
    """Serve the plan as an iCalendar subscription at /plan.ics (?user=HANDLE for one person's plan)."""
    from planner.services.sync.feed import plan_feed, serve_feed

    if print_it:
        typer.echo(plan_feed(context(cli_ctx), user=user, project=project), nl=False)
        return
    serve_feed(context(cli_ctx), host=host, port=port, project=project,
               ready=lambda url: typer.echo(f"serving the plan at {url} (?user=HANDLE for one person); "
                                            "ctrl+c stops", err=True))
