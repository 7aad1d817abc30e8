"""TUI figures: first paint and CPU per key of the Gantt (10,000 tasks in one project), the board (2,000
cards) and the daily queue, in the real app under Textual's headless driver, beside a Textual DataTable.

    python bench/tui_bench.py [--tasks 10000] [--cards 2000] [--keys 20]

* first paint: from the moment the loaded data reaches the widget (the worker's message is handled) to
  the first frame that draws its rows; also from app start, which includes loading in the worker;
* CPU per key: CPU time of the UI thread (the one that runs Textual's event loop and draws) per key
  press, including the frame it causes, minus what the same idle time costs without keys;
* moving a bar: UI-thread CPU per key, and separately the worker's edit + full reschedule (process CPU
  and wall time until the successor has moved on screen).
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate  # noqa: E402

TODAY = date(2026, 11, 25)
PAUSE = 0.02


def _context(db: Path, actor: str):
    from planner.config import Settings
    from planner.services.context import Context

    ctx = Context.from_settings(Settings(database_url=f"sqlite:///{db}", user=actor), today=TODAY)
    return replace(ctx, now_override=datetime(2026, 11, 25, 10, 0))


def _one_project(db: Path, *, keep_status: bool) -> None:
    """Every task in project 1 (links kept); a plain plan for the Gantt, a mixed board for the board."""
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE task SET project_id = 1")
        if not keep_status:
            conn.execute("UPDATE task SET completed_at = NULL, status = 'todo', due = NULL")
        conn.execute("UPDATE project SET kind = 'project', start = '2026-11-30', deadline = NULL WHERE id = 1")


class Marks:
    """When data reached a widget and when the widget first drew rows (patched onto the widget class)."""

    def __init__(self, widget_class: type, show: str = "show") -> None:
        self.data_at: float | None = None
        self.paint_at: float | None = None
        self.renders = 0
        marks = self
        original_show, original_render = getattr(widget_class, show), widget_class.render_line

        def timed_show(widget, *args, **kwargs):  # noqa: ANN001, ANN202
            if marks.data_at is None:
                marks.data_at = time.perf_counter()
            return original_show(widget, *args, **kwargs)

        def timed_render(widget, y):  # noqa: ANN001, ANN202
            strip = original_render(widget, y)
            marks.renders += 1
            if marks.data_at is not None and marks.paint_at is None and y >= widget.header_height:
                marks.paint_at = time.perf_counter()
            return strip

        setattr(widget_class, show, timed_show)
        widget_class.render_line = timed_render


async def _until(pilot, check, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not get there in time")
        await pilot.pause(0.01)


async def _wait(check, seconds: float = 30.0) -> None:  # noqa: ANN001
    """Sleep in small steps (without asking the app for anything) until ``check()`` holds."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError("the app did not get there in time")
        await asyncio.sleep(0.001)


async def _frame(marks: Marks) -> None:
    """Wait until the widget has drawn again."""
    renders = marks.renders
    await _wait(lambda: marks.renders != renders)
    await asyncio.sleep(0)


async def _key_to_frame(app, key: str, marks: Marks) -> float:  # noqa: ANN001
    """UI-thread CPU ms from a key arriving (as the terminal driver delivers it) to the frame it causes."""
    from textual import events

    started = time.thread_time()
    app.post_message(events.Key(key, None))
    await _frame(marks)
    return (time.thread_time() - started) * 1000


async def _cpu_per_key(pilot, keys: list[str]) -> float:
    """UI-thread CPU ms per key (each followed by a short pause that lets the frame draw), idle cost removed."""
    await pilot.pause(0.2)
    started = time.thread_time()
    for _ in keys:
        await pilot.pause(PAUSE)
    idle = time.thread_time() - started
    started = time.thread_time()
    for key in keys:
        await pilot.press(key)
        await pilot.pause(PAUSE)
    busy = time.thread_time() - started
    return max(0.0, busy - idle) / len(keys) * 1000


