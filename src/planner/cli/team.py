"""`planner team ...`: named groups of people (their queue shows each entry with its person)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from planner.cli.common import App, context

app = App(help="Teams: named groups of people.")


@app.command("add")
def add(
    cli_ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Team name, e.g. design.")],
    handles: Annotated[list[str], typer.Argument(help="People to add (`planner resource add` adds new ones).")],
    create: Annotated[bool, typer.Option("--create", help="Add unknown handles as new full-time people.")] = False,
) -> None:
    """Create a team or add people to it."""
    from planner.services.people.teams import add_to_team

    team = add_to_team(context(cli_ctx), name, handles, create=create)
    typer.echo(f"team {team.name}: {' '.join(team.members)}")


@app.command("rm")
def remove(
    cli_ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Team name.")],
    handles: Annotated[Optional[list[str]], typer.Argument(help="People to take out (none: delete the team).")] = None,
) -> None:
    """Take people out of a team, or delete it."""
    from planner.services.people.teams import remove_from_team

    team = remove_from_team(context(cli_ctx), name, handles)
    typer.echo(f"deleted team {name}" if team is None else f"team {team.name}: {' '.join(team.members) or '(empty)'}")


@app.command("ls")
def list_teams(
    cli_ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
) -> None:
    """List teams and their members."""
    from planner.render.console import print_json, print_rows
    from planner.services.people.teams import list_teams as query

    teams = query(context(cli_ctx))
    if as_json:
        print_json([team.to_json() for team in teams])
    elif not teams:
        typer.echo("no teams yet: `planner team add NAME HANDLE...` creates one")
    else:
        print_rows([[team.name, " ".join(team.members)] for team in teams], ["Team", "Members"])
