"""`planner recur ...`: recurring series — list, edit, end, skip an instance, materialize (cron)."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from planner.cli.common import App, context, parse_hours, parse_optional_day
from planner.render.console import plural

app = App(help="Recurring series: `planner add TITLE --recur RULE --policy POLICY` starts one.")
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
SeriesArg = Annotated[int, typer.Argument(help="Series id (`planner recur ls`).")]


def _show(info) -> None:  # noqa: ANN001
    state = "active" if info.active else ("waits for " + info.starts_after if info.starts_after else "ended")
    lines = [("Series", f"#{info.id} {info.title} ({info.project}, {state})"),
             ("Rule", f"{info.rule} ({info.policy})")]
    if info.until:
        lines.append(("Until", str(info.until)))
    if info.open_task_id:
        lines.append(("Open", f"#{info.open_task_id} due {info.next_due}"))
    if info.next_at:
        from planner.domain.clock import utc_to_local

        lines.append(("At", f"{info.next_at:%H:%M} {info.zone} (your time {utc_to_local(info.next_at):%Y-%m-%d %H:%M})"))
    if info.skipped:
        lines.append(("Skipped", ", ".join(info.skipped)))
    width = max(len(label) for label, _ in lines)
    for label, value in lines:
        typer.echo(f"{label:<{width}}  {value}")


@app.command("ls")
def list_series(
    cli_ctx: typer.Context,
    all_series: Annotated[bool, typer.Option("--all", help="Include ended series.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """List recurring series with their open instance."""
    from planner.render.console import print_json, print_rows
    from planner.services.tasks.recurrence import list_series as query

    found = query(context(cli_ctx), include_ended=all_series)
    if as_json:
        print_json([s.to_json() for s in found])
    elif not found:
        typer.echo("no recurring series: `planner add TITLE --recur \"every friday\"` starts one")
    else:
        print_rows([[str(s.id), s.title, s.project, s.policy, s.rule,
                     f"#{s.open_task_id} {s.next_due}" if s.open_task_id else
                     ("after " + s.starts_after if s.starts_after and not s.active else "")]
                    for s in found], ["ID", "Title", "Project", "Policy", "Rule", "Open"], {0})


@app.command("show")
def show(cli_ctx: typer.Context, series_id: SeriesArg, as_json: JsonOpt = False) -> None:
    """Show one series."""
    from planner.render.console import print_json
    from planner.services.tasks.recurrence import series_of

    info = series_of(context(cli_ctx), series_id)
    if as_json:
        print_json(info.to_json())
    else:
        _show(info)


@app.command("edit")
def edit(
    cli_ctx: typer.Context,
    series_id: SeriesArg,
    rule: Annotated[Optional[str], typer.Option("--recur", help="New rule (phrase or RRULE).")] = None,
    policy: Annotated[Optional[str], typer.Option("--policy", help="fixed, catch_up or after_completion.")] = None,
    until: Annotated[Optional[str], typer.Option("--until", help="Last date ('none' clears).")] = None,
    title: Annotated[Optional[str], typer.Option("--title", help="Title of the instances.")] = None,
    priority: Annotated[Optional[int], typer.Option("--priority", "-P", min=0, max=3, help="0 none .. 3 highest.")] = None,
    estimate: Annotated[Optional[str], typer.Option("--estimate", "-e", help="Effort of each instance.")] = None,
) -> None:
    """Change a series; its open instance takes the new title, priority and estimate."""
    from planner.services.tasks.recurrence import edit_series

    template: dict[str, object] = {}
    if title is not None:
        template["title"] = title
    if priority is not None:
        template["priority"] = priority
    if estimate is not None:
        template["estimate_hours"] = parse_hours(estimate)
    info = edit_series(context(cli_ctx), series_id, rule=rule, policy=policy, until=parse_optional_day(cli_ctx, until),
                       template=template or None)
    _show(info)


@app.command("end")
def end(
    cli_ctx: typer.Context,
    series_id: SeriesArg,
    drop_open: Annotated[bool, typer.Option("--drop-open", help="Also remove the open instance.")] = False,
) -> None:
    """End a series: no more instances."""
    from planner.services.tasks.recurrence import end_series

    info = end_series(context(cli_ctx), series_id, drop_open=drop_open)
    typer.echo(f"ended series #{info.id} {info.title}")


@app.command("skip")
def skip(
    cli_ctx: typer.Context, task_id: Annotated[int, typer.Argument(help="The instance (task id) to skip.")]
) -> None:
    """Skip one instance: it goes away and the next one is created."""
    from planner.services.tasks.recurrence import skip_instance

    following = skip_instance(context(cli_ctx), task_id)
    typer.echo(f"skipped #{task_id}" + (f"; next is #{following.id} due {following.due}" if following else
                                        "; the series has no dates left"))


@app.command("sync")
def sync(cli_ctx: typer.Context) -> None:
    """Make sure every active series has its open instance (safe from cron and several processes)."""
    from planner.services.tasks.recurrence import materialize

    created = materialize(context(cli_ctx))
    typer.echo(f"created {plural(len(created), 'instance')}" if created else "every series has its open instance")
