"""`planner dep ...`: links between tasks."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from planner.cli.common import App, context
from planner.cli.completion import complete_task_ids

app = App(help="Dependencies: FS, SS, FF, SF with lags in working days.")


@app.command("add")
def add(
    cli_ctx: typer.Context,
    predecessor: Annotated[int, typer.Argument(help="The task that comes first.", autocompletion=complete_task_ids)],
    successor: Annotated[int, typer.Argument(help="The task that waits.", autocompletion=complete_task_ids)],
    type: Annotated[str, typer.Option("--type", help="FS, SS, FF or SF.")] = "FS",
    lag: Annotated[int, typer.Option("--lag", help="Lag in working days (negative = lead).")] = 0,
) -> None:
    """Make SUCCESSOR depend on PREDECESSOR (replacing a link between the two, which it then names)."""
    from planner.services.queries import list_dependencies
    from planner.services.tasks.dependencies import add_dependency

    ctx = context(cli_ctx)
    before = next((link for link in list_dependencies(ctx, successor)
                   if (link.predecessor_id, link.successor_id) == (predecessor, successor)), None)
    link = add_dependency(ctx, predecessor, successor, type=type, lag_days=lag)
    if before is not None and (before.type, before.lag_days) != (link.type, link.lag_days):
        typer.echo(f"replaced {_link_kind(before.type, before.lag_days)} link #{predecessor}→#{successor} "
                   f"with {_link_kind(link.type, link.lag_days)}")
    elif before is not None:
        typer.echo(f"#{successor} already depends on #{predecessor} ({_link_kind(link.type, link.lag_days)})")
    else:
        lag_text = f" lag {link.lag_days:+d}d" if link.lag_days else ""
        typer.echo(f"#{successor} depends on #{predecessor} ({link.type}{lag_text})")


def _link_kind(kind: str, lag_days: int) -> str:
    """'FS', 'SS+1', 'FF-2'."""
    return f"{kind}{lag_days:+d}" if lag_days else kind


@app.command("rm")
def remove(
    cli_ctx: typer.Context,
    predecessor: Annotated[int, typer.Argument(help="The task that comes first.", autocompletion=complete_task_ids)],
    successor: Annotated[int, typer.Argument(help="The task that waits.", autocompletion=complete_task_ids)],
) -> None:
    """Remove a dependency."""
    from planner.services.tasks.dependencies import remove_dependency

    remove_dependency(context(cli_ctx), predecessor, successor)
    typer.echo(f"#{successor} no longer depends on #{predecessor}")


@app.command("ls")
def list_links(
    cli_ctx: typer.Context,
    task_id: Annotated[Optional[int], typer.Argument(help="Only links touching this task.",
                                                               autocompletion=complete_task_ids)] = None,
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
