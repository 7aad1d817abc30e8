"""The Gantt screen on a real SQLite store: moving a bar reschedules successors at once, and the chart's layers."""

from __future__ import annotations

from planner.services.queries import get_task, list_tasks
from planner.services.planning.schedule import schedule_project
from tests.tui.conftest import make_test_app, settle


def _id(ctx, title: str) -> int:
    return next(task.id for task in list_tasks(ctx, ["project:web", f"title:{title}"]).tasks)


def _row(chart, task_id):
    return next(row for row in chart.model.rows if row.task_id == task_id)


async def test_shift_right_moves_a_bar_a_working_day_and_its_successor_follows(demo_ctx):
    qa, go_live = _id(demo_ctx, "QA and accessibility"), _id(demo_ctx, "Go live")
    app = make_test_app(demo_ctx, screen="gantt")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        chart = app.screen.chart
        assert chart.select_task(qa)
        before_qa, before_go_live = _row(chart, qa).start, _row(chart, go_live).start
        calendar = app.screen.calendar
        await pilot.press("shift+right")
        await settle(app, pilot)
        after_qa, after_go_live = _row(chart, qa).start, _row(chart, go_live).start
        assert after_qa == calendar.add_working_days(before_qa, 1)
        assert after_go_live == calendar.add_working_days(before_go_live, 1)
        assert get_task(demo_ctx, qa).start_no_earlier == after_qa
        fresh = {task.id: task for task in schedule_project(demo_ctx, "web").tasks}
        assert fresh[go_live].start == after_go_live and fresh[qa].start == after_qa
        assert chart.selected_task_id == qa
        await pilot.press("shift+left")
        await settle(app, pilot)
        assert _row(chart, go_live).start == before_go_live


async def test_pushing_past_a_due_date_announces_the_deadlines_that_turn_late(demo_ctx):
    qa, go_live = _id(demo_ctx, "QA and accessibility"), _id(demo_ctx, "Go live")
    app = make_test_app(demo_ctx, screen="gantt")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        chart = app.screen.chart
        chart.select_task(qa)
        assert not _row(chart, go_live).late
        for _ in range(3):
            await pilot.press("shift+right")
            await settle(app, pilot)
        assert _row(chart, go_live).late
        assert any("Now late" in n.message and f"#{go_live}" in n.message for n in app._notifications)
        assert "!" in chart.render_line(chart.header_height + chart.cursor * chart.row_height - int(chart.scroll_y)
                                        ).text[: chart.label_width]


async def test_a_started_or_done_task_keeps_its_bar(demo_ctx):
    started = _id(demo_ctx, "Site search")
    app = make_test_app(demo_ctx, screen="gantt")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        chart = app.screen.chart
        chart.select_task(started)
        before = _row(chart, started).start
        await pilot.press("shift+right")
        await settle(app, pilot)
        assert _row(chart, started).start == before
        assert get_task(demo_ctx, started).start_no_earlier is None
        assert any("actual start" in n.message for n in app._notifications)


async def test_baseline_ghosts_forecast_markers_and_critical_rows_are_drawn(demo_ctx):
    app = make_test_app(demo_ctx, screen="gantt")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot, rounds=5)
        chart = app.screen.chart
        rows = chart.model.rows
        assert chart.row_height == 2 and all(r.baseline_start for r in rows if not r.kind == "summary")
        milestones = [r for r in rows if r.kind == "milestone" and not r.done]
        assert milestones and all(r.p85 is not None for r in milestones)
        assert any(r.critical for r in rows)
        text = "\n".join(chart.render_line(y).text for y in range(chart.size.height))
        for glyph in ("█", "▔", "◆", "│", "┆"):
            assert glyph in text
        assert "baseline 'kick-off'" in str(app.screen.query_one("#gantt-title").render())


async def test_zoom_leveling_and_filter(demo_ctx):
    app = make_test_app(demo_ctx, screen="gantt")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        chart = app.screen.chart
        week_width = chart.virtual_size.width
        await pilot.press("z")  # week -> month
        assert chart.zoom == "month" and chart.virtual_size.width < week_width
        await pilot.press("z", "z")
        assert chart.zoom == "week"
        await pilot.press("v")
        await settle(app, pilot)
        assert app.screen.frame.leveled
        await pilot.press("slash")
        app.screen.query_one("#filter-input").value = "assignee:chloe"
        await pilot.press("enter")
        await settle(app, pilot)
        everything = {task.id for task in list_tasks(demo_ctx, ["project:web"], limit=0).tasks}
        everything |= {task.id for task in list_tasks(demo_ctx, ["project:web", "+done"], limit=0).tasks}
        shown = {task_id for task_id in everything if chart.select_task(task_id)}
        chloe = {task.id for task in list_tasks(demo_ctx, ["project:web", "assignee:chloe"]).tasks}
        assert shown and shown <= chloe | {t.id for t in list_tasks(demo_ctx, ["project:web", "assignee:chloe",
                                                                               "+done"]).tasks}


async def test_a_stream_has_no_gantt_and_says_so(demo_ctx):
    app = make_test_app(demo_ctx, screen="gantt", project="support")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert "stream" in str(app.screen.query_one("#gantt-title").render())
        assert app.screen.chart.row_count == 0
