"""Effort-driven durations through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

from planner.services.people.calendars import add_calendar, edit_calendar, use_calendar
from planner.services.people.resources import add_resource
from planner.services.planning.projects import add_project
from planner.services.planning.schedule import schedule_project
from planner.services.tasks.operations import TaskDraft, add_task, assign


def test_each_persons_own_calendar_hours_drive_the_duration(ctx):
    add_project(ctx, "ops", start=date(2026, 11, 30))
    add_calendar(ctx, "short", hours_per_day=4)
    add_resource(ctx, "ana")
    add_resource(ctx, "cy", capacity=0.5)
    use_calendar(ctx, "short", resource="cy")
    task_id = add_task(ctx, TaskDraft("Survey", project="ops", estimate_hours=12, assignees=["ana", "cy"])).task_id
    task = schedule_project(ctx, "ops").tasks[0]
    assert task.duration_days == 2  # 12 ÷ (1 x 8 + 0.5 x 4) = 1.2 → 2
    assert [(w.handle, w.units, w.hours_per_day) for w in task.assignments] == [("ana", 1.0, 8.0), ("cy", 0.5, 4.0)]
    assign(ctx, task_id, ["ana"], remove=True)
    assert schedule_project(ctx, "ops").tasks[0].duration_days == 6  # 12 ÷ 2
    edit_calendar(ctx, "short", hours_per_day=6)
    assert schedule_project(ctx, "ops").tasks[0].duration_days == 4  # derived at schedule time: 12 ÷ 3
