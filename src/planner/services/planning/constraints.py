"""Start-no-earlier constraints set by moving a task: pin it, or clear the pin when it goes back."""

from __future__ import annotations

from datetime import date

from planner.domain.errors import InvalidInputError, NotFoundError
from planner.services.context import Context
from planner.services.planning.schedule import load_project, schedule_loaded
from planner.store import catalog_views
from planner.store import schedule_views as rows


def unconstrained_start(ctx: Context, task_id: int, *, status_date: date | None = None) -> date:
    """Where a task would start without its own start-no-earlier (its predecessors, the status date allowing)."""
    status = status_date or ctx.today()
    with ctx.reader() as conn:
        found = catalog_views.project_key_of_task(conn, task_id)
        if found is None:
            raise NotFoundError(f"no task #{task_id}: `planner ls` lists them")
        loaded = load_project(conn, rows.project_rows(conn, key=found, include_archived=True)[0], status)
    for task in loaded.tasks:
        if task.id == task_id:
            task.start_no_earlier = None
    schedule = schedule_loaded(loaded, status, level=False)
    return next(task.start for task in schedule.tasks if task.id == task_id)


def move_start(ctx: Context, task_id: int, target: date | None, *, expected_version: int | None = None,
               earlier: bool = False) -> date | None:
    """Pin a task to start no earlier than ``target``; no later than its unconstrained start clears the pin.

    So moving a bar back to where it came from leaves no constraint behind.
    An ``earlier`` move only loosens a pin: a task with no pin after ``target``
    is held by something else (predecessors, the status date, its people's
    other work), so nothing is written and the refusal says so.
    Returns the constraint stored (None: cleared).
    """
    from planner.services.queries import get_task
    from planner.services.tasks.operations import edit_task

    pin = None if target is None or target <= unconstrained_start(ctx, task_id) else target
    current = get_task(ctx, task_id).start_no_earlier
    if earlier and (current is None or (pin is not None and current <= pin)):
        raise InvalidInputError(f"#{task_id} is held where it is by its predecessors, the status date or its "
                                "people's other work: nothing changed")
    edit_task(ctx, task_id, {"start_no_earlier": pin}, expected_version=expected_version)
    return pin
