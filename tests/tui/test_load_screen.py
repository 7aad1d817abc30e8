"""The workload screen: planned hours per person per week, over-allocation marked."""

from __future__ import annotations

from tests.tui.conftest import make_test_app, settle


async def test_key_4_shows_everyone_s_weeks_and_marks_over_allocation(demo_ctx):
    from textual.widgets import DataTable, Static

    from planner.services.planning.workload import workload
    from planner.services.tasks.operations import TaskDraft, add_task

    # two days of 16 hours' work for ben this week: over what a week from today holds
    add_task(demo_ctx, TaskDraft("Crunch", project="web", estimate_hours=48, duration_days=2, assignees=["ben"]))
    expected_over = {week.person for week in workload(demo_ctx, demo_ctx.today()) if week.over}
    app = make_test_app(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("4")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "LoadScreen"
        table = app.screen.query_one("#load-table", DataTable)
        people = [str(table.get_row_at(index)[0]) for index in range(table.row_count)]
        assert people == sorted(people) and len(people) == 5
        marked = {str(table.get_row_at(index)[0]) for index in range(table.row_count)
                  if any(str(cell).endswith("!") for cell in table.get_row_at(index)[1:])}
        assert marked == expected_over and marked
        title = str(app.screen.query_one("#load-title", Static).render())
        assert "over-allocated" in title
