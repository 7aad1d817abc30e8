"""The `planner` command: global flags and the command groups."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from planner import __version__
from planner.cli import calendars, common, database, dependencies, load, projects, resources, schedule, tasks
from planner.cli import digest as digest_cli
from planner.cli import interop as interop_cli
from planner.cli import queue, recur, sprint, team, timer, workflow
from planner.cli import streams as _streams  # noqa: F401  (adds `planner project complete`)
from planner.cli import tui as tui_cli

app = common.App(
    help="Planner: projects, streams, a board and a ranked daily queue, in your terminal.",
    no_args_is_help=False,
    invoke_without_command=True,
)
app.add_typer(tasks.app)
app.add_typer(schedule.app)
app.add_typer(load.app)
app.add_typer(projects.app, name="project")
app.add_typer(dependencies.app, name="dep")
app.add_typer(resources.app, name="resource")
app.add_typer(database.app, name="db")
app.add_typer(calendars.app, name="calendar")
app.add_typer(digest_cli.app)
app.add_typer(digest_cli.cron_app, name="cron")
app.add_typer(interop_cli.app)
app.add_typer(workflow.app, name="workflow")
app.add_typer(sprint.app, name="sprint")
app.add_typer(timer.app, name="timer")
app.add_typer(timer.log_app)
app.add_typer(timer.report_app, name="report")
app.add_typer(team.app, name="team")
app.add_typer(recur.app, name="recur")
app.add_typer(queue.app)
app.add_typer(queue.plan_app, name="plan")
app.add_typer(tui_cli.app)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"planner {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[Optional[str], typer.Option("--db", help="Database file or URL (default: PLANNER_DATABASE_URL or the user data dir).")] = None,
    as_user: Annotated[Optional[str], typer.Option("--as", help="Act as this person (default: PLANNER_USER or your login).")] = None,
    today: Annotated[Optional[str], typer.Option("--today", hidden=True, help="Pretend today is this date (tests, demos).")] = None,
    version: Annotated[Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")] = None,
) -> None:
    """Planner: projects, streams, a board and a ranked daily queue."""
    common.options.database = db
    common.options.user = as_user
    common.options.today = None
    if today is not None:
        from datetime import date

        from planner.domain.dates import DATE_RANGE, in_range
        from planner.domain.errors import PlannerError

        try:
            common.options.today = in_range(date.fromisoformat(today))
        except (ValueError, PlannerError):
            raise common.fail(f"--today wants YYYY-MM-DD from {DATE_RANGE}, not {today!r}", 2) from None
    if ctx.invoked_subcommand is None:
        if common.is_terminal() and sys.stdin.isatty():  # bare `planner` in a terminal opens the app
            tui_cli.open_tui()
        else:
            typer.echo(ctx.get_help())


_VALUE_OPTIONS = {"--db", "--as", "--today"}


def _command_name(argv: list[str]) -> str | None:
    """The first word after the global options (``planner --db F show 3`` -> ``show``)."""
    index = 0
    while index < len(argv):
        word = argv[index]
        if word in _VALUE_OPTIONS:
            index += 2
        elif word.startswith("-"):
            index += 1
        else:
            return word
    return None


def _app_for(name: str | None) -> typer.Typer:
    """An app holding only the group that serves ``name``.

    Typer builds (and type-checks) every command of an app before running
    one; with ~80 commands that costs ~60 ms, so a command runs in an app
    with just its own group. Help and unknown commands get the full app.
    """
    if name is None:
        return app
    for group in app.registered_groups:
        instance = group.typer_instance
        group_name = getattr(group.name, "value", group.name)  # Typer wraps an unset name in a placeholder
        commands = {info.name or info.callback.__name__.replace("_", "-")
                    for info in instance.registered_commands if info.callback}
        if group_name == name or (group_name is None and name in commands):
            lean = common.App(help=app.info.help, no_args_is_help=False, invoke_without_command=True)
            lean.callback()(main)
            lean.add_typer(instance, name=group_name)
            return lean
    return app


def run() -> None:
    """Console-script entry point."""
    _app_for(_command_name(sys.argv[1:]))()
