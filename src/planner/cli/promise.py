"""`planner promise`: when could this be done, by the leveled plans of every project (writes nothing)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from planner.cli.common import App, context, parse_day, parse_hours

app = App()


@app.command("promise")
def promise(
    cli_ctx: typer.Context,
    title: Annotated[list[str], typer.Argument(help="What would be done (words are joined).")],
    estimate: Annotated[str, typer.Option("--estimate", "-e", help="Effort, e.g. 6h, 90m, 2d.")],
    handle: Annotated[Optional[str], typer.Option("--for", help="Whose plan (default: you).")] = None,
    project: Annotated[Optional[str], typer.Option("--project", "-p", help="Queue it in this project: behind its work and the projects before it.")] = None,
    status_date: Annotated[Optional[str], typer.Option("--date", help="Status date: start no earlier (default today).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The earliest a person could finish new work behind what their leveled plan already holds."""
    from planner.render.console import print_json
    from planner.services.planning.promises import day_text, promise as compute

    ctx = context(cli_ctx)
    result = compute(ctx, " ".join(title), parse_hours(estimate) or 0.0, handle=handle, project=project,
                     status_date=parse_day(cli_ctx, status_date))
    if as_json:
        print_json(result.to_json())
        return
    if result.earliest_finish is None:
        typer.echo(result.message(ctx.today()))
        return
    full = f"plan full until {day_text(result.booked_until, ctx.today())}, " if result.booked_until else ""
    typer.echo(f"{result.handle}: {full}start {day_text(result.earliest_start, ctx.today())}, "  # type: ignore[arg-type]
               f"earliest finish {day_text(result.earliest_finish, ctx.today())} ({result.effort_hours:g}h)")
