"""Recurring series on SQLite and PostgreSQL: policies, month ends, editing, ending, skipping, races."""

from __future__ import annotations

import multiprocessing
from datetime import date

import pytest

from planner.domain.errors import InvalidInputError
from planner.services import queries
from planner.services.tasks.recurrence import edit_series, end_series, list_series, materialize, series_of, skip_instance
from planner.services.tasks.operations import TaskDraft, add_task, complete_task, edit_task
from planner.services.flow.workflows import move_task
from tests.conftest import TODAY, make_context


def _on(ctx, day: date):
    """The same database seen on another day."""
    return make_context(ctx.settings.database_url, actor=ctx.actor, today=day)


def _instances(ctx, series_id: int) -> list[tuple[date, bool]]:
    with ctx.reader() as conn:
        rows = conn.rows("SELECT due, completed_at FROM task WHERE recurrence_id = ? ORDER BY due", [series_id])
    from planner.store.views import as_date

    return [(as_date(due), done is not None) for due, done in rows]


def test_add_with_recur_creates_the_series_and_its_first_instance(ctx):
    result = add_task(ctx, TaskDraft("Weekly report", project="content", recur="every friday", policy="fixed",
                                     estimate_hours=1, tags=["ops"], assignees=["ana"]))
    task = queries.get_task(ctx, result.task_id)
    assert task.due == date(2026, 11, 27) and task.recurrence_id == result.series_id
    assert (task.tags, task.assignees, task.estimate_hours) == (["ops"], ["ana"], 1)
    info = series_of(ctx, result.series_id)
    assert (info.rule, info.policy, info.open_task_id) == ("FREQ=WEEKLY;BYDAY=FR", "fixed", result.task_id)


def test_fixed_policy_keeps_a_backlog_overdue(ctx):
    result = add_task(ctx, TaskDraft("Backup", recur="every monday", policy="+", due=date(2026, 11, 2)))
    late = _on(ctx, date(2026, 11, 25))
    complete_task(late, result.task_id)
    assert _instances(ctx, result.series_id) == [(date(2026, 11, 2), True), (date(2026, 11, 9), False)]


def test_catch_up_policy_jumps_past_today(ctx):
    result = add_task(ctx, TaskDraft("Water plants", recur="every monday", policy="catch_up", due=date(2026, 11, 2)))
    complete_task(_on(ctx, date(2026, 11, 25)), result.task_id)
    assert _instances(ctx, result.series_id)[-1] == (date(2026, 11, 30), False)


def test_after_completion_counts_from_the_day_it_was_done(ctx):
    result = add_task(ctx, TaskDraft("Haircut", recur="every 3 days", policy=".+", due=date(2026, 11, 20)))
    complete_task(_on(ctx, date(2026, 11, 25)), result.task_id)
    assert _instances(ctx, result.series_id)[-1] == (date(2026, 11, 28), False)


def test_org_repeater_sets_the_policy(ctx):
    result = add_task(ctx, TaskDraft("Review", recur="++1w", due=date(2026, 11, 2)))
    assert series_of(ctx, result.series_id).policy == "catch_up"


def test_month_end_series_clamps_to_short_months(ctx):
    result = add_task(ctx, TaskDraft("Invoices", recur="every month on the 31st", due=date(2027, 1, 31)))
    dues = []
    task_id = result.task_id
    for _ in range(4):
        task = queries.get_task(ctx, task_id)
        dues.append(task.due)
        complete_task(_on(ctx, task.due), task_id)
        task_id = series_of(ctx, result.series_id).open_task_id
    assert dues == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]


def test_leap_day_series_falls_on_feb_28_in_common_years(ctx):
    result = add_task(ctx, TaskDraft("Leap check", recur="every year on feb 29", due=date(2028, 2, 29)))
    complete_task(_on(ctx, date(2028, 2, 29)), result.task_id)
    assert _instances(ctx, result.series_id)[-1] == (date(2029, 2, 28), False)


def test_completing_through_move_or_edit_also_spawns(ctx):
    result = add_task(ctx, TaskDraft("Standup", recur="weekdays"))
    move_task(ctx, result.task_id, "done")
    following = series_of(ctx, result.series_id).open_task_id
    assert queries.get_task(ctx, following).due == date(2026, 11, 26)
    edit_task(ctx, following, {}, status="done")
    assert queries.get_task(ctx, series_of(ctx, result.series_id).open_task_id).due == date(2026, 11, 27)


def test_reopening_and_completing_again_does_not_duplicate(ctx):
    result = add_task(ctx, TaskDraft("Standup", recur="daily"))
    complete_task(ctx, result.task_id)
    edit_task(ctx, result.task_id, {}, status="todo")
    complete_task(ctx, result.task_id)
    assert [done for _, done in _instances(ctx, result.series_id)] == [True, False]


def test_skip_removes_one_instance_and_creates_the_next(ctx):
    result = add_task(ctx, TaskDraft("Newsletter", recur="every friday"))
    following = skip_instance(ctx, result.task_id)
    assert following is not None and following.due == date(2026, 12, 4)
    info = series_of(ctx, result.series_id)
    assert info.skipped == ["2026-11-27"] and info.open_task_id == following.id
    with pytest.raises(Exception):
        queries.get_task(ctx, result.task_id)


