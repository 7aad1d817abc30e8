"""Regenerate the README's screenshots (Textual SVG) of the demo plan into docs/.

    python scripts/screenshots.py [--out docs] [--size 120x40]

A fresh store gets `planner demo` (through the services) on a fixed day, so the pictures are the same on
every run; then the app is driven headless and each screen saved with ``App.save_screenshot``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 10, 40)


def _context(db: Path):
    from planner.config import Settings
    from planner.services.context import Context

    ctx = Context.from_settings(Settings(database_url=f"sqlite:///{db}", user="ana"), today=TODAY)
    return replace(ctx, now_override=NOW)


async def _settle(app, pilot) -> None:  # noqa: ANN001
    for _ in range(5):
        await app.workers.wait_for_complete()
        await pilot.pause()
    app.clear_notifications()
    await pilot.pause(0.1)


async def _queue(pilot) -> None:  # noqa: ANN001
    await pilot.press("down", "s")  # a running timer shows in the top bar


async def _board(pilot) -> None:  # noqa: ANN001
    await pilot.press("l")  # swimlanes by person


async def _gantt(pilot) -> None:  # noqa: ANN001
    chart = pilot.app.screen.chart
    chart.select_task(next(row.task_id for row in chart.model.rows if row.title.startswith("QA")))


async def _editor(pilot) -> None:  # noqa: ANN001
    await _gantt(pilot)
    await pilot.press("e")


async def _help(pilot) -> None:  # noqa: ANN001
    await pilot.press("question_mark")


SHOTS: list[tuple[str, str, Callable[..., Awaitable[None]]]] = [
    ("queue", "queue", _queue), ("board", "board", _board), ("gantt", "gantt", _gantt),
    ("editor", "gantt", _editor), ("help", "board", _help),
]


async def _shoot(db: Path, out: Path, name: str, screen: str, steps, size: tuple[int, int]) -> Path:  # noqa: ANN001
    from planner.app import make_app

    app = make_app(_context(db), screen=screen, poll_seconds=0)
    async with app.run_test(size=size) as pilot:
        await _settle(app, pilot)
        await steps(pilot)
        await _settle(app, pilot)
        path = out / f"{name}.svg"
        app.save_screenshot(str(path))
    return path


def main() -> None:
    """Make the demo store and save each screenshot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "docs")
    parser.add_argument("--size", default="120x40", help="terminal size, WIDTHxHEIGHT")
    args = parser.parse_args()
    width, height = (int(part) for part in args.size.split("x"))
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="planner-shots-"))
    os.environ["PLANNER_CACHE_DIR"] = str(work / "cache")
    from planner.services.demo import create_demo

    for name, screen, steps in SHOTS:  # each picture from its own fresh demo: a timer in one does not leak
        db = work / f"{name}.db"
        create_demo(_context(db))
        print(asyncio.run(_shoot(db, args.out, name, screen, steps, (width, height))))


if __name__ == "__main__":
    main()
