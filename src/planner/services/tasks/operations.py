"""Task use cases: add, edit, start, complete, remove, tag and assign."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from planner.domain.dates import MAX_WORKING_DAYS, in_range
from planner.domain.errors import InvalidInputError
from planner.domain.text import clean_line, clean_text
from planner.services import lookup
from planner.services.context import Context
from planner.services.records import TaskState, detached
from planner.services.tasks.lifecycle import (
    after_completion,
    check_backdate,
    check_wip,
    local_now,
    set_status,
    status_changes,
)
from planner.services.tasks.rows import (
    assign_resource,
    delete_rows,
    link_tasks,
    tag_task,
    unassign_resource,
    unlink_tasks,
    untag_task,
)
from planner.store.models import Project, Task, utcnow
from planner.store.uow import UnitOfWork

#: Task columns that `edit` may set directly.
EDITABLE_FIELDS = frozenset({
    "title", "notes", "kind", "priority", "estimate_hours", "duration_days", "start_no_earlier", "due",
    "percent_done", "parent_id", "optimistic_days", "likely_days", "pessimistic_days", "snoozed_until",
    "sprint_id", "external_id", "board_rank", "actual_start", "actual_finish",
})


@dataclass(slots=True)
class TaskDraft:
    """What a new task is made of; only ``title`` is required."""

    title: str
    project: str | None = None
    notes: str = ""
    milestone: bool = False
    priority: int = 0
    estimate_hours: float | None = None
    duration_days: int | None = None
    start_no_earlier: date | None = None
    due: date | None = None
    tags: list[str] = field(default_factory=list)
    assignees: list[str] = field(default_factory=list)
    after: list[int] = field(default_factory=list)
    parent_id: int | None = None
    optimistic_days: float | None = None
    likely_days: float | None = None
    pessimistic_days: float | None = None
    external_id: str | None = None
    status: str | None = None
    recur: str | None = None
    policy: str | None = None
    recur_until: date | None = None
    starts_after: str | None = None
    recur_at: str | None = None
    recur_zone: str | None = None


@dataclass(slots=True)
class AddResult:
    """The new task's id, whether its project was created for it, and the series of a recurring one.

    ``task_id`` is None for a series that waits for a project to complete (``starts_after``).
    """

    task_id: int | None
    created_project: str | None = None
    series_id: int | None = None


def _validate(values: dict[str, Any]) -> None:
    title = values.get("title")
    if "title" in values and (title is None or not str(title).strip()):
        raise InvalidInputError("a task needs a title, e.g. planner add \"Write spec\"")
    priority = values.get("priority")
    if priority is not None and priority not in (0, 1, 2, 3):
        raise InvalidInputError(f"priority {priority} is out of range: use 0 (none) to 3 (highest)")
    for name in ("estimate_hours", "duration_days", "optimistic_days", "likely_days", "pessimistic_days"):
        value = values.get(name)
        if value is not None and value < 0:
            raise InvalidInputError(f"{name.replace('_', ' ')} cannot be negative ({value})")
    if (values.get("duration_days") or 0) > MAX_WORKING_DAYS or (values.get("estimate_hours") or 0) > MAX_WORKING_DAYS * 24:
        raise InvalidInputError(f"a task can last at most {MAX_WORKING_DAYS:,} working days")
    for name in ("due", "start_no_earlier", "snoozed_until", "actual_start", "actual_finish"):
        if values.get(name) is not None:
            in_range(values[name], what=name.replace("_", " "))
    percent = values.get("percent_done")
    if percent is not None and not 0 <= percent <= 100:
        raise InvalidInputError(f"percent done {percent} is out of range: use 0 to 100")
    three_point = [values.get(n) for n in ("optimistic_days", "likely_days", "pessimistic_days")]
    if all(v is not None for v in three_point) and not three_point[0] <= three_point[1] <= three_point[2]:
        raise InvalidInputError("a three-point estimate needs optimistic <= likely <= pessimistic")


def add_task(ctx: Context, draft: TaskDraft) -> AddResult:
    """Create a task (and its tags, assignments and FS links) in one transaction."""
    values = {
        "title": clean_line(draft.title).strip(), "notes": clean_text(draft.notes) if draft.notes else draft.notes, "priority": draft.priority,
        "estimate_hours": draft.estimate_hours, "duration_days": draft.duration_days,
        "optimistic_days": draft.optimistic_days, "likely_days": draft.likely_days,
        "pessimistic_days": draft.pessimistic_days,
    }
    _validate({**values, "due": draft.due, "start_no_earlier": draft.start_no_earlier})
    if draft.recur is None and (draft.policy or draft.recur_until or draft.starts_after or draft.recur_at
                                or draft.recur_zone):
        raise InvalidInputError("--policy, --until, --at, --tz and --starts-after describe a series: add --recur, "
                                "e.g. --recur \"every friday\"")
    with ctx.uow() as uow:
        project, created = lookup.project_or_create(uow, draft.project)
        if draft.recur is not None:
            return _add_series(uow, ctx, draft, project, created)
        states = lookup.workflow_states(uow, project)
        status = lookup.state_named(states, draft.status) if draft.status else lookup.first_state(states, "todo")
        if draft.parent_id is not None:
            lookup.task(uow, draft.parent_id)
        task = uow.add(Task(
            project_id=project.id, parent_id=draft.parent_id,
            kind="milestone" if draft.milestone else "task",
            duration_days=0 if draft.milestone else draft.duration_days,
            start_no_earlier=draft.start_no_earlier, due=draft.due, status=status.key,
            external_id=draft.external_id,
            **{k: v for k, v in values.items() if k != "duration_days"},
        ))
        for name in draft.tags:
            tag_task(uow, task, name)
        for handle in draft.assignees:
            assign_resource(uow, task, handle)
        for predecessor_id in draft.after:
            link_tasks(uow, predecessor_id, task.id)
        uow.commit()
        return AddResult(task.id, project.key if created else None)


def _add_series(uow: UnitOfWork, ctx: Context, draft: TaskDraft, project: Project, created: bool) -> AddResult:
    """A recurring task: the series and its first instance (or none while it waits for a project)."""
    from planner.services.tasks.recurrence import create_series, template_of

    if draft.after or draft.parent_id is not None:
        raise InvalidInputError("a recurring task cannot have predecessors or a parent: add them to an instance")
    starts_after = lookup.project(uow, draft.starts_after) if draft.starts_after else None
    series, first = create_series(uow, ctx, project, draft.recur or "", draft.policy, template_of(draft),
                                  first_due=draft.due, until=draft.recur_until, starts_after=starts_after,
                                  time_of_day=draft.recur_at, zone=draft.recur_zone)
    uow.commit()
    return AddResult(first.id if first else None, project.key if created else None, series.id)


def edit_task(ctx: Context, task_id: int, changes: dict[str, Any], *, project: str | None = None,
              add_tags: list[str] | None = None, remove_tags: list[str] | None = None,
              assign: list[str] | None = None, unassign: list[str] | None = None,
              after: list[int] | None = None, status: str | None = None,
              expected_version: int | None = None, unlink: list[int] | None = None) -> TaskState:
    """Change a task; refuses a stale ``expected_version`` and unknown fields (``unlink``: predecessors to drop)."""
    check_edit(changes)
    with ctx.uow() as uow:
        task = edit_in(uow, ctx, task_id, changes, project=project, add_tags=add_tags, remove_tags=remove_tags,
                       assign=assign, unassign=unassign, after=after, status=status,
                       expected_version=expected_version, unlink=unlink)
        uow.commit()
        return detached(TaskState, task)


def check_edit(changes: dict[str, Any]) -> None:
    """Refuse unknown fields and bad values before any task is touched."""
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise InvalidInputError(f"cannot edit {', '.join(sorted(unknown))}")
    _validate(changes)


def edit_in(uow: UnitOfWork, ctx: Context, task_id: int, changes: dict[str, Any], *, project: str | None = None,
            add_tags: list[str] | None = None, remove_tags: list[str] | None = None,
            assign: list[str] | None = None, unassign: list[str] | None = None,
            after: list[int] | None = None, status: str | None = None,
            expected_version: int | None = None, unlink: list[int] | None = None) -> Task:
    """Change one task inside ``uow`` (``changes`` already passed :func:`check_edit`)."""
    task = lookup.task(uow, task_id)
    lookup.check_version(task, expected_version)
    updates = dict(changes)
    if isinstance(updates.get("title"), str):
        updates["title"] = clean_line(updates["title"]).strip()
    if isinstance(updates.get("notes"), str):
        updates["notes"] = clean_text(updates["notes"])
    if "kind" in updates and updates["kind"] not in ("task", "milestone"):
        raise InvalidInputError("kind is task or milestone")
    if updates.get("kind") == "milestone":
        updates["duration_days"] = 0
    if updates.get("parent_id") is not None:
        _check_parent(uow, task, updates["parent_id"])
    if project is not None:
        updates["project_id"] = lookup.project(uow, project).id
    if status is not None:
        project_row = uow.get(Project, updates.get("project_id", task.project_id))
        state = lookup.state_named(lookup.workflow_states(uow, project_row), status)
        check_wip(uow, project_row, state, task)
        updates.update(status_changes(task, state, ctx.today()))
    was_done = task.completed_at is not None
    if updates:
        uow.update(task, **updates)
    if not was_done and task.completed_at is not None:
        after_completion(uow, task, ctx)
    for name in add_tags or ():
        tag_task(uow, task, name)
    for name in remove_tags or ():
        untag_task(uow, task, name)
    for handle in assign or ():
        assign_resource(uow, task, handle)
    for handle in unassign or ():
        unassign_resource(uow, task, handle)
    for predecessor_id in after or ():
        link_tasks(uow, predecessor_id, task.id)
    for predecessor_id in unlink or ():
        unlink_tasks(uow, predecessor_id, task.id)
    if not updates and (add_tags or remove_tags or assign or unassign or after or unlink):
        uow.update(task, updated_at=utcnow())  # relation edits bump the version too
    return task


def _check_parent(uow: UnitOfWork, task: Task, parent_id: int) -> None:
    if parent_id == task.id:
        raise InvalidInputError(f"task #{task.id} cannot be its own parent")
    ancestor = lookup.task(uow, parent_id)
    seen = {task.id}
    while ancestor is not None:
        if ancestor.id in seen:
            raise InvalidInputError(f"making #{parent_id} the parent of #{task.id} would nest a task in itself")
        seen.add(ancestor.id)
        ancestor = uow.get(Task, ancestor.parent_id) if ancestor.parent_id else None


def start_task(ctx: Context, task_id: int, *, expected_version: int | None = None,
               at: datetime | None = None) -> TaskState:
    """Mark a task in progress (the first 'doing' state), keeping its actual start (``at`` backdates it)."""
    with ctx.uow() as uow:
        task = start_in(uow, ctx, task_id, expected_version=expected_version, at=at)
        uow.commit()
        return detached(TaskState, task)


def start_in(uow: UnitOfWork, ctx: Context, task_id: int, *, expected_version: int | None = None,
             at: datetime | None = None) -> Task:
    """Start one task inside ``uow``; ``at`` (naive local time, not in the future) is its actual start."""
    task = lookup.task(uow, task_id)
    lookup.check_version(task, expected_version)
    if task.completed_at is not None:
        raise InvalidInputError(f"task #{task_id} is done; `planner edit {task_id} --status todo` reopens it")
    if at is not None:
        check_backdate(task, at, local_now(ctx), finishing=False)
    return set_status(uow, task, "doing", ctx.today(), at)


def complete_task(ctx: Context, task_id: int, *, expected_version: int | None = None,
                  at: datetime | None = None) -> TaskState:
    """Mark a task done (the first 'done' state) with today's actual finish (``at`` backdates it)."""
    with ctx.uow() as uow:
        task = complete_in(uow, ctx, task_id, expected_version=expected_version, at=at)
        uow.commit()
        return detached(TaskState, task)


