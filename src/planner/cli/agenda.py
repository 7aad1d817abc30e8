"""`planner agenda`: a week (or N days) day by day, as Org-mode's agenda."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from planner.cli.common import App, context, parse_day

app = App()

_MARKS = {"holiday": "☼", "vacation": "☼", "deadline": "‼", "milestone": "◆", "due": "●", "recurring": "↻",
          "start": "▶", "scheduled": "▷"}


@app.command("agenda")
def agenda(
    cli_ctx: typer.Context,
    first: Annotated[Optional[str], typer.Option("--from", help="The first day (default today).")] = None,
    days: Annotated[int, typer.Option("--days", "-n", help="How many days.")] = 7,
    user: Annotated[Optional[str], typer.Option("--user", "-u", help="Whose agenda (default: you).")] = None,
    team: Annotated[Optional[str], typer.Option("--team", "-T", help="A team's agenda.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON: days, each with its items.")] = False,
) -> None:
    """Day by day: what is due, what starts, milestones and deadlines (announced ahead), chores, days off."""
    from planner.render.console import print_json
    from planner.services.agenda import agenda as build

    result = build(context(cli_ctx), first=parse_day(cli_ctx, first), days=days, user=user, team=team)
    if as_json:
        print_json(result.to_json())
        return
    typer.echo(f"Agenda of {result.who} from {result.first:%a %d %b %Y}")
    for agenda_day in result.days:
        typer.echo(f"\n{agenda_day.day:%a %d %b}")
        if not agenda_day.items:
            typer.echo("  –")
        for item in agenda_day.items:
            ref = f"#{item.task_id} " if item.task_id else ""
            where = f"  [{item.project}]" if item.project else ""
            when = f"{item.warning}: " if item.warning else ""
            label = item.kind.replace("_", " ")
            typer.echo(f"  {_MARKS.get(item.kind, '·')} {when}{label} {ref}{item.title}{where}")
