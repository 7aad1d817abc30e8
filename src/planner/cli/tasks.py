"""Task commands: add, ls, show, edit, start, done, rm, assign, tag, undo."""


from typing import Annotated, Any, Optional

import typer

from planner.cli.common import App, context, fail, merged_alias, parse_day, parse_days, parse_hours, parse_optional_day
from planner.cli.selection import AtOpt, IdsArg, WhereOpt, YesOpt, confirm, parse_moment, select, split_last, split_leading_ids
from planner.cli.completion import (
    complete_filter, complete_handles, complete_ids_then_handles, complete_ids_then_tags, complete_projects, complete_tags,
    complete_task_ids,
)

app = App()

ProjectOpt = Annotated[Optional[str], typer.Option("--project", "-p", help="Project or stream key.",
                                                  autocompletion=complete_projects)]
DueOpt = Annotated[Optional[str], typer.Option("--due", "-d", help="Due date: 2026-12-01, fri, +3d, eow ... ('none' clears).")]
StartOpt = Annotated[Optional[str], typer.Option("--start", help="Start no earlier than this date ('none' clears).")]
EstimateOpt = Annotated[Optional[str], typer.Option("--estimate", "-e", help="Effort: 90m, 3h, 2d.")]
DurationOpt = Annotated[Optional[str], typer.Option("--duration", help="Duration in working days: 3, 3d, 2w.")]
PriorityOpt = Annotated[Optional[int], typer.Option("--priority", "-P", min=0, max=3, help="0 none .. 3 highest.")]
TagOpt = Annotated[Optional[list[str]], typer.Option("--tag", "-t", help="Tag (repeatable).", autocompletion=complete_tags)]
AssignOpt = Annotated[Optional[list[str]], typer.Option("--assign", "-a", help="Person handle (repeatable; `planner resource add` adds people).",
                                                         autocompletion=complete_handles)]
AfterOpt = Annotated[Optional[list[int]], typer.Option("--after", help="Finish-to-start predecessor id (repeatable).",
                                                     autocompletion=complete_task_ids)]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
VersionOpt = Annotated[Optional[int], typer.Option("--if-version", help="Refuse if the task's version differs (stale edit guard).")]
ThreePointOpt = Annotated[Optional[str], typer.Option("--three-point", help="Optimistic/likely/pessimistic days, e.g. 2/3/6.")]


def _three_point(text: str | None) -> tuple[float, float, float] | None:
    from planner.domain.errors import InvalidInputError

    if text is None:
        return None
    parts = text.replace(",", "/").split("/")
    try:
        optimistic, likely, pessimistic = (float(part) for part in parts)
    except ValueError:
        raise InvalidInputError(f"three-point estimate {text!r}: give optimistic/likely/pessimistic days, e.g. 2/3/6") from None
    return optimistic, likely, pessimistic


def _refuse_unknown_options(click_context: typer.Context, terms: list[str]) -> None:
    """``ls --al`` is a usage error, not a search for "--al" (``-tag`` stays a filter term)."""
    try:
        from typer._click.exceptions import NoSuchOption  # Typer 0.2x vendors Click
    except ImportError:  # older Typer depends on Click itself
        from click.exceptions import NoSuchOption  # type: ignore[no-redef]

    for term in terms:
        if term.startswith("--") and len(term) > 2:
            from difflib import get_close_matches

            name = term.split("=", 1)[0]
            known = [opt for param in click_context.command.params for opt in param.opts if opt.startswith("--")]
            raise NoSuchOption(name, possibilities=get_close_matches(name, known, n=1), ctx=click_context)


