"""Bulk task services and backdating on SQLite and PostgreSQL: one transaction, one undo step, past moments."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from planner.domain.errors import InvalidInputError, NotFoundError
from planner.services import queries
from planner.services.flow.timetracking import log_time, start_timer, stop_timer, time_report
from planner.services.flow.workflows import move_tasks
from planner.services.planning.schedule import schedule_project
from planner.services.planning.projects import add_project
from planner.services.tasks.bulk import complete_tasks, edit_tasks, select_tasks, start_tasks, tag_tasks
from planner.services.tasks.operations import TaskDraft, add_task
from planner.services.undo import undo_last
from tests.conftest import TODAY

NOON = datetime.combine(TODAY, datetime.min.time()) + timedelta(hours=12)


def _tasks(ctx, count: int, **draft) -> list[int]:
    return [add_task(ctx, TaskDraft(f"chore {n}", **draft)).task_id for n in range(1, count + 1)]


def test_a_bulk_edit_is_one_transaction_and_one_undo_step(ctx):
    ids = _tasks(ctx, 12, project="home")
    edit_tasks(ctx, ids, {"priority": 3}, add_tags=["garden"])
    assert all(queries.get_task(ctx, i).priority == 3 and queries.get_task(ctx, i).tags == ["garden"] for i in ids)
    result = undo_last(ctx)
    assert result.summary.endswith("and 9 more tasks")
    assert all(queries.get_task(ctx, i).priority == 0 and queries.get_task(ctx, i).tags == [] for i in ids)


def test_one_refused_task_changes_nothing(ctx):
    ids = _tasks(ctx, 3)
    complete_tasks(ctx, [ids[1]])
    with pytest.raises(InvalidInputError, match=f"task #{ids[1]} is already done"):
        complete_tasks(ctx, ids)
    assert [queries.get_task(ctx, i).status for i in ids] == ["todo", "done", "todo"]
    with pytest.raises(NotFoundError, match="#999"):
        tag_tasks(ctx, [ids[0], 999], ["x"])
    assert queries.get_task(ctx, ids[0]).tags == []


def test_selection_by_ids_and_by_filter(ctx):
    ids = _tasks(ctx, 4, project="home")
    tag_tasks(ctx, ids[:2], ["phone"])
    chosen = select_tasks(ctx, [f"{ids[0]}-{ids[2]}"])
    assert chosen.ids == ids[:3] and chosen.titles == ["chore 1", "chore 2", "chore 3"]
    assert select_tasks(ctx, [], where="project:home +phone").ids == ids[:2]
    with pytest.raises(NotFoundError, match=r"no task #77 in the selection"):
        select_tasks(ctx, [f"{ids[0]},77"])
    with pytest.raises(NotFoundError, match="no task matches --where"):
        select_tasks(ctx, [], where="project:home +nothing")
    with pytest.raises(InvalidInputError, match="not both"):
        select_tasks(ctx, [str(ids[0])], where="+phone")


def test_if_version_guards_one_task_only(ctx):
    ids = _tasks(ctx, 2)
    with pytest.raises(InvalidInputError, match="--if-version guards one task, not 2"):
        edit_tasks(ctx, ids, {"priority": 1}, expected_version=1)
    with pytest.raises(InvalidInputError, match="guards one task"):
        move_tasks(ctx, ids, "doing", expected_version=1)
    assert queries.get_task(ctx, ids[0]).priority == 0


def test_backdated_completion_and_start(ctx):
    ctx.now_override = NOON
    first, second = _tasks(ctx, 2)
    start_tasks(ctx, [first], at=datetime(2026, 11, 20, 9, 0))
    assert queries.get_task(ctx, first).actual_start == date(2026, 11, 20)
    with pytest.raises(InvalidInputError, match="cannot be done before"):
        complete_tasks(ctx, [first], at=datetime(2026, 11, 19, 17, 0))
    with pytest.raises(InvalidInputError, match="in the future"):
        complete_tasks(ctx, [second], at=NOON + timedelta(hours=1))
    assert queries.get_task(ctx, second).status == "todo"
    complete_tasks(ctx, [first, second], at=datetime(2026, 11, 24, 17, 0))
    done = queries.get_task(ctx, first)
    assert (done.actual_start, done.actual_finish) == (date(2026, 11, 20), date(2026, 11, 24))
    assert queries.get_task(ctx, second).actual_start == date(2026, 11, 24)


def test_backdated_completion_moves_the_successor(ctx):
    add_project(ctx, "p", name="P", start=date(2026, 11, 16))
    first = add_task(ctx, TaskDraft("A", project="p", duration_days=3)).task_id
    second = add_task(ctx, TaskDraft("B", project="p", duration_days=2, after=[first])).task_id
    start_tasks(ctx, [first], at=datetime(2026, 11, 16, 9, 0))
    complete_tasks(ctx, [first])
    on_time = {row.id: row.start for row in schedule_project(ctx, "p").tasks}
    undo_last(ctx)
    complete_tasks(ctx, [first], at=datetime(2026, 11, 18, 17, 0))
    backdated = {row.id: row.start for row in schedule_project(ctx, "p").tasks}
    assert on_time[second] == date(2026, 11, 26)
    assert backdated[second] == TODAY  # A finished last week: B may start on the status date


def test_timer_stop_and_log_at_a_past_moment(ctx):
    task_id = _tasks(ctx, 1)[0]
    ctx.now_override = datetime(2026, 11, 24, 9, 0)
    start_timer(ctx, task_id)
    ctx.now_override = NOON
    with pytest.raises(InvalidInputError, match="cannot stop before"):
        stop_timer(ctx, at=datetime(2026, 11, 24, 8, 0))
    with pytest.raises(InvalidInputError, match="in the future"):
        stop_timer(ctx, at=NOON + timedelta(minutes=1))
    stopped = stop_timer(ctx, at=datetime(2026, 11, 24, 17, 0))
    assert stopped.hours == pytest.approx(8.0)
    entry = log_time(ctx, task_id, 1.5, at=datetime(2026, 11, 23, 17, 0))
    assert entry.started_local == datetime(2026, 11, 23, 17, 0)
    with pytest.raises(InvalidInputError, match="ends in the future"):
        log_time(ctx, task_id, 1.0, at=NOON - timedelta(minutes=30))
    report = time_report(ctx, start=date(2026, 11, 23), end=date(2026, 11, 24), by="day")
    assert {row.key: row.hours for row in report.rows} == {"2026-11-23": 1.5, "2026-11-24": 8.0}