def complete_in(uow: UnitOfWork, ctx: Context, task_id: int, *, expected_version: int | None = None,
                at: datetime | None = None) -> Task:
    """Complete one task inside ``uow``; ``at`` (naive local time) is its finish, not before its start."""
    task = lookup.task(uow, task_id)
    lookup.check_version(task, expected_version)
    if task.completed_at is not None:
        raise InvalidInputError(f"task #{task_id} is already done")
    if at is not None:
        check_backdate(task, at, local_now(ctx), finishing=True)
    set_status(uow, task, "done", ctx.today(), at)
    after_completion(uow, task, ctx)
    return task


def snooze_task(ctx: Context, task_id: int, until: date | None, *, expected_version: int | None = None) -> TaskState:
    """Hide a task from the daily queue until a date (None wakes it now)."""
    check_snooze(ctx, until)
    with ctx.uow() as uow:
        task = snooze_in(uow, task_id, until, expected_version=expected_version)
        uow.commit()
        return detached(TaskState, task)


def check_snooze(ctx: Context, until: date | None) -> None:
    """Refuse a snooze that would not hide anything (today or earlier)."""
    if until is not None and until <= ctx.today():
        raise InvalidInputError(f"snooze until a later day than today ({ctx.today()}), e.g. tomorrow or mon")


