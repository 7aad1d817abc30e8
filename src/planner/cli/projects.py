"""`planner project ...`: projects and streams."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from planner.cli.charts import NoChartOpt, SvgOpt, show_charts
from planner.cli.common import App, context, fail, merged_alias, parse_day
from planner.cli.completion import complete_projects
from planner.render.console import plural

app = App(help="Projects (with a plan) and streams (ongoing work).")
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _percent(text: str | None) -> float:
    from planner.domain.errors import InvalidInputError

    if text is None:
        return 0.0
    try:
        return float(text.strip().rstrip("%"))
    except ValueError:
        raise InvalidInputError(f"reservation {text!r}: give a share of capacity such as 20%") from None


@app.command("add")
def add(
    cli_ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Short key used on the command line, e.g. web.")],
    name: Annotated[Optional[str], typer.Option("--name", help="Display name.")] = None,
    start: Annotated[Optional[str], typer.Option("--start", help="Start date.")] = None,
    deadline: Annotated[Optional[str], typer.Option("--deadline", help="Deadline.")] = None,
    stream: Annotated[bool, typer.Option("--stream", help="Ongoing work (no end, no Gantt).")] = False,
    reserve: Annotated[Optional[str], typer.Option("--reserve", help="Share of its people's capacity a stream keeps, e.g. 20%.")] = None,
) -> None:
    """Create a project or stream."""
    from planner.services.planning.projects import add_project

    project = add_project(context(cli_ctx), key, name=name, kind="stream" if stream else "project",
                          start=parse_day(cli_ctx, start), deadline=parse_day(cli_ctx, deadline), reserve_percent=_percent(reserve))
    typer.echo(f"created {project.kind} {project.key}")


@app.command("ls")
def list_projects(
    cli_ctx: typer.Context,
    archived: Annotated[bool, typer.Option("--archived", help="Include archived ones.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """List projects and streams."""
    from planner.render.console import console, fancy, print_json
    from planner.services.queries import list_projects as query

    projects = query(context(cli_ctx), include_archived=archived)
    if as_json:
        print_json([project.to_json() for project in projects])
        return
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD if fancy() else None, show_edge=False, pad_edge=False)
    for column in ("Key", "Name", "Kind", "Prio", "Start", "Deadline", "Open", "Done"):
        table.add_column(column, justify="right" if column in ("Prio", "Open", "Done") else "left")
    for project in projects:
        table.add_row(project.key, project.name, project.kind + (" (archived)" if project.archived else ""),
                      str(project.priority) if project.kind == "project" else "",
                      project.start.isoformat() if project.start else "",
                      project.deadline.isoformat() if project.deadline else "",
                      str(project.open_tasks), str(project.done_tasks))
    console().print(table)


@app.command("show")
def show(
    cli_ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Project key.", autocompletion=complete_projects)],
    at: Annotated[Optional[str], typer.Option("--date", help="Status date of the earned value (default today).")] = None,
    at_alias: Annotated[Optional[str], typer.Option("--at", hidden=True, help="Old spelling of --date.")] = None,
    as_json: JsonOpt = False,
    svg: SvgOpt = None,
    no_chart: NoChartOpt = False,
) -> None:
    """Where a project stands: progress, earned value, slip, critical path, forecast."""
    at = merged_alias(at, at_alias, "--date")
    from planner.render.console import print_json
    from planner.services.queries import get_project

    ctx = context(cli_ctx)
    project = get_project(ctx, key)
    progress = None
    if project.kind == "project" and project.open_tasks + project.done_tasks:
        from planner.services.planning.progress import project_progress

        progress = project_progress(ctx, key, at=parse_day(cli_ctx, at))
    if as_json:
        data = project.to_json()
        if progress:
            data.update(progress.to_json())
        print_json(data)
        show_charts(lambda: _value_charts(ctx, progress), svg=svg, no_chart=no_chart, as_json=True)
        return
    lines = [("Project", f"{project.key} — {project.name} ({project.kind})"),
             ("Tasks", f"{project.open_tasks} open, {project.done_tasks} done")]
    if project.kind == "project":
        lines.append(("Priority", f"{project.priority} (portfolio leveling books people for higher priorities first)"))
    if project.reserve_percent:
        lines.append(("Reserves", f"{project.reserve_percent:g}% of its people's capacity"))
    if progress:
        plan = progress.schedule
        lines.append(("Plan", f"{plan.start} → {plan.finish} ({plural(plan.makespan_days, 'working day')})"
                      + (f", deadline {plan.deadline}" if plan.deadline else "")))
        lines.append(("Complete", f"{progress.percent_complete:g}% of the effort"))
        spi = progress.schedule_performance_index
        lines.append(("Earned value", f"PV {progress.planned_value_hours:g}h, EV {progress.earned_value_hours:g}h"
                      + (f", SPI {spi:.2f}" if spi is not None else "") + f" at {progress.at}"))
        if progress.baseline:
            slip = progress.finish_slip_days or 0
            lines.append(("Baseline", f"{progress.baseline!r}: finish {slip:+d} working day{'' if abs(slip) == 1 else 's'}"))
        for milestone in progress.milestones:
            lines.append(("Milestone", f"◆ {milestone.title} {milestone.finish} ({milestone.percent_complete:g}% done, "
                          f"slack {milestone.slack})"))
        if plan.critical_path:
            lines.append(("Critical path", " → ".join(f"#{task_id}" for task_id in plan.critical_path)))
        if progress.forecast:
            finish = progress.forecast.finish
            chance = (f", {finish.on_time_probability:.0%} chance to meet the deadline"
                      if finish.on_time_probability is not None else "")
            lines.append(("Forecast", f"P50 {finish.p50}, P85 {finish.p85}{chance}"))
    if project.archived:
        lines.append(("Archived", "yes"))
    width = max(len(label) for label, _ in lines)
    for label, value in lines:
        typer.echo(f"{label:<{width}}  {value}")
    show_charts(lambda: _value_charts(ctx, progress), svg=svg, no_chart=no_chart, as_json=False)


def _value_charts(ctx: object, progress: object) -> list:
    """Earned value over time (when the project has a plan)."""
    if progress is None:
        return []
    from planner.render.charts.build import value_chart
    from planner.services.planning.value_history import value_history

    return [value_chart(progress, value_history(ctx, progress))]  # type: ignore[arg-type]


@app.command("edit")
def edit(
    cli_ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Project key.", autocompletion=complete_projects)],
    name: Annotated[Optional[str], typer.Option("--name", help="Display name.")] = None,
    start: Annotated[Optional[str], typer.Option("--start", help="Start date.")] = None,
    deadline: Annotated[Optional[str], typer.Option("--deadline", help="Deadline ('none' clears).")] = None,
    reserve: Annotated[Optional[str], typer.Option("--reserve", help="Share of its people's capacity a stream keeps, e.g. 20%.")] = None,
    priority: Annotated[Optional[int], typer.Option("--priority", help="Portfolio priority: higher books shared people first (default 0).")] = None,
) -> None:
    """Change a project's name, dates, reservation or portfolio priority."""
    from planner.services.planning.projects import edit_project

    changes: dict[str, object] = {}
    if name is not None:
        changes["name"] = name
    if start is not None:
        changes["start"] = parse_day(cli_ctx, start)
    if deadline is not None:
        changes["deadline"] = None if deadline.lower() == "none" else parse_day(cli_ctx, deadline)
    if reserve is not None:
        changes["reserve_percent"] = _percent(reserve)
    if priority is not None:
        changes["priority"] = priority
    if not changes:
        raise fail(f"nothing to change on {key}: give --name, --start, --deadline, --reserve or --priority", 2)
    edit_project(context(cli_ctx), key, **changes)
    typer.echo(f"updated {key}")


