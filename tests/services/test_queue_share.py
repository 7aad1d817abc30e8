"""The queue's capacity cut counts a multi-day task's share of today, not its whole estimate."""

from __future__ import annotations

import pytest

from planner.services.people.resources import add_resource
from planner.services.planning.projects import add_project
from planner.services.queue import daily as q
from planner.services.tasks.operations import TaskDraft, add_task, edit_task
from tests.conftest import TODAY


@pytest.fixture(autouse=True)
def _cache_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(tmp_path / "cache"))


def test_a_three_day_task_counts_one_days_share(ctx):
    add_project(ctx, "web", start=TODAY)
    big = add_task(ctx, TaskDraft("Big", project="web", estimate_hours=24, assignees=["tester"], priority=3)).task_id
    small = add_task(ctx, TaskDraft("Small", project="web", estimate_hours=4, assignees=["tester"])).task_id
    items = {item.task_id: item for item in q.daily_queue(ctx).items}
    assert items[big].entry.fits and items[big].entry.cumulative_hours == 8.0
    assert not items[small].entry.fits  # 8h + 4h is past the 8h day
    assert items[big].to_json()["today_hours"] == 8.0


def test_the_share_follows_duration_progress_and_part_time_units(ctx):
    add_resource(ctx, "lead", capacity=0.5)
    add_project(ctx, "web", start=TODAY)
    spread = add_task(ctx, TaskDraft("Spread", project="web", estimate_hours=12, duration_days=4,
                                     assignees=["lead"])).task_id
    item = q.daily_queue(ctx, person="lead").items[0]
    assert item.entry.scored.candidate.today_hours == 3.0  # 12h over 4 days
    edit_task(ctx, spread, {"percent_done": 50, "duration_days": None})
    # 6h left; at half a day's units the 12h take 3 days, half of them left: 2 days
    assert q.daily_queue(ctx, person="lead").items[0].entry.scored.candidate.today_hours == 3.0


def test_the_queue_labels_deadline_slack_apart_from_the_schedules_slack(ctx):
    from datetime import date

    from planner.services.planning.schedule import schedule_project

    add_project(ctx, "web", start=TODAY, deadline=date(2026, 12, 23))
    task_id = add_task(ctx, TaskDraft("Only", project="web", duration_days=2, assignees=["tester"])).task_id
    planned = schedule_project(ctx, "web").tasks[0]
    assert (planned.slack, planned.critical) == (0, True)  # it decides the project's finish
    entry = q.daily_queue(ctx).items[0].to_json()
    assert entry["id"] == task_id
    assert (entry["deadline_slack_days"], entry["deadline_critical"]) == (19, False)  # the deadline is far
    assert "slack_days" not in entry and "critical" not in entry
    assert "critical path" not in entry["explain"]
