"""Status changes of a task: the dates a workflow state implies, WIP limits, and what completing sets off."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import func
from sqlmodel import select

from planner.domain.clock import local_to_utc, on_day
from planner.domain.errors import ConflictError, InvalidInputError
from planner.domain.statuses import CATEGORIES
from planner.services import lookup
from planner.services.context import Context
from planner.services.tasks.recurrence import spawn_next_instance
from planner.store.models import Project, Task, Workflow, WorkflowState
from planner.store.uow import UnitOfWork


def moment_on(day: date) -> datetime:
    """Now's time of day on ``day`` (the services' today), in UTC: stamps agree with actual dates."""
    return datetime.combine(day, datetime.now().time()).astimezone(timezone.utc)


def local_now(ctx: Context) -> datetime:
    """The context's local wall time, on the context's today (``--today`` demos keep the clock's time of day)."""
    return ctx.now() if ctx.now_override is not None else on_day(ctx.now(), ctx.today())


def status_changes(task: Task, state: Any, today: date, at: datetime | None = None) -> dict[str, Any]:
    """Column changes that moving into ``state`` implies (start / finish dates).

    ``at`` (naive local time) backdates them: the finish of a done state, the start of a doing state.
    """
    updates: dict[str, Any] = {"status": state.key}
    if at is not None:
        today = at.date()
    if state.category == "done":
        if task.completed_at is None:
            stamp = local_to_utc(at) if at is not None else moment_on(today)
            updates.update(completed_at=stamp, actual_finish=today, percent_done=100,
                           actual_start=task.actual_start or today)
    else:
        if task.completed_at is not None:
            updates.update(completed_at=None, actual_finish=None, percent_done=min(task.percent_done, 99))
        if state.category == "doing" and (task.actual_start is None or at is not None):
            updates["actual_start"] = today
        elif state.category == "todo" and task.actual_start is not None:
            updates["actual_start"] = None  # not started again: the plan and the queue treat it as to do
    return updates


def set_status(uow: UnitOfWork, task: Task, category_or_key: str, today: date, at: datetime | None = None) -> Task:
    """Move a task into a workflow state (by key, or the first state of a category)."""
    project_row = uow.get(Project, task.project_id)
    states = lookup.workflow_states(uow, project_row)
    if category_or_key in CATEGORIES and not any(s.key == category_or_key for s in states):
        state = lookup.first_state(states, category_or_key)
    else:
        state = lookup.state_named(states, category_or_key)
    check_wip(uow, project_row, state, task)
    return uow.update(task, **status_changes(task, state, today, at))


def check_backdate(task: Task, at: datetime, now: datetime, *, finishing: bool) -> None:
    """Refuse a backdated start or finish in the future, or a finish before the task's actual start."""
    if at > now:
        raise InvalidInputError(f"{at:%Y-%m-%d %H:%M} is in the future (now is {now:%Y-%m-%d %H:%M}): "
                                "a task starts or finishes once it has")
    if finishing and task.actual_start is not None and at.date() < task.actual_start:
        raise InvalidInputError(f"task #{task.id} started on {task.actual_start}: it cannot be done before, "
                                f"on {at:%Y-%m-%d}")


#: Called inside the completing transaction, after the task became done.
COMPLETION_HOOKS: list[Any] = []


def after_completion(uow: UnitOfWork, task: Task, ctx: Context) -> None:
    """What finishing a task sets off, in the same transaction: a recurring one spawns its next instance."""
    if task.recurrence_id is not None:
        spawn_next_instance(uow, task, ctx)
    for hook in COMPLETION_HOOKS:
        hook(uow, task, ctx)


def open_count(uow: UnitOfWork, workflow: Workflow, state_key: str) -> int:
    """How many open tasks sit in a state of ``workflow`` (what its WIP limit counts)."""
    statement = (select(func.count()).select_from(Task).join(Project, Project.id == Task.project_id)
                 .where(lookup.projects_using(workflow), Task.status == state_key, Task.completed_at.is_(None)))  # type: ignore[union-attr]
    return int(uow.session.exec(statement).one())


def check_wip(uow: UnitOfWork, project: Project, state: WorkflowState, task: Task) -> None:
    """Refuse (ConflictError) to put ``task`` into ``state`` when that would exceed its WIP limit."""
    if state.wip_limit is None or task.status == state.key:
        return
    held = open_count(uow, lookup.workflow_of(uow, project), state.key)
    if held >= state.wip_limit:
        raise ConflictError(
            f"state {state.key!r} is at its WIP limit ({held} of {state.wip_limit} tasks): finish or move one "
            f"out first, or override with `planner move {task.id} {state.key} --force`"
        )


def would_exceed_wip(uow: UnitOfWork, project: Project, state: WorkflowState, task: Task) -> bool:
    """Whether putting ``task`` into ``state`` would go over the state's WIP limit."""
    try:
        check_wip(uow, project, state, task)
    except ConflictError:
        return True
    return False
