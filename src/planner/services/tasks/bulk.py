"""Many tasks at once: resolve a selection (ids or a filter), then change every task in one unit of work.

One unit of work is one transaction and one undo step: an unknown id or a refused task anywhere in the
selection changes nothing, and `planner undo` reverts the whole command.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from planner.domain.errors import InvalidInputError, NotFoundError
from planner.domain.selection import SELECTION_HINT, parse_selection
from planner.services.context import Context
from planner.services.records import TaskState, detached
from planner.store import catalog_views
from planner.services.tasks.operations import (assign_in, check_edit, check_snooze, complete_in, edit_in, snooze_in,
                                               start_in, tag_in)
from planner.store.uow import UnitOfWork

Result = TypeVar("Result")

#: Ids looked up per query when checking a selection (SQLite allows at most 999 parameters on old builds).
_CHUNK = 500


@dataclass(slots=True)
class Selection:
    """The tasks a command will change: their ids and titles, in the order given."""

    ids: list[int]
    titles: list[str]

    def __len__(self) -> int:
        return len(self.ids)


def select_tasks(ctx: Context, words: list[str], where: str | None = None) -> Selection:
    """The tasks ``words`` (``4,7 9 2-5``) or the filter ``where`` name; every id must exist."""
    if where is not None:
        if words:
            raise InvalidInputError(f"give task ids ({SELECTION_HINT}) or --where FILTER, not both")
        return _matching(ctx, where)
    ids = parse_selection(words)
    titles: dict[int, str] = {}
    with ctx.reader() as conn:
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start:start + _CHUNK]
            titles.update(catalog_views.task_titles(conn, chunk))
    missing = [task_id for task_id in ids if task_id not in titles]
    if missing:
        shown = ", ".join(f"#{task_id}" for task_id in missing[:5]) + (" ..." if len(missing) > 5 else "")
        raise NotFoundError(f"no task {shown} in the selection {' '.join(words)}: nothing changed "
                            "(`planner ls` lists the open tasks and their ids)")
    return Selection(ids, [titles[task_id] for task_id in ids])


def _matching(ctx: Context, where: str) -> Selection:
    from planner.services.queries import list_tasks

    try:
        terms = shlex.split(where)
    except ValueError as error:
        raise InvalidInputError(f"--where {where!r}: {error}") from None
    if not terms:
        raise InvalidInputError('--where needs a filter, e.g. --where "project:home +phone due.before:fri"')
    tasks = list_tasks(ctx, terms).tasks
    if not tasks:
        raise NotFoundError(f"no task matches --where {where!r}: nothing changed (`planner ls {where}` shows why)")
    return Selection([task.id for task in tasks], [task.title for task in tasks])


def check_single_version(ids: list[int], expected_version: int | None) -> None:
    """``--if-version`` guards one task's version: with several tasks it means nothing, so it is refused."""
    if expected_version is not None and len(ids) > 1:
        raise InvalidInputError(f"--if-version guards one task, not {len(ids)}: give one id")


def each_task(ctx: Context, ids: list[int], change: Callable[[UnitOfWork, int], Result]) -> list[Result]:
    """Apply ``change`` to every task in one transaction (one undo step); the first refusal rolls all back."""
    with ctx.uow() as uow:
        results = [change(uow, task_id) for task_id in ids]
        uow.commit()
        return results


def _states(tasks: list[Any]) -> list[TaskState]:
    return [detached(TaskState, task) for task in tasks]


def edit_tasks(ctx: Context, ids: list[int], changes: dict[str, Any], *, expected_version: int | None = None,
               **relations: Any) -> list[TaskState]:
    """Apply the same edit to every task (``relations``: project, add_tags, assign ... as in edit_task)."""
    check_single_version(ids, expected_version)
    check_edit(changes)
    return _states(each_task(ctx, ids, lambda uow, task_id: edit_in(
        uow, ctx, task_id, changes, expected_version=expected_version, **relations)))


def start_tasks(ctx: Context, ids: list[int], *, at: datetime | None = None,
                expected_version: int | None = None) -> list[TaskState]:
    """Start every task (``at``: their actual start, naive local time, not in the future)."""
    check_single_version(ids, expected_version)
    return _states(each_task(ctx, ids, lambda uow, task_id: start_in(
        uow, ctx, task_id, at=at, expected_version=expected_version)))


def complete_tasks(ctx: Context, ids: list[int], *, at: datetime | None = None,
                   expected_version: int | None = None) -> list[TaskState]:
    """Complete every task (``at``: their actual finish, not in the future nor before a task's start)."""
    check_single_version(ids, expected_version)
    return _states(each_task(ctx, ids, lambda uow, task_id: complete_in(
        uow, ctx, task_id, at=at, expected_version=expected_version)))


def snooze_tasks(ctx: Context, ids: list[int], until: date | None, *,
                 expected_version: int | None = None) -> list[TaskState]:
    """Snooze every task until a day (None wakes them)."""
    check_single_version(ids, expected_version)
    check_snooze(ctx, until)
    return _states(each_task(ctx, ids, lambda uow, task_id: snooze_in(
        uow, task_id, until, expected_version=expected_version)))


def assign_tasks(ctx: Context, ids: list[int], handles: list[str], *, units: float | None = None,
                 remove: bool = False, create: bool = False) -> list[TaskState]:
    """Assign (or with ``remove`` unassign) the same people on every task."""
    return _states(each_task(ctx, ids, lambda uow, task_id: assign_in(
        uow, task_id, handles, units=units, remove=remove, create=create)))


def tag_tasks(ctx: Context, ids: list[int], names: list[str], *, remove: bool = False) -> list[TaskState]:
    """Tag (or with ``remove`` untag) every task."""
    return _states(each_task(ctx, ids, lambda uow, task_id: tag_in(uow, task_id, names, remove=remove)))
