"""Charts through the real CLI: under the table on a terminal only, --no-chart, --svg files, report flow, digest."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from tests.cli.conftest import Planner

SVG = "{http://www.w3.org/2000/svg}"


class DemoPlanner(Planner):
    """The CLI acting as ana on the real day (the demo's events carry the real clock)."""

    def __call__(self, *args: str, user: str = "ana"):
        from planner.cli.main import app

        return self.runner.invoke(app, ["--db", self.db, "--as", "ana", "--today", date.today().isoformat(), *args])


@pytest.fixture
def demo(tmp_path, monkeypatch) -> Planner:
    """The demo through the CLI, with a running sprint of five web tasks."""
    planner = DemoPlanner(tmp_path / "planner.db", monkeypatch)
    planner.ok("demo")
    ids = [str(task["id"]) for task in planner.json("ls", "project:web", "--limit", "5")]
    planner.ok("sprint", "add", "web", "Sprint 9", "--start", date.today().isoformat(), "--end", "+2w")
    planner.ok("sprint", "plan", "web", "Sprint 9", *ids)
    return planner


CHARTED = [
    (["sprint", "show", "web", "Sprint 9"], "web / Sprint 9: burndown"),
    (["forecast", "web", "--runs", "200"], "web: finish date forecast"),
    (["report", "flow", "--project", "web"], "web: cumulative flow"),
    (["project", "show", "web"], "web: earned value"),
    (["load"], "Workload: planned vs capacity"),
]


@pytest.mark.parametrize(("args", "title"), CHARTED)
def test_chart_under_the_table_on_a_terminal_only(demo, monkeypatch, args, title):
    assert title not in demo.ok(*args)  # CliRunner's stdout is a pipe: no chart
    monkeypatch.setattr("planner.cli.charts.is_terminal", lambda: True)
    drawn = demo.ok(*args)
    assert title in drawn and "┤" in drawn and "└" in drawn
    assert title not in demo.ok(*args, "--no-chart")
    assert title not in demo.ok(*args, "--json")


@pytest.mark.parametrize(("args", "title"), CHARTED)
def test_svg_option_writes_a_standalone_chart(demo, tmp_path, args, title):
    target = tmp_path / "chart.svg"
    assert f"wrote {target}" in demo.ok(*args, "--svg", str(target))
    root = ET.parse(target).getroot()
    assert root.tag == SVG + "svg" and root.get("viewBox")
    texts = [e.text or "" for e in root.iter(SVG + "text")]
    assert title in texts and any(t[:1].isdigit() for t in texts)
    drawn = [e for e in root.iter() if e.get("class") in ("bar", "line", "area", "point")]
    assert len(drawn) >= 2


def test_svg_with_json_keeps_stdout_pure_json(demo, tmp_path):
    import json

    target = tmp_path / "f.svg"
    data = json.loads(demo.ok("forecast", "web", "--runs", "100", "--json", "--svg", str(target)))
    assert data["runs"] == 100 and target.stat().st_size > 1000


def test_unwritable_svg_path_is_one_error_line(demo, tmp_path):
    result = demo("forecast", "web", "--runs", "50", "--svg", str(tmp_path / "missing" / "f.svg"))
    assert result.exit_code == 1 and "cannot write " in result.stderr and len(result.stderr.splitlines()) == 1


def test_report_flow_table_json_and_errors(demo):
    output = demo.ok("report", "flow", "--project", "web", "--from", "-3d")
    assert output.splitlines()[0].startswith("web: flow from ")
    assert "WIP now " in output and "Doing" in output
    data = demo.json("report", "flow", "--project", "web", "--from", "-3d")
    assert len(data["days"]) == 4 and data["days"][-1]["day"] == date.today().isoformat()
    assert sum(data["days"][-1]["counts"].values()) > 0
    missing = demo("report", "flow", "--project", "nope")
    assert missing.exit_code == 1 and "no project 'nope'" in missing.stderr
    future = demo("report", "flow", "--project", "web", "--from", "+3d")
    assert future.exit_code == 1 and "after today" in future.stderr


def test_digest_html_file_embeds_the_running_sprint_s_burndown_as_svg(demo, tmp_path):
    target = tmp_path / "digest.html"
    demo.ok("digest", "--user", "ana", "--format", "html", "--out", str(target))
    html = target.read_text()
    assert "<svg " in html and "web / Sprint 9: burndown" in html and "cid:" not in html