async def _gantt(db: Path, keys: int) -> dict[str, float]:
    from planner.app import make_app
    from planner.widgets.gantt_chart import GanttChart

    marks = Marks(GanttChart)
    started = time.perf_counter()
    app = make_app(_context(db, "user1"), screen="gantt", project="p1", poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await _until(pilot, lambda: marks.paint_at is not None)
        figures = {"rows": app.screen.chart.row_count, "start_to_paint_s": marks.paint_at - started,
                   "data_to_paint_ms": (marks.paint_at - marks.data_at) * 1000}
        await app.workers.wait_for_complete()
        figures["page_down_ms"] = await _cpu_per_key(pilot, ["pagedown"] * keys)
        figures["page_up_ms"] = await _cpu_per_key(pilot, ["pageup"] * keys)
        figures["scroll_time_ms"] = await _cpu_per_key(pilot, ["right", "left"] * (keys // 2))
        chart = app.screen.chart
        task_id, successor = _task_with_successor(chart)
        chart.select_task(task_id)
        await pilot.pause(0.2)
        key_ui, move_ui, work, wall = [], [], [], []
        for _ in range(5):
            before = _start_of(chart, successor)
            thread_started, process_started, wall_started = time.thread_time(), time.process_time(), time.perf_counter()
            key_ui.append(await _key_to_frame(app, "shift+right", marks))  # the bar slid on screen
            await _wait(lambda: _start_of(chart, successor) != before)  # the rescheduled plan arrived
            await asyncio.sleep(0.05)  # and was drawn (a frame is due within 1/60 s)
            wall.append(time.perf_counter() - wall_started)
            move_ui.append((time.thread_time() - thread_started) * 1000)
            work.append(time.process_time() - process_started)
            await app.workers.wait_for_complete()
            await pilot.pause(PAUSE)
        figures["move_bar_key_ms"] = statistics.median(key_ui)
        figures["move_bar_ui_total_ms"] = statistics.median(move_ui)
        figures["move_bar_process_cpu_s"] = statistics.median(work)
        figures["move_bar_successor_visible_s"] = statistics.median(wall)
    return figures


def _task_with_successor(chart) -> tuple[int, int]:  # noqa: ANN001
    model = chart.model
    for row in chart._visible:
        if row.kind == "task" and not row.done and row.slack_days == 0:
            for successor in model.successors.get(row.task_id, ()):
                return row.task_id, successor
    raise RuntimeError("no critical task with a successor")


def _start_of(chart, task_id: int) -> date:  # noqa: ANN001
    return next(row.start for row in chart.model.rows if row.task_id == task_id)


async def _board(db: Path, keys: int) -> dict[str, float]:
    from textual import events

    from planner.app import make_app
    from planner.widgets.board_view import BoardView

    marks = Marks(BoardView)
    started = time.perf_counter()
    app = make_app(_context(db, "user1"), screen="board", project="p1", poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await _until(pilot, lambda: marks.paint_at is not None)
        board = app.screen.board
        figures = {"cards": sum(len(c.cards) for c in board.columns), "start_to_paint_s": marks.paint_at - started,
                   "data_to_paint_ms": (marks.paint_at - marks.data_at) * 1000}
        await app.workers.wait_for_complete()
        figures["page_down_ms"] = await _cpu_per_key(pilot, ["pagedown"] * keys)
        figures["cursor_ms"] = await _cpu_per_key(pilot, ["down", "right", "up", "left"] * (keys // 4))
        ui, wall = [], []
        for _ in range(5):
            card = board.selected_card
            target = "left" if board.cursor_column else "right"
            thread_started, wall_started = time.thread_time(), time.perf_counter()
            app.post_message(events.Key(f"shift+{target}", None))
            await _wait(lambda: board.selected_card is not None and board.selected_card.id == card.id
                        and board.selected_card.status != card.status)
            await asyncio.sleep(0.05)
            ui.append((time.thread_time() - thread_started) * 1000)
            wall.append(time.perf_counter() - wall_started)
            await app.workers.wait_for_complete()
            await pilot.pause(PAUSE)
        figures["move_card_ui_ms"] = statistics.median(ui)
        figures["move_card_visible_s"] = statistics.median(wall)
    return figures


async def _queue(db: Path, keys: int) -> dict[str, float]:
    from planner.app import make_app
    from planner.widgets.queue_table import QueueTable

    marks = Marks(QueueTable)
    started = time.perf_counter()
    app = make_app(_context(db, "user1"), screen="queue", poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await _until(pilot, lambda: marks.paint_at is not None)
        figures = {"entries": len(app.screen.table.items), "start_to_paint_s": marks.paint_at - started,
                   "data_to_paint_ms": (marks.paint_at - marks.data_at) * 1000}
        await app.workers.wait_for_complete()
        figures["page_down_ms"] = await _cpu_per_key(pilot, ["pagedown"] * keys)
        figures["cursor_ms"] = await _cpu_per_key(pilot, ["down"] * keys)
    return figures


async def _datatable(rows: int, keys: int) -> dict[str, float]:
    """The reference: a Textual DataTable holding the same number of rows."""
    from textual.app import App
    from textual.widgets import DataTable

    class TableApp(App[None]):
        def compose(self):  # noqa: ANN202
            yield DataTable()

    app = TableApp()
    async with app.run_test(size=(120, 40)) as pilot:
        table = app.query_one(DataTable)
        table.add_columns("id", "task", "start", "finish", "slack")
        started = time.perf_counter()
        table.add_rows([(i, f"Task {i} with a title", "2026-12-01", "2026-12-04", i % 7) for i in range(rows)])
        await pilot.pause()
        mounted = time.perf_counter() - started
        table.focus()
        return {"rows": rows, "mount_s": mounted, "page_down_ms": await _cpu_per_key(pilot, ["pagedown"] * keys)}


def main() -> None:
    """Build the stores, run each measurement, print Markdown."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--cards", type=int, default=2_000)
    parser.add_argument("--keys", type=int, default=20)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="planner-tui-bench-"))
    import os

    os.environ["PLANNER_CACHE_DIR"] = str(work / "cache")
    gantt_db, board_db = work / "gantt.db", work / "board.db"
    generate(args.tasks, gantt_db)
    _one_project(gantt_db, keep_status=False)
    generate(args.cards, board_db)
    _one_project(board_db, keep_status=True)
    queue_db = work / "queue.db"
    generate(args.tasks, queue_db)  # the stock store: many projects and streams, 15% done, 50 people
    with sqlite3.connect(queue_db) as conn:  # one busy person: 2,000 tasks, none waiting on another
        conn.execute("UPDATE assignment SET resource_id = 1 WHERE task_id <= 2000")
        conn.execute("DELETE FROM dependency WHERE successor_id <= 2000")
    figures = {}
    for name, run in (("gantt", lambda: _gantt(gantt_db, args.keys)), ("board", lambda: _board(board_db, args.keys)),
                      ("queue", lambda: _queue(queue_db, args.keys)), ("table", lambda: _datatable(args.tasks, args.keys))):
        print(f"measuring the {name}…", file=sys.stderr, flush=True)
        figures[name] = asyncio.run(run())
    gantt, board, queue, table = figures["gantt"], figures["board"], figures["queue"], figures["table"]
    print(f"| Gantt, {gantt['rows']:,} tasks in one project | first paint {gantt['data_to_paint_ms']:.0f} ms after "
          f"the schedule arrived ({gantt['start_to_paint_s']:.2f} s from start) | page down "
          f"{gantt['page_down_ms']:.1f} ms, page up {gantt['page_up_ms']:.1f} ms, time scroll "
          f"{gantt['scroll_time_ms']:.1f} ms CPU per key |")
    print(f"| Gantt, move a bar a working day | {gantt['move_bar_key_ms']:.1f} ms UI-thread CPU from key to the bar "
          f"drawn in its new place; {gantt['move_bar_ui_total_ms']:.0f} ms UI CPU for the whole move including "
          f"drawing the rescheduled plan | worker: edit + full reschedule of {gantt['rows']:,} tasks "
          f"{gantt['move_bar_process_cpu_s']:.2f} s CPU; successor moved on screen after "
          f"{gantt['move_bar_successor_visible_s']:.2f} s |")
    print(f"| Board, {board['cards']:,} cards | first paint {board['data_to_paint_ms']:.0f} ms after the cards arrived "
          f"({board['start_to_paint_s']:.2f} s from start) | page down {board['page_down_ms']:.1f} ms, cursor "
          f"{board['cursor_ms']:.1f} ms; move a card {board['move_card_ui_ms']:.1f} ms UI CPU (key, write, reload of "
          f"the board, frame), on screen after "
          f"{board['move_card_visible_s']:.2f} s |")
    print(f"| Daily queue, {queue['entries']:,} entries (10k-task store) | first paint {queue['data_to_paint_ms']:.0f} ms "
          f"after the ranking arrived ({queue['start_to_paint_s']:.2f} s from start) | page down "
          f"{queue['page_down_ms']:.1f} ms, cursor {queue['cursor_ms']:.1f} ms CPU per key |")
    print(f"| Textual DataTable, {table['rows']:,} rows (reference) | add_rows {table['mount_s']:.2f} s | page down "
          f"{table['page_down_ms']:.1f} ms CPU per key |")


if __name__ == "__main__":
    main()
