"""`planner load`: who is over-allocated, week by week."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from planner.cli.charts import NoChartOpt, SvgOpt, show_charts
from planner.cli.common import App, context, parse_day

app = App()


@app.command("load")
def load(
    cli_ctx: typer.Context,
    start: Annotated[Optional[str], typer.Option("--from", help="First week (default this week).")] = None,
    end: Annotated[Optional[str], typer.Option("--to", help="Last day (default four weeks on).")] = None,
    level: Annotated[bool, typer.Option("--level", help="By the leveled schedules (as `schedule --level`).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    svg: SvgOpt = None,
    no_chart: NoChartOpt = False,
) -> None:
    """Hours per person per week by the schedule (plus stream reservations) against capacity; '!' marks overload."""
    from planner.render.console import print_json, print_rows
    from planner.services.planning.workload import workload

    weeks = workload(context(cli_ctx), parse_day(cli_ctx, start), parse_day(cli_ctx, end), level=level)
    if as_json:
        print_json([week.to_json() for week in weeks])
        show_charts(lambda: _workload(weeks), svg=svg, no_chart=no_chart, as_json=True)
        return
    columns = sorted({week.week_start for week in weeks})
    people = sorted({week.person for week in weeks})
    cells = {(week.person, week.week_start): week for week in weeks}
    rows = []
    for person in people:
        row = [person]
        for column in columns:
            week = cells[(person, column)]
            reserved = f"+{week.reserved_hours:g}" if week.reserved_hours else ""
            row.append(f"{week.planned_hours:g}{reserved}/{week.capacity_hours:g}h" + (" !" if week.over else ""))
        rows.append(row)
    print_rows(rows, ["Person", *[f"wk {c:%m-%d}" for c in columns]])
    show_charts(lambda: _workload(weeks), svg=svg, no_chart=no_chart, as_json=False)


def _workload(weeks: list) -> list:
    from planner.render.charts.build import workload_chart

    return [workload_chart(weeks)] if weeks else []
