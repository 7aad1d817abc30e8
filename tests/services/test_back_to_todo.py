"""A task sent back to a not-started state loses its actual start (and undo brings it back)."""

from __future__ import annotations

from datetime import date

from planner.services import queries
from planner.services.flow.workflows import move_task
from planner.services.planning.projects import add_project
from planner.services.planning.schedule import schedule_project
from planner.services.tasks.operations import TaskDraft, add_task, edit_task, start_task
from planner.services.undo import undo_last


def test_moving_back_to_todo_clears_the_actual_start_and_undo_restores_it(ctx):
    add_project(ctx, "web", start=date(2026, 11, 23))
    task_id = add_task(ctx, TaskDraft("A", project="web", duration_days=2)).task_id
    start_task(ctx, task_id)
    assert queries.get_task(ctx, task_id).actual_start == date(2026, 11, 25)
    move_task(ctx, task_id, "todo")
    assert queries.get_task(ctx, task_id).actual_start is None
    # not started: a start-no-earlier in the future now decides where the plan puts it
    edit_task(ctx, task_id, {"start_no_earlier": date(2026, 12, 7)})
    assert schedule_project(ctx, "web").tasks[0].start == date(2026, 12, 7)
    undo_last(ctx)  # the start-no-earlier
    undo_last(ctx)  # the move
    task = queries.get_task(ctx, task_id)
    assert task.status == "doing" and task.actual_start == date(2026, 11, 25)


def test_edit_status_to_backlog_clears_the_actual_start(ctx):
    task_id = add_task(ctx, TaskDraft("A")).task_id
    start_task(ctx, task_id)
    edit_task(ctx, task_id, {}, status="backlog")
    task = queries.get_task(ctx, task_id)
    assert task.status == "backlog" and task.actual_start is None
