"""Streams and hand-over: completing a project moves its open work into a stream.

`planner project complete crm --handoff crm-ops` marks the project done, moves
its open tasks into the stream (mapping their states onto the stream's
workflow) and starts the recurring chores that were defined to begin after it
(the CRM roll-out becomes the team's weekly data-hygiene work).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import select

from planner.domain.errors import ConflictError, InvalidInputError
from planner.services import lookup
from planner.services.context import Context
from planner.store.models import Project, Recurrence, Task, utcnow


@dataclass(slots=True)
class StartedSeries:
    """A recurring chore that the hand-over started, with its first instance."""

    series_id: int
    title: str
    first_task_id: int | None
    first_due: date | None


@dataclass(slots=True)
class CompletionResult:
    """What completing a project did."""

    project: str
    handoff: str | None
    moved_task_ids: list[int] = field(default_factory=list)
    started: list[StartedSeries] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The result as JSON."""
        return {"project": self.project, "handoff": self.handoff, "moved_tasks": self.moved_task_ids,
                "started_series": [{"series": s.series_id, "title": s.title, "task": s.first_task_id,
                                    "due": s.first_due.isoformat() if s.first_due else None} for s in self.started]}


def complete_project(ctx: Context, key: str, *, handoff: str | None = None, archive: bool = False) -> CompletionResult:
    """Finish a project: hand its open tasks to a stream and start the chores that follow it."""
    from planner.services.tasks.recurrence import start_series

    with ctx.uow() as uow:
        project = lookup.project(uow, key)
        if project.kind == "stream":
            raise InvalidInputError(f"{project.key} is a stream (ongoing work, no end): "
                                    f"`planner project archive {project.key}` retires it")
        if project.completed_at is not None:
            raise ConflictError(f"{project.key} was completed on {project.completed_at:%Y-%m-%d}")
        open_tasks = uow.all(select(Task).where(Task.project_id == project.id, Task.completed_at.is_(None))  # type: ignore[union-attr]
                             .order_by(Task.id))
        chores = uow.all(select(Recurrence).where(Recurrence.starts_after_project_id == project.id,
                                                  Recurrence.active == False)  # noqa: E712
                         .order_by(Recurrence.id))
        stream = _stream(uow, handoff) if handoff else None
        if stream is None and (open_tasks or any(c.project_id == project.id for c in chores)):
            what = (f"{len(open_tasks)} open task" + ("" if len(open_tasks) == 1 else "s")) if open_tasks else "recurring chores of its own"
            raise ConflictError(f"{project.key} still has {what}: finish them, or hand them over with "
                                f"`planner project complete {project.key} --handoff STREAM`")
        result = CompletionResult(project.key, stream.key if stream else None)
        if stream is not None:
            result.moved_task_ids = _move_tasks(uow, open_tasks, project, stream)
        uow.update(project, completed_at=utcnow(), archived=archive or project.archived)
        for series in chores:
            if stream is not None and series.project_id == project.id:
                uow.update(series, project_id=stream.id)
            first = start_series(uow, series, ctx)
            result.started.append(StartedSeries(series.id, str(series.template.get("title", "")),
                                                first.id if first else None, first.due if first else None))
        uow.commit()
        return result


def _stream(uow, key: str) -> Project:  # noqa: ANN001
    stream = lookup.project(uow, key)
    if stream.kind != "stream":
        raise InvalidInputError(f"{stream.key} is a project, not a stream: hand work over to ongoing work "
                                f"(`planner project add {stream.key}-ops --stream` makes one)")
    if stream.archived or stream.completed_at is not None:
        raise InvalidInputError(f"stream {stream.key} is archived: unarchive it first")
    return stream


def _move_tasks(uow, tasks: list[Task], project: Project, stream: Project) -> list[int]:  # noqa: ANN001
    """Move tasks into the stream; a state the stream's workflow lacks maps to its first of the same category."""
    old_states = {s.key: s for s in lookup.workflow_states(uow, project)}
    new_states = lookup.workflow_states(uow, stream)
    moved = []
    for task in tasks:
        status = task.status
        if not any(s.key == status for s in new_states):
            old = old_states.get(status)
            status = lookup.first_state(new_states, old.category if old else "todo").key
        uow.update(task, project_id=stream.id, status=status, sprint_id=None)
        moved.append(task.id)
    return moved
