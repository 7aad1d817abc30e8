"""Time tracking commands: `planner timer start|stop|status`, `planner log`, `planner report time`."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from planner.cli.common import App, context, parse_day, parse_hours
from planner.cli.selection import AtOpt, parse_moment

app = App(help="Clock work on a task: one running timer per person.")
log_app = App()
report_app = App(help="Reports over clocked time.")

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _hm(hours: float) -> str:
    from planner.domain.clock import format_hours

    return format_hours(hours)


@app.command("start")
def start(
    cli_ctx: typer.Context,
    task_id: Annotated[int, typer.Argument(help="Task id.")],
    note: Annotated[str, typer.Option("--note", help="What you are doing.")] = "",
) -> None:
    """Start clocking a task (stops your other running timer)."""
    from planner.services.flow.timetracking import start_timer

    result = start_timer(context(cli_ctx), task_id, note=note)
    if result.stopped:
        typer.echo(f"stopped #{result.stopped.task_id} {result.stopped.title} after {_hm(result.stopped.hours)}")
    running = result.running
    if result.already_running:
        typer.echo(f"already clocking #{running.task_id} {running.title} since "
                   f"{running.started_local:%H:%M} ({_hm(running.hours)})")
    else:
        typer.echo(f"clocking #{running.task_id} {running.title} since {running.started_local:%H:%M}")
    if result.moved_to:
        typer.echo(f"moved #{running.task_id} to {result.moved_to}")


@app.command("stop")
def stop(cli_ctx: typer.Context, at: AtOpt = None) -> None:
    """Stop your running timer (--at: when you stopped working)."""
    from planner.services.flow.timetracking import stop_timer

    stopped = stop_timer(context(cli_ctx), at=parse_moment(cli_ctx, at))
    typer.echo(f"stopped #{stopped.task_id} {stopped.title} after {_hm(stopped.hours)}")


@app.command("status")
def status(cli_ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Show your running timer."""
    from planner.render.console import print_json
    from planner.services.flow.timetracking import running_timer

    running = running_timer(context(cli_ctx))
    if as_json:
        print_json(running.to_json() if running else None)
    elif running is None:
        typer.echo("no timer running")
    else:
        typer.echo(f"clocking #{running.task_id} {running.title} since {running.started_local:%H:%M} "
                   f"({_hm(running.hours)})")


@log_app.command("log")
def log(
    cli_ctx: typer.Context,
    task_id: Annotated[int, typer.Argument(help="Task id.")],
    duration: Annotated[str, typer.Argument(help="Time spent: 1h30m, 45m, 2h.")],
    day: Annotated[Optional[str], typer.Option("--date", help="The day it was done (default today).")] = None,
    note: Annotated[str, typer.Option("--note", help="What was done.")] = "",
    at: AtOpt = None,
) -> None:
    """Record time spent on a task (--at: when the work started)."""
    from planner.services.flow.timetracking import log_time

    entry = log_time(context(cli_ctx), task_id, parse_hours(duration) or 0.0, day=parse_day(cli_ctx, day), note=note,
                     at=parse_moment(cli_ctx, at))
    typer.echo(f"logged {_hm(entry.hours)} on #{entry.task_id} {entry.title} ({entry.started_local:%Y-%m-%d})")


@report_app.command("time")
def time_report(
    cli_ctx: typer.Context,
    week: Annotated[bool, typer.Option("--week", help="This week, Monday to Sunday (the default).")] = False,
    start: Annotated[Optional[str], typer.Option("--from", help="First day.")] = None,
    end: Annotated[Optional[str], typer.Option("--to", help="Last day (default today).")] = None,
    by: Annotated[str, typer.Option("--by", help="Group by project, person, task or day.")] = "project",
    person: Annotated[Optional[str], typer.Option("--user", "-u", help="Only this person's time.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Hours clocked over a period, grouped by project, person, task or day."""
    from planner.render.console import print_json, print_rows
    from planner.services.flow.timetracking import time_report as query

    if week and (start or end):
        from planner.domain.errors import InvalidInputError

        raise InvalidInputError("give either --week or --from/--to, not both")
    report = query(context(cli_ctx), start=parse_day(cli_ctx, start), end=parse_day(cli_ctx, end), by=by.lower(), person=person)
    if as_json:
        print_json(report.to_json())
        return
    typer.echo(f"time from {report.start} to {report.end}, by {report.by}")
    if not report.rows:
        typer.echo("nothing clocked")
        return
    rows = [[row.key, row.label if row.label != row.key else "", _hm(row.hours)] for row in report.rows]
    rows.append(["total", "", _hm(report.total_hours)])
    print_rows(rows, [by.capitalize(), "", "Hours"], {2})