def test_edit_series_changes_rule_and_open_instance(ctx):
    result = add_task(ctx, TaskDraft("Report", recur="every friday", priority=1))
    info = edit_series(ctx, result.series_id, rule="every monday", template={"title": "Weekly report", "priority": 2})
    assert info.rule == "FREQ=WEEKLY;BYDAY=MO"
    task = queries.get_task(ctx, result.task_id)
    assert (task.title, task.priority) == ("Weekly report", 2)
    complete_task(ctx, result.task_id)
    assert queries.get_task(ctx, series_of(ctx, result.series_id).open_task_id).due == date(2026, 11, 30)


def test_ended_series_spawns_nothing_more(ctx):
    result = add_task(ctx, TaskDraft("Old chore", recur="daily"))
    end_series(ctx, result.series_id)
    complete_task(ctx, result.task_id)
    assert _instances(ctx, result.series_id) == [(TODAY, True)]
    assert list_series(ctx) == [] and len(list_series(ctx, include_ended=True)) == 1


def test_until_ends_the_series(ctx):
    result = add_task(ctx, TaskDraft("Sprint sync", recur="every wednesday", recur_until=date(2026, 12, 2)))
    complete_task(ctx, result.task_id)
    second = series_of(ctx, result.series_id).open_task_id
    complete_task(_on(ctx, date(2026, 12, 2)), second)
    info = series_of(ctx, result.series_id)
    assert not info.active and info.open_task_id is None


def test_bad_rules_and_policies_are_refused(ctx):
    with pytest.raises(InvalidInputError, match="cannot read recurrence"):
        add_task(ctx, TaskDraft("X", recur="now and then"))
    with pytest.raises(InvalidInputError, match="policy"):
        add_task(ctx, TaskDraft("X", recur="daily", policy="sometimes"))
    with pytest.raises(InvalidInputError, match="--recur"):
        add_task(ctx, TaskDraft("X", policy="fixed"))


def _materialize_in_process(url: str, barrier, results) -> None:  # noqa: ANN001
    ctx = make_context(url)
    barrier.wait()
    try:
        results.put(("ok", materialize(ctx)))
    except Exception as error:  # noqa: BLE001 - reported to the parent
        results.put(("error", repr(error)))


def test_several_processes_creating_the_same_instance_yield_exactly_one(ctx):
    """Cron, the TUI and a teammate at once: the UNIQUE instance key keeps one row, and nobody fails."""
    result = add_task(ctx, TaskDraft("Data hygiene", project="ops", recur="every monday"))
    from planner.services.tasks.operations import delete_task

    delete_task(ctx, result.task_id)  # the series has no open instance: every process will try to add it
    with ctx.reader() as conn:
        last_event = conn.scalar("SELECT max(id) FROM event")
    workers = 6
    spawn = multiprocessing.get_context("spawn")
    barrier, results = spawn.Barrier(workers), spawn.Queue()
    processes = [spawn.Process(target=_materialize_in_process, args=(ctx.settings.database_url, barrier, results))
                 for _ in range(workers)]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    assert all(status == "ok" for status, _ in outcomes), outcomes
    assert _instances(ctx, result.series_id) == [(date(2026, 11, 30), False)]
    created_ids = {task_id for _, ids in outcomes for task_id in ids}
    assert len(created_ids) == 1
    with ctx.reader() as conn:
        events = conn.scalar("SELECT count(*) FROM event WHERE entity = 'task' AND action = 'created' "
                             "AND entity_id = ? AND id > ?", [created_ids.pop(), last_event])
    assert events == 1


def test_the_unique_key_itself_refuses_a_second_insert(ctx):
    """Even a writer that skips the existence check cannot add the same instance twice."""
    from planner.services.tasks.recurrence import _insert_ignoring_duplicates
    from planner.store.models import Recurrence, Task

    result = add_task(ctx, TaskDraft("Once", recur="daily"))
    with ctx.uow() as uow:
        series = uow.get(Recurrence, result.series_id)
        original = uow.get(Task, result.task_id)
        values = {c.key: getattr(original, c.key) for c in Task.__table__.columns if c.key != "id"}
        assert uow.session.execute(_insert_ignoring_duplicates(uow, values)).first() is None
        uow.commit()
    assert series.id == result.series_id
    assert len(_instances(ctx, result.series_id)) == 1


def test_a_time_of_day_stays_on_the_wall_clock_across_dst(ctx):
    """09:00 in Berlin is 08:00 UTC before the spring change (2026-03-29) and 07:00 UTC after it."""
    march = _on(ctx, date(2026, 3, 27))
    result = add_task(march, TaskDraft("Standup", recur="daily", recur_at="9:00", recur_zone="Europe/Berlin"))
    before = series_of(march, result.series_id)
    assert (before.time_of_day, before.zone) == ("09:00", "Europe/Berlin")
    assert before.to_json()["next_at_utc"] == "2026-03-27T08:00:00+00:00"
    for day in (date(2026, 3, 27), date(2026, 3, 28), date(2026, 3, 29)):
        complete_task(_on(ctx, day), series_of(ctx, result.series_id).open_task_id)
    after = series_of(ctx, result.series_id).to_json()
    assert after["next_due"] == "2026-03-30"
    assert after["next_at"] == "2026-03-30T09:00:00+02:00" and after["next_at_utc"] == "2026-03-30T07:00:00+00:00"
    with pytest.raises(InvalidInputError, match="time zone"):
        add_task(ctx, TaskDraft("X", recur="daily", recur_at="09:00", recur_zone="Mars/Olympus"))
    with pytest.raises(InvalidInputError, match="--at"):
        add_task(ctx, TaskDraft("X", recur="daily", recur_zone="Europe/Berlin"))
