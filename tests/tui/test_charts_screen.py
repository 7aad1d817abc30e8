"""The Charts screen (key 6; main gives 5 to the agenda): the selected project's burndown, cumulative flow, forecast and earned value."""

from __future__ import annotations

from datetime import timedelta

from tests.tui.conftest import make_test_app, settle


def _plan_sprint(ctx) -> None:
    from planner.services.flow.sprints import add_sprint, plan_into_sprint
    from planner.services.queries import list_tasks

    today = ctx.today()
    add_sprint(ctx, "web", "Sprint 9", start=today - timedelta(days=2), end=today + timedelta(days=12))
    tasks = list_tasks(ctx, ["project:web"]).tasks[:4]
    plan_into_sprint(ctx, "web", "Sprint 9", [task.id for task in tasks])


async def test_key_6_draws_the_four_charts_of_the_project(demo_ctx):
    from planner.widgets.chart_view import ChartView

    _plan_sprint(demo_ctx)
    app = make_test_app(demo_ctx, project="web")
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(app, pilot)
        await pilot.press("6")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "ChartsScreen"
        views = {view.id: view for view in app.screen.query(ChartView)}
        titles = {key: view.chart.title for key, view in views.items() if view.chart is not None}
        assert titles == {"chart-burndown": "web / Sprint 9: burndown", "chart-flow": "web: cumulative flow",
                          "chart-forecast": "web: finish date forecast", "chart-value": "web: earned value"}
        burndown = views["chart-burndown"].chart
        assert len(burndown.x_labels) == len(burndown.series[0].values)


async def test_the_charts_reload_when_the_event_log_moves(demo_ctx):
    from planner.widgets.chart_view import ChartView

    app = make_test_app(demo_ctx, screen="charts", project="web")
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(app, pilot)
        burndown = app.screen.query_one("#chart-burndown", ChartView)
        assert burndown.chart is None and "No sprint" in str(burndown.render())
        _plan_sprint(demo_ctx)  # another process writes: the poll sees the event log move
        app.poll_event_log()
        await settle(app, pilot)
        assert burndown.chart is not None and burndown.chart.title == "web / Sprint 9: burndown"


def test_charts_screen_snapshot(demo_ctx, snap_compare):
    """The four panels of the demo's web project on the frozen day (tall terminal: all four in view)."""
    async def run_before(pilot) -> None:
        await settle(pilot.app, pilot, rounds=6)

    _plan_sprint(demo_ctx)
    app = make_test_app(demo_ctx, screen="charts", project="web")
    assert snap_compare(app, terminal_size=(120, 90), run_before=run_before)
