"""The app and the CLI paint a Gantt row's cells with the same painter: same schedule, same scale, same cells."""

from __future__ import annotations

from planner.render.gantt import chart_glyphs, render_gantt
from planner.render.gantt_cells import paint_markers
from planner.services.planning.schedule import schedule_project
from tests.tui.conftest import TODAY, make_test_app, settle


async def test_the_app_and_the_cli_paint_the_same_cells(demo_ctx):
    app = make_test_app(demo_ctx, screen="gantt")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot, rounds=5)
        chart = app.screen.chart
        assert chart.zoom == "week"
        first, compared, drawn = int(chart.scroll_x), 0, ""
        for index in range(chart.row_count):
            y = chart.header_height + index * chart.row_height - int(chart.scroll_y)
            if not chart.header_height <= y < chart.size.height:
                continue
            text = chart.render_line(y).text
            app_cells = text[chart.label_width:]
            markers = paint_markers(chart.scale, first, len(app_cells), today=chart.today,
                                    deadline=chart.model.deadline)
            cli_cells = "".join(glyph for glyph, _style in chart_glyphs(chart._visible[index], chart.scale, first,
                                                                        len(app_cells), markers,
                                                                        arrows=chart.row_arrows(index)))
            assert app_cells == cli_cells, (index, app_cells, cli_cells)
            compared += 1
            drawn += app_cells
        assert compared >= 10 and "█" in drawn and "◆" in drawn and "▶" in drawn
        # and the CLI's own chart of the same schedule comes from the same rows, in the same order
        cli = render_gantt(schedule_project(demo_ctx, "web"), width=120, today=TODAY)
        cli_ids = [int(line.plain.split()[0]) for line in cli.renderables[1:-1]]
        assert cli_ids == [row.task_id for row in chart.model.rows]
