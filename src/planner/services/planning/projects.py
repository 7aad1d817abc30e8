"""Project and stream use cases."""

from __future__ import annotations

from datetime import date

from planner.domain.errors import ConflictError, InvalidInputError
from sqlmodel import select

from planner.services import lookup
from planner.services.context import Context
from planner.services.records import ProjectState, detached
from planner.store.models import Project, utcnow


def add_project(ctx: Context, key: str, *, name: str | None = None, kind: str = "project",
                start: date | None = None, deadline: date | None = None,
                reserve_percent: float = 0.0) -> ProjectState:
    """Create a project (or a stream with ``kind='stream'``)."""
    normalized = lookup.validate_key(key)
    if kind not in ("project", "stream"):
        raise InvalidInputError(f"project kind {kind!r} unknown: use project or stream")
    if start and deadline and deadline < start:
        raise InvalidInputError(f"the deadline {deadline} is before the start {start}")
    if not 0 <= reserve_percent <= 100:
        raise InvalidInputError(f"a reservation is a share of capacity from 0% to 100%, not {reserve_percent}%")
    with ctx.uow() as uow:
        if uow.first(select(Project).where(Project.key == normalized)) is not None:
            raise ConflictError(f"project {normalized!r} already exists: `planner project edit {normalized} --name ... "
                                "--start ... --deadline ...` changes it")
        project = uow.add(Project(key=normalized, name=name or normalized, kind=kind, start=start,
                                  deadline=deadline, reserve_percent=reserve_percent))
        uow.commit()
        return detached(ProjectState, project)


def edit_project(ctx: Context, key: str, **changes: object) -> ProjectState:
    """Change a project's name, dates, kind, reservation or portfolio priority (higher books people first)."""
    allowed = {"name", "start", "deadline", "kind", "reserve_percent", "calendar_id", "workflow_id", "priority"}
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInputError(f"cannot edit {', '.join(sorted(unknown))} of a project")
    with ctx.uow() as uow:
        project = lookup.project(uow, key)
        start = changes.get("start", project.start)
        deadline = changes.get("deadline", project.deadline)
        if start and deadline and deadline < start:  # type: ignore[operator]
            raise InvalidInputError(f"the deadline {deadline} is before the start {start}")
        priority = changes.get("priority", 0)
        if not isinstance(priority, int) or isinstance(priority, bool) or not -1000 <= priority <= 1000:
            raise InvalidInputError(f"project priority {priority!r}: give a whole number from -1000 to 1000 "
                                    "(higher levels first)")
        uow.update(project, **changes)
        uow.commit()
        return detached(ProjectState, project)


def archive_project(ctx: Context, key: str, *, archived: bool = True) -> ProjectState:
    """Hide a project from lists (or bring it back)."""
    with ctx.uow() as uow:
        project = lookup.project(uow, key)
        uow.update(project, archived=archived, updated_at=utcnow())
        uow.commit()
        return detached(ProjectState, project)
