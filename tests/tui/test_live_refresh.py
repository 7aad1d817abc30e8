"""Live refresh: writes by another process (the CLI here) show up in the running app without a key press."""

from __future__ import annotations

import asyncio
import sys
import time

from tests.tui.conftest import ME, TODAY, make_test_app, settle


async def _cli(db, *args: str) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "planner", "--db", str(db), "--as", ME, "--today", TODAY.isoformat(), *args,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()


async def _within(pilot, seconds: float, check) -> float:
    """Seconds until ``check()`` held (pausing, never pressing keys); fails after ``seconds``."""
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > seconds:
            raise AssertionError(f"not seen within {seconds} s")
        await pilot.pause(0.05)
    return time.monotonic() - started


async def test_a_task_added_by_the_cli_appears_in_the_queue_within_two_seconds(demo_ctx, demo_db):
    app = make_test_app(demo_ctx, poll_seconds=0.5)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        table = app.screen.table
        titles = lambda: [item.entry.scored.candidate.title for item in table.items]  # noqa: E731
        assert "Call the printer about the flyers" not in titles()
        await _cli(demo_db, "add", "Call the printer about the flyers", "--project", "support", "--due", "today",
                   "--priority", "3", "--assign", ME)
        waited = await _within(pilot, 2.0, lambda: "Call the printer about the flyers" in titles())
        assert waited <= 2.0


async def test_a_timer_started_by_the_cli_shows_in_the_top_bar_and_the_board_follows_a_move(demo_ctx, demo_db):
    app = make_test_app(demo_ctx, screen="board", poll_seconds=0.5)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        card = app.screen.board.selected_card
        await _cli(demo_db, "move", str(card.id), "review")
        board = app.screen.board

        def moved() -> bool:
            return any(c.id == card.id for column in board.columns if column.key == "review" for c in column.cards)

        await _within(pilot, 2.0, moved)
        await _cli(demo_db, "timer", "start", str(card.id))
        await _within(pilot, 2.0, lambda: app.timer is not None and app.timer.task_id == card.id)
        assert f"● #{card.id}" in str(app.screen.query_one("TopBar").render())
