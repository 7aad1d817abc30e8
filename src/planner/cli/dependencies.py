"""`planner dep ...`: links between tasks."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from planner.cli.common import App, context

app = App(help="Dependencies: FS, SS, FF, SF with lags in working days.")


@app.command("add")
def add(
    cli_ctx: typer.Context,
    predecessor: Annotated[int, typer.Argument(help="The task that comes first.")],
    successor: Annotated[int, typer.Argument(help="The task that waits.")],
    type: Annotated[str, typer.Option("--type", help="FS, SS, FF or SF.")] = "FS",
    lag: Annotated[int, typer.Option("--lag", help="Lag in working days (negative = lead).")] = 0,
) -> None:
    """Make SUCCESSOR depend on PREDECESSOR."""
    from planner.services.tasks.dependencies import add_dependency

    link = add_dependency(context(cli_ctx), predecessor, successor, type=type, lag_days=lag)
    lag_text = f" lag {link.lag_days:+d}d" if link.lag_days else ""
    typer.echo(f"#{successor} depends on #{predecessor} ({link.type}{lag_text})")


@app.command("rm")
def remove(
    cli_ctx: typer.Context,
    predecessor: Annotated[int, typer.Argument(help="The task that comes first.")],
    successor: Annotated[int, typer.Argument(help="The task that waits.")],
) -> None:
    """Remove a dependency."""
    from planner.services.tasks.dependencies import remove_dependency

    remove_dependency(context(cli_ctx), predecessor, successor)
    typer.echo(f"#{successor} no longer depends on #{predecessor}")


@app.command("ls")
def list_links(
    cli_ctx: typer.Context,
    task_id: Annotated[Optional[int], typer.Argument(help="Only links touching this task.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List dependencies."""
    from planner.render.console import print_json
    from planner.services.queries import list_dependencies

    links = list_dependencies(context(cli_ctx), task_id)
    if as_json:
        print_json([{"predecessor": l.predecessor_id, "successor": l.successor_id, "type": l.type,
                     "lag_days": l.lag_days} for l in links])
        return
    for link in links:
        lag = f" {link.lag_days:+d}d" if link.lag_days else ""
        typer.echo(f"#{link.predecessor_id} -> #{link.successor_id}  {link.type}{lag}")
