"""Portfolio leveling through the real CLI, on SQLite and PostgreSQL: shared people are never double-booked."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from datetime import date, timedelta

import pytest
from typer.testing import CliRunner

START = "2030-01-07"  # a Monday, after the CLI's fixed today


class Cli:
    """`planner --db URL --as tester --today 2026-11-25 ...` in-process, against any backend."""

    def __init__(self, url: str, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
        self.url = url
        self.runner = CliRunner()
        monkeypatch.delenv("PLANNER_DATABASE_URL", raising=False)
        monkeypatch.setenv("PLANNER_CONFIG", str(tmp_path / "no-config.toml"))
        monkeypatch.setenv("NO_COLOR", "1")

    def __call__(self, *args: str):
        from planner.cli.main import app

        return self.runner.invoke(app, ["--db", self.url, "--as", "tester", "--today", "2026-11-25", *args])

    def ok(self, *args: str) -> str:
        result = self(*args)
        assert result.exit_code == 0, (args, result.output, result.exception)
        return result.stdout

    def json(self, *args: str):
        return json.loads(self.ok(*args, "--json"))


@pytest.fixture
def cli(database_url, monkeypatch, tmp_path) -> Cli:
    return Cli(database_url, monkeypatch, tmp_path)


def _daily_units(plans: list[dict], units: dict[tuple[int, str], float]) -> dict[tuple[str, date], float]:
    """Per (person, day): the units the plans book (weekdays of each task's span)."""
    load: dict[tuple[str, date], float] = defaultdict(float)
    for plan in plans:
        for task in plan["tasks"]:
            if task["summary"] or task["duration_days"] == 0:
                continue
            day, end = date.fromisoformat(task["start"]), date.fromisoformat(task["finish"])
            while day <= end:
                if day.weekday() < 5:
                    for person in task["assignees"]:
                        load[(person, day)] += units.get((task["id"], person), 1.0)
                day += timedelta(days=1)
    return load


def _portfolio(cli: Cli) -> dict[tuple[int, str], float]:
    """Three projects sharing mia (full time) and bo (half time); returns the units of each assignment."""
    cli.ok("resource", "add", "mia", "--capacity", "1")
    cli.ok("resource", "add", "bo", "--capacity", "0.5")
    units: dict[tuple[int, str], float] = {}
    for key in ("alpha", "beta", "gamma"):
        cli.ok("project", "add", key, "--start", START)
    plan = {"alpha": [(3, ["mia"]), (2, ["mia", "bo"]), (4, ["bo"])],
            "beta": [(2, ["mia"]), (1, ["bo"]), (3, ["mia"])],
            "gamma": [(5, ["mia", "bo"]), (1, ["mia"])]}
    for key, tasks in plan.items():
        for number, (days, people) in enumerate(tasks):
            args = ["add", f"{key} {number}", "--project", key, "--duration", str(days)]
            for person in people:
                args += ["--assign", person]
            task_id = int(cli.ok(*args).strip())
            for person in people:
                units[(task_id, person)] = 0.5 if person == "bo" else 1.0
    return units


def test_three_projects_level_without_double_booking_and_agree_everywhere(cli):
    units = _portfolio(cli)
    plans = [cli.json("schedule", key, "--level") for key in ("alpha", "beta", "gamma")]
    load = _daily_units(plans, units)
    capacity = {"mia": 1.0, "bo": 0.5}
    over = {key: value for key, value in load.items() if value > capacity[key[0]] + 1e-9}
    assert not over, over
    unleveled = _daily_units([cli.json("schedule", key) for key in ("alpha", "beta", "gamma")], units)
    assert any(value > capacity[key[0]] for key, value in unleveled.items())  # the case needs leveling at all
    # the whole portfolio at once gives the very same plans
    every = cli.json("schedule", "--all", "--level")
    assert [plan["project"] for plan in every["projects"]] == ["alpha", "beta", "gamma"]
    assert every["projects"] == plans
    # load --level books exactly these days: hours per week = units x 8h, and nothing is marked over
    weeks = cli.json("load", "--level", "--from", START, "--to", "2030-03-31")
    expected: dict[tuple[str, str], float] = defaultdict(float)
    for (person, day), value in load.items():
        expected[(person, (day - timedelta(days=day.weekday())).isoformat())] += value * 8
    for week in weeks:
        assert week["planned_hours"] == pytest.approx(expected.get((week["person"], week["week"]), 0.0))
        assert not week["over"]
    text = cli.ok("load", "--level", "--from", START, "--to", "2030-03-31")
    assert "!" not in text
    assert "!" in cli.ok("load", "--from", START, "--to", "2030-03-31")  # unleveled, the overload shows


def test_project_priority_decides_who_waits(cli):
    cli.ok("resource", "add", "mia")
    for key in ("alpha", "beta"):
        cli.ok("project", "add", key, "--start", START)
        cli.ok("add", f"{key} work", "--project", key, "--duration", "3", "--assign", "mia")
    first = {plan["project"]: plan["tasks"][0]["start"] for plan in cli.json("schedule", "--all", "--level")["projects"]}
    assert first == {"alpha": "2030-01-07", "beta": "2030-01-10"}  # same priority: by key
    cli.ok("project", "edit", "beta", "--priority", "5")
    assert cli.json("schedule", "alpha", "--level")["tasks"][0]["start"] == "2030-01-10"
    assert cli.json("schedule", "beta", "--level")["tasks"][0]["start"] == "2030-01-07"
    listed = {project["key"]: project["priority"] for project in cli.json("project", "ls")}
    assert listed == {"alpha": 0, "beta": 5}
    assert re.search(r"beta\s+beta\s+project\s+5", cli.ok("project", "ls"))
    assert re.search(r"^Priority +5 ", cli.ok("project", "show", "beta"), re.M)
    refused = cli("project", "edit", "beta", "--priority", "5000")
    assert refused.exit_code == 1 and "priority" in refused.output
    assert cli.json("project", "show", "beta")["priority"] == 5


def test_a_cross_project_link_moves_the_successor_project(cli):
    cli.ok("resource", "add", "mia")
    cli.ok("project", "add", "api", "--start", START)
    cli.ok("project", "add", "app", "--start", START)
    backend = cli.ok("add", "backend", "--project", "api", "--duration", "4", "--assign", "mia").strip()
    other = cli.ok("add", "docs", "--project", "api", "--duration", "2", "--assign", "mia").strip()
    client = cli.ok("add", "client", "--project", "app", "--duration", "2").strip()
    assert cli.json("schedule", "app")["tasks"][0]["start"] == START
    cli.ok("dep", "add", backend, client)
    assert cli.json("schedule", "app")["tasks"][0]["start"] == "2030-01-11"  # after backend (Mon-Thu)
    leveled_api = {task["id"]: task for task in cli.json("schedule", "api", "--level")["tasks"]}
    finish = date.fromisoformat(leveled_api[int(backend)]["finish"])
    leveled_start = date.fromisoformat(cli.json("schedule", "app", "--level")["tasks"][0]["start"])
    assert leveled_start > finish
    # a link back from app to api would make the projects wait for each other: refused, nothing changes
    refused = cli("dep", "add", client, other)
    assert refused.exit_code == 1
    assert "already waits for project app" in refused.output or "waits for" in refused.output
    assert all(link["predecessor"] != int(client) for link in cli.json("dep", "ls"))


def test_promise_answers_from_the_leveled_plan_and_writes_nothing(cli):
    cli.ok("resource", "add", "mia")
    cli.ok("project", "add", "alpha", "--start", START)
    cli.ok("add", "big job", "--project", "alpha", "--duration", "5", "--assign", "mia")
    snapshot = _row_counts(cli.url)
    answer = cli.json("promise", "report", "--estimate", "6h", "--for", "mia", "--date", START)
    assert answer["handle"] == "mia"
    assert answer["booked_until"] == "2030-01-11" and answer["earliest_start"] == "2030-01-14"
    assert answer["earliest_finish"] == "2030-01-14"
    text = cli.ok("promise", "report", "--estimate", "12h", "--for", "mia", "--date", START)
    assert "plan full until Fri 11 Jan" in text and "earliest finish Tue 15 Jan" in text
    assert _row_counts(cli.url) == snapshot
    unknown = cli("promise", "x", "--estimate", "1h", "--for", "nobody")
    assert unknown.exit_code == 1 and "resource add nobody" in unknown.output


def _row_counts(url: str) -> dict[str, object]:
    """Rows of every table, the last event and the tasks' versions: what any write would change."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            tables = sa.inspect(conn).get_table_names()
            counts: dict[str, object] = {name: conn.execute(sa.text(f'SELECT count(*) FROM "{name}"')).scalar()
                                         for name in tables}
            counts["versions"] = conn.execute(sa.text("SELECT id, version, updated_at FROM task ORDER BY id")).all()
            counts["last_event"] = conn.execute(sa.text("SELECT max(id) FROM event")).scalar()
    finally:
        engine.dispose()
    return counts


def test_a_project_ahead_that_cannot_be_leveled_does_not_stop_the_next(cli):
    cli.ok("resource", "add", "ana")
    cli.ok("project", "add", "aweb", "--start", START)
    cli.ok("add", "too much", "--project", "aweb", "--duration", "2", "--assign", "ana")
    cli.ok("project", "add", "support", "--stream", "--reserve", "20%")
    cli.ok("add", "ticket", "--project", "support", "--assign", "ana")  # ana keeps 0.8 for projects
    cli.ok("project", "add", "b", "--start", START)
    task = cli.ok("add", "half", "--project", "b", "--duration", "2", "--assign", "ana").strip()
    refused = cli("schedule", "b", "--level")  # b itself asks for more than ana has left: said plainly
    assert refused.exit_code == 1 and "cannot level b" in refused.output and "0.8 left" in refused.output
    cli.ok("assign", task, "ana", "--units", "0.5")
    result = cli("schedule", "b", "--level", "--json")
    assert result.exit_code == 0 and "warning: cannot level aweb" in result.stderr
    # aweb's critical-path plan books ana fully on its two days, so b's task waits for them
    assert json.loads(result.stdout)["tasks"][0]["start"] == "2030-01-09"
