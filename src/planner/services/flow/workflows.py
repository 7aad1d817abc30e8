"""Workflow use cases: board states per project, WIP limits, and moving a task between states.

A workflow is an ordered list of states, each in a category ``todo`` |
``doing`` | ``done`` with an optional WIP limit. Projects without their own
workflow use the ``default`` one (backlog, todo, doing, review, done). The WIP
limit of a state counts the open tasks in that state across every project
that uses the workflow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func
from sqlmodel import select

from planner.domain.errors import ConflictError, InvalidInputError
from planner.domain.statuses import CATEGORIES
from planner.services import lookup
from planner.services.context import Context
from planner.services.tasks.lifecycle import after_completion, check_wip, status_changes, would_exceed_wip
from planner.store.models import Project, Task, Workflow, WorkflowState
from planner.store.uow import UnitOfWork

KEEP_WIP_LIMIT = object()


@dataclass(slots=True)
class StateInfo:
    """One column of a workflow as displayed, with how many open tasks it holds."""

    key: str
    name: str
    category: str
    position: int
    wip_limit: int | None
    task_count: int = 0

    def to_json(self) -> dict[str, Any]:
        """The state as JSON."""
        return {"key": self.key, "name": self.name, "category": self.category, "position": self.position,
                "wip_limit": self.wip_limit, "tasks": self.task_count}


@dataclass(slots=True)
class WorkflowInfo:
    """A workflow, its ordered states and the projects that use it."""

    name: str
    states: list[StateInfo]
    projects: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The workflow as JSON."""
        return {"name": self.name, "states": [s.to_json() for s in self.states], "projects": self.projects}


@dataclass(slots=True)
class MoveResult:
    """Where a task went and whether a WIP limit was overridden."""

    task_id: int
    title: str
    state: str
    forced_over_limit: bool = False


def _states(uow: UnitOfWork, workflow: Workflow) -> list[WorkflowState]:
    return uow.all(select(WorkflowState).where(WorkflowState.workflow_id == workflow.id)
                   .order_by(WorkflowState.position))


def _info(uow: UnitOfWork, workflow: Workflow) -> WorkflowInfo:
    counts = dict(uow.session.exec(
        select(Task.status, func.count()).join(Project, Project.id == Task.project_id)
        .where(lookup.projects_using(workflow)).group_by(Task.status)).all())
    states = [StateInfo(s.key, s.name, s.category, s.position, s.wip_limit, int(counts.get(s.key, 0)))
              for s in _states(uow, workflow)]
    projects = [p.key for p in uow.all(select(Project).where(lookup.projects_using(workflow)).order_by(Project.key))]
    return WorkflowInfo(workflow.name, states, projects)


def list_workflows(ctx: Context) -> list[WorkflowInfo]:
    """Every workflow with its states, task counts and projects."""
    with ctx.uow() as uow:
        return [_info(uow, w) for w in uow.all(select(Workflow).order_by(Workflow.name))]


def show_workflow(ctx: Context, name: str | None = None, *, project: str | None = None) -> WorkflowInfo:
    """One workflow by name, or the one a project uses."""
    with ctx.uow() as uow:
        if project is not None:
            return _info(uow, lookup.workflow_of(uow, lookup.project(uow, project)))
        return _info(uow, lookup.workflow_named(uow, name or lookup.DEFAULT_WORKFLOW))


def _check_category(category: str) -> str:
    normalized = category.strip().lower()
    if normalized not in CATEGORIES:
        raise InvalidInputError(f"state category {category!r} unknown: use todo, doing or done")
    return normalized


def _check_wip_limit(limit: int | None) -> int | None:
    if limit is not None and limit < 1:
        raise InvalidInputError(f"a WIP limit is at least 1 (or 'none' for no limit), not {limit}")
    return limit


