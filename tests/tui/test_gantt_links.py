"""The arrows the app draws block by block from its link index are the arrows of routing every link at once."""

from __future__ import annotations

import random
from datetime import date, timedelta

from planner.render.gantt_cells import GanttScale
from planner.render.gantt_link_index import BLOCK_ROWS, ArrowCache, index_links
from planner.render.gantt_links import LEFT, RIGHT, all_arrow_rows, display_links, glyph
from planner.render.gantt_rows import GanttModel, GanttRow

START = date(2026, 11, 30)


def _model(rows: int, seed: int) -> GanttModel:
    rng = random.Random(seed)
    made = []
    for task_id in range(1, rows + 1):
        start = START + timedelta(days=rng.randint(0, 90))
        kind = "milestone" if rng.random() < 0.1 else "task"
        end = start + timedelta(days=0 if kind == "milestone" else rng.randint(1, 9))
        made.append(GanttRow(task_id, f"T{task_id}", 0, kind, start, end, end, 0, False, False))
    kinds = {}
    for succ in range(2, rows + 1):
        for _ in range(rng.randint(0, 3)):  # mostly near, now and then across the whole chart
            pred = rng.randint(1, succ - 1) if rng.random() < 0.2 else rng.randint(max(1, succ - 8), succ - 1)
            kinds[(pred, succ)] = rng.choice(("FS", "FS", "FS", "SS", "FF", "SF"))
    return GanttModel(made, link_kinds=kinds, first_day=START, last_day=START + timedelta(days=100))


def _drawn(arrows) -> dict[int, str]:
    lines, heads, spans = arrows
    lines = dict(lines)
    for left, right in spans:
        for column in range(left, right + 1):
            lines[column] = lines.get(column, 0) | LEFT | RIGHT
    return {column: glyph(bits, heads.get(column, "")) for column, bits in lines.items()}


def test_block_by_block_equals_all_at_once_for_every_row_and_filter():
    for seed in range(4):
        model = _model(7 * BLOCK_ROWS + 5, seed)
        visible = None if seed % 2 == 0 else {row.task_id for row in model.rows if row.task_id % 3}
        rows = [row for row in model.rows if visible is None or row.task_id in visible]
        scale = GanttScale(START, (1.0, 3.0, 0.25, 0.7)[seed])
        expected = all_arrow_rows(display_links(model, rows), rows, scale)
        cache = ArrowCache()
        cache.use(index_links(model, visible) if seed < 2 else None)
        order = list(range(len(rows)))
        random.Random(seed).shuffle(order)  # rows asked in any order, as scrolling does
        for index in order:
            drawn = _drawn(cache.row(index, rows, model, scale, "key"))
            assert drawn == _drawn(expected.get(index, ({}, {}, []))), index
        assert any("▶" in _drawn(a).values() for a in expected.values())
        assert any(set(_drawn(a).values()) & set("├┤┬┴┼") for a in expected.values())  # crossings merged
