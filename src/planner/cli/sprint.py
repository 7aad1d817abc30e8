"""`planner sprint ...`: time boxes, their tasks and burndown."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from planner.cli.charts import NoChartOpt, SvgOpt, show_charts
from planner.cli.common import App, context, parse_day
from planner.render.console import plural

app = App(help="Sprints: time boxes of a project with a burndown.")

ProjectArg = Annotated[str, typer.Argument(help="Project key.")]
NameArg = Annotated[str, typer.Argument(help="Sprint name, e.g. 'Sprint 1'.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@app.command("add")
def add(
    cli_ctx: typer.Context,
    project: ProjectArg,
    name: NameArg,
    start: Annotated[str, typer.Option("--start", help="First day.")],
    end: Annotated[str, typer.Option("--end", help="Last day, read from --start: fri, eow, 2026-12-11, or a length: +2w, 10d.")],
) -> None:
    """Create a sprint."""
    from datetime import timedelta

    from planner.domain.dates import is_forward_offset, parse_date
    from planner.services.flow.sprints import add_sprint

    first_day = parse_day(cli_ctx, start)
    # The end is read from the start, not from today: `--start mon --end +2w` is two weeks long
    # (a length), `--end fri` is the Friday of the sprint's first week.
    last_day = parse_date(end, first_day)
    if is_forward_offset(end):
        last_day -= timedelta(days=1)
    sprint = add_sprint(context(cli_ctx), project, name, start=first_day, end=last_day)  # type: ignore[arg-type]
    typer.echo(f"created sprint {sprint.name!r} of {sprint.project}: {sprint.start} → {sprint.end}")


@app.command("plan")
def plan(
    cli_ctx: typer.Context,
    project: ProjectArg,
    name: NameArg,
    task_ids: Annotated[list[int], typer.Argument(help="Task ids.")],
    remove: Annotated[bool, typer.Option("--remove", help="Take them out instead.")] = False,
) -> None:
    """Put tasks into a sprint (or take them out)."""
    from planner.services.flow.sprints import plan_into_sprint

    sprint = plan_into_sprint(context(cli_ctx), project, name, task_ids, remove=remove)
    typer.echo(f"sprint {sprint.name!r}: {plural(sprint.tasks, 'task')}, {sprint.done} done")


@app.command("rm")
def remove(cli_ctx: typer.Context, project: ProjectArg, name: NameArg) -> None:
    """Delete a sprint; its tasks stay, outside any sprint (`planner undo` brings it back)."""
    from planner.services.flow.sprints import remove_sprint

    sprint = remove_sprint(context(cli_ctx), project, name)
    typer.echo(f"removed sprint {sprint.name!r} of {sprint.project}; its {sprint.tasks} task(s) are in no sprint now")


@app.command("ls")
def list_sprints(
    cli_ctx: typer.Context,
    project: Annotated[Optional[str], typer.Argument(help="Project key (default: all).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List sprints."""
    from planner.render.console import print_json, print_rows
    from planner.services.flow.sprints import list_sprints as query

    sprints = query(context(cli_ctx), project)
    if as_json:
        print_json([s.to_json() for s in sprints])
    elif not sprints:
        typer.echo("no sprints: `planner sprint add PROJECT NAME --start D --end D` creates one")
    else:
        print_rows([[s.project, s.name, str(s.start), str(s.end), str(s.tasks), str(s.done)] for s in sprints],
                   ["Project", "Sprint", "Start", "End", "Tasks", "Done"], {4, 5})


@app.command("show")
def show(cli_ctx: typer.Context, project: ProjectArg, name: NameArg, as_json: JsonOpt = False, svg: SvgOpt = None,
         no_chart: NoChartOpt = False) -> None:
    """A sprint's tasks and burndown (remaining estimate per working day)."""
    from planner.domain.clock import format_hours
    from planner.render.console import print_json, print_rows
    from planner.services.flow.sprints import sprint_report

    report = sprint_report(context(cli_ctx), project, name)
    if as_json:
        print_json(report.to_json())
        show_charts(lambda: _burndown(report), svg=svg, no_chart=no_chart, as_json=True)
        return
    sprint = report.sprint
    effort = (f"{format_hours(report.remaining_hours)} of {format_hours(report.total_hours)} left" if report.total_hours
              else "no estimates")
    typer.echo(f"{sprint.project} / {sprint.name}: {sprint.start} → {sprint.end}, {sprint.done} of "
               f"{plural(sprint.tasks, 'task')} done, {effort}")
    if report.tasks:
        print_rows([[str(t.id), t.title, t.status, format_hours(t.estimate_hours)] for t in report.tasks],
                   ["ID", "Task", "Status", "Estimate"], {0, 3})
    typer.echo("")
    peak = max([report.total_hours, 1e-9])
    rows = []
    for point in report.burndown:
        remaining = "" if point.remaining_hours is None else format_hours(point.remaining_hours)
        bar = "" if point.remaining_hours is None else "█" * round(20 * point.remaining_hours / peak)
        rows.append([point.day.strftime("%a %Y-%m-%d"), remaining, format_hours(point.ideal_hours), bar])
    print_rows(rows, ["Day", "Left", "Ideal", ""], {1, 2})
    show_charts(lambda: _burndown(report), svg=svg, no_chart=no_chart, as_json=False)


def _burndown(report: object) -> list:
    from planner.render.charts.build import burndown_chart

    return [burndown_chart(report)]
