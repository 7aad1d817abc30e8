"""Start constraints in the app's Gantt: the marker, and shift+← back to the original date clears the pin."""

from __future__ import annotations

from planner.services.queries import get_task, list_tasks
from tests.tui.conftest import make_test_app, settle


def _id(ctx, title: str) -> int:
    return next(task.id for task in list_tasks(ctx, ["project:web", f"title:{title}"]).tasks)


def _row(chart, task_id):
    return next(row for row in chart.model.rows if row.task_id == task_id)


def _chart_text(chart) -> str:
    line = chart.render_line(chart.header_height + chart.cursor * chart.row_height - int(chart.scroll_y))
    return line.text[chart.label_width:]


async def test_moving_a_bar_pins_it_with_a_marker_and_moving_it_back_clears_the_pin(demo_ctx):
    qa = _id(demo_ctx, "QA and accessibility")
    assert get_task(demo_ctx, qa).start_no_earlier is None
    app = make_test_app(demo_ctx, screen="gantt")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        chart = app.screen.chart
        assert chart.select_task(qa)
        original = _row(chart, qa).start
        assert "▹" not in _chart_text(chart)
        await pilot.press("shift+right")
        await settle(app, pilot)
        moved = _row(chart, qa).start
        assert moved > original and get_task(demo_ctx, qa).start_no_earlier == moved
        assert _row(chart, qa).start_no_earlier == moved
        text = _chart_text(chart)
        assert text.count("▹") == 1 and text.index("▹") < text.index("█")
        detail = str(app.screen.query_one("#gantt-detail").render())
        assert f"pinned: not before {moved:%a %b %d}" in detail
        await pilot.press("shift+left")
        await settle(app, pilot)
        assert _row(chart, qa).start == original
        assert get_task(demo_ctx, qa).start_no_earlier is None  # cleared, not pinned at the original date
        assert "▹" not in _chart_text(chart)
        await pilot.press("shift+right")
        await settle(app, pilot)
        await pilot.press("shift+right")
        await settle(app, pilot)
        await pilot.press("shift+left")
        await settle(app, pilot)
        assert get_task(demo_ctx, qa).start_no_earlier == moved  # one day back is still a pin, a day later
