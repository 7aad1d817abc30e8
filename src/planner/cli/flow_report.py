"""`planner report flow`: cumulative flow of a project's workflow states, with WIP and lead time."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from planner.cli.charts import NoChartOpt, SvgOpt, show_charts
from planner.cli.common import context, parse_day
from planner.cli.timer import report_app


@report_app.command("flow")
def flow_report(
    cli_ctx: typer.Context,
    project: Annotated[str, typer.Option("--project", "-p", help="Project key.")],
    start: Annotated[Optional[str], typer.Option("--from", help="First day (default four weeks ago).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    svg: SvgOpt = None,
    no_chart: NoChartOpt = False,
) -> None:
    """Tasks per workflow state each day (from the event log), WIP and lead time."""
    from planner.render.console import print_json, print_rows
    from planner.services.flow.cumulative import cumulative_flow

    report = cumulative_flow(context(cli_ctx), project, start=parse_day(cli_ctx, start))

    def charts() -> list:
        from planner.render.charts.build import flow_chart

        return [flow_chart(report)]

    if as_json:
        print_json(report.to_json())
        show_charts(charts, svg=svg, no_chart=no_chart, as_json=True)
        return
    typer.echo(f"{report.project}: flow from {report.start} to {report.end}")
    rows = []
    last = report.days[-1].counts if report.days else {}
    for state in report.states:
        limit = "" if state.wip_limit is None else str(state.wip_limit)
        rows.append([state.name, state.category, str(last.get(state.key, 0)), limit])
    print_rows(rows, ["State", "Category", "Tasks now", "WIP limit"], {2, 3})
    median, p85 = report.median_lead_time_days, report.p85_lead_time_days
    lead = f"lead time median {median:.1f} d, P85 {p85:.1f} d" if median is not None else "no task finished"
    typer.echo(f"WIP now {report.wip_now} (average {report.average_wip:.1f}); {report.finished} finished; {lead}")
    show_charts(charts, svg=svg, no_chart=no_chart, as_json=False)
