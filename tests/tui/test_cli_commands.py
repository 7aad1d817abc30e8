"""`planner demo`, `planner tui`, `planner serve` and bare `planner` (CliRunner on a tmp_path store)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from planner.cli.main import app as cli


@pytest.fixture
def runner():
    return CliRunner()


def test_demo_fills_a_fresh_store_once(runner, tmp_path):
    db = str(tmp_path / "demo.db")
    first = runner.invoke(cli, ["--db", db, "--as", "ana", "--today", "2026-11-25", "demo"])
    assert first.exit_code == 0, first.output
    assert "Demo ready: project web" in first.output
    listing = runner.invoke(cli, ["--db", db, "project", "ls"])
    assert "web" in listing.output and "support" in listing.output
    again = runner.invoke(cli, ["--db", db, "demo"])
    assert again.exit_code == 1 and "already has projects" in again.output


def test_tui_runs_the_app_on_the_chosen_screen_and_project(runner, tmp_path, monkeypatch):
    from planner.app import PlannerApp

    seen = {}
    monkeypatch.setattr(PlannerApp, "run", lambda self: seen.update(screen=self.start_screen, project=self.project_key,
                                                                    db=self.ctx.location.url))
    unknown = runner.invoke(cli, ["--db", str(tmp_path / "p.db"), "tui", "--screen", "gantt", "--project", "web"])
    assert unknown.exit_code == 1 and "no project 'web'" in unknown.output and not seen  # said before the app opens
    runner.invoke(cli, ["--db", str(tmp_path / "p.db"), "project", "add", "web"])
    result = runner.invoke(cli, ["--db", str(tmp_path / "p.db"), "tui", "--screen", "gantt", "--project", "web"])
    assert result.exit_code == 0, result.output
    assert seen == {"screen": "gantt", "project": "web", "db": f"sqlite:///{tmp_path / 'p.db'}"}
    wrong = runner.invoke(cli, ["--db", str(tmp_path / "p.db"), "tui", "--screen", "calendar"])
    assert wrong.exit_code == 2


def test_bare_planner_outside_a_terminal_prints_help(runner, tmp_path):
    result = runner.invoke(cli, ["--db", str(tmp_path / "p.db")])
    assert result.exit_code == 0 and "Usage" in result.output


class _FakeServer:
    made: list = []

    def __init__(self, command, host, port, title):
        _FakeServer.made.append((command, host, port, title))

    def serve(self):
        return None


def test_serve_binds_to_loopback_by_default_and_warns_otherwise(runner, tmp_path, monkeypatch):
    import textual_serve.server

    monkeypatch.setattr(textual_serve.server, "Server", _FakeServer)
    _FakeServer.made.clear()
    db = str(tmp_path / "p.db")
    quiet = runner.invoke(cli, ["--db", db, "--as", "ana", "serve"])
    assert quiet.exit_code == 0 and "warning" not in quiet.output
    command, host, port, _title = _FakeServer.made[-1]
    assert (host, port) == ("127.0.0.1", 8000)
    assert f"--db sqlite:///{db}" in command and "--as ana" in command and command.endswith("tui --screen queue")
    loud = runner.invoke(cli, ["--db", db, "serve", "--host", "0.0.0.0", "--port", "9000"])
    assert loud.exit_code == 0 and "warning: serving on 0.0.0.0" in loud.output
    assert _FakeServer.made[-1][1:3] == ("0.0.0.0", 9000)
