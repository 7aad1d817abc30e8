"""The board screen on a real SQLite store: columns from the workflow, moving cards, WIP limits, lanes, filter."""

from __future__ import annotations

from datetime import date

from planner.services.queries import get_task, list_tasks
from planner.services.tasks.operations import edit_task
from planner.services.flow.workflows import edit_state, show_workflow
from tests.tui.conftest import make_test_app, settle


def _column(board, key):
    return next(column for column in board.columns if column.key == key)


async def test_columns_follow_the_workflow_with_wip_counts(demo_ctx):
    app = make_test_app(demo_ctx, screen="board")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        board = app.screen.board
        states = show_workflow(demo_ctx, project="web").states
        assert [column.key for column in board.columns] == [state.key for state in states]
        doing = _column(board, "doing")
        assert doing.wip_limit == 3 and doing.over_limit
        assert "4/3" in board.render_line(0).text
        open_cards = {task.id for task in list_tasks(demo_ctx, ["project:web"]).tasks if task.kind == "task"}
        shown = {card.id for column in board.columns for card in column.cards if not card.done}
        assert shown <= open_cards and len(shown) >= 10


async def test_shift_right_moves_a_card_to_the_next_state(demo_ctx):
    edit_state(demo_ctx, "default", "review", wip_limit=None)
    app = make_test_app(demo_ctx, screen="board")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        board = app.screen.board
        await pilot.press("right")  # from To do into Doing
        card = board.selected_card
        assert card.status == "doing"
        await pilot.press("shift+right")
        await settle(app, pilot)
        assert get_task(demo_ctx, card.id).status == "review"
        assert board.selected_card.id == card.id
        assert card.id in {c.id for c in _column(board, "review").cards}


async def test_a_wip_limit_asks_before_going_over_and_can_be_declined(demo_ctx):
    app = make_test_app(demo_ctx, screen="board")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        board = app.screen.board
        card = board.selected_card
        assert card.status == "todo"
        await pilot.press("shift+right")  # Doing is over its limit already
        await settle(app, pilot)
        assert type(app.screen).__name__ == "ConfirmScreen"
        await pilot.press("n")
        await settle(app, pilot)
        assert get_task(demo_ctx, card.id).status == "todo"
        await pilot.press("shift+right")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert get_task(demo_ctx, card.id).status == "doing"
        assert _column(app.screen.board, "doing").count == 5


async def test_a_card_changed_elsewhere_is_not_moved_over_the_change(demo_ctx):
    app = make_test_app(demo_ctx, screen="board")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        card = app.screen.board.selected_card
        edit_task(demo_ctx, card.id, {"title": "Renamed by a teammate"})  # the board still shows the old version
        await pilot.press("shift+left")
        await settle(app, pilot)
        task = get_task(demo_ctx, card.id)
        assert task.status == "todo" and task.title == "Renamed by a teammate"
        assert any("changed" in n.message or "version" in n.message for n in app._notifications)


async def test_dragging_a_card_with_the_mouse_moves_it(demo_ctx):
    edit_state(demo_ctx, "default", "doing", wip_limit=None)
    app = make_test_app(demo_ctx, screen="board")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        board = app.screen.board
        card = board.selected_card
        width = board.column_width
        todo = [c.key for c in board.columns].index("todo")
        await pilot.mouse_down(board, offset=(todo * width + 3, board.header_height))
        await pilot.mouse_up(board, offset=((todo + 1) * width + 3, board.header_height + 1))
        await settle(app, pilot)
        assert get_task(demo_ctx, card.id).status == "doing"


async def test_lanes_group_cards_by_person_and_the_filter_narrows(demo_ctx):
    app = make_test_app(demo_ctx, screen="board")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        board = app.screen.board
        await pilot.press("l")
        await pilot.pause()
        lines = [board.render_line(y).text.strip() for y in range(board.size.height)]
        lanes = [line for line in lines if line.startswith("▾")]
        assert lanes[0].startswith("▾ ana") and any(lane.startswith("▾ chloe") for lane in lanes)
        await pilot.press("slash")
        app.screen.query_one("#filter-input").value = "assignee:chloe"
        await pilot.press("enter")
        await settle(app, pilot)
        people = {card.assignees[0] for column in board.columns for card in column.cards}
        assert people == {"chloe"}


async def test_d_completes_the_selected_card(demo_ctx):
    app = make_test_app(demo_ctx, screen="board")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        card = app.screen.board.selected_card
        await pilot.press("d")
        await settle(app, pilot)
        assert get_task(demo_ctx, card.id).done
        assert card.id in {c.id for c in _column(app.screen.board, "done").cards}


async def test_a_card_due_in_another_year_shows_the_year(demo_ctx):
    card_id = next(task.id for task in list_tasks(demo_ctx, ["project:web"]).tasks
                   if task.kind == "task" and task.status != "done")
    edit_task(demo_ctx, card_id, {"due": date(2028, 3, 9)})
    app = make_test_app(demo_ctx, screen="board")
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(app, pilot)
        board = app.screen.board
        lines = [board.render_line(y).text for y in range(board.size.height)]
        assert any("Mar 09 2028" in line for line in lines)
        assert not any("Mar 09 " in line and "2028" not in line for line in lines)
