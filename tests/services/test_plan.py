"""Calendars, baselines, forecasts and progress through the services, on both backends."""

from __future__ import annotations

from datetime import date

import pytest

from planner.domain.errors import InvalidInputError, NotFoundError
from planner.services.people.calendars import add_calendar, add_vacation, parse_weekdays, set_exception, show_calendar, use_calendar
from planner.services.planning.plan import diff_baseline, forecast_project, save_baseline
from planner.services.planning.progress import project_progress
from planner.services.planning.projects import add_project
from planner.services.people.resources import add_resource
from planner.services.planning.schedule import schedule_project
from planner.services.tasks.operations import TaskDraft, add_task, edit_task


def _project(ctx):
    add_project(ctx, "web", start=date(2026, 11, 30), deadline=date(2026, 12, 18))
    a = add_task(ctx, TaskDraft("Design", project="web", duration_days=3, estimate_hours=24)).task_id
    b = add_task(ctx, TaskDraft("Build", project="web", duration_days=4, estimate_hours=32, after=[a])).task_id
    m = add_task(ctx, TaskDraft("Launch", project="web", milestone=True, after=[b], due=date(2026, 12, 11))).task_id
    return a, b, m


@pytest.mark.parametrize("text, stored", [("mon-fri", "0,1,2,3,4"), ("mon,wed,fri", "0,2,4"),
                                          ("sat-mon", "0,5,6"), ("0,1", "0,1")])
def test_weekday_phrases(text, stored):
    assert parse_weekdays(text) == stored


def test_holidays_and_exceptions_move_the_schedule(ctx):
    a, b, m = _project(ctx)
    before = {t.id: t for t in schedule_project(ctx, "web").tasks}
    assert before[m].start == date(2026, 12, 8)  # end of the 7th working day from Mon 11-30
    add_calendar(ctx, "web-cal", weekdays="mon-fri", country="DE")
    use_calendar(ctx, "web-cal", project="web")
    set_exception(ctx, "web-cal", date(2026, 12, 2), note="offsite")  # Wednesday off
    after = {t.id: t for t in schedule_project(ctx, "web").tasks}
    assert after[a].finish == date(2026, 12, 3)  # Mon, Tue, (Wed off), Thu
    assert after[m].start == date(2026, 12, 9)
    view = show_calendar(ctx, "web-cal", date(2026, 12, 1), date(2026, 12, 31))
    reasons = dict(view.days_off)
    assert reasons[date(2026, 12, 2)] == "offsite" and reasons[date(2026, 12, 25)] == "holiday"


def test_calendar_errors(ctx):
    with pytest.raises(InvalidInputError, match="weekday"):
        add_calendar(ctx, "x", weekdays="funday")
    with pytest.raises(InvalidInputError):
        add_calendar(ctx, "x", country="XX")
    with pytest.raises(NotFoundError):
        set_exception(ctx, "nope", date(2026, 12, 1))


def test_vacation_gives_a_person_their_own_calendar(ctx):
    add_resource(ctx, "ana")
    assert add_vacation(ctx, "ana", date(2026, 12, 21), date(2026, 12, 25)) == 5
    view = show_calendar(ctx, "person:ana", date(2026, 12, 21), date(2026, 12, 27))
    assert [day for day, _ in view.days_off] == [date(2026, 12, d) for d in range(21, 26)]


def test_baseline_diff_reports_slip_in_working_days(ctx):
    a, b, m = _project(ctx)
    save_baseline(ctx, "web", name="plan")
    edit_task(ctx, a, {"duration_days": 5})
    diff = diff_baseline(ctx, "web")
    slips = {s.task_id: s for s in diff.slips}
    assert diff.baseline == "plan"
    assert slips[a].finish_slip_days == 2 and slips[b].start_slip_days == 2 and slips[m].finish_slip_days == 2
    assert diff.project_finish_slip_days == 2
    with pytest.raises(NotFoundError, match="no baseline"):
        diff_baseline(ctx, "web", name="other")


def test_forecast_is_reproducible_and_widens_with_uncertainty(ctx):
    a, b, m = _project(ctx)
    edit_task(ctx, b, {"optimistic_days": 3, "likely_days": 4, "pessimistic_days": 12})
    first = forecast_project(ctx, "web", runs=400, seed=7)
    again = forecast_project(ctx, "web", runs=400, seed=7)
    assert first.to_json() == again.to_json()
    launch = first.milestones[0]
    assert launch.task_id == m and launch.p50 <= launch.p85
    assert launch.p85 > launch.planned_finish
    assert 0 < launch.on_time_probability < 1


def test_progress_reports_effort_percent_and_earned_value(ctx):
    a, b, m = _project(ctx)
    save_baseline(ctx, "web")
    edit_task(ctx, a, {"percent_done": 50})
    progress = project_progress(ctx, "web", at=date(2026, 12, 2), runs=100)
    assert progress.percent_complete == pytest.approx(100 * 12 / 56, abs=0.1)
    assert progress.planned_value_hours == 24.0  # all of Design's 3 days are planned by Wednesday
    assert progress.earned_value_hours == 12.0 and progress.schedule_performance_index == 0.5
    assert progress.milestones[0].percent_complete == pytest.approx(100 * 12 / 56, abs=0.1)
    assert progress.to_json()["critical_path"][0] == a


def test_workload_marks_over_allocation(ctx):
    from planner.services.planning.workload import workload

    add_project(ctx, "web", start=date(2026, 11, 30))
    add_resource(ctx, "ana")
    add_resource(ctx, "bo")
    add_task(ctx, TaskDraft("A", project="web", duration_days=5, assignees=["ana"]))
    add_task(ctx, TaskDraft("B", project="web", duration_days=5, assignees=["ana"]))
    add_task(ctx, TaskDraft("C", project="web", duration_days=2, assignees=["bo"]))
    weeks = {(w.person, w.week_start): w for w in workload(ctx, date(2026, 11, 30), date(2026, 12, 13))}
    ana, bo = weeks[("ana", date(2026, 11, 30))], weeks[("bo", date(2026, 11, 30))]
    assert (ana.planned_hours, ana.capacity_hours, ana.over) == (80.0, 40.0, True)
    assert (bo.planned_hours, bo.over) == (16.0, False)
    assert weeks[("ana", date(2026, 12, 7))].planned_hours == 0
