"""A task's own rows inside a unit of work: tags, assignments, links, and deleting it with them."""

from __future__ import annotations

from sqlalchemy.orm import aliased
from sqlmodel import select

from planner.domain.capacity import check_units
from planner.domain.errors import ConflictError, CycleError, InvalidInputError
from planner.domain.graph import would_create_cycle
from planner.domain.network import LINK_TYPES
from planner.services import lookup, ownership
from planner.store.models import (
    Assignment,
    Comment,
    DayPlan,
    Dependency,
    Project,
    Task,
    TaskTag,
    TimeEntry,
)
from planner.store.uow import UnitOfWork


def tag_task(uow: UnitOfWork, task: Task, name: str) -> None:
    """Tag a task (creating the tag); a tag it has already is kept."""
    tag = lookup.tag_or_create(uow, name)
    if uow.first(select(TaskTag).where(TaskTag.task_id == task.id, TaskTag.tag_id == tag.id)) is None:
        uow.add(TaskTag(task_id=task.id, tag_id=tag.id))


def untag_task(uow: UnitOfWork, task: Task, name: str) -> None:
    """Remove a tag from a task, if it has it."""
    tag = lookup.tag_or_create(uow, name)
    row = uow.first(select(TaskTag).where(TaskTag.task_id == task.id, TaskTag.tag_id == tag.id))
    if row is not None:
        uow.delete(row)


def default_units(capacity: float | None) -> float:
    """Units of an assignment nobody gave: a full day, or all a part-time person has (min(1, capacity))."""
    return min(1.0, capacity) if capacity and capacity > 0 else 1.0


def assign_resource(uow: UnitOfWork, task: Task, handle: str, units: float | None = None, *,
                    create: bool = False) -> None:
    """Assign a person at ``units`` per day (default: :func:`default_units`), or change an assignment's units.

    An unknown handle is refused (a typo must not become a person) unless ``create`` says to add them
    or it is the acting person's own handle (a solo user assigning themselves).
    """
    if units is not None:
        check_units(units)
    yourself = handle.strip().lower() == uow.actor.strip().lower()
    resource = lookup.resource_or_create(uow, handle) if create or yourself else lookup.resource(uow, handle)
    if units is None:
        units = default_units(resource.capacity)
    elif resource.capacity and units > resource.capacity + 1e-9:
        raise InvalidInputError(
            f"{resource.handle} gives at most {resource.capacity:g} units a day (their capacity), not {units:g}: "
            f"lower --units or raise it (`planner resource edit {resource.handle} --capacity N`)")
    existing = uow.first(select(Assignment).where(Assignment.task_id == task.id,
                                                  Assignment.resource_id == resource.id))
    if existing is None:
        uow.add(Assignment(task_id=task.id, resource_id=resource.id, units=units))
    elif existing.units != units:
        uow.update(existing, units=units)


def unassign_resource(uow: UnitOfWork, task: Task, handle: str) -> None:
    """Remove a person from a task, if assigned."""
    resource = lookup.resource(uow, handle)
    row = uow.first(select(Assignment).where(Assignment.task_id == task.id, Assignment.resource_id == resource.id))
    if row is not None:
        uow.delete(row)


def link_tasks(uow: UnitOfWork, predecessor_id: int, successor_id: int, *, type: str = "FS",
               lag_days: int = 0) -> Dependency:
    """Add (or update) a dependency inside a unit of work, refusing cycles."""
    link_type = type.upper()
    if link_type not in LINK_TYPES:
        raise InvalidInputError(f"dependency type {type!r} unknown: use FS, SS, FF or SF")
    if predecessor_id == successor_id:
        raise CycleError([predecessor_id], f"task #{predecessor_id} cannot depend on itself")
    lookup.task(uow, predecessor_id)
    lookup.task(uow, successor_id)
    existing = uow.first(select(Dependency).where(Dependency.predecessor_id == predecessor_id,
                                                  Dependency.successor_id == successor_id))
    if existing is not None:
        return uow.update(existing, type=link_type, lag_days=lag_days)
    edges = [(int(p), int(s)) for p, s in uow.session.exec(
        select(Dependency.predecessor_id, Dependency.successor_id)).all()]
    cycle = would_create_cycle(edges, predecessor_id, successor_id)
    if cycle:
        raise CycleError(cycle)
    _refuse_project_cycle(uow, predecessor_id, successor_id)
    return uow.add(Dependency(predecessor_id=predecessor_id, successor_id=successor_id, type=link_type,
                              lag_days=lag_days))


def unlink_tasks(uow: UnitOfWork, predecessor_id: int, successor_id: int) -> None:
    """Remove the link ``predecessor -> successor`` (of any type), if there is one."""
    link = uow.first(select(Dependency).where(Dependency.predecessor_id == predecessor_id,
                                              Dependency.successor_id == successor_id))
    if link is not None:
        uow.delete(link)


def _refuse_project_cycle(uow: UnitOfWork, predecessor_id: int, successor_id: int) -> None:
    """Refuse a cross-project link that would make two projects wait for each other (portfolio order)."""
    predecessor, successor = lookup.task(uow, predecessor_id), lookup.task(uow, successor_id)
    if predecessor.project_id == successor.project_id:
        return
    pred_task, succ_task = aliased(Task), aliased(Task)
    project_edges = {(int(p), int(s)) for p, s in uow.session.exec(
        select(pred_task.project_id, succ_task.project_id)
        .join(Dependency, Dependency.predecessor_id == pred_task.id)
        .join(succ_task, Dependency.successor_id == succ_task.id)
        .where(pred_task.project_id != succ_task.project_id)).all()}
    if would_create_cycle(sorted(project_edges), predecessor.project_id, successor.project_id):
        projects = {project.id: project.key for project in uow.all(select(Project))}
        raise CycleError([predecessor_id, successor_id], (
            f"cannot link #{predecessor_id} -> #{successor_id}: project {projects[predecessor.project_id]} already "
            f"waits for project {projects[successor.project_id]}, and cross-project links must keep one order between projects "
            "(the predecessor's project is scheduled first); `planner dep ls` lists the links"))


def delete_rows(uow: UnitOfWork, task: Task, *, take_others: bool = False) -> None:
    """Delete a task and its links, tags, assignments, plans, time and comments inside ``uow`` (each logged).

    Refuses when any of those rows is someone else's (a delete never takes another person's work along
    unless ``take_others`` says so).
    """
    taken = ownership.dependents(uow, [("task", task.id)], skip=frozenset({("task", "parent_id")}))
    foreign = [] if take_others else ownership.foreign_rows(uow, taken, uow.actor, along_with=("task", task.id))
    if foreign:
        raise ConflictError(f"cannot remove task #{task.id}: {ownership.describe_all(foreign)} on it; "
                            "ask them, or add --others to remove their rows too (undo brings them back)")
    for child in uow.all(select(Task).where(Task.parent_id == task.id)):
        uow.update(child, parent_id=task.parent_id)
    for model, column in ((Dependency, Dependency.predecessor_id), (Dependency, Dependency.successor_id),
                          (TaskTag, TaskTag.task_id), (Assignment, Assignment.task_id),
                          (DayPlan, DayPlan.task_id), (TimeEntry, TimeEntry.task_id), (Comment, Comment.task_id)):
        for row in uow.all(select(model).where(column == task.id)):
            uow.delete(row)
    uow.delete(task)
