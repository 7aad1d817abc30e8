"""Project schedules through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from planner.domain.errors import InvalidInputError, NotFoundError
from planner.services.tasks.dependencies import add_dependency
from planner.services.planning.projects import add_project
from planner.services.planning.schedule import open_task_slack, schedule_project
from planner.services.tasks.operations import TaskDraft, add_task, complete_task, edit_task
from planner.services.people.resources import add_resource


def _diamond(ctx, deadline=date(2026, 12, 11)):
    """A(3) -> B(2), A -> C(1), B,C -> Launch; the project starts Monday 2026-11-30."""
    add_project(ctx, "web", start=date(2026, 11, 30), deadline=deadline)
    a = add_task(ctx, TaskDraft("A", project="web", duration_days=3)).task_id
    b = add_task(ctx, TaskDraft("B", project="web", duration_days=2, after=[a])).task_id
    c = add_task(ctx, TaskDraft("C", project="web", duration_days=1, after=[a])).task_id
    launch = add_task(ctx, TaskDraft("Launch", project="web", milestone=True, after=[b, c])).task_id
    return a, b, c, launch


def test_schedule_gives_offsets_dates_and_the_critical_path(ctx):
    a, b, c, launch = _diamond(ctx)
    schedule = schedule_project(ctx, "web")
    by_id = {task.id: task for task in schedule.tasks}
    assert (by_id[a].es, by_id[a].ef, by_id[b].es, by_id[b].ef, by_id[c].es, by_id[launch].es) == (0, 3, 3, 5, 3, 5)
    assert schedule.makespan_days == 5
    assert schedule.start == date(2026, 11, 30) and schedule.finish == date(2026, 12, 4)
    assert by_id[b].start == date(2026, 12, 3) and by_id[b].finish == date(2026, 12, 4)
    # the deadline (Fri 12-11, offset 10) is later than the finish: the backward pass starts from the finish
    assert by_id[c].slack == 1 and not by_id[c].critical
    assert schedule.critical_path == [a, b, launch]
    data = schedule.to_json()
    assert set(data) >= {"project", "start", "finish", "makespan_days", "tasks"}
    assert set(data["tasks"][0]) >= {"id", "external_id", "title", "start", "finish", "es", "ef", "ls", "lf",
                                     "slack", "critical"}


def test_missed_deadline_gives_negative_slack(ctx):
    a, b, _c, _launch = _diamond(ctx, deadline=date(2026, 12, 2))  # offset 3 < finish 5
    by_id = {task.id: task for task in schedule_project(ctx, "web").tasks}
    assert by_id[a].slack == -2 and by_id[b].slack == -2 and by_id[a].critical


def test_effort_becomes_duration_with_assigned_units(ctx):
    add_project(ctx, "ops", start=date(2026, 11, 30))
    add_resource(ctx, "ana")
    task_id = add_task(ctx, TaskDraft("Big", project="ops", estimate_hours=20, assignees=["ana"])).task_id
    assert schedule_project(ctx, "ops").tasks[0].duration_days == 3  # ceil(20 / (8 x 1))
    edit_task(ctx, task_id, {"estimate_hours": 4})
    assert schedule_project(ctx, "ops").tasks[0].duration_days == 1


def test_unfinished_work_is_not_scheduled_before_the_status_date(ctx):
    a, b, _c, _launch = _diamond(ctx)
    schedule = schedule_project(ctx, "web", status_date=date(2026, 12, 2))  # Wednesday = offset 2
    by_id = {task.id: task for task in schedule.tasks}
    assert by_id[a].es == 2 and by_id[b].es == 5


def test_done_task_is_fixed_at_its_actual_dates(ctx):
    add_project(ctx, "web", start=date(2026, 11, 23))
    a = add_task(ctx, TaskDraft("A", project="web", duration_days=5)).task_id
    b = add_task(ctx, TaskDraft("B", project="web", duration_days=1, after=[a])).task_id
    edit_task(ctx, a, {"actual_start": date(2026, 11, 23)})
    complete_task(ctx, a)  # finished on "today" (Wed 11-25): three days instead of five
    by_id = {task.id: task for task in schedule_project(ctx, "web").tasks}
    assert (by_id[a].es, by_id[a].ef) == (0, 3)
    assert by_id[b].es == 3 and by_id[a].done


def test_streams_and_unknown_projects_have_no_schedule(ctx):
    add_project(ctx, "support", kind="stream")
    with pytest.raises(InvalidInputError, match="stream"):
        schedule_project(ctx, "support")
    with pytest.raises(NotFoundError):
        schedule_project(ctx, "nope")


def test_open_task_slack_is_none_without_pressure(ctx):
    add_project(ctx, "calm", start=date(2026, 11, 30))
    x = add_task(ctx, TaskDraft("X", project="calm", duration_days=2)).task_id
    y = add_task(ctx, TaskDraft("Y", project="calm", duration_days=1, due=date(2026, 12, 11))).task_id
    z = add_task(ctx, TaskDraft("Z", project="calm", duration_days=1)).task_id
    add_dependency(ctx, z, y)
    slack = open_task_slack(ctx)
    assert slack[x].slack_days is None and not slack[x].critical
    # Y (after Z) finishes at offset 2 and is due at the end of Fri 12-11 (offset 10): 8 days to spare,
    # though Y ends the longest chain of its project (DESIGN.md: slack to a due date, not to the finish)
    assert (slack[y].slack_days, slack[y].critical) == (8, False)
    assert slack[z].slack_days == 8
    assert set(open_task_slack(ctx, [x])) == {x, y, z}


def test_work_done_before_the_project_start_keeps_its_dates(ctx):
    add_project(ctx, "web", start=date(2026, 12, 7))  # a Monday after today (Wed 11-25)
    a = add_task(ctx, TaskDraft("A", project="web", duration_days=2)).task_id
    b = add_task(ctx, TaskDraft("B", project="web", duration_days=3, after=[a])).task_id
    kickoff = add_task(ctx, TaskDraft("Kickoff", project="web", milestone=True)).task_id
    edit_task(ctx, a, {"actual_start": date(2026, 11, 23)})
    complete_task(ctx, a)
    complete_task(ctx, kickoff)
    schedule = schedule_project(ctx, "web")
    by_id = {task.id: task for task in schedule.tasks}
    assert (by_id[a].start, by_id[a].finish, by_id[a].es, by_id[a].ef) == (date(2026, 11, 23), date(2026, 11, 25), 0, 3)
    assert by_id[kickoff].finish == date(2026, 11, 25)
    assert by_id[b].start == date(2026, 12, 7)  # unfinished work still waits for the project's start
    assert schedule.start == date(2026, 11, 23) and schedule.finish == date(2026, 12, 9)
    assert min(t.es for t in schedule.tasks) >= 0
    assert schedule_project(ctx, "web", level=True).tasks[-1].start == date(2026, 12, 7)
