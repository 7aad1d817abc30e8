"""The app at 80x24, as a newcomer's terminal opens: every control reachable, nothing silently kept or dropped."""

from __future__ import annotations

import pytest

from tests.tui.conftest import make_test_app, settle

SMALL = (80, 24)


def _footer_keys(app) -> list[tuple[str, int]]:
    from textual.widgets._footer import FooterKey

    return [(key.description, key.region.right) for key in app.screen.query(FooterKey)]


@pytest.mark.parametrize("screen", ["queue", "board", "gantt", "load", "agenda", "charts"])
async def test_the_footer_fits_80_columns_and_always_offers_help(demo_ctx, screen):
    app = make_test_app(demo_ctx, screen=screen)
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        keys = _footer_keys(app)
        assert keys and all(0 < right <= SMALL[0] for _, right in keys), keys
        assert "Help" in [description for description, _ in keys]


async def test_the_gantt_footer_shows_ghosts_baseline_and_today(demo_ctx):
    app = make_test_app(demo_ctx, screen="gantt")
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        shown = [description for description, _ in _footer_keys(app)]
        for wanted in ("Move", "Today", "Zoom", "Ghosts", "Baseline"):
            assert wanted in shown


async def test_the_editor_keeps_save_and_cancel_on_an_80x24_screen(demo_ctx):
    app = make_test_app(demo_ctx)
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "TaskEditor"
        for button_id in ("#save", "#cancel"):
            button = app.screen.query_one(button_id)
            region = button.region
            assert region.height >= 1 and 0 <= region.y and region.bottom <= SMALL[1], (button_id, region)
        assert app.screen.query_one("#title").region.height == 1  # compact fields, one row each
    big = make_test_app(demo_ctx)
    async with big.run_test(size=(120, 40)) as pilot:
        await settle(big, pilot)
        await pilot.press("e")
        await settle(big, pilot)
        assert big.screen.query_one("#title").region.height == 3  # bordered fields where there is room


async def test_a_rejected_filter_is_not_kept_and_says_so_once(demo_ctx):
    app = make_test_app(demo_ctx)
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        shown = len(app.screen.table.items)
        await pilot.press("slash")
        app.screen.query_one("#filter-input").value = "colour:blue"
        await pilot.press("enter")
        await settle(app, pilot)
        messages = [n.title for n in app._notifications]
        assert messages.count("Filter not applied") == 1
        assert app.screen.filter_text == ""
        bar = app.screen.query_one("FilterBar")
        assert bar.display and app.screen.query_one("#filter-input").value == "colour:blue"  # to correct it
        await pilot.press("escape")
        app.clear_notifications()
        app.screen.reload()
        await settle(app, pilot)
        assert list(app._notifications) == [] and len(app.screen.table.items) == shown


async def test_help_lists_every_key_of_an_action_and_the_palette_offers_keys_once(demo_ctx):
    from planner.screens.help import key_table

    app = make_test_app(demo_ctx)
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        import io

        from rich.console import Console

        console = Console(width=120, record=True, file=io.StringIO())
        console.print(key_table(app.screen))
        lines = [" ".join(line.split()) for line in console.export_text().splitlines()]
        assert "shift+↑ K Move up" in lines and "shift+↓ J Move down" in lines
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert titles.count("Keys") == 1


async def test_the_gantt_brings_the_selected_bar_back_into_view(demo_ctx):
    app = make_test_app(demo_ctx, screen="gantt")
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        chart = app.screen.query_one("GanttChart")
        for _ in range(12):
            chart.action_scroll_time(1)
        await pilot.pause()
        await pilot.press("down")
        await pilot.pause()
        row = chart.selected_row
        width = chart.scrollable_content_region.width - chart.label_width
        first, last = chart.column(row.start), chart.column(row.end)
        assert last > chart.scroll_x and first < chart.scroll_x + width, (first, last, chart.scroll_x, width)


async def test_the_gantt_opens_at_today_on_a_bar_that_is_in_view(demo_ctx):
    app = make_test_app(demo_ctx, screen="gantt")
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        chart = app.screen.query_one("GanttChart")
        row = chart.selected_row
        width = chart.scrollable_content_region.width - chart.label_width
        assert row.end > chart.today
        assert chart.column(row.end) > chart.scroll_x and chart.column(row.start) < chart.scroll_x + width


@pytest.mark.parametrize("screen, title", [("board", "#board-title"), ("gantt", "#gantt-title")])
async def test_a_project_that_is_gone_is_said_where_loading_was(demo_ctx, screen, title):
    app = make_test_app(demo_ctx, screen=screen, project="nope")
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        shown = str(app.screen.query_one(title).render())
        assert "Loading" not in shown and "no project 'nope'" in shown
        assert [n.title for n in app._notifications].count("Not loaded") == 1
