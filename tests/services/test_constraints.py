"""Moving a task's start through the services, on SQLite and PostgreSQL: pin, or clear back at the origin."""

from __future__ import annotations

from datetime import date

from planner.services.planning.constraints import move_start, unconstrained_start
from planner.services.planning.projects import add_project
from planner.services.queries import get_task
from planner.services.tasks.operations import TaskDraft, add_task


def test_a_move_pins_the_start_and_a_move_back_to_the_unconstrained_start_clears_it(ctx):
    add_project(ctx, "web", start=date(2026, 11, 30))
    design = add_task(ctx, TaskDraft("Design", project="web", duration_days=3)).task_id
    build = add_task(ctx, TaskDraft("Build", project="web", duration_days=2, after=[design])).task_id
    assert unconstrained_start(ctx, build) == date(2026, 12, 3)
    assert move_start(ctx, build, date(2026, 12, 7)) == date(2026, 12, 7)
    assert get_task(ctx, build).start_no_earlier == date(2026, 12, 7)
    assert unconstrained_start(ctx, build) == date(2026, 12, 3)  # its own pin does not count
    assert move_start(ctx, build, date(2026, 12, 4)) == date(2026, 12, 4)
    assert move_start(ctx, build, date(2026, 12, 3)) is None
    assert get_task(ctx, build).start_no_earlier is None


def test_an_earlier_move_of_a_task_held_by_something_else_writes_nothing(ctx):
    import pytest

    from planner.domain.errors import InvalidInputError
    from planner.services.queries import get_task

    add_project(ctx, "web", start=date(2026, 11, 30))
    design = add_task(ctx, TaskDraft("Design", project="web", duration_days=3)).task_id
    build = add_task(ctx, TaskDraft("Build", project="web", duration_days=2, after=[design])).task_id
    version = get_task(ctx, build).version
    for target in (date(2026, 12, 2), date(2026, 11, 30), None):  # before its predecessor ends, or to the start
        with pytest.raises(InvalidInputError, match=f"#{build} is held where it is"):
            move_start(ctx, build, target, earlier=True)
    assert get_task(ctx, build).version == version and get_task(ctx, build).start_no_earlier is None
