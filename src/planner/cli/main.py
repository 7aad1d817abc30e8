"""The `planner` command: global flags and the command groups."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from planner import __version__
from planner.cli import agenda, calendars, common, completion, database, dependencies, load, projects, resources, schedule, tasks
from planner.cli import digest as digest_cli
from planner.cli import interop as interop_cli
from planner.cli import flow_report, queue, recur, sprint, sync, team, timer, workflow  # noqa: F401 - flow_report adds `report flow`
from planner.cli import notes
from planner.cli import promise as promise_cli
from planner.cli import tui as tui_cli

HELP = "Planner: projects, streams, a board and a ranked daily queue, in your terminal."

# Each group with the word that selects it; None: its commands sit at the top level (`planner ls`).
GROUPS: tuple[tuple[str | None, common.App], ...] = (
    (None, tasks.app), (None, schedule.app), (None, load.app), ("project", projects.app),
    ("dep", dependencies.app), ("resource", resources.app), ("db", database.app), ("calendar", calendars.app),
    (None, digest_cli.app), ("cron", digest_cli.cron_app), (None, interop_cli.app), ("workflow", workflow.app),
    ("sprint", sprint.app), ("timer", timer.app), (None, timer.log_app), ("report", timer.report_app),
    ("team", team.app), ("recur", recur.app), (None, queue.app), ("plan", queue.plan_app), (None, tui_cli.app),
    ("sync", sync.app), (None, sync.feed_app), (None, agenda.app), (None, notes.app), (None, promise_cli.app),
)


def _attach(target: common.App, group_name: str | None, group: common.App) -> None:
    if group_name is None:
        target.add_typer(group)
    else:
        target.add_typer(group, name=group_name)


app = common.App(help=HELP, no_args_is_help=False, invoke_without_command=True)
for _group_name, _group in GROUPS:
    _attach(app, _group_name, _group)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"planner {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[Optional[str], typer.Option("--db", help="Database file or URL (default: PLANNER_DATABASE_URL or the user data dir).")] = None,
    as_user: Annotated[Optional[str], typer.Option("--as", help="Act as this person (default: PLANNER_USER or your login).",
                                                   autocompletion=completion.complete_handles)] = None,
    today: Annotated[Optional[str], typer.Option("--today", hidden=True, help="Pretend today is this date (tests, demos).")] = None,
    version: Annotated[Optional[bool], typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")] = None,
) -> None:
    """Planner: projects, streams, a board and a ranked daily queue."""
    options = common.options(ctx)
    options.database = db
    options.user = as_user
    options.today = None
    if today is not None:
        from datetime import date

        from planner.domain.dates import DATE_RANGE, in_range
        from planner.domain.errors import PlannerError

        try:
            options.today = in_range(date.fromisoformat(today))
        except (ValueError, PlannerError):
            raise common.fail(f"--today wants YYYY-MM-DD from {DATE_RANGE}, not {today!r}", 2) from None
    if ctx.invoked_subcommand is None:
        if common.is_terminal() and sys.stdin.isatty():  # bare `planner` in a terminal opens the app
            tui_cli.open_tui(ctx)
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
    for group_name, group in GROUPS:
        if group_name == name or (group_name is None and name in group.command_names):
            lean = common.App(help=HELP, no_args_is_help=False, invoke_without_command=True)
            lean.callback()(main)
            _attach(lean, group_name, group)
            return lean
    return app


def legacy_digest_argv(argv: list[str]) -> list[str]:
    """``digest --team`` without a name meant everyone before ``--team`` took one; crontab lines still say so."""
    if _command_name(argv) not in ("digest", "cron"):
        return argv
    fixed = list(argv)
    for index, word in enumerate(fixed):
        if word == "--team" and (index + 1 == len(fixed) or fixed[index + 1].startswith("-")):
            fixed[index] = "--everyone"
    return fixed


def run() -> None:
    """Console-script entry point."""
    import os

    if "_PLANNER_COMPLETE" in os.environ:  # a Tab: only the typed command's group is built, as for a run
        completion.answer_completion(_app_for(_command_name(completion.typed_words(dict(os.environ)))))
        return
    sys.argv[1:] = legacy_digest_argv(sys.argv[1:])
    _app_for(_command_name(sys.argv[1:]))()
