"""Effort-driven work through the real CLI: estimates become durations from the people on a task."""

from __future__ import annotations


def _tasks(planner, key="ops"):
    return {task["title"]: task for task in planner.json("schedule", key)["tasks"]}


def _project(planner):
    planner.ok("project", "add", "ops", "--start", "2026-11-30")
    planner.ok("resource", "add", "ana")
    planner.ok("resource", "add", "bo")


def test_full_time_person_works_the_estimate_in_hours_per_day(planner):
    _project(planner)
    planner.ok("add", "Migrate", "-p", "ops", "--estimate", "20h", "-a", "ana")
    task = _tasks(planner)["Migrate"]
    assert task["duration_days"] == 3  # ceil(20 / (1 x 8))
    assert task["assignees"] == ["ana"]
    assert task["assignments"] == [{"handle": "ana", "units": 1.0, "hours_per_day": 8.0}]


def test_part_time_person_on_a_short_calendar_takes_longer(planner):
    _project(planner)
    planner.ok("calendar", "add", "mornings", "--hours", "4")
    planner.ok("resource", "add", "cy", "--capacity", "0.5")
    planner.ok("calendar", "use", "mornings", "--resource", "cy")
    planner.ok("add", "Survey", "-p", "ops", "--estimate", "8h", "-a", "cy")
    task = _tasks(planner)["Survey"]
    assert task["duration_days"] == 4  # 8h ÷ (0.5 units x 4 h) = 4 working days
    assert task["assignments"] == [{"handle": "cy", "units": 0.5, "hours_per_day": 4.0}]
    assert (task["start"], task["finish"]) == ("2026-11-30", "2026-12-03")


def test_two_people_share_the_work_and_rounding_goes_up(planner):
    _project(planner)
    planner.ok("add", "Move", "-p", "ops", "--estimate", "40h", "-a", "ana", "-a", "bo")
    assert _tasks(planner)["Move"]["duration_days"] == 3  # 40 ÷ 16 = 2.5, rounded up to whole days
    planner.ok("assign", "1", "bo", "--units", "0.5")
    task = _tasks(planner)["Move"]
    assert task["duration_days"] == 4  # 40 ÷ (8 + 4) = 3.33 → 4
    assert [(a["handle"], a["units"]) for a in task["assignments"]] == [("ana", 1.0), ("bo", 0.5)]
    planner.ok("assign", "1", "bo", "--remove")
    assert _tasks(planner)["Move"]["duration_days"] == 5  # ana alone: 40 ÷ 8


def test_changing_units_re_derives_the_duration(planner):
    _project(planner)
    planner.ok("add", "Write", "-p", "ops", "--estimate", "16h", "-a", "ana")
    assert _tasks(planner)["Write"]["duration_days"] == 2
    planner.ok("assign", "1", "ana", "--units", "0.25")
    assert _tasks(planner)["Write"]["duration_days"] == 8
    planner.ok("assign", "1", "ana", "--units", "1")
    assert _tasks(planner)["Write"]["duration_days"] == 2


def test_an_explicit_duration_is_kept_whoever_works_on_it(planner):
    _project(planner)
    planner.ok("add", "Audit", "-p", "ops", "--estimate", "40h", "--duration", "2", "-a", "ana")
    planner.ok("assign", "1", "ana", "--units", "0.5")
    planner.ok("assign", "1", "bo")
    assert _tasks(planner)["Audit"]["duration_days"] == 2
    planner.ok("edit", "1", "--duration", "none")
    assert _tasks(planner)["Audit"]["duration_days"] == 4  # 40 ÷ (0.5 x 8 + 1 x 8) = 3.33 → 4


def test_units_above_a_persons_capacity_are_refused_and_change_nothing(planner):
    _project(planner)
    planner.ok("resource", "add", "cy", "--capacity", "0.5")
    planner.ok("add", "Survey", "-p", "ops", "--estimate", "8h", "-a", "cy")
    assert _tasks(planner)["Survey"]["assignments"][0]["units"] == 0.5  # the default: all a part-timer has
    result = planner("assign", "1", "cy", "--units", "0.8")
    assert result.exit_code == 1
    assert "cy gives at most 0.5 units a day" in result.output and "Traceback" not in result.output
    result = planner("assign", "1", "cy", "--units", "0")
    assert result.exit_code == 1 and "at least 0.01" in result.output
    assert _tasks(planner)["Survey"]["assignments"][0]["units"] == 0.5


def test_a_person_whose_calendar_never_gives_the_days_in_a_row_is_named_with_the_way_out(planner):
    _project(planner)
    planner.ok("calendar", "add", "mwf", "--weekdays", "mon,wed,fri", "--hours", "4")
    planner.ok("calendar", "use", "mwf", "-r", "ana")
    planner.ok("add", "Job", "-p", "ops", "--estimate", "16h", "-a", "ana")
    result = planner("schedule", "ops", "--level")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        "error: cannot level ops: #1 'Job' needs ana on 4 working days in a row and never gets them (ana's own "
        "calendar or other work leaves gaps): split it into shorter tasks, or put them on the project's calendar "
        "(`planner calendar use NAME -r HANDLE`)"]


def test_absurdly_small_units_and_capacities_are_refused(planner):
    _project(planner)
    planner.ok("add", "Job", "-p", "ops", "--estimate", "8h", "-a", "ana")
    for args in (("assign", "1", "ana", "--units", "0.0001"), ("resource", "add", "cy", "--capacity", "0.001"),
                 ("resource", "add", "cy", "--capacity", "5000")):
        result = planner(*args)
        assert result.exit_code == 1 and ("at least 0.01" in result.stderr or "from 0.01 to 1000" in result.stderr)
    assert planner.json("schedule", "ops")["tasks"][0]["assignments"][0]["units"] == 1.0
