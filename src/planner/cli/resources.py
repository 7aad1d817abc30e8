"""`planner resource ...`: people and pools."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from planner.cli.common import App, context, fail
from planner.render.console import plural

app = App(help="People and pools with their capacity.")


@app.command("add")
def add(
    cli_ctx: typer.Context,
    handle: Annotated[str, typer.Argument(help="Short handle, e.g. ana.")],
    name: Annotated[Optional[str], typer.Option("--name", help="Full name.")] = None,
    email: Annotated[Optional[str], typer.Option("--email", help="Where the digest goes.")] = None,
    capacity: Annotated[float, typer.Option("--capacity", help="Units per working day (1 = full time).")] = 1.0,
    pool: Annotated[bool, typer.Option("--pool", help="A team or equipment pool, not a person.")] = False,
) -> None:
    """Add a person or pool."""
    from planner.services.people.resources import add_resource

    resource = add_resource(context(cli_ctx), handle, name=name, email=email, capacity=capacity,
                            kind="pool" if pool else "person")
    typer.echo(f"added {resource.kind} {resource.handle}")


@app.command("edit")
def edit(
    cli_ctx: typer.Context,
    handle: Annotated[str, typer.Argument(help="Handle.")],
    name: Annotated[Optional[str], typer.Option("--name", help="Full name.")] = None,
    email: Annotated[Optional[str], typer.Option("--email", help="Where the digest goes.")] = None,
    capacity: Annotated[Optional[float], typer.Option("--capacity", help="Units per working day (1 = full time).")] = None,
) -> None:
    """Change a person's name, email or capacity."""
    from planner.services.people.resources import edit_resource

    changes = {k: v for k, v in (("name", name), ("email", email), ("capacity", capacity)) if v is not None}
    if not changes:
        raise fail(f"nothing to change on {handle}: give --name, --email or --capacity", 2)
    edit_resource(context(cli_ctx), handle, **changes)
    typer.echo(f"updated {handle}")


@app.command("ls")
def list_resources(
    cli_ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
) -> None:
    """List people and pools."""
    from planner.render.console import print_json
    from planner.services.queries import list_resources as query

    resources = query(context(cli_ctx))
    if as_json:
        print_json([resource.to_json() for resource in resources])
        return
    for resource in resources:
        email = f" <{resource.email}>" if resource.email else ""
        typer.echo(f"{resource.handle:<12} {resource.name}{email}  {resource.capacity:g}/day  "
                   f"{plural(resource.open_assignments, 'open task')}")


@app.command("vacation")
def vacation(
    cli_ctx: typer.Context,
    handle: Annotated[str, typer.Argument(help="Handle.")],
    first: Annotated[str, typer.Argument(help="First day off.")],
    last: Annotated[str, typer.Argument(help="Last day off.")],
) -> None:
    """Days off for one person (leveling and the queue honour them)."""
    from planner.cli.common import parse_day
    from planner.services.people.calendars import add_vacation

    count = add_vacation(context(cli_ctx), handle, parse_day(cli_ctx, first), parse_day(cli_ctx, last))
    typer.echo(f"{handle} is off {plural(count, 'day')}")
