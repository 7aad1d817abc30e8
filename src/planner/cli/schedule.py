"""`planner schedule` and `planner gantt`: the project plan from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from planner.cli.charts import NoChartOpt, SvgOpt, show_charts
from planner.cli.common import App, context, fail, merged_alias, parse_day
from planner.cli.completion import complete_projects

app = App()
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
LevelOpt = Annotated[bool, typer.Option("--level", help="Level resources: nobody above capacity on any day.")]
DateOpt = Annotated[Optional[str], typer.Option("--date", help="Status date: unfinished work starts no earlier (default today).")]
FromAlias = Annotated[Optional[str], typer.Option("--from", hidden=True, help="Old spelling of --date.")]


@app.command("schedule")
def schedule(
    cli_ctx: typer.Context,
    key: Annotated[Optional[str], typer.Argument(help="Project key (or --all).", autocompletion=complete_projects)] = None,
    level: LevelOpt = False,
    status_date: DateOpt = None,
    status_date_alias: FromAlias = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the leveler's sampling.")] = 0,
    every: Annotated[bool, typer.Option("--all", help="Every active project, in portfolio order (priority, key).")] = False,
    as_json: JsonOpt = False,
) -> None:
    """A project's schedule: start, finish, slack and critical tasks (--level: against the whole portfolio)."""
    from planner.render.console import print_json
    from planner.services.planning.schedule import schedule_project

    status_date = merged_alias(status_date, status_date_alias, "--date")
    if every == (key is not None):
        raise fail("give a project key or --all (not both)", 2)
    if every:
        from planner.services.planning.schedule import plan_portfolio

        plan = plan_portfolio(context(cli_ctx), level=level, status_date=parse_day(cli_ctx, status_date), seed=seed)
        for warning in plan.warnings:
            typer.echo(f"warning: {warning}", err=True)
        if as_json:
            print_json(plan.to_json())
            return
        for index, result in enumerate(plan.schedules):
            if index:
                typer.echo("")
            _print_schedule(result)
        return
    assert key is not None
    result = schedule_project(context(cli_ctx), key, level=level, status_date=parse_day(cli_ctx, status_date), seed=seed)
    for warning in result.warnings:
        typer.echo(f"warning: {warning}", err=True)
    if as_json:
        print_json(result.to_json())
        return
    _print_schedule(result)


def _print_schedule(result: object) -> None:
    """One schedule as a table under its summary line."""
    from planner.render.console import console, fancy, print_rows
    from planner.services.planning.schedule import ProjectSchedule

    assert isinstance(result, ProjectSchedule)
    header = ["ID", "Task", "Start", "Finish", "Days", "Slack", "Crit"]
    cells = [[str(t.id), ("◆ " if t.kind == "milestone" else "") + t.title, t.start.isoformat(), t.finish.isoformat(),
              str(t.duration_days), str(t.slack), "*" if t.critical else ""] for t in result.tasks]
    summary = (f"{result.key}: {result.start} → {result.finish}, {_days(result.makespan_days)}"
               + (f", deadline {result.deadline}" if result.deadline else "") + (" (leveled)" if result.leveled else ""))
    if fancy():
        from rich import box
        from rich.table import Table

        table = Table(box=box.SIMPLE_HEAD, show_edge=False, title=summary, title_justify="left")
        for name in header:
            table.add_column(name, justify="right" if name in ("ID", "Days", "Slack") else "left")
        for task, row in zip(result.tasks, cells):
            style = "green" if task.done else "bold red" if task.critical else ""
            table.add_row(*row, style=style)
        console().print(table)
    else:
        typer.echo(summary)
        print_rows(cells, header, {0, 4, 5})


@app.command("gantt")
def gantt(
    cli_ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Project key.", autocompletion=complete_projects)],
    width: Annotated[int, typer.Option("--width", help="Columns in all (default: the terminal's).")] = 0,
    level: LevelOpt = False,
    status_date: DateOpt = None,
    status_date_alias: FromAlias = None,
    svg: Annotated[Optional[Path], typer.Option("--svg", help="Write an SVG file instead.")] = None,
    html: Annotated[Optional[Path], typer.Option("--html", help="Write an HTML file instead.")] = None,
    arrows: Annotated[Optional[bool], typer.Option(
        "--arrows/--no-arrows", help="Draw dependency arrows (default: in SVG and HTML, not in the terminal).")] = None,
) -> None:
    """A static Gantt chart (terminal, SVG or HTML)."""
    from rich.console import Console

    from planner.render.console import fancy
    from planner.render.gantt import render_gantt
    from planner.services.planning.schedule import schedule_project

    ctx = context(cli_ctx)
    status_date = merged_alias(status_date, status_date_alias, "--date")
    result = schedule_project(ctx, key, level=level, status_date=parse_day(cli_ctx, status_date))
    if svg or html:
        from planner.render.gantt_svg import gantt_html, gantt_svg
        from planner.services.output import write_output

        drawn = arrows is not False  # a vector drawing keeps thin arrows readable: on unless --no-arrows
        written = []
        if svg:
            written.append(write_output(svg, gantt_svg(result, today=ctx.today(), arrows=drawn), what="SVG file"))
        if html:
            written.append(write_output(html, gantt_html(result, today=ctx.today(), arrows=drawn), what="HTML file"))
        typer.echo(f"wrote {' and '.join(str(path) for path in written)}")
        return
    colour = fancy()
    out = Console(highlight=False, no_color=not colour, width=width or None)
    out.print(render_gantt(result, width=out.width, today=ctx.today(), color=colour and out.is_terminal,
                           arrows=bool(arrows)))


