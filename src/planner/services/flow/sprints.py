"""Sprint use cases: time boxes of a project, the tasks planned into them, and burndown data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlmodel import select

from planner.domain.clock import utc_to_local
from planner.domain.errors import ConflictError, InvalidInputError, NotFoundError
from planner.services import lookup
from planner.services.context import Context
from planner.store.models import Project, Sprint, Task
from planner.store.uow import UnitOfWork


@dataclass(slots=True)
class SprintInfo:
    """A sprint as listed."""

    project: str
    name: str
    start: date
    end: date
    tasks: int = 0
    done: int = 0

    def to_json(self) -> dict[str, Any]:
        """The sprint as JSON."""
        return {"project": self.project, "name": self.name, "start": self.start.isoformat(),
                "end": self.end.isoformat(), "tasks": self.tasks, "done": self.done}


@dataclass(slots=True)
class BurndownPoint:
    """Remaining estimate at the end of one working day (None for days still to come)."""

    day: date
    remaining_hours: float | None
    ideal_hours: float

    def to_json(self) -> dict[str, Any]:
        """The point as JSON."""
        return {"day": self.day.isoformat(),
                "remaining_hours": None if self.remaining_hours is None else round(self.remaining_hours, 4),
                "ideal_hours": round(self.ideal_hours, 4)}


@dataclass(slots=True)
class SprintTask:
    """A task of a sprint with the estimate the burndown counts."""

    id: int
    title: str
    status: str
    estimate_hours: float
    finished: date | None

    def to_json(self) -> dict[str, Any]:
        """The task as JSON."""
        return {"id": self.id, "title": self.title, "status": self.status, "estimate_hours": self.estimate_hours,
                "finished": self.finished.isoformat() if self.finished else None}


@dataclass(slots=True)
class ScopeChange:
    """A task put into (positive hours) or taken out of (negative) the sprint after it started."""

    day: date
    task_id: int
    hours: float

    def to_json(self) -> dict[str, Any]:
        """The change as JSON."""
        return {"day": self.day.isoformat(), "task_id": self.task_id, "hours": round(self.hours, 4)}


@dataclass(slots=True)
class SprintReport:
    """A sprint with its tasks and burndown (remaining estimate per working day)."""

    sprint: SprintInfo
    tasks: list[SprintTask]
    burndown: list[BurndownPoint] = field(default_factory=list)
    scope_changes: list[ScopeChange] = field(default_factory=list)

    @property
    def total_hours(self) -> float:
        """The estimate of every task in the sprint."""
        return sum(task.estimate_hours for task in self.tasks)

    @property
    def remaining_hours(self) -> float:
        """The estimate of the tasks not finished yet."""
        return sum(task.estimate_hours for task in self.tasks if task.finished is None)

    def to_json(self) -> dict[str, Any]:
        """The sprint, its tasks and its burndown as JSON."""
        return {**self.sprint.to_json(), "total_hours": round(self.total_hours, 4),
                "remaining_hours": round(self.remaining_hours, 4),
                "task_list": [task.to_json() for task in self.tasks],
                "burndown": [point.to_json() for point in self.burndown],
                "scope_changes": [change.to_json() for change in self.scope_changes]}


def _sprint(uow: UnitOfWork, project: Project, name: str) -> Sprint:
    found = uow.first(select(Sprint).where(Sprint.project_id == project.id, Sprint.name == name.strip()))
    if found is None:
        raise NotFoundError(f"no sprint {name!r} in {project.key}: `planner sprint ls {project.key}` lists them")
    return found


def add_sprint(ctx: Context, project_key: str, name: str, *, start: date, end: date) -> SprintInfo:
    """Create a sprint of a project from ``start`` to ``end`` (inclusive)."""
    if not name.strip():
        raise InvalidInputError("a sprint needs a name, e.g. \"Sprint 1\"")
    if end < start:
        raise InvalidInputError(f"the sprint ends ({end}) before it starts ({start})")
    with ctx.uow() as uow:
        project = lookup.project(uow, project_key)
        if uow.first(select(Sprint).where(Sprint.project_id == project.id, Sprint.name == name.strip())):
            raise ConflictError(f"{project.key} already has a sprint {name.strip()!r}")
        sprint = uow.add(Sprint(project_id=project.id, name=name.strip(), start=start, end=end))
        uow.commit()
        return SprintInfo(project.key, sprint.name, sprint.start, sprint.end)


def plan_into_sprint(ctx: Context, project_key: str, name: str, task_ids: list[int], *,
                     remove: bool = False) -> SprintInfo:
    """Put tasks of the project into a sprint (or take them out with ``remove``)."""
    with ctx.uow() as uow:
        project = lookup.project(uow, project_key)
        sprint = _sprint(uow, project, name)
        for task_id in task_ids:
            task = lookup.task(uow, task_id)
            if task.project_id != project.id:
                raise InvalidInputError(f"task #{task_id} is not in {project.key}: a sprint holds its project's tasks")
            if remove:
                if task.sprint_id == sprint.id:
                    uow.update(task, sprint_id=None)
            elif task.sprint_id != sprint.id:
                uow.update(task, sprint_id=sprint.id)
        info = _sprint_info(uow, project, sprint)
        uow.commit()
        return info


def _sprint_info(uow: UnitOfWork, project: Project, sprint: Sprint) -> SprintInfo:
    tasks = uow.all(select(Task).where(Task.sprint_id == sprint.id))
    return SprintInfo(project.key, sprint.name, sprint.start, sprint.end, len(tasks),
                      sum(1 for t in tasks if t.completed_at is not None))


def list_sprints(ctx: Context, project_key: str | None = None) -> list[SprintInfo]:
    """Sprints (of one project, or all), earliest first."""
    with ctx.uow() as uow:
        statement = select(Sprint, Project).join(Project, Project.id == Sprint.project_id)
        if project_key is not None:
            statement = statement.where(Project.id == lookup.project(uow, project_key).id)
        pairs = uow.session.exec(statement.order_by(Sprint.start, Project.key)).all()
        return [_sprint_info(uow, project, sprint) for sprint, project in pairs]


def remove_sprint(ctx: Context, project_key: str, name: str) -> SprintInfo:
    """Delete a sprint; its tasks stay, outside any sprint."""
    with ctx.uow() as uow:
        project = lookup.project(uow, project_key)
        sprint = _sprint(uow, project, name)
        info = _sprint_info(uow, project, sprint)
        for task in uow.all(select(Task).where(Task.sprint_id == sprint.id)):
            uow.update(task, sprint_id=None)
        uow.delete(sprint)
        uow.commit()
        return info


def _finished_on(task: Task) -> date | None:
    if task.completed_at is None:
        return None
    if task.actual_finish is not None:
        return task.actual_finish
    return utc_to_local(task.completed_at).date()


def _scope_changes(uow: UnitOfWork, sprint_id: int, start: date, today: date,
                   default_hours: float) -> list[ScopeChange]:
    """Tasks moved into or out of the sprint after its first day and by ``today``, from the event log."""
    from planner.store.models import Event

    changes = []
    for event in uow.all(select(Event).where(Event.entity == "task", Event.action == "updated",
                                             Event.undone == False).order_by(Event.id)):  # noqa: E712
        before, after = event.before or {}, event.after or {}
        if not start < utc_to_local(event.at).date() <= today:
            continue
        was_in, is_in = before.get("sprint_id") == sprint_id, after.get("sprint_id") == sprint_id
        if was_in == is_in:
            continue
        estimate = after.get("estimate_hours")
        hours = float(estimate) if estimate is not None else default_hours
        changes.append(ScopeChange(utc_to_local(event.at).date(), int(event.entity_id or 0),
                                   hours if is_in else -hours))
    return changes


def sprint_report(ctx: Context, project_key: str, name: str) -> SprintReport:
    """A sprint's tasks and its burndown over the project calendar's working days."""
    from planner.services.planning.schedule import work_calendar
    from planner.store.schedule_views import load_calendar

    default_hours = ctx.settings.default_estimate_hours
    with ctx.uow() as uow:
        project = lookup.project(uow, project_key)
        sprint = _sprint(uow, project, name)
        info = _sprint_info(uow, project, sprint)
        calendar_id, start, end = project.calendar_id, sprint.start, sprint.end
        tasks = [SprintTask(t.id, t.title, t.status, t.estimate_hours if t.estimate_hours is not None
                            else default_hours, _finished_on(t))
                 for t in uow.all(select(Task).where(Task.sprint_id == sprint.id).order_by(Task.id))]
        changes = _scope_changes(uow, sprint.id, start, ctx.today(), default_hours)
    with ctx.reader() as conn:
        calendar = work_calendar(load_calendar(conn, calendar_id))
    days = calendar.working_dates(start, end + timedelta(days=1)) or [start]
    report = SprintReport(info, tasks, scope_changes=changes)
    total = report.total_hours
    for index, day in enumerate(days):
        remaining = None
        if day <= ctx.today():
            remaining = sum(t.estimate_hours for t in tasks if t.finished is None or t.finished > day)
        report.burndown.append(BurndownPoint(day, remaining, total * (len(days) - index - 1) / len(days)))
    return report
