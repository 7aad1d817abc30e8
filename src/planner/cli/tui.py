"""`planner tui`, `planner serve` and `planner demo`: the Textual app in a terminal or a browser, and a demo plan.

Textual and textual-serve are imported inside the commands, so importing the
CLI stays light.
"""

from __future__ import annotations

import ipaddress
import os
import shlex
import sys
from typing import Annotated, Optional

import typer

from planner.cli import common
from planner.cli.common import App, context

app = App()

SCREENS = ("queue", "board", "gantt", "load", "agenda", "charts")
ScreenOpt = Annotated[str, typer.Option("--screen", help="First screen: queue, board, gantt, load, agenda or charts.")]


def check_start(cli_ctx: typer.Context, screen: str, project: str | None) -> None:
    """Refuse an unknown screen (usage error) or project (one line) before the app starts, not inside it."""
    if screen not in SCREENS:
        raise common.fail(f"--screen is one of {', '.join(SCREENS)}, not {screen!r}", 2)
    if project is not None:
        from planner.services.queries import get_project

        get_project(context(cli_ctx), project)


def open_tui(cli_ctx: typer.Context, screen: str = "queue", project: str | None = None) -> None:
    """Run the app in this terminal on the configured store."""
    from planner.app import make_app

    check_start(cli_ctx, screen, project)
    make_app(context(cli_ctx), screen=screen, project=project).run()


@app.command("tui")
def tui(
    cli_ctx: typer.Context,
    screen: ScreenOpt = "queue",
    project: Annotated[Optional[str], typer.Option("--project", "-p", help="Project of the board and Gantt.")] = None,
) -> None:
    """Open the terminal app (daily queue, board, Gantt, load, agenda, charts); bare `planner` does the same."""
    open_tui(cli_ctx, screen, project)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def app_command(cli_ctx: typer.Context, screen: str = "queue", project: str | None = None) -> str:
    """The shell command that runs this app with this invocation's store, person and date."""
    parts = [sys.executable, "-m", "planner"]
    ctx = context(cli_ctx)
    database_words, _environment = ctx.child_database()
    parts += [*database_words, "--as", ctx.actor]
    today = common.options(cli_ctx).today
    if today is not None:
        parts += ["--today", today.isoformat()]
    parts += ["tui", "--screen", screen]
    if project:
        parts += ["--project", project]
    return shlex.join(parts)


@app.command("serve")
def serve(
    cli_ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (loopback unless you mean it).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    screen: ScreenOpt = "queue",
    project: Annotated[Optional[str], typer.Option("--project", "-p", help="Project of the board and Gantt.")] = None,
) -> None:
    """Serve the app in a browser through textual-serve (one app process per browser tab)."""
    from textual_serve.server import Server

    check_start(cli_ctx, screen, project)
    if not 0 < port < 65536:
        raise common.fail(f"--port is 1-65535, not {port}", 2)
    if not _is_loopback(host):
        typer.echo(f"warning: serving on {host}: anyone who can reach port {port} can use Planner as "
                   f"{context(cli_ctx).actor}, with no password. Put it behind a proxy with authentication.", err=True)
    typer.echo(f"Planner at http://{host}:{port} (ctrl+c stops)", err=True)
    _words, environment = context(cli_ctx).child_database()
    os.environ.update(environment)  # each app process inherits it; textual-serve prints and runs only the command
    Server(app_command(cli_ctx, screen, project), host=host, port=port, title="Planner").serve()


@app.command("demo")
def demo(cli_ctx: typer.Context) -> None:
    """Fill a fresh store with a demo: a website relaunch, a team of five and a support stream."""
    from planner.services.demo import create_demo

    summary = create_demo(context(cli_ctx))
    typer.echo(f"Demo ready: project {summary.project} (Website relaunch), stream {summary.stream}, "
               f"{summary.task_count} tasks for {', '.join(summary.people)}.")
    typer.echo("Open it with `planner` (1 queue, 2 board, 3 Gantt, 4 load, 5 agenda, 6 charts, ? keys).")
