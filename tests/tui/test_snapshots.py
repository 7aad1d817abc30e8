"""Snapshots of the screens at 120x40 and at 80x24 on the demo plan, on a frozen day (pytest-textual-snapshot).

Update after an intended change with ``pytest tests/tui/test_snapshots.py --snapshot-update`` and look at
the SVGs in ``__snapshots__`` before committing them.
"""

from __future__ import annotations

import pytest

from tests.tui.conftest import make_test_app, settle

SIZE = (120, 40)


async def _settled(pilot) -> None:
    await settle(pilot.app, pilot, rounds=6)


class TestScreens:
    """Each main screen as a newcomer first sees it after `planner demo`."""

    @pytest.mark.parametrize("screen", ["queue", "board", "gantt"])
    def test_screen(self, screen, demo_ctx, snap_compare):
        assert snap_compare(make_test_app(demo_ctx, screen=screen), terminal_size=SIZE, run_before=_settled)

    def test_queue_with_explanation_and_a_running_timer(self, demo_ctx, snap_compare):
        async def run_before(pilot) -> None:
            await _settled(pilot)
            await pilot.press("down", "s", "x")
            await _settled(pilot)
            pilot.app.clear_notifications()
            await pilot.pause()

        assert snap_compare(make_test_app(demo_ctx), terminal_size=SIZE, run_before=run_before)

    def test_board_with_swimlanes(self, demo_ctx, snap_compare):
        async def run_before(pilot) -> None:
            await _settled(pilot)
            await pilot.press("l")
            await _settled(pilot)
            pilot.app.clear_notifications()
            await pilot.pause()

        assert snap_compare(make_test_app(demo_ctx, screen="board"), terminal_size=SIZE, run_before=run_before)


class TestSmallTerminal:
    """Each screen at 80x24, the size a new terminal opens at: nothing cut off that matters."""

    SMALL = (80, 24)

    @pytest.mark.parametrize("screen", ["queue", "board", "gantt", "load", "agenda", "charts"])
    def test_screen(self, screen, demo_ctx, snap_compare):
        assert snap_compare(make_test_app(demo_ctx, screen=screen), terminal_size=self.SMALL, run_before=_settled)

    @pytest.mark.parametrize("key", ["e", "question_mark"])
    def test_overlay(self, key, demo_ctx, snap_compare):
        async def run_before(pilot) -> None:
            await _settled(pilot)
            await pilot.press(key)
            await _settled(pilot)
            width = -1
            for _ in range(50):  # the editor fills its fields from a worker: wait for them and the layout to settle
                if key != "e":
                    break
                title = pilot.app.screen.query_one("#title")
                title.cursor_blink = False  # a blinking cursor is caught on or off at random
                if title.value and title.size.width == width:
                    break
                width = title.size.width
                await pilot.pause(0.1)
            await _settled(pilot)

        assert snap_compare(make_test_app(demo_ctx), terminal_size=self.SMALL, run_before=run_before)