def snooze_in(uow: UnitOfWork, task_id: int, until: date | None, *, expected_version: int | None = None) -> Task:
    """Snooze one open task inside ``uow``."""
    task = lookup.task(uow, task_id)
    lookup.check_version(task, expected_version)
    if task.completed_at is not None:
        raise InvalidInputError(f"task #{task_id} is done: there is nothing to snooze")
    return uow.update(task, snoozed_until=until)


def delete_task(ctx: Context, task_id: int, *, expected_version: int | None = None,
                take_others: bool = False) -> TaskState:
    """Remove a task with its links, tags and assignments (undo brings them back).

    Refuses when one of those rows is another person's, unless ``take_others``.
    """
    return delete_tasks(ctx, [task_id], expected_version=expected_version, take_others=take_others)[0]


def delete_tasks(ctx: Context, task_ids: list[int], *, expected_version: int | None = None,
                 take_others: bool = False) -> list[TaskState]:
    """Remove several tasks in one transaction: all of them, or none when one is refused."""
    with ctx.uow() as uow:
        tasks = []
        for task_id in dict.fromkeys(task_ids):
            task = lookup.task(uow, task_id)
            lookup.check_version(task, expected_version)
            delete_rows(uow, task, take_others=take_others)
            tasks.append(task)
        uow.commit()
        return [detached(TaskState, task) for task in tasks]


