"""Gantt dependency arrows at 10,000 tasks: UI-thread CPU per key with the arrows shown and hidden.

    python bench/gantt_arrows_bench.py [--tasks 10000] [--keys 20]

The store is the TUI bench's (bench/generate.py: ~3 finish-to-start links per task, all in one project),
opened in the real app under Textual's headless driver at 120x40. Each figure is CPU time of the UI
thread per key press including the frame it causes, minus what the same idle time costs (as in
bench/tui_bench.py). Toggling the arrows repaints every visible row with its arrows routed afresh.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate  # noqa: E402
from tui_bench import Marks, _context, _cpu_per_key, _one_project, _until  # noqa: E402

BUDGET_MS = 20.0


async def _measure(db: Path, keys: int) -> dict[str, float]:
    from planner.app import make_app
    from planner.widgets.gantt_chart import GanttChart

    marks = Marks(GanttChart)
    app = make_app(_context(db, "user1"), screen="gantt", project="p1", poll_seconds=0)
    figures: dict[str, float] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await _until(pilot, lambda: marks.paint_at is not None)
        await app.workers.wait_for_complete()
        chart = app.screen.chart
        figures["rows"] = chart.row_count
        figures["links"] = len(chart.model.link_kinds)
        assert chart.show_arrows
        for arrows in (True, False):
            if chart.show_arrows != arrows:
                await pilot.press("a")
                await pilot.pause(0.2)
            tag = "on" if arrows else "off"
            figures[f"page_down_{tag}"] = await _cpu_per_key(pilot, ["pagedown"] * keys)
            figures[f"page_up_{tag}"] = await _cpu_per_key(pilot, ["pageup"] * keys)
            figures[f"cursor_{tag}"] = await _cpu_per_key(pilot, ["down"] * keys)
            figures[f"scroll_time_{tag}"] = await _cpu_per_key(pilot, ["right", "left"] * (keys // 2))
        arrows_cpu = [0.0]
        routed = chart.row_arrows

        def timed_arrows(index):  # noqa: ANN001, ANN202 - the arrows' own share of a key
            started = time.thread_time()
            found = routed(index)
            arrows_cpu[0] += time.thread_time() - started
            return found

        chart.row_arrows = timed_arrows
        from planner.widgets import gantt_chart

        laid = gantt_chart.lay_arrows

        def timed_lay(*args):  # noqa: ANN002, ANN202
            started = time.thread_time()
            found = laid(*args)
            arrows_cpu[0] += time.thread_time() - started
            return found

        gantt_chart.lay_arrows = timed_lay
        await pilot.press("a")
        await pilot.pause(0.2)
        await pilot.press("home")
        await pilot.pause(0.2)
        chart.invalidate()  # routes worked out afresh, as after a move
        await pilot.pause(0.2)
        arrows_cpu[0] = 0.0
        for _ in range(keys):
            await pilot.press("pagedown")
            await pilot.pause(0.02)
        figures["arrows_share"] = arrows_cpu[0] / keys * 1000
        await pilot.press("pagedown", "pagedown", "pagedown")  # into the middle of the plan
        figures["toggle"] = await _cpu_per_key(pilot, ["a"] * keys)
        shown = [chart.render_line(y).text for y in range(chart.header_height, chart.size.height)]
        figures["arrow_cells"] = sum(sum(line.count(c) for c in "│─┐┘└┌├┤┬┴┼▶▼▲◀") for line in shown)
    return figures


def main() -> None:
    """Build the store, measure, print Markdown."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--keys", type=int, default=20)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="planner-arrows-bench-"))
    os.environ["PLANNER_CACHE_DIR"] = str(work / "cache")
    db = work / "gantt.db"
    generate(args.tasks, db)
    _one_project(db, keep_status=False)
    f = asyncio.run(_measure(db, args.keys))
    worst = max(value for key, value in f.items() if key.endswith("_on") or key == "toggle")
    print(f"| Gantt arrows, {f['rows']:,.0f} tasks, {f['links']:,.0f} links | arrows shown: page down "
          f"{f['page_down_on']:.1f} ms, page up {f['page_up_on']:.1f} ms, cursor {f['cursor_on']:.1f} ms, time scroll "
          f"{f['scroll_time_on']:.1f} ms; toggle (a) {f['toggle']:.1f} ms | hidden: page down "
          f"{f['page_down_off']:.1f} ms, "
          f"cursor {f['cursor_off']:.1f} ms, time scroll {f['scroll_time_off']:.1f} ms CPU per key | of a page down "
          f"with arrows, routing and laying them (fresh routes) takes {f['arrows_share']:.1f} ms |")
    print(f"worst key with arrows {worst:.1f} ms ({'within' if worst <= BUDGET_MS else 'OVER'} the {BUDGET_MS:.0f} ms "
          "budget)", file=sys.stderr)


if __name__ == "__main__":
    main()