@app.command("add")
def add(
    cli_ctx: typer.Context,
    title: Annotated[list[str], typer.Argument(help="What to do (words are joined).")],
    project: ProjectOpt = None,
    due: DueOpt = None,
    start: StartOpt = None,
    estimate: EstimateOpt = None,
    duration: DurationOpt = None,
    priority: PriorityOpt = 0,
    tag: TagOpt = None,
    assign: AssignOpt = None,
    after: AfterOpt = None,
    milestone: Annotated[bool, typer.Option("--milestone", help="A zero-duration milestone.")] = False,
    parent: Annotated[Optional[int], typer.Option("--parent", help="Summary task this one belongs to.")] = None,
    three_point: ThreePointOpt = None,
    notes: Annotated[str, typer.Option("--note", help="Free-form notes.")] = "",
    notes_alias: Annotated[Optional[str], typer.Option("--notes", hidden=True, help="Old spelling of --note.")] = None,
    recur: Annotated[Optional[str], typer.Option("--recur", help="Repeat: daily, weekdays, 'every friday', 'every 2 weeks', 'monthly on the 1st', 'last friday of the month', or an RRULE.")] = None,
    policy: Annotated[Optional[str], typer.Option("--policy", help="Next date of a recurring task: fixed (+), catch_up (++) or after_completion (.+).")] = None,
    until: Annotated[Optional[str], typer.Option("--until", help="Last date of a recurring series.")] = None,
    starts_after: Annotated[Optional[str], typer.Option("--starts-after", help="Start the series when this project completes (hand-over chores).")] = None,
    at: Annotated[Optional[str], typer.Option("--at", help="Time of day of a recurring task, HH:MM (kept across DST).")] = None,
    tz: Annotated[Optional[str], typer.Option("--tz", help="Time zone of --at, e.g. Europe/Berlin (default: this machine's).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Add a task; prints its id (or the task as JSON)."""
    from planner.render.console import error_console, print_json
    from planner.services.queries import get_task
    from planner.services.tasks.operations import TaskDraft, add_task

    ctx = context(cli_ctx)
    notes = merged_alias(notes or None, notes_alias, "--note") or ""
    estimates = _three_point(three_point)
    draft = TaskDraft(
        title=" ".join(title), project=project, notes=notes, milestone=milestone, priority=priority or 0,
        estimate_hours=parse_hours(estimate), duration_days=parse_days(duration),
        start_no_earlier=parse_day(cli_ctx, start), due=parse_day(cli_ctx, due), tags=tag or [], assignees=assign or [],
        after=after or [], parent_id=parent,
        optimistic_days=estimates[0] if estimates else None, likely_days=estimates[1] if estimates else None,
        pessimistic_days=estimates[2] if estimates else None,
        recur=recur, policy=policy, recur_until=parse_day(cli_ctx, until), starts_after=starts_after, recur_at=at,
        recur_zone=tz,
    )
    result = add_task(ctx, draft)
    if result.created_project:
        error_console().print(f"created project {result.created_project!r}")
    if recur is not None and result.task_id is not None:
        task = get_task(ctx, result.task_id)
        from planner.services.queries import get_project

        if get_project(ctx, task.project).kind == "project":  # chores in a plan get a bar; say so once, here
            error_console().print(f"note: {task.project} is a project, so its open instance is planned like any task "
                                  "(a bar in the Gantt); chores usually live in a stream (`project add KEY --stream`)")
    if result.task_id is None:
        typer.echo(f"series #{result.series_id} starts when project {starts_after} completes")
        return
    if due is not None:
        _warn_broken_promises(ctx, result.task_id)
    if as_json:
        print_json(get_task(ctx, result.task_id).to_json())
    else:
        typer.echo(result.task_id)


@app.command("ls", context_settings={"ignore_unknown_options": True})
def list_tasks(
    cli_ctx: typer.Context,
    terms: Annotated[Optional[list[str]], typer.Argument(help="Filter: project:web +docs -blocked due.before:fri assignee:me ...",
                                                              autocompletion=complete_filter)] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="Show at most N tasks (0 = all).")] = 50,
    as_json: JsonOpt = False,
) -> None:
    """List open tasks, soonest due first (a filter narrows them)."""
    from planner.render import tasks as render
    from planner.render.console import console, fancy, print_json, print_rows
    from planner.services.queries import list_tasks as query

    _refuse_unknown_options(cli_ctx, terms or [])
    ctx = context(cli_ctx)
    result = query(ctx, terms or [], limit=None if as_json and limit == 50 else (limit or None))
    if as_json:
        print_json([task.to_json() for task in result.tasks])
    elif not result.tasks:
        typer.echo("no matching tasks")
    elif fancy():
        console().print(render.task_table(result.tasks, ctx.today(), total=result.total))
    else:
        print_rows([render.task_cells(task, ctx.today()) for task in result.tasks], render.TASK_HEADER, {0, 5})
        note = render.footer(len(result.tasks), result.total)
        if note:
            typer.echo(note)


@app.command("show")
def show(
    cli_ctx: typer.Context, task_id: Annotated[int, typer.Argument(help="Task id.", autocompletion=complete_task_ids)], as_json: JsonOpt = False
) -> None:
    """Show one task with its links and history."""
    from planner.render import tasks as render
    from planner.render.console import console, fancy, print_json, print_rows
    from planner.services.queries import task_detail

    ctx = context(cli_ctx)
    detail = task_detail(ctx, task_id)
    if as_json:
        print_json(detail.to_json())
    elif fancy():
        console().print(render.detail_table(detail, ctx.today()))
    else:
        print_rows([list(pair) for pair in render.detail_fields(detail, ctx.today())])


@app.command("edit")
def edit(
    cli_ctx: typer.Context,
    task_ids: IdsArg = None,
    title: Annotated[Optional[str], typer.Option("--title", help="New title.")] = None,
    project: ProjectOpt = None,
    due: DueOpt = None,
    start: StartOpt = None,
    estimate: EstimateOpt = None,
    duration: DurationOpt = None,
    priority: PriorityOpt = None,
    tag: TagOpt = None,
    untag: Annotated[Optional[list[str]], typer.Option("--untag", help="Remove a tag (repeatable).", autocompletion=complete_tags)] = None,
    assign: AssignOpt = None,
    unassign: Annotated[Optional[list[str]], typer.Option("--unassign", help="Remove a person (repeatable).",
                                                                         autocompletion=complete_handles)] = None,
    after: AfterOpt = None,
    milestone: Annotated[Optional[bool], typer.Option("--milestone/--task", help="Make it a milestone or a task.")] = None,
    parent: Annotated[Optional[int], typer.Option("--parent", help="Summary task id (0 clears).")] = None,
    status: Annotated[Optional[str], typer.Option("--status", "-s", help="Workflow state key.")] = None,
    percent: Annotated[Optional[int], typer.Option("--percent", min=0, max=100, help="Percent done.")] = None,
    three_point: ThreePointOpt = None,
    notes: Annotated[Optional[str], typer.Option("--note", help="Replace the notes.")] = None,
    notes_alias: Annotated[Optional[str], typer.Option("--notes", hidden=True, help="Old spelling of --note.")] = None,
    if_version: VersionOpt = None,
    where: WhereOpt = None,
    yes: YesOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Change tasks (ids, lists, ranges or --where); only the options given change (none, on one task: edit it
    as a form in $VISUAL/$EDITOR)."""
    from planner.render.console import print_json
    from planner.services.queries import get_task
    from planner.services.tasks.bulk import edit_tasks

    ctx = context(cli_ctx)
    selection = select(cli_ctx, task_ids, where, if_version)
    ids = selection.ids
    notes = merged_alias(notes, notes_alias, "--note")
    changes: dict[str, object] = {}
    if title is not None:
        changes["title"] = title
    for name, value in (("due", parse_optional_day(cli_ctx, due)),
                        ("start_no_earlier", parse_optional_day(cli_ctx, start))):
        if value is not ...:
            changes[name] = value
    if estimate is not None:
        changes["estimate_hours"] = None if estimate.lower() == "none" else parse_hours(estimate)
    if duration is not None:
        changes["duration_days"] = None if duration.lower() == "none" else parse_days(duration)
    if priority is not None:
        changes["priority"] = priority
    if milestone is not None:
        changes["kind"] = "milestone" if milestone else "task"
    if parent is not None:
        changes["parent_id"] = parent or None
    if percent is not None:
        changes["percent_done"] = percent
    if notes is not None:
        changes["notes"] = notes
    estimates = _three_point(three_point)
    if estimates:
        changes.update(optimistic_days=estimates[0], likely_days=estimates[1], pessimistic_days=estimates[2])
    nothing_to_change = not changes and not any((project, tag, untag, assign, unassign, after, status))
    if nothing_to_change and len(ids) == 1:  # `edit ID` alone: one task, no change options
        if as_json:  # `edit 3 --json` alone shows the task, changing nothing
            print_json(get_task(ctx, ids[0]).to_json())
            return
        from planner.cli.edit_form import edit_in_editor  # no options: the task as a form in $EDITOR

        return edit_in_editor(cli_ctx, ids[0], if_version)
    if nothing_to_change:
        raise fail(f"nothing to change on {len(ids)} tasks: give an option, e.g. --priority 3", 2)
    confirm(cli_ctx, selection, "edit", yes)
    edit_tasks(ctx, ids, changes, project=project, add_tags=tag, remove_tags=untag, assign=assign,
               unassign=unassign, after=after, status=status, expected_version=if_version)
    if changes.get("due"):
        for task_id in ids:
            _warn_broken_promises(ctx, task_id)
    if as_json:
        tasks = [get_task(ctx, task_id).to_json() for task_id in ids]
        print_json(tasks[0] if len(ids) == 1 else tasks)
    else:
        for task_id in ids:
            typer.echo(f"updated #{task_id}")


def _warn_broken_promises(ctx: Any, task_id: int) -> None:
    """Say on stderr when the assignees' leveled plans cannot meet the task's due date (the write has landed)."""
    from planner.services.planning.promises import commitments

    for item in commitments(ctx, [task_id]):
        if item.at_risk:
            typer.echo(f"warning: {item.message(ctx.today())}", err=True)


@app.command("start")
def start(
    cli_ctx: typer.Context, task_ids: IdsArg = None, at: AtOpt = None, if_version: VersionOpt = None,
    where: WhereOpt = None, yes: YesOpt = False,
) -> None:
    """Mark tasks in progress (--at backdates their actual start)."""
    from planner.services.tasks.bulk import start_tasks

    moment = parse_moment(cli_ctx, at)
    selection = select(cli_ctx, task_ids, where, if_version)
    confirm(cli_ctx, selection, "start", yes)
    for task in start_tasks(context(cli_ctx), selection.ids, at=moment, expected_version=if_version):
        typer.echo(f"started #{task.id} {task.title}" + (f" on {task.actual_start}" if moment else ""))


@app.command("done")
def done(
    cli_ctx: typer.Context, task_ids: IdsArg = None, at: AtOpt = None, if_version: VersionOpt = None,
    where: WhereOpt = None, yes: YesOpt = False,
) -> None:
    """Mark tasks done (--at backdates their actual finish)."""
    from planner.services.tasks.bulk import complete_tasks

    moment = parse_moment(cli_ctx, at)
    selection = select(cli_ctx, task_ids, where, if_version)
    confirm(cli_ctx, selection, "done", yes)
    for task in complete_tasks(context(cli_ctx), selection.ids, at=moment, expected_version=if_version):
        typer.echo(f"done #{task.id} {task.title}" + (f" on {task.actual_finish}" if moment else ""))


@app.command("rm")
def remove(
    cli_ctx: typer.Context,
    task_ids: IdsArg = None, if_version: VersionOpt = None,
    others: Annotated[bool, typer.Option("--others", help="Also remove other people's time, links and tags on them.")]
    = False,
    where: WhereOpt = None, yes: YesOpt = False,
) -> None:
    """Delete tasks with their links, all or none (`planner undo` brings them back)."""
    from planner.services.queries import list_dependencies
    from planner.services.tasks.operations import delete_tasks

    ctx = context(cli_ctx)
    selection = select(cli_ctx, task_ids, where, if_version)
    confirm(cli_ctx, selection, "rm", yes)
    links_of = {task_id: list_dependencies(ctx, task_id) for task_id in selection.ids}
    for task in delete_tasks(ctx, selection.ids, expected_version=if_version, take_others=others):
        links = links_of.get(task.id, [])
        typer.echo(f"removed #{task.id} {task.title}")
        if links:  # successors no longer wait for it: say which, so nobody wonders why they moved
            typer.echo("dropped its links: " + ", ".join(
                f"#{link.predecessor_id}→#{link.successor_id} ({link.type})" for link in links))


@app.command("assign")
def assign_people(
    cli_ctx: typer.Context,
    words: Annotated[list[str], typer.Argument(help="Task ids (4, 4,7, 2-5; none with --where), then person handles.",
                                                  autocompletion=complete_ids_then_handles)],
    units: Annotated[Optional[float], typer.Option(
        "--units", help="Units per day each gives, up to their capacity (1 = full time; default: 1, or a "
                        "part-timer's capacity); an estimate then lasts estimate ÷ (units × hours per day).")] = None,
    remove: Annotated[bool, typer.Option("--remove", help="Unassign instead.")] = False,
    create: Annotated[bool, typer.Option("--create", help="Add unknown handles as new full-time people.")] = False,
    where: WhereOpt = None, yes: YesOpt = False,
) -> None:
    """Assign people to tasks (people come from `planner resource add`, or --create)."""
    from planner.services.tasks.bulk import assign_tasks

    id_words, handles = split_leading_ids(words, where, "person handle")
    selection = select(cli_ctx, id_words, where)
    confirm(cli_ctx, selection, "assign", yes)
    assign_tasks(context(cli_ctx), selection.ids, handles, units=units, remove=remove, create=create)
    for task_id in selection.ids:
        typer.echo(f"{'unassigned' if remove else 'assigned'} {' '.join(handles)} {'from' if remove else 'to'} #{task_id}")


@app.command("tag")
def tag_task(
    cli_ctx: typer.Context,
    words: Annotated[list[str], typer.Argument(help="Task ids (4, 4,7, 2-5; none with --where), then tags.",
                                                  autocompletion=complete_ids_then_tags)],
    remove: Annotated[bool, typer.Option("--remove", help="Remove the tags instead.")] = False,
    where: WhereOpt = None, yes: YesOpt = False,
) -> None:
    """Tag tasks."""
    from planner.services.tasks.bulk import tag_tasks

    id_words, names = split_leading_ids(words, where, "tag")
    selection = select(cli_ctx, id_words, where)
    confirm(cli_ctx, selection, "tag", yes)
    tag_tasks(context(cli_ctx), selection.ids, names, remove=remove)
    for task_id in selection.ids:
        typer.echo(f"{'untagged' if remove else 'tagged'} #{task_id}: {' '.join(names)}")


@app.command("undo")
def undo(cli_ctx: typer.Context) -> None:
    """Revert your last command's changes (a bulk command is one step)."""
    from planner.services.undo import undo_last

    result = undo_last(context(cli_ctx))
    typer.echo(f"undid {result.summary}")


@app.command("move")
def move(
    cli_ctx: typer.Context,
    words: Annotated[list[str], typer.Argument(help="Task ids (4, 4,7, 2-5; none with --where), then a workflow state key, e.g. doing.",
                                                  autocompletion=complete_task_ids)],
    force: Annotated[bool, typer.Option("--force", help="Move even past the state's WIP limit.")] = False,
    if_version: VersionOpt = None,
    where: WhereOpt = None, yes: YesOpt = False,
) -> None:
    """Move tasks to a board state (refused past a WIP limit unless --force)."""
    from planner.services.flow.workflows import move_tasks

    id_words, state = split_last(words, "state to move to, e.g. doing")
    selection = select(cli_ctx, id_words, where, if_version)
    confirm(cli_ctx, selection, "move", yes)
    for result in move_tasks(context(cli_ctx), selection.ids, state, force=force, expected_version=if_version):
        note = " (over its WIP limit)" if result.forced_over_limit else ""
        typer.echo(f"moved #{result.task_id} {result.title} to {result.state}{note}")


@app.command("snooze")
def snooze(
    cli_ctx: typer.Context,
    words: Annotated[list[str], typer.Argument(help="Task ids (4, 4,7, 2-5; none with --where), then the day to hide them until: mon, +3d, 2026-12-01 ('none' wakes them).",
                                                  autocompletion=complete_task_ids)],
    if_version: VersionOpt = None,
    where: WhereOpt = None, yes: YesOpt = False,
) -> None:
    """Hide tasks from the daily queue until a day."""
    from planner.services.tasks.bulk import snooze_tasks

    id_words, until = split_last(words, "day to snooze until, e.g. mon")
    day = parse_optional_day(cli_ctx, until)
    selection = select(cli_ctx, id_words, where, if_version)
    confirm(cli_ctx, selection, "snooze", yes)
    for task in snooze_tasks(context(cli_ctx), selection.ids, None if day is ... else day,  # type: ignore[arg-type]
                             expected_version=if_version):
        typer.echo(f"snoozed #{task.id} {task.title} until {task.snoozed_until}" if task.snoozed_until
                   else f"woke #{task.id} {task.title}")