def add_workflow(ctx: Context, name: str, *, copy_from: str | None = lookup.DEFAULT_WORKFLOW,
                 states: list[tuple[str, str]] | None = None) -> WorkflowInfo:
    """Create a workflow from ``(key, category)`` states, or as a copy of another one."""
    key = lookup.validate_key(name, "workflow name")
    with ctx.uow() as uow:
        if uow.first(select(Workflow).where(Workflow.name == key)) is not None:
            raise ConflictError(f"workflow {key!r} exists: `planner workflow show {key}`")
        if states:
            wanted = [(lookup.validate_key(k, "state key"), _check_category(c), k, None) for k, c in states]
        else:
            source = _states(uow, lookup.workflow_named(uow, copy_from or lookup.DEFAULT_WORKFLOW))
            wanted = [(s.key, s.category, s.name, s.wip_limit) for s in source]
        _check_complete([category for _, category, _, _ in wanted], key)
        if len({k for k, _, _, _ in wanted}) != len(wanted):
            raise InvalidInputError("state keys of a workflow must differ")
        workflow = uow.add(Workflow(name=key))
        for position, (state_key, category, state_name, limit) in enumerate(wanted):
            uow.add(WorkflowState(workflow_id=workflow.id, key=state_key, name=state_name, category=category,
                                  position=position, wip_limit=limit))
        info = _info(uow, workflow)
        uow.commit()
        return info


def _check_complete(categories: list[str], name: str) -> None:
    for needed in ("todo", "done"):
        if needed not in categories:
            raise InvalidInputError(f"workflow {name!r} needs at least one {needed!r} state")


def add_state(ctx: Context, workflow_name: str, key: str, *, name: str | None = None, category: str = "todo",
              after: str | None = None, wip_limit: int | None = None) -> WorkflowInfo:
    """Add a state to a workflow (at the end, or right after ``after``)."""
    state_key = lookup.validate_key(key, "state key")
    category = _check_category(category)
    _check_wip_limit(wip_limit)
    with ctx.uow() as uow:
        workflow = lookup.workflow_named(uow, workflow_name)
        states = _states(uow, workflow)
        if any(s.key == state_key for s in states):
            raise ConflictError(f"workflow {workflow.name!r} already has a state {state_key!r}")
        index = len(states) if after is None else states.index(lookup.state_named(states, after)) + 1
        new = WorkflowState(workflow_id=workflow.id, key=state_key, name=name or state_key, category=category,
                            wip_limit=wip_limit, position=index)
        _renumber(uow, [*states[:index], new, *states[index:]])
        info = _info(uow, workflow)
        uow.commit()
        return info


def _renumber(uow: UnitOfWork, ordered: list[WorkflowState]) -> None:
    for position, state in enumerate(ordered):
        if state.id is None:
            state.position = position
            uow.add(state)
        elif state.position != position:
            uow.update(state, position=position)


def edit_state(ctx: Context, workflow_name: str, key: str, *, name: str | None = None,
               category: str | None = None, wip_limit: Any = KEEP_WIP_LIMIT, position: int | None = None) -> WorkflowInfo:
    """Rename, recategorize, limit (``wip_limit=None`` lifts the limit) or reorder a state."""
    with ctx.uow() as uow:
        workflow = lookup.workflow_named(uow, workflow_name)
        states = _states(uow, workflow)
        state = lookup.state_named(states, key)
        changes: dict[str, Any] = {}
        if name is not None:
            changes["name"] = name
        if wip_limit is not KEEP_WIP_LIMIT:
            changes["wip_limit"] = _check_wip_limit(wip_limit)
        if category is not None and _check_category(category) != state.category:
            changes["category"] = _check_category(category)
            _check_complete([changes["category"] if s is state else s.category for s in states], workflow.name)
        if changes:
            uow.update(state, **changes)
        if "category" in changes:
            _recategorize_tasks(uow, workflow, state, ctx)
        if position is not None:
            others = [s for s in states if s is not state]
            index = max(0, min(position - 1, len(others)))
            _renumber(uow, [*others[:index], state, *others[index:]])
        info = _info(uow, workflow)
        uow.commit()
        return info


def _recategorize_tasks(uow: UnitOfWork, workflow: Workflow, state: WorkflowState, ctx: Context) -> None:
    """Tasks in a state whose category changed get the dates the new category implies."""
    from planner.services.tasks.operations import status_changes

    tasks = uow.all(select(Task).join(Project, Project.id == Task.project_id)
                    .where(lookup.projects_using(workflow), Task.status == state.key))
    for task in tasks:
        uow.update(task, **status_changes(task, state, ctx.today()))