def assign(ctx: Context, task_id: int, handles: list[str], *, units: float | None = None, remove: bool = False,
           create: bool = False) -> TaskState:
    """Assign people to a task (or remove them with ``remove``); ``create`` adds unknown handles as people."""
    with ctx.uow() as uow:
        task = assign_in(uow, task_id, handles, units=units, remove=remove, create=create)
        uow.commit()
        return detached(TaskState, task)


def assign_in(uow: UnitOfWork, task_id: int, handles: list[str], *, units: float | None = None,
              remove: bool = False, create: bool = False) -> Task:
    """Assign (or unassign) people on one task inside ``uow``."""
    task = lookup.task(uow, task_id)
    for handle in handles:
        if remove:
            unassign_resource(uow, task, handle)
        else:
            assign_resource(uow, task, handle, units, create=create)
    return uow.update(task, updated_at=utcnow())


def tag(ctx: Context, task_id: int, names: list[str], *, remove: bool = False) -> TaskState:
    """Add tags to a task (or remove them with ``remove``)."""
    with ctx.uow() as uow:
        task = tag_in(uow, task_id, names, remove=remove)
        uow.commit()
        return detached(TaskState, task)


def tag_in(uow: UnitOfWork, task_id: int, names: list[str], *, remove: bool = False) -> Task:
    """Tag (or untag) one task inside ``uow``."""
    task = lookup.task(uow, task_id)
    for name in names:
        (untag_task if remove else tag_task)(uow, task, name)
    return uow.update(task, updated_at=utcnow())
