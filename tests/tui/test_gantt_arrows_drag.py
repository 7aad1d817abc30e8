"""The Gantt in the app on the demo store: dependency arrows (and their key), dragging bars, assignees in labels."""

from __future__ import annotations

from datetime import timedelta

from planner.services.queries import get_task, list_tasks
from tests.tui.conftest import make_test_app, settle


def _id(ctx, title: str) -> int:
    return next(task.id for task in list_tasks(ctx, ["project:web", f"title:{title}"]).tasks)


def _line(chart, index: int, line: int = 0) -> str:
    return chart.render_line(chart.header_height + index * chart.row_height + line - int(chart.scroll_y)).text


def _x(chart, column: float) -> int:
    """The widget x of a chart column."""
    return chart.label_width + int(column) - int(chart.scroll_x)


def _chart_text(chart) -> str:
    return "\n".join(chart.render_line(y).text[chart.label_width:] for y in range(chart.size.height))


def _on_screen(chart, index: int) -> bool:
    top = chart.header_height + index * chart.row_height - int(chart.scroll_y)
    return chart.header_height <= top and top + chart.row_height <= chart.size.height


async def test_arrows_join_a_linked_pair_and_a_toggles_them(demo_ctx):
    app = make_test_app(demo_ctx, screen="gantt")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot, rounds=5)
        chart = app.screen.chart
        assert chart.show_arrows and "▶" in _chart_text(chart)
        rows = chart._visible
        position = {row.task_id: index for index, row in enumerate(rows)}
        checked = 0
        for (pred, succ), kind in chart.model.link_kinds.items():
            above, below = position[pred], position[succ]
            if kind != "FS" or below != above + 1 or not (_on_screen(chart, above) and _on_screen(chart, below)):
                continue
            turn = _x(chart, -(-chart.column(rows[above].end) // 1))  # the gap column after the bar
            head = _x(chart, chart.column(rows[below].start)) - 1
            if head <= turn or not chart.label_width <= turn < chart.size.width:
                continue
            assert _line(chart, above)[turn] in "┐┬┤┼", (pred, succ)  # leaves the bar's end, turning down
            assert _line(chart, above, 1)[turn] in "│├┤┼"  # past the baseline line
            entering = _line(chart, below)
            assert entering[turn] in "└├┴┼" and entering[head] == "▶", (pred, succ, entering)
            assert set(entering[turn + 1:head]) <= set("─┼┴┬")
            checked += 1
        assert checked >= 2
        await pilot.press("a")
        await pilot.pause()
        assert not chart.show_arrows and not app.gantt_arrows
        assert not set(_chart_text(chart)) & set("▶▼▲└┐┌┘├┤┬┴┼─")
        await pilot.press("2")  # another screen and back: the app remembers
        await pilot.press("3")
        await pilot.pause()
        assert not app.screen.chart.show_arrows
        await pilot.press("a")
        await pilot.pause()
        assert chart.show_arrows and app.gantt_arrows and "▶" in _chart_text(chart)
        assert "Arrows" in [b.binding.description for b in app.screen.active_bindings.values()]


async def test_dragging_a_bar_moves_the_task_by_the_days_dragged(demo_ctx):
    qa = _id(demo_ctx, "QA and accessibility")
    app = make_test_app(demo_ctx, screen="gantt")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot, rounds=5)
        chart, calendar = app.screen.chart, app.screen.calendar
        assert chart.zoom == "week" and chart.cells_per_day == 1
        assert chart.select_task(qa)
        await pilot.pause()
        index = chart.cursor
        row = chart.selected_row
        start = row.start
        x, y = _x(chart, chart.column(start)) + 1, chart.header_height + index * chart.row_height - int(chart.scroll_y)
        assert _line(chart, index)[x] == "█"
        await pilot.mouse_down(chart, offset=(x, y))
        await pilot.hover(chart, offset=(x + 3, y))
        await pilot.pause()
        assert "░" in _line(chart, index)  # the ghost where it would land
        assert "release to move" in str(app.screen.query_one("#gantt-detail").render())
        await pilot.mouse_up(chart, offset=(x + 3, y))
        await settle(app, pilot)
        working_days = sum(1 for days in (1, 2, 3) if calendar.is_working(start + timedelta(days=days)))
        expected = calendar.add_working_days(start, working_days)
        assert working_days and get_task(demo_ctx, qa).start_no_earlier == expected
        assert next(r for r in chart.model.rows if r.task_id == qa).start == expected
        assert "░" not in _line(chart, chart.cursor)


async def test_a_drag_of_no_days_does_nothing_and_a_done_bar_says_why(demo_ctx):
    qa = _id(demo_ctx, "QA and accessibility")
    app = make_test_app(demo_ctx, screen="gantt")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot, rounds=5)
        chart = app.screen.chart
        chart.select_task(qa)
        await pilot.pause()
        x = _x(chart, chart.column(chart.selected_row.start)) + 1
        y = chart.header_height + chart.cursor * chart.row_height - int(chart.scroll_y)
        await pilot.mouse_down(chart, offset=(x, y))
        await pilot.hover(chart, offset=(x, y))
        await pilot.mouse_up(chart, offset=(x, y))
        await settle(app, pilot)
        assert get_task(demo_ctx, qa).start_no_earlier is None
        done = next(row for row in chart._visible if row.done and row.kind == "task")
        chart.select_task(done.task_id)
        await pilot.pause()
        x = _x(chart, chart.column(done.start))
        y = chart.header_height + chart.cursor * chart.row_height - int(chart.scroll_y)
        await pilot.mouse_down(chart, offset=(x, y))
        await pilot.hover(chart, offset=(x + 7, y))
        await pilot.mouse_up(chart, offset=(x + 7, y))
        await settle(app, pilot)
        assert any("is done" in n.message for n in app._notifications)
        assert next(r for r in chart.model.rows if r.task_id == done.task_id).start == done.start


async def test_each_row_label_names_its_assignees(demo_ctx):
    qa = _id(demo_ctx, "QA and accessibility")
    people = get_task(demo_ctx, qa).assignees
    app = make_test_app(demo_ctx, screen="gantt")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot, rounds=5)
        chart = app.screen.chart
        chart.select_task(qa)
        await pilot.pause()
        label = _line(chart, chart.cursor)[:chart.label_width]
        assert people and f"· {', '.join(people)}" in label and "QA and" in label
