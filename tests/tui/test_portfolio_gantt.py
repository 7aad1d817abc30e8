"""The Gantt's leveled view (`v`) shows the portfolio's leveled plan: a project waits for the one before it."""

from __future__ import annotations

from typer.testing import CliRunner

from planner.services.planning.schedule import plan_portfolio, schedule_project
from tests.tui.conftest import context_for, make_test_app, settle


def _store(path, monkeypatch) -> None:
    from planner.cli.main import app

    monkeypatch.setenv("PLANNER_CONFIG", str(path.parent / "no-config.toml"))
    runner = CliRunner()
    commands = [["resource", "add", "mia"]]
    for key in ("alpha", "beta"):
        commands.append(["project", "add", key, "--start", "2030-01-07"])
        commands += [["add", f"{key} {n}", "--project", key, "--duration", "2", "--assign", "mia"] for n in (1, 2)]
    for command in commands:
        result = runner.invoke(app, ["--db", str(path), "--as", "ana", "--today", "2026-11-25", *command])
        assert result.exit_code == 0, result.output


async def test_leveled_gantt_shows_the_portfolio_plan(tmp_path, monkeypatch):
    path = tmp_path / "planner.db"
    _store(path, monkeypatch)
    ctx = context_for(path)
    leveled = {task.id: task.start for task in schedule_project(ctx, "beta", level=True).tasks}
    portfolio = {task.id: task.start for task in plan_portfolio(ctx, level=True).schedules[1].tasks}
    assert leveled == portfolio and min(leveled.values()).isoformat() == "2030-01-11"  # after alpha's 4 days
    app = make_test_app(ctx, screen="gantt", project="beta")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        chart = app.screen.chart
        plain = {row.task_id: row.start for row in chart.model.rows if row.task_id in leveled}
        assert min(plain.values()).isoformat() == "2030-01-07"
        await pilot.press("v")
        await settle(app, pilot)
        assert app.screen.frame.leveled
        shown = {row.task_id: row.start for row in chart.model.rows if row.task_id in leveled}
        assert shown == leveled
