"""Finding rows by what people type (ids, keys, handles) inside a unit of work."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import or_
from sqlmodel import select

from planner.domain.errors import InvalidInputError, NotFoundError

from planner.store.models import Project, Resource, Tag, Task, Workflow, WorkflowState
from planner.store.uow import UnitOfWork

KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,39}$")
DEFAULT_PROJECT = "inbox"
DEFAULT_WORKFLOW = "default"


def task(uow: UnitOfWork, task_id: int) -> Task:
    """The task with this id, or NotFoundError."""
    found = uow.get(Task, task_id)
    if found is None:
        raise NotFoundError(f"no task #{task_id}: `planner ls` lists the open tasks and their ids")
    return found


def check_version(row: Task, expected_version: int | None) -> None:
    """Refuse an edit made against an older version of the task."""
    from planner.domain.errors import StaleEditError

    if expected_version is not None and row.version != expected_version:
        raise StaleEditError(
            f"task #{row.id} changed since you loaded it (version {expected_version}, now {row.version}); "
            "reload it and apply your edit again"
        )


def validate_key(key: str, what: str = "project key") -> str:
    """A lower-case slug, or InvalidInputError saying what a key may be."""
    normalized = key.strip().lower()
    if not KEY_PATTERN.match(normalized):
        raise InvalidInputError(
            f"{what} {key!r} is not valid: use 1-40 lower-case letters, digits, '-', '_' or '.', e.g. web-2"
        )
    return normalized


def project(uow: UnitOfWork, key: str) -> Project:
    """The project with this key, or NotFoundError."""
    found = uow.first(select(Project).where(Project.key == key.strip().lower()))
    if found is None:
        from planner.domain.suggest import no_project

        keys = [row for row in uow.all(select(Project.key))]
        raise NotFoundError(no_project(key, keys) + f", `planner project add {key}` creates it")
    return found


def project_or_create(uow: UnitOfWork, key: str | None) -> tuple[Project, bool]:
    """The project with this key, created on first use (as Taskwarrior does); (project, created)."""
    wanted = validate_key(key or DEFAULT_PROJECT)
    found = uow.first(select(Project).where(Project.key == wanted))
    if found is not None:
        return found, False
    kind = "stream" if wanted == DEFAULT_PROJECT else "project"
    return uow.add(Project(key=wanted, name=wanted, kind=kind)), True


def resource(uow: UnitOfWork, handle: str) -> Resource:
    """The resource with this handle, or NotFoundError naming the closest handle."""
    found = uow.first(select(Resource).where(Resource.handle == handle.strip().lower()))
    if found is None:
        from difflib import get_close_matches

        handles = [row.handle for row in uow.all(select(Resource))]
        close = get_close_matches(handle.strip().lower(), handles, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise NotFoundError(
            f"no person or resource {handle!r}: {hint}`planner resource add {handle}` creates one, "
            "`planner resource ls` lists them"
        )
    return found


def resource_or_create(uow: UnitOfWork, handle: str) -> Resource:
    """The resource with this handle, created as a full-time person on first use."""
    wanted = validate_key(handle, "handle")
    found = uow.first(select(Resource).where(Resource.handle == wanted))
    return found if found is not None else uow.add(Resource(handle=wanted, name=wanted))


def tag_or_create(uow: UnitOfWork, name: str) -> Tag:
    """The tag with this name, created on first use."""
    wanted = name.strip().lstrip("+").lower()
    if not wanted or any(ch.isspace() for ch in wanted):
        raise InvalidInputError(f"tag {name!r} is not valid: one word, e.g. docs")
    found = uow.first(select(Tag).where(Tag.name == wanted))
    return found if found is not None else uow.add(Tag(name=wanted))


def workflow_states(uow: UnitOfWork, project_row: Project) -> list[WorkflowState]:
    """The ordered states of a project's workflow (the default one when unset)."""
    workflow_id = project_row.workflow_id
    if workflow_id is None:
        default = uow.first(select(Workflow).where(Workflow.name == DEFAULT_WORKFLOW))
        if default is None:
            raise NotFoundError("the default workflow is missing: run `planner db check`")
        workflow_id = default.id
    return uow.all(select(WorkflowState).where(WorkflowState.workflow_id == workflow_id)
                   .order_by(WorkflowState.position))


def first_state(states: list[WorkflowState], category: str) -> WorkflowState:
    """The state of a category (todo | doing | done): the one keyed like it, else the first."""
    for state in states:
        if state.key == category:
            return state
    for state in states:
        if state.category == category:
            return state
    raise NotFoundError(f"the workflow has no {category!r} state: add one with `planner workflow state add`")


def state_named(states: list[WorkflowState], key: str) -> WorkflowState:
    """The state with this key, or NotFoundError listing the valid ones."""
    for state in states:
        if state.key == key.strip().lower():
            return state
    raise NotFoundError(f"no state {key!r} in this workflow: use one of {', '.join(s.key for s in states)}")


def workflow_named(uow: UnitOfWork, name: str) -> Workflow:
    """The workflow of this name (NotFoundError with a hint otherwise)."""
    found = uow.first(select(Workflow).where(Workflow.name == name.strip().lower()))
    if found is None:
        raise NotFoundError(f"no workflow {name!r}: `planner workflow ls` lists them, "
                            f"`planner workflow add {name}` creates one")
    return found


def is_default_workflow(workflow: Workflow) -> bool:
    """Whether this is the workflow of projects that name none."""
    return workflow.name == DEFAULT_WORKFLOW


def projects_using(workflow: Workflow) -> Any:
    """A WHERE clause on Project: the projects whose tasks flow through ``workflow``."""
    if is_default_workflow(workflow):
        return or_(Project.workflow_id == workflow.id, Project.workflow_id.is_(None))  # type: ignore[union-attr]
    return Project.workflow_id == workflow.id


def workflow_of(uow: UnitOfWork, project: Project) -> Workflow:
    """The workflow a project's tasks flow through (the default one when unset)."""
    if project.workflow_id is not None:
        found = uow.get(Workflow, project.workflow_id)
        if found is not None:
            return found
    return workflow_named(uow, DEFAULT_WORKFLOW)
