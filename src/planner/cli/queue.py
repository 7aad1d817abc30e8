"""`planner queue` (what to do today) and `planner plan pin|order|unpin|clear` (today's own order).

`queue` is a hot read command: it imports neither SQLAlchemy nor SQLModel.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from planner.cli.common import App, context, parse_day
from planner.cli.completion import complete_handles, complete_task_ids
from planner.render.console import plural

app = App()
plan_app = App(help="Your plan for the day: pinned tasks lead the queue, in your order, until the day ends.")

DateOpt = Annotated[Optional[str], typer.Option("--date", help="The day (default today).")]
UserOpt = Annotated[Optional[str], typer.Option("--user", "-u", help="Whose plan (default: you).",
                                                  autocompletion=complete_handles)]
IdsArg = Annotated[list[int], typer.Argument(help="Task ids.", autocompletion=complete_task_ids)]


@app.command("queue")
def queue(
    cli_ctx: typer.Context,
    user: Annotated[Optional[str], typer.Option("--user", "-u", help="Whose queue (default: you).",
                                                                 autocompletion=complete_handles)] = None,
    team: Annotated[Optional[str], typer.Option("--team", "-T", help="Every member's queue, each entry with its person.")] = None,
    day: DateOpt = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Show at most N entries per person (0 = all).")] = 50,
    explain: Annotated[bool, typer.Option("--explain", help="Show each factor of each score.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON: score, factors and whether each entry fits.")] = False,
) -> None:
    """Today's ranked queue, cut at the hours you have left."""
    from planner.render import queue as render
    from planner.render.console import fancy, print_json
    from planner.services.queue.daily import daily_queue

    ctx = context(cli_ctx)
    # As `ls`: a page by default, every entry in JSON unless a limit is given.
    shown = None if as_json and limit == 50 else (limit or None)
    result = daily_queue(ctx, person=user, team=team, day=parse_day(cli_ctx, day), limit=shown)
    if as_json:
        print_json(result.to_json())
    elif fancy():
        from planner.render.console import console

        for person_queue in result.queues:
            console().print(render.rich_table(person_queue, result.day, explain=explain,
                                              with_person=result.team is not None))
    else:
        typer.echo("\n".join(render.plain(result, result.day, explain=explain)))


def _echo_plan(pinned: list[int]) -> None:
    typer.echo("today's plan: " + (" ".join(f"#{task_id}" for task_id in pinned) if pinned else "(empty)"))


@plan_app.command("pin")
def pin(cli_ctx: typer.Context, task_ids: IdsArg, day: DateOpt = None, user: UserOpt = None) -> None:
    """Pin tasks at the top of the day's queue (ahead of earlier pins)."""
    from planner.services.queue.daily import pin as service

    _echo_plan(service(context(cli_ctx), task_ids, day=parse_day(cli_ctx, day), person=user))
    _warn_hidden(cli_ctx, task_ids)


def _warn_hidden(cli_ctx: typer.Context, task_ids: list[int]) -> None:
    """Say which pinned tasks the queue cannot show yet (blocked or snoozed), so a pin never silently vanishes."""
    from planner.services.queries import list_tasks

    ids = ",".join(str(task_id) for task_id in task_ids)
    for reason in ("blocked", "snoozed"):
        hidden = list_tasks(context(cli_ctx), [f"id:{ids}", f"+{reason}"], limit=None).tasks
        for task in hidden:
            typer.echo(f"note: #{task.id} is {reason}; it shows in the queue once it is not", err=True)


@plan_app.command("order")
def order(cli_ctx: typer.Context, task_ids: IdsArg, day: DateOpt = None, user: UserOpt = None) -> None:
    """Set the day's order: these tasks first, in this order (replaces the plan)."""
    from planner.services.queue.daily import order as service

    _echo_plan(service(context(cli_ctx), task_ids, day=parse_day(cli_ctx, day), person=user))
    _warn_hidden(cli_ctx, task_ids)


@plan_app.command("unpin")
def unpin(cli_ctx: typer.Context, task_ids: IdsArg, day: DateOpt = None, user: UserOpt = None) -> None:
    """Take tasks out of the day's plan."""
    from planner.services.queue.daily import unpin as service

    _echo_plan(service(context(cli_ctx), task_ids, day=parse_day(cli_ctx, day), person=user))


@plan_app.command("clear")
def clear(cli_ctx: typer.Context, day: DateOpt = None, user: UserOpt = None) -> None:
    """Forget the day's plan: the queue is ranked again."""
    from planner.services.queue.daily import clear as service

    dropped = service(context(cli_ctx), day=parse_day(cli_ctx, day), person=user)
    typer.echo(f"cleared {plural(dropped, 'pin')}")
