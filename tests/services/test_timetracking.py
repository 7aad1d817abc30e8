"""Timers, logged time and time reports on SQLite and PostgreSQL (UTC stored, local shown)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from planner.domain.clock import as_utc
from planner.domain.errors import InvalidInputError, NotFoundError
from planner.services import queries
from planner.services.tasks.operations import TaskDraft, add_task, complete_task
from planner.services.flow.timetracking import (
    log_time, running_timer, start_timer, stop_timer, time_report,
)
from tests.conftest import TODAY

NINE = datetime.combine(TODAY, datetime.min.time()) + timedelta(hours=9)


def _at(ctx, hour: float):
    ctx.now_override = NINE + timedelta(hours=hour - 9)
    return ctx


def test_start_stop_records_the_elapsed_time(ctx):
    task_id = add_task(ctx, TaskDraft("Write", project="web")).task_id
    started = start_timer(_at(ctx, 9), task_id)
    assert started.stopped is None and started.running.started_local == NINE
    assert queries.get_task(ctx, task_id).status == "doing"
    stopped = stop_timer(_at(ctx, 10.5))
    assert stopped.task_id == task_id and stopped.hours == pytest.approx(1.5)
    assert running_timer(ctx) is None


def test_starting_a_second_timer_stops_the_first(ctx):
    first = add_task(ctx, TaskDraft("First")).task_id
    second = add_task(ctx, TaskDraft("Second")).task_id
    start_timer(_at(ctx, 9), first)
    result = start_timer(_at(ctx, 9.25), second)
    assert result.stopped is not None and result.stopped.task_id == first
    assert result.stopped.hours == pytest.approx(0.25)
    running = running_timer(_at(ctx, 10))
    assert running is not None and running.task_id == second and running.hours == pytest.approx(0.75)


def test_timers_are_per_person(ctx):
    from tests.conftest import make_context

    task_id = add_task(ctx, TaskDraft("Shared")).task_id
    other = make_context(ctx.settings.database_url, actor="bo")
    other.now_override = NINE
    start_timer(_at(ctx, 9), task_id)
    start_timer(other, task_id)
    assert running_timer(ctx).person == "tester"
    assert running_timer(other).person == "bo"
    stop_timer(_at(ctx, 10))
    assert running_timer(other) is not None


def test_stop_without_a_running_timer_says_how_to_start_one(ctx):
    with pytest.raises(NotFoundError, match="no timer is running for tester: `planner timer start ID`"):
        stop_timer(ctx)


def test_starting_the_same_task_again_keeps_the_timer(ctx):
    task_id = add_task(ctx, TaskDraft("A")).task_id
    start_timer(_at(ctx, 9), task_id)
    again = start_timer(_at(ctx, 9.5), task_id)
    assert again.already_running and again.stopped is None and again.running.hours == pytest.approx(0.5)


def test_a_done_task_cannot_be_clocked(ctx):
    task_id = add_task(ctx, TaskDraft("A")).task_id
    complete_task(ctx, task_id)
    with pytest.raises(InvalidInputError, match="planner log"):
        start_timer(ctx, task_id)


@pytest.fixture
def berlin(monkeypatch):
    """The process runs in Europe/Berlin (UTC+1 in November)."""
    import time

    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_times_are_stored_in_utc_and_shown_in_local_time(ctx, berlin):
    task_id = add_task(ctx, TaskDraft("A")).task_id
    start_timer(_at(ctx, 9), task_id)
    with ctx.reader() as conn:
        stored = conn.scalar("SELECT started_at FROM timeentry")
    stored = stored if isinstance(stored, datetime) else datetime.fromisoformat(stored)
    assert as_utc(stored) == datetime(2026, 11, 25, 8, 0, tzinfo=timezone.utc)
    assert running_timer(ctx).started_local == NINE
    assert time_report(_at(ctx, 10)).total_hours == pytest.approx(1)


def test_a_day_of_the_report_is_a_local_day(ctx, berlin):
    task_id = add_task(ctx, TaskDraft("Late", project="web")).task_id
    _at(ctx, 0.5)  # 23:30 UTC on the 24th, but the 25th in Berlin
    log_time(ctx, task_id, 0.25)
    by_day = time_report(ctx, by="day")
    assert [(row.key, row.hours) for row in by_day.rows] == [("2026-11-25", 0.25)]


def test_log_and_report_by_project_person_task_and_day(ctx):
    from tests.conftest import make_context

    web = add_task(ctx, TaskDraft("Spec", project="web")).task_id
    ops = add_task(ctx, TaskDraft("Deploy", project="ops")).task_id
    _at(ctx, 17)
    log_time(ctx, web, 1.5)
    log_time(ctx, web, 2, day=TODAY - timedelta(days=1), note="draft")
    log_time(ctx, ops, 0.5, day=TODAY - timedelta(days=2))
    bo = make_context(ctx.settings.database_url, actor="bo")
    bo.now_override = NINE
    log_time(bo, ops, 1)
    log_time(ctx, web, 3, day=TODAY - timedelta(days=9))  # last week: outside the default report
    by_project = time_report(ctx)
    assert by_project.start == date(2026, 11, 23) and by_project.end == date(2026, 11, 29)
    assert [(row.key, row.hours) for row in by_project.rows] == [("web", 3.5), ("ops", 1.5)]
    assert by_project.total_hours == 5
    assert {row.key: row.hours for row in time_report(ctx, by="person").rows} == {"tester": 4.0, "bo": 1.0}
    assert {row.key: row.hours for row in time_report(ctx, by="task").rows} == {f"#{web}": 3.5, f"#{ops}": 1.5}
    by_day = time_report(ctx, by="day", start=TODAY - timedelta(days=9), end=TODAY)
    assert [(row.key, row.hours) for row in by_day.rows] == [
        ("2026-11-16", 3.0), ("2026-11-23", 0.5), ("2026-11-24", 2.0), ("2026-11-25", 2.5)]
    mine = time_report(ctx, person="bo")
    assert mine.total_hours == 1
    data = by_project.to_json()
    assert data["total_hours"] == 5 and data["rows"][0] == {"key": "web", "label": "web", "hours": 3.5, "entries": 2}


def test_a_running_timer_counts_in_the_report(ctx):
    task_id = add_task(ctx, TaskDraft("A", project="web")).task_id
    start_timer(_at(ctx, 9), task_id)
    assert time_report(_at(ctx, 11)).total_hours == pytest.approx(2)


def test_log_refuses_odd_amounts_and_future_days(ctx):
    task_id = add_task(ctx, TaskDraft("A")).task_id
    with pytest.raises(InvalidInputError, match="between 1 minute"):
        log_time(ctx, task_id, 0)
    with pytest.raises(InvalidInputError, match="future"):
        log_time(ctx, task_id, 1, day=TODAY + timedelta(days=1))
    with pytest.raises(NotFoundError):
        log_time(ctx, 999, 1)
    with pytest.raises(InvalidInputError, match="group by"):
        time_report(ctx, by="colour")
