"""The local side of a sync: a project's tasks as the fields a VTODO carries, and a VTODO's fields made a task."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlmodel import select

from planner.domain.errors import CycleError, PlannerError
from planner.interop.vtodo import TodoFields
from planner.services import lookup
from planner.services.context import Context
from planner.services.tasks.lifecycle import after_completion, status_changes
from planner.services.tasks.rows import link_tasks, tag_task, untag_task
from planner.store.models import Dependency, Project, Recurrence, SyncItem, SyncPairing, Tag, Task, TaskTag
from planner.store.uow import UnitOfWork


@dataclass(slots=True)
class LocalTasks:
    """The project's tasks as sync fields, with what the merge needs to know about each."""

    fields: dict[int, TodoFields]
    updated: dict[int, datetime]
    uid_of: dict[int, str]


def local_state(uow: UnitOfWork, pairing: SyncPairing, items: list[SyncItem]) -> LocalTasks:
    """The project's open tasks (and those already synced, done or not) as sync fields."""
    paired = {item.task_id for item in items if item.task_id is not None}
    tasks = [task for task in uow.all(select(Task).where(Task.project_id == pairing.project_id))
             if task.completed_at is None or task.id in paired]
    ids = [task.id for task in tasks]
    project = uow.get(Project, pairing.project_id)
    category = {state.key: state.category for state in lookup.workflow_states(uow, project)}
    tags: dict[int, list[str]] = {}
    for task_id, name in uow.session.exec(select(TaskTag.task_id, Tag.name).join(Tag, Tag.id == TaskTag.tag_id)
                                          .where(TaskTag.task_id.in_(ids))).all():  # type: ignore[attr-defined]
        tags.setdefault(task_id, []).append(name)
    uid_of = {item.task_id: item.uid for item in items if item.task_id is not None}
    uid_of.update({task.id: uid_for(pairing, task) for task in tasks if task.id not in uid_of})
    depends: dict[int, list[str]] = {}
    for predecessor, successor in uow.session.exec(
            select(Dependency.predecessor_id, Dependency.successor_id)
            .where(Dependency.successor_id.in_(ids))).all():  # type: ignore[attr-defined]
        if predecessor in uid_of:
            depends.setdefault(successor, []).append(uid_of[predecessor])
    rules = {series.id: series.rrule for series in uow.all(
        select(Recurrence).where(Recurrence.project_id == pairing.project_id))}
    fields = {}
    for task in tasks:
        state = category.get(task.status, "todo") if task.completed_at is None else "done"
        fields[task.id] = TodoFields(
            title=task.title, notes=task.notes or "", due=task.due, start=task.start_no_earlier,
            priority=task.priority, state=state, completed_at=as_utc(task.completed_at) if state == "done" else None,
            percent=100 if state == "done" else task.percent_done, tags=tuple(sorted(tags.get(task.id, ()))),
            depends_on=tuple(sorted(depends.get(task.id, ()))),
            rrule=rules.get(task.recurrence_id) if task.recurrence_id else None,
            last_modified=as_utc(task.updated_at))
    return LocalTasks(fields, {task.id: as_utc(task.updated_at) for task in tasks}, uid_of)


def uid_for(pairing: SyncPairing, task: Task) -> str:
    """A task's UID in this pairing: the server's own for tasks that came from it, else derived from its id."""
    if task.external_id and task.external_id.startswith(("caldav:", )):
        return task.external_id.removeprefix("caldav:")
    return f"{pairing.uid_prefix}{task.id}"


def as_utc(value: datetime | None) -> datetime | None:
    """A stored time as aware UTC (SQLite hands back naive ones)."""
    if value is None:
        return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def comparable(fields: TodoFields) -> dict[str, Any]:
    """What counts as a change: completion times to the second (servers drop fractions)."""
    values = fields.to_json()
    if values.get("completed_at"):
        values["completed_at"] = values["completed_at"][:19]
    return values


def create_task(uow: UnitOfWork, ctx: Context, project: Project, uid: str, fields: TodoFields) -> Task:
    """A new task in ``project`` from a calendar object's fields, remembering its UID."""
    states = lookup.workflow_states(uow, project)
    task = uow.add(Task(project_id=project.id, title=fields.title, notes=fields.notes, due=fields.due,
                        start_no_earlier=fields.start, priority=fields.priority, percent_done=fields.percent,
                        status=lookup.first_state(states, "todo").key, external_id=f"caldav:{uid}"))
    apply_fields(uow, ctx, task, None, fields)
    return task


def apply_fields(uow: UnitOfWork, ctx: Context, task: Task, current: TodoFields | None, wanted: TodoFields) -> bool:
    """Make a task carry ``wanted`` (tags and state included); whether anything changed."""
    if current is not None and comparable(current) == comparable(wanted):
        return False
    changes: dict[str, Any] = {}
    for name, column in (("title", "title"), ("notes", "notes"), ("due", "due"), ("start", "start_no_earlier"),
                         ("priority", "priority")):
        if getattr(task, column) != getattr(wanted, name):
            changes[column] = getattr(wanted, name)
    current_state = current.state if current is not None else "todo"
    if wanted.state != current_state:
        project = uow.get(Project, task.project_id)
        state = lookup.first_state(lookup.workflow_states(uow, project), wanted.state)
        changes.update(status_changes(task, state, ctx.today()))
    if wanted.state == "done" and wanted.completed_at is not None:
        changes["completed_at"] = wanted.completed_at
        changes["actual_finish"] = wanted.completed_at.date()
    elif wanted.state != "done":
        changes["percent_done"] = wanted.percent
    was_done = task.completed_at is not None
    if changes:
        uow.update(task, **changes)
    if not was_done and task.completed_at is not None:
        after_completion(uow, task, ctx)
    have = set(current.tags) if current is not None else set()
    for name in sorted(set(wanted.tags) - have):
        tag_task(uow, task, name)
    for name in sorted(have - set(wanted.tags)):
        untag_task(uow, task, name)
    return True


def link_depends(uow: UnitOfWork, task: Task, fields: TodoFields, uids: dict[str, int | None],
          conflicts: list[str]) -> None:
    """Links from RELATED-TO;RELTYPE=DEPENDS-ON to tasks of this pairing (the rest are ignored)."""
    wanted = {uids[uid] for uid in fields.depends_on if uids.get(uid) is not None}
    existing = {row.predecessor_id: row for row in uow.all(select(Dependency).where(
        Dependency.successor_id == task.id))}
    paired = {task_id for task_id in uids.values() if task_id is not None}
    for predecessor in sorted(wanted - set(existing)):
        try:
            link_tasks(uow, predecessor, task.id)
        except (CycleError, PlannerError) as error:
            conflicts.append(f"{task.title!r}: dependency not taken ({error})")
    for predecessor, row in existing.items():
        if predecessor in paired and predecessor not in wanted:
            uow.delete(row)