@app.command("forecast")
def forecast(
    cli_ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Project key.", autocompletion=complete_projects)],
    runs: Annotated[int, typer.Option("--runs", help="Monte Carlo runs.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same answer).")] = 0,
    as_json: JsonOpt = False,
    svg: SvgOpt = None,
    no_chart: NoChartOpt = False,
) -> None:
    """P50 / P85 finish of the project and its milestones, and the chance of meeting deadlines."""
    from planner.render.console import print_json, print_rows
    from planner.services.planning.plan import forecast_project

    from planner.render.charts.build import forecast_charts

    result = forecast_project(context(cli_ctx), key, runs=runs, seed=seed)
    if as_json:
        print_json(result.to_json())
        show_charts(lambda: forecast_charts(result), svg=svg, no_chart=no_chart, as_json=True)
        return
    rows = []
    for item in [result.finish, *result.milestones]:
        chance = f"{item.on_time_probability:.0%}" if item.on_time_probability is not None else ""
        rows.append([item.title if item.task_id is None else f"◆ {item.title}", item.planned_finish.isoformat(),
                     item.p50.isoformat(), item.p85.isoformat(), item.deadline.isoformat() if item.deadline else "",
                     chance])
    typer.echo(f"{result.project}: {result.runs} runs, seed {result.seed}"
               + (f", calibrated by {', '.join(result.calibrated_people)}" if result.calibrated_people else ""))
    print_rows(rows, ["", "Planned", "P50", "P85", "Deadline", "On time"])
    show_charts(lambda: forecast_charts(result), svg=svg, no_chart=no_chart, as_json=False)


baseline_app = App(help="Baselines: save the plan, compare reality with it.")
app.add_typer(baseline_app, name="baseline")


@baseline_app.command("save")
def baseline_save(
    cli_ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Project key.", autocompletion=complete_projects)],
    name: Annotated[Optional[str], typer.Option("--name", help="Baseline name.")] = None,
) -> None:
    """Save the current schedule as a baseline."""
    from planner.services.planning.plan import save_baseline

    baseline = save_baseline(context(cli_ctx), key, name=name)
    typer.echo(f"saved {baseline.name!r} for {key}")


@baseline_app.command("diff")
def baseline_diff(
    cli_ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Project key.", autocompletion=complete_projects)],
    name: Annotated[Optional[str], typer.Option("--name", help="Baseline name (default: the latest).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Slip of each task and milestone against a baseline, in working days."""
    from planner.render.console import print_json, print_rows
    from planner.services.planning.plan import diff_baseline

    diff = diff_baseline(context(cli_ctx), key, name=name)
    if as_json:
        print_json(diff.to_json())
        return
    typer.echo(f"against {diff.baseline!r} ({diff.saved_at}): project finish "
               f"{_slip_text(diff.project_finish_slip_days)}")
    print_rows([[str(s.task_id), ("◆ " if s.kind == "milestone" else "") + s.title,
                 s.baseline_finish.isoformat() if s.baseline_finish else "new", s.finish.isoformat(),
                 _slip_text(s.finish_slip_days)] for s in diff.slips],
               ["ID", "Task", "Baseline", "Now", "Slip"], {0})


@baseline_app.command("ls")
def baseline_ls(
    cli_ctx: typer.Context,
    key: Annotated[Optional[str], typer.Argument(help="Project key (default: every project).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """List saved baselines: project, name, when taken, how many tasks."""
    from planner.render.console import print_json, print_rows
    from planner.services.planning.baselines import list_baselines

    found = list_baselines(context(cli_ctx), key)
    if as_json:
        print_json([baseline.to_json() for baseline in found])
        return
    if not found:
        typer.echo(f"no baselines{' for ' + key if key else ''}: `planner baseline save KEY` saves one")
        return
    print_rows([[b.project, b.name, b.taken_at.strftime("%Y-%m-%d %H:%M"), str(b.task_count)] for b in found],
               ["Project", "Name", "Taken", "Tasks"], {3})


@baseline_app.command("rm")
def baseline_rm(
    cli_ctx: typer.Context,
    key: Annotated[str, typer.Argument(help="Project key.")],
    name: Annotated[str, typer.Argument(help="Baseline name (`planner baseline ls` lists them).")],
) -> None:
    """Remove a saved baseline (`planner undo` brings it back)."""
    from planner.services.planning.baselines import remove_baseline

    removed = remove_baseline(context(cli_ctx), key, name)
    typer.echo(f"removed baseline {removed.name!r} of {removed.project} ({removed.task_count} tasks)")


def _slip_text(days: int | None) -> str:
    if days is None:
        return ""
    return "on plan" if days == 0 else f"{days:+d} working day{'s' if abs(days) != 1 else ''}"


def _days(count: int) -> str:
    return f"{count} working day{'s' if count != 1 else ''}"
