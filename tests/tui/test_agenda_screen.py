"""The agenda screen (key 5): the next seven days of the demo, day by day."""

from __future__ import annotations

from textual.widgets import DataTable

from tests.tui.conftest import make_test_app, settle


async def test_key_5_shows_the_week_day_by_day_with_what_is_due(demo_ctx):
    from planner.services.agenda import agenda

    expected = agenda(demo_ctx, days=7)
    app = make_test_app(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("5")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "AgendaScreen"
        table = app.screen.query_one("#agenda-table", DataTable)
        rows = [[str(cell) for cell in table.get_row_at(index)] for index in range(table.row_count)]
        days = [row[0] for row in rows if row[0]]
        assert days == [f"{day.day:%a %d %b}" for day in expected.days]
        shown = {row[2] for row in rows}
        wanted = {f"#{item.task_id} {item.title}" if item.task_id else item.title
                  for day in expected.days for item in day.items}
        assert wanted and wanted <= shown
        title = str(app.screen.query_one("#agenda-title").render())
        assert f"Agenda of {expected.who}" in title
