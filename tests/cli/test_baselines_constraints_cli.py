"""Baselines listed and removed, start-no-earlier constraints shown and cleared, through the real CLI."""

from __future__ import annotations

from datetime import datetime


def _plan(planner):
    planner.ok("project", "add", "web", "--start", "2026-11-30")
    planner.ok("project", "add", "ops", "--start", "2026-11-30")
    planner.ok("add", "Design", "-p", "web", "--duration", "3")
    planner.ok("add", "Build", "-p", "web", "--duration", "2", "--after", "1")
    planner.ok("add", "Patch", "-p", "ops", "--duration", "1")


def test_baselines_are_listed_with_their_task_count_and_removed_undoably(planner):
    _plan(planner)
    assert planner.json("baseline", "ls") == []
    planner.ok("baseline", "save", "web", "--name", "kickoff")
    planner.ok("add", "Docs", "-p", "web", "--duration", "1")
    planner.ok("baseline", "save", "web", "--name", "sprint 2")
    planner.ok("baseline", "save", "ops")
    listed = planner.json("baseline", "ls")
    assert [(b["project"], b["name"], b["tasks"]) for b in listed] == [
        ("ops", "baseline 1", 1), ("web", "kickoff", 2), ("web", "sprint 2", 3)]
    assert all(datetime.fromisoformat(b["taken_at"]) for b in listed)
    assert [b["name"] for b in planner.json("baseline", "ls", "web")] == ["kickoff", "sprint 2"]
    table = planner.ok("baseline", "ls", "web")
    assert "kickoff" in table and "Tasks" in table and "ops" not in table

    assert "removed baseline 'kickoff' of web (2 tasks)" in planner.ok("baseline", "rm", "web", "kickoff")
    assert [b["name"] for b in planner.json("baseline", "ls", "web")] == ["sprint 2"]
    planner.ok("undo")
    assert [(b["name"], b["tasks"]) for b in planner.json("baseline", "ls", "web")] == [("kickoff", 2), ("sprint 2", 3)]
    assert planner.json("baseline", "diff", "web", "--name", "kickoff")["baseline"] == "kickoff"


def test_unknown_baselines_and_projects_are_one_clear_error(planner):
    _plan(planner)
    planner.ok("baseline", "save", "web", "--name", "kickoff")
    result = planner("baseline", "rm", "web", "kickof")
    assert result.exit_code == 1 and "no baseline 'kickof' for web: its baselines are 'kickoff'" in result.output
    result = planner("baseline", "rm", "ops", "kickoff")
    assert result.exit_code == 1 and "baseline save ops" in result.output
    result = planner("baseline", "ls", "wbe")
    assert result.exit_code == 1 and "no project 'wbe'" in result.output and "Traceback" not in result.output
    assert len(planner.json("baseline", "ls")) == 1


def test_a_start_constraint_shows_and_edit_start_none_clears_it(planner):
    _plan(planner)
    planner.ok("edit", "2", "--start", "2026-12-07")
    shown = planner.json("show", "2")
    assert shown["start_no_earlier"] == "2026-12-07"
    assert "Start no earlier  2026-12-07" in planner.ok("show", "2")
    tasks = {t["title"]: t for t in planner.json("schedule", "web")["tasks"]}
    assert tasks["Build"]["start"] == "2026-12-07"
    planner.ok("edit", "2", "--start", "none")
    assert planner.json("show", "2")["start_no_earlier"] is None
    assert "Start no earlier" not in planner.ok("show", "2")
    tasks = {t["title"]: t for t in planner.json("schedule", "web")["tasks"]}
    assert tasks["Build"]["start"] == "2026-12-03"


def test_the_gantt_marks_a_start_constraint_until_it_is_cleared(planner):
    _plan(planner)
    planner.ok("edit", "2", "--start", "2026-12-07")
    lines = planner.ok("gantt", "web", "--width", "100").splitlines()
    build = next(line for line in lines if " Build" in line)
    chart = build[28:]  # labels take 28 columns on a chart this wide
    assert chart.count("▹") == 1 and chart.index("▹") < chart.index("█")
    assert lines[-1].endswith("▹ pinned")
    assert planner.json("schedule", "web")["tasks"][1]["start_no_earlier"] == "2026-12-07"
    planner.ok("edit", "2", "--start", "none")
    build = next(line for line in planner.ok("gantt", "web", "--width", "100").splitlines() if " Build" in line)
    assert "▹" not in build


def test_the_svg_gantt_marks_a_start_constraint_at_its_date(planner, tmp_path):
    import xml.etree.ElementTree as ET

    _plan(planner)
    planner.ok("edit", "2", "--start", "2026-12-07")
    planner.ok("gantt", "web", "--svg", str(tmp_path / "web.svg"))
    svg = ET.parse(tmp_path / "web.svg").getroot()
    ns = {"s": "http://www.w3.org/2000/svg"}
    pins = svg.findall(".//s:polygon[@class='constraint']", ns)
    assert [pin.get("data-task") for pin in pins] == ["2"]
    bar = svg.find(".//s:rect[@data-task='2']", ns)
    tip = max(float(point.split(",")[0]) for point in pins[0].get("points").split())
    assert abs(tip - float(bar.get("x"))) < 0.01  # the pin points at the day the bar may start
    assert "start no earlier" in ET.tostring(svg.find(".//s:g[@class='legend']", ns), encoding="unicode")


def test_a_baseline_name_is_used_once_per_project(planner):
    _plan(planner)
    planner.ok("baseline", "save", "web", "--name", "v2")
    again = planner("baseline", "save", "web", "--name", "v2")
    assert again.exit_code == 1 and "web already has a baseline named 'v2'" in again.stderr
    planner.ok("baseline", "save", "web")
    planner.ok("baseline", "save", "web")
    names = sorted(b["name"] for b in planner.json("baseline", "ls", "web"))
    assert names == ["baseline 2", "baseline 3", "v2"]