def remove_state(ctx: Context, workflow_name: str, key: str, *, move_to: str | None = None) -> WorkflowInfo:
    """Remove a state; its tasks move to ``move_to`` (required when it holds any)."""
    from planner.services.tasks.operations import status_changes

    with ctx.uow() as uow:
        workflow = lookup.workflow_named(uow, workflow_name)
        states = _states(uow, workflow)
        state = lookup.state_named(states, key)
        remaining = [s for s in states if s is not state]
        _check_complete([s.category for s in remaining], workflow.name)
        tasks = uow.all(select(Task).join(Project, Project.id == Task.project_id)
                        .where(lookup.projects_using(workflow), Task.status == state.key))
        if tasks and move_to is None:
            raise ConflictError(f"state {state.key!r} holds {len(tasks)} task{'' if len(tasks) == 1 else 's'}: name where they go, "
                                f"e.g. `planner workflow state rm {workflow.name} {state.key} --to "
                                f"{remaining[0].key}`")
        if tasks:
            target = lookup.state_named(remaining, move_to)  # type: ignore[arg-type]
            for task in tasks:
                uow.update(task, **status_changes(task, target, ctx.today()))
        uow.delete(state)
        _renumber(uow, remaining)
        info = _info(uow, workflow)
        uow.commit()
        return info


def use_workflow(ctx: Context, project_key: str, workflow_name: str) -> int:
    """Give a project a workflow; tasks in states it lacks go to its first state of the same category.

    Returns how many tasks changed state.
    """
    with ctx.uow() as uow:
        project = lookup.project(uow, project_key)
        old_states = {s.key: s for s in lookup.workflow_states(uow, project)}
        workflow = lookup.workflow_named(uow, workflow_name)
        new_states = _states(uow, workflow)
        uow.update(project, workflow_id=workflow.id)
        moved = 0
        for task in uow.all(select(Task).where(Task.project_id == project.id)):
            if any(s.key == task.status for s in new_states):
                continue
            old = old_states.get(task.status)
            category = old.category if old else ("done" if task.completed_at else "todo")
            uow.update(task, status=lookup.first_state(new_states, category).key)
            moved += 1
        uow.commit()
        return moved


def move_task(ctx: Context, task_id: int, state_key: str, *, force: bool = False,
              expected_version: int | None = None) -> MoveResult:
    """Move a task to a workflow state, at the bottom of that column; WIP limits hold unless ``force``.

    Moving into a done state completes the task (a recurring one spawns its next instance).
    """
    with ctx.uow() as uow:
        result = move_in(uow, ctx, task_id, state_key, force=force, expected_version=expected_version)
        uow.commit()
        return result


def move_tasks(ctx: Context, ids: list[int], state_key: str, *, force: bool = False,
               expected_version: int | None = None) -> list[MoveResult]:
    """Move every task to a board state in one transaction (WIP limits count the tasks moved before it)."""
    from planner.services.tasks.bulk import check_single_version, each_task

    check_single_version(ids, expected_version)
    return each_task(ctx, ids, lambda uow, task_id: move_in(
        uow, ctx, task_id, state_key, force=force, expected_version=expected_version))


def move_in(uow: UnitOfWork, ctx: Context, task_id: int, state_key: str, *, force: bool = False,
            expected_version: int | None = None) -> MoveResult:
    """Move one task inside ``uow`` (what :func:`move_task` does, for bulk moves too)."""
    task = lookup.task(uow, task_id)
    lookup.check_version(task, expected_version)
    project = uow.get(Project, task.project_id)
    state = lookup.state_named(lookup.workflow_states(uow, project), state_key)
    over = would_exceed_wip(uow, project, state, task)
    if over and not force:
        check_wip(uow, project, state, task)
    if task.status == state.key:
        return MoveResult(task.id, task.title, state.key)
    was_done = task.completed_at is not None
    bottom = uow.session.exec(select(func.max(Task.board_rank)).where(
        Task.project_id == project.id, Task.status == state.key)).one()
    uow.update(task, board_rank=float(bottom or 0.0) + 1.0, **status_changes(task, state, ctx.today()))
    if not was_done and task.completed_at is not None:
        after_completion(uow, task, ctx)
    return MoveResult(task.id, task.title, state.key, over)
