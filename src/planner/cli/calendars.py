"""`planner calendar ...`: working days, hours, holidays and exceptions."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Optional

import typer

from planner.cli.common import App, context, fail, parse_day
from planner.render.console import plural

app = App(help="Calendars: working weekdays, hours per day, country holidays, exceptions.")


@app.command("add")
def add(
    cli_ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Calendar name.")],
    weekdays: Annotated[str, typer.Option("--weekdays", help="Working weekdays, e.g. mon-fri or mon,tue,thu.")] = "mon-fri",
    hours: Annotated[float, typer.Option("--hours", help="Working hours per day.")] = 8.0,
    country: Annotated[Optional[str], typer.Option("--country", help="Country holidays, e.g. DE, US, FR.")] = None,
) -> None:
    """Create a calendar."""
    from planner.services.people.calendars import add_calendar

    calendar = add_calendar(context(cli_ctx), name, weekdays=weekdays, hours_per_day=hours, country=country)
    typer.echo(f"created calendar {calendar.name}")


@app.command("edit")
def edit(
    cli_ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Calendar name.")],
    weekdays: Annotated[Optional[str], typer.Option("--weekdays", help="Working weekdays, e.g. mon-fri or mon,tue,thu.")] = None,
    hours: Annotated[Optional[float], typer.Option("--hours", help="Working hours per day.")] = None,
    country: Annotated[Optional[str], typer.Option("--country", help="Country code, or 'none'.")] = None,
) -> None:
    """Change a calendar."""
    from planner.services.people.calendars import edit_calendar

    if weekdays is None and hours is None and country is None:
        raise fail(f"nothing to change on calendar {name}: give --weekdays, --hours or --country", 2)
    edit_calendar(context(cli_ctx), name, weekdays=weekdays, hours_per_day=hours, country=country)
    typer.echo(f"updated calendar {name}")


@app.command("ls")
def list_calendars(cli_ctx: typer.Context,
                   as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List calendars."""
    from planner.render.console import print_json, print_rows
    from planner.services.people.calendars import list_calendars as query

    calendars = query(context(cli_ctx))
    if as_json:
        print_json([{"name": name, "weekdays": days, "hours_per_day": hours, "country": country}
                    for name, days, hours, country in calendars])
        return
    print_rows([[name, days, f"{hours:g}h", country or ""] for name, days, hours, country in calendars],
               ["Name", "Weekdays", "Hours", "Holidays"])


@app.command("show")
def show(
    cli_ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Calendar name.")] = "standard",
    start: Annotated[Optional[str], typer.Option("--from", help="First day (default today).")] = None,
    end: Annotated[Optional[str], typer.Option("--to", help="Last day (default 90 days on).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show a calendar's rules and its days off in a window."""
    from planner.services.people.calendars import show_calendar

    ctx = context(cli_ctx)
    first = parse_day(cli_ctx, start) or ctx.today()
    last = parse_day(cli_ctx, end) or first + timedelta(days=90)
    view = show_calendar(ctx, name, first, last)
    if as_json:
        from planner.render.console import print_json

        print_json({"name": view.name, "weekdays": list(view.weekdays), "hours_per_day": view.hours_per_day,
                    "country": view.country, "from": first.isoformat(), "to": last.isoformat(),
                    "days_off": [{"date": day.isoformat(), "reason": reason} for day, reason in view.days_off],
                    "extra_working_days": [day.isoformat() for day in view.extra_working_days]})
        return
    typer.echo(f"{view.name}: {', '.join(view.weekdays)}, {view.hours_per_day:g}h a day"
               + (f", holidays of {view.country}" if view.country else ""))
    for day, reason in view.days_off:
        typer.echo(f"  off  {day.isoformat()} {day:%a}  {reason}")
    for day in view.extra_working_days:
        typer.echo(f"  on   {day.isoformat()} {day:%a}  working day")


@app.command("off")
def day_off(
    cli_ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Calendar name.")],
    first: Annotated[str, typer.Argument(help="First day off.")],
    last: Annotated[Optional[str], typer.Argument(help="Last day off (default: the first).")] = None,
    note: Annotated[str, typer.Option("--note", help="Why (holiday, shutdown ...).")] = "",
) -> None:
    """Mark days off."""
    from planner.services.people.calendars import set_exception

    count = set_exception(context(cli_ctx), name, parse_day(cli_ctx, first), parse_day(cli_ctx, last), working=False, note=note)
    typer.echo(f"{plural(count, 'day')} off in {name}")


@app.command("on")
def day_on(
    cli_ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Calendar name.")],
    first: Annotated[str, typer.Argument(help="Extra working day.")],
    last: Annotated[Optional[str], typer.Argument(help="Last one (default: the first).")] = None,
    note: Annotated[str, typer.Option("--note", help="Why (stocktaking, a release ...).")] = "",
) -> None:
    """Mark extra working days (a working Saturday)."""
    from planner.services.people.calendars import set_exception

    count = set_exception(context(cli_ctx), name, parse_day(cli_ctx, first), parse_day(cli_ctx, last), working=True, note=note)
    typer.echo(f"{plural(count, 'working day')} added to {name}")


@app.command("use")
def use(
    cli_ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="Calendar name.")],
    project: Annotated[Optional[str], typer.Option("--project", "-p", help="Project key.")] = None,
    resource: Annotated[Optional[str], typer.Option("--resource", "-r", help="Person handle.")] = None,
) -> None:
    """Make a project or a person follow a calendar."""
    from planner.services.people.calendars import use_calendar

    use_calendar(context(cli_ctx), name, project=project, resource=resource)
    typer.echo(f"{project or resource} now follows {name}")
