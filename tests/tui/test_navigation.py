"""Getting around: screen keys, the project switcher, the help screen and Planner's palette commands."""

from __future__ import annotations

import io

from tests.tui.conftest import make_test_app, settle


async def test_number_keys_switch_screens_and_the_project_follows(demo_ctx):
    app = make_test_app(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "BoardScreen" and app.project_key == "web"
        await pilot.press("3")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "GanttScreen" and app.screen.chart.row_count > 20
        await pilot.press("1")
        assert type(app.screen).__name__ == "QueueScreen"


async def test_the_switcher_narrows_as_you_type_and_switches_the_board(demo_ctx):
    app = make_test_app(demo_ctx, screen="board")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        switcher = app.screen
        assert type(switcher).__name__ == "ProjectSwitcher"
        await pilot.press("s", "u", "p")
        options = switcher.query_one("#switcher-list")
        assert options.option_count == 1 and options.get_option_at_index(0).id == "support"
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.project_key == "support"
        cards = {card.project for column in app.screen.board.columns for card in column.cards}
        assert cards == {"support"}


async def test_help_lists_the_keys_of_the_screen_below(demo_ctx):
    app = make_test_app(demo_ctx, screen="gantt")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen"
        from planner.screens.help import key_table

        table = key_table(app.screen.below)
        from rich.console import Console

        console = Console(width=200, record=True, file=io.StringIO())
        console.print(table)
        shown = console.export_text()
        for wanted in ("Move the task a working day later", "Move the task a working day earlier", "Zoom", "Level",
                       "Show or hide the baseline ghosts", "Save the plan as a baseline", "Today", "Filter", "Queue"):
            assert wanted in shown
        # grouped by where a user is, in Planner's words: no widget class names or Textual internals
        for internal in ("GanttChart", "DataTable", "Copy selected text", "Page Left", "Scroll Home", "Cursor"):
            assert internal not in shown
        assert shown.index("Gantt") < shown.index("Everywhere")
        await pilot.press("escape")
        assert type(app.screen).__name__ == "GanttScreen"


async def test_help_on_the_load_screen_names_the_screen_not_its_table(demo_ctx):
    from rich.console import Console

    from planner.screens.help import key_table

    app = make_test_app(demo_ctx, screen="load")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        console = Console(width=120, record=True, file=io.StringIO())
        console.print(key_table(app.screen))
        shown = console.export_text()
        assert shown.startswith("Load") and "DataTable" not in shown and "LoadScreen" not in shown
        assert "drag a card" not in shown  # the board's mouse hint stays on the board


async def test_the_palette_offers_planner_commands_and_projects(demo_ctx):
    app = make_test_app(demo_ctx, screen="gantt")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for wanted in ("Daily queue", "Board", "Switch project", "Zoom", "Toggle leveled schedule", "Save baseline"):
            assert wanted in titles
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        await pilot.press(*"Project: supp")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.project_key == "support"
        assert "stream" in str(app.screen.query_one("#gantt-title").render())