@app.command("archive")
def archive(
    cli_ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Project key.", autocompletion=complete_projects)],
    undo: Annotated[bool, typer.Option("--unarchive", help="Bring it back.")] = False,
) -> None:
    """Archive a project (hide it from lists)."""
    from planner.services.planning.projects import archive_project

    archive_project(context(cli_ctx), key, archived=not undo)
    typer.echo(f"{'unarchived' if undo else 'archived'} {key}")


@app.command("complete")
def complete(
    cli_ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Project key.", autocompletion=complete_projects)],
    handoff: Annotated[Optional[str], typer.Option("--handoff", help="Stream that takes over its open tasks and chores.")] = None,
    archive: Annotated[bool, typer.Option("--archive", help="Also hide the project from lists.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Mark a project complete; --handoff moves its open tasks into a stream and starts its follow-up chores."""
    from planner.render.console import plural, print_json
    from planner.services.flow.streams import complete_project

    result = complete_project(context(cli_ctx), key, handoff=handoff, archive=archive)
    if as_json:
        print_json(result.to_json())
        return
    typer.echo(f"completed {result.project}")
    if result.moved_task_ids:
        ids = " ".join(f"#{task_id}" for task_id in result.moved_task_ids)
        typer.echo(f"handed {plural(len(result.moved_task_ids), 'open task')} to {result.handoff}: {ids}")
    for series in result.started:
        first = f": #{series.first_task_id} due {series.first_due}" if series.first_task_id else " (no dates left)"
        typer.echo(f"started recurring {series.title!r}{first}")
