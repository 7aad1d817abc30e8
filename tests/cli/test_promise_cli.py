"""Honest promises through the real CLI: a warning exactly when the leveled plan cannot meet the date."""

from __future__ import annotations

import json
import math
import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

START = date(2030, 1, 7)  # a Monday, after the CLI's fixed today


def _run(db: Path, *args: str):
    from planner.cli.main import app

    return CliRunner().invoke(app, ["--db", str(db), "--as", "tester", "--today", "2026-11-25", *args])


def _ok(db: Path, *args: str) -> str:
    result = _run(db, *args)
    assert result.exit_code == 0, (args, result.output, result.exception)
    return result.stdout


def _oracle_finish(plan: dict, units: dict[int, float], effort: float) -> date:
    """Day by day from the project start: mia's free hours (8h less the booked units), filled with the effort."""
    booked: dict[date, float] = {}
    for task in plan["tasks"]:
        day, end = date.fromisoformat(task["start"]), date.fromisoformat(task["finish"])
        while day <= end:
            if day.weekday() < 5:
                booked[day] = booked.get(day, 0.0) + units[task["id"]]
            day += timedelta(days=1)
    filled, day = 0.0, START
    while True:
        if day.weekday() < 5:
            filled += max(0.0, 1.0 - booked.get(day, 0.0)) * 8
            if filled >= effort - 1e-9:
                return day
        day += timedelta(days=1)


ahead_tasks = st.lists(st.tuples(st.integers(1, 3), st.sampled_from([1.0, 0.5])), min_size=0, max_size=4)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ahead=ahead_tasks, effort=st.sampled_from([2, 6, 8, 12, 20]), due_in=st.integers(0, 20))
def test_add_warns_exactly_when_the_plan_cannot_meet_the_date(monkeypatch, ahead, effort, due_in):
    monkeypatch.delenv("PLANNER_DATABASE_URL", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "planner.db"
        monkeypatch.setenv("PLANNER_CONFIG", str(Path(folder) / "no-config.toml"))
        _ok(db, "resource", "add", "mia")
        _ok(db, "project", "add", "first", "--start", START.isoformat())
        _ok(db, "project", "edit", "first", "--priority", "1")
        _ok(db, "project", "add", "second", "--start", START.isoformat())
        units: dict[int, float] = {}
        for number, (days, share) in enumerate(ahead):
            task_id = int(_ok(db, "add", f"ahead {number}", "--project", "first", "--duration", str(days)).strip())
            _ok(db, "assign", str(task_id), "mia", "--units", str(share))
            units[task_id] = share
        due = START + timedelta(days=due_in)
        result = _run(db, "add", "promised", "--project", "second", "--estimate", f"{effort}h", "--assign", "mia",
                      "--due", due.isoformat())
        assert result.exit_code == 0, result.output
        plan = json.loads(_ok(db, "schedule", "first", "--level", "--json"))
        finish = _oracle_finish(plan, units, effort)
        warned = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
        assert bool(warned) == (finish > due), (result.stderr, finish, due)
        if warned:
            assert f"earliest finish {finish:%a} {finish.day} {finish:%b}" in warned[0]
        # the write landed either way
        assert json.loads(_ok(db, "ls", "project:second", "--json"))[0]["due"] == due.isoformat()
        # and promise gives the same finish for the same work, writing nothing
        answer = json.loads(_ok(db, "promise", "again", "--estimate", f"{effort}h", "--for", "mia",
                                "--project", "first", "--json"))
        assert answer["earliest_finish"] == finish.isoformat()
        assert math.isfinite(answer["effort_hours"])


def test_edit_warns_when_a_new_due_date_cannot_be_met(planner):
    planner.ok("resource", "add", "mia")
    planner.ok("project", "add", "web", "--start", START.isoformat())
    planner.ok("add", "big", "--project", "web", "--duration", "5", "--assign", "mia")
    task = planner.ok("add", "small", "--project", "web", "--estimate", "4h", "--assign", "mia").strip()
    late = planner("edit", task, "--due", "2030-01-08")
    assert late.exit_code == 0
    assert "warning: #" in late.stderr and "mia's plan is full until Fri 11 Jan 2030; earliest finish Mon 14 Jan 2030" in late.stderr
    fine = planner("edit", task, "--due", "2030-01-14")
    assert fine.exit_code == 0 and "warning" not in fine.stderr


def test_a_due_date_its_predecessor_makes_impossible_is_warned_and_named(tmp_path, monkeypatch):
    monkeypatch.delenv("PLANNER_DATABASE_URL", raising=False)
    monkeypatch.setenv("PLANNER_CONFIG", str(tmp_path / "no-config.toml"))
    db = tmp_path / "planner.db"
    _ok(db, "resource", "add", "ana")
    _ok(db, "resource", "add", "bo", "--capacity", "0.5")
    _ok(db, "project", "add", "z", "--start", START.isoformat())
    _ok(db, "add", "Long", "-p", "z", "--estimate", "80h", "--assign", "bo")  # 20 working days at half time
    result = _run(db, "add", "After", "-p", "z", "--after", "1", "--estimate", "8h", "--assign", "ana",
                  "--due", (START + timedelta(days=4)).isoformat())
    assert result.exit_code == 0
    assert "is due Fri 11 Jan 2030: it waits for #1 until Mon 4 Feb 2030; earliest finish Mon 4 Feb 2030" in result.stderr


def test_a_promise_skips_the_projects_holidays(tmp_path, monkeypatch):
    monkeypatch.delenv("PLANNER_DATABASE_URL", raising=False)
    monkeypatch.setenv("PLANNER_CONFIG", str(tmp_path / "no-config.toml"))
    db = tmp_path / "planner.db"
    _ok(db, "calendar", "add", "de", "--country", "DE")
    _ok(db, "project", "add", "h", "--start", "2026-12-23")
    _ok(db, "calendar", "use", "de", "-p", "h")
    _ok(db, "resource", "add", "dd")
    _ok(db, "add", "H1", "-p", "h", "--estimate", "16h", "--assign", "dd")  # Wed 23 and Thu 24 Dec
    promised = json.loads(_ok(db, "promise", "P", "--estimate", "8h", "--for", "dd", "--project", "h", "--json"))
    assert promised["earliest_finish"] == "2026-12-28"  # not Christmas Day (Fri 25) nor the 26th
