"""The plan commands: schedule, gantt, baseline, forecast, project show, calendar, load."""

from __future__ import annotations


def _plan(planner):
    planner.ok("project", "add", "web", "--start", "2026-11-30", "--deadline", "2026-12-09")
    planner.ok("resource", "add", "ana")
    planner.ok("resource", "add", "bo")
    planner.ok("add", "Design", "-p", "web", "--duration", "3", "-a", "ana")
    planner.ok("add", "Build", "-p", "web", "--duration", "4", "--after", "1", "-a", "ana")
    planner.ok("add", "Docs", "-p", "web", "--duration", "1", "--after", "1", "-a", "bo")
    planner.ok("add", "Launch", "-p", "web", "--milestone", "--after", "2", "--after", "3")


def test_schedule_json_has_the_documented_shape(planner):
    _plan(planner)
    data = planner.json("schedule", "web")
    assert (data["project"], data["start"], data["makespan_days"]) == ("web", "2026-11-30", 7)
    tasks = {t["title"]: t for t in data["tasks"]}
    assert (tasks["Build"]["es"], tasks["Build"]["ef"], tasks["Build"]["slack"]) == (3, 7, 0)
    assert tasks["Docs"]["slack"] == 3 and not tasks["Docs"]["critical"]
    assert tasks["Launch"]["critical"] and tasks["Launch"]["finish"] == "2026-12-08"


def test_schedule_table_and_status_date(planner):
    _plan(planner)
    out = planner.ok("schedule", "web", "--from", "2026-12-02")
    assert "web: 2026-11-30" in out and "Build" in out
    assert planner.json("schedule", "web", "--from", "2026-12-02")["tasks"][0]["es"] == 2


def test_leveling_spreads_an_overloaded_person(planner):
    planner.ok("project", "add", "ops", "--start", "2026-11-30")
    planner.ok("resource", "add", "ana")
    planner.ok("add", "A", "-p", "ops", "--duration", "2", "-a", "ana")
    planner.ok("add", "B", "-p", "ops", "--duration", "2", "-a", "ana")
    assert planner.json("schedule", "ops")["makespan_days"] == 2
    leveled = planner.json("schedule", "ops", "--level")
    assert leveled["makespan_days"] == 4
    starts = sorted(t["es"] for t in leveled["tasks"])
    assert starts == [0, 2]


def test_gantt_in_the_terminal_and_as_svg_and_html(planner, tmp_path):
    _plan(planner)
    chart = planner.ok("gantt", "web", "--width", "100")
    assert "Design" in chart and "◆" in chart and "critical" in chart
    planner.ok("gantt", "web", "--svg", str(tmp_path / "g.svg"))
    assert (tmp_path / "g.svg").read_text().startswith("<svg")
    planner.ok("gantt", "web", "--html", str(tmp_path / "g.html"))
    assert "<html" in (tmp_path / "g.html").read_text().lower()


def test_baseline_save_and_diff(planner):
    _plan(planner)
    planner.ok("baseline", "save", "web", "--name", "kickoff")
    planner.ok("edit", "1", "--duration", "5")
    diff = planner.json("baseline", "diff", "web")
    assert diff["baseline"] == "kickoff" and diff["project_finish_slip_days"] == 2
    assert "+2 working days" in planner.ok("baseline", "diff", "web")


def test_forecast_and_project_show(planner):
    _plan(planner)
    planner.ok("edit", "2", "--three-point", "3/4/10")
    data = planner.json("forecast", "web", "--runs", "300", "--seed", "1")
    assert data["finish"]["p85"] >= data["finish"]["p50"] and data["milestones"][0]["title"] == "Launch"
    assert planner.json("forecast", "web", "--runs", "300", "--seed", "1") == data
    show = planner.json("project", "show", "web")
    assert show["percent_complete"] == 0 and show["critical_path"][0] == 1
    text = planner.ok("project", "show", "web")
    assert "Critical path" in text and "Forecast" in text


def test_calendar_commands_move_the_plan(planner):
    _plan(planner)
    planner.ok("calendar", "add", "team", "--weekdays", "mon-fri", "--country", "DE")
    planner.ok("calendar", "off", "team", "2026-12-01", "--note", "offsite")
    planner.ok("calendar", "use", "team", "--project", "web")
    assert planner.json("schedule", "web")["finish"] == "2026-12-09"
    shown = planner.ok("calendar", "show", "team", "--from", "2026-12-01", "--to", "2026-12-31")
    assert "offsite" in shown and "2026-12-25" in shown
    planner.ok("resource", "vacation", "ana", "2026-12-21", "2026-12-24")
    bad = planner("calendar", "add", "x", "--weekdays", "funday")
    assert bad.exit_code == 1 and "weekday" in bad.stderr


def test_load_shows_over_allocation(planner):
    planner.ok("project", "add", "ops", "--start", "2026-11-30")
    planner.ok("resource", "add", "ana")
    planner.ok("add", "A", "-p", "ops", "--duration", "5", "-a", "ana")
    planner.ok("add", "B", "-p", "ops", "--duration", "5", "-a", "ana")
    weeks = planner.json("load", "--from", "2026-11-30", "--to", "2026-12-06")
    assert [(w["person"], w["planned_hours"], w["over"]) for w in weeks] == [("ana", 80.0, True)]
    assert "!" in planner.ok("load", "--from", "2026-11-30", "--to", "2026-12-06")


def test_psplib_import_and_leveled_schedule(planner):
    from pathlib import Path

    source = Path(__file__).parent.parent / "data" / "psplib-import" / "j301_1.sm"
    out = planner.ok("import", "psplib", str(source), "--project", "rcpsp")
    assert out.splitlines() == ["imported psplib: 30 created, 0 updated, 0 unchanged", "new project: rcpsp"]
    data = planner.json("schedule", "rcpsp", "--level")
    assert data["makespan_days"] >= 43 and data["tasks"][0]["external_id"].startswith("psplib:rcpsp:")
    assert min(task["start"] for task in data["tasks"]) == "2026-11-30"  # the Monday after the 25th
    missing = planner("import", "psplib", str(source))
    assert missing.exit_code == 1 and "needs --project KEY" in missing.output
    assert planner.ok("import", "sm", str(source), "-p", "rcpsp").startswith("imported psplib: 0 created")
