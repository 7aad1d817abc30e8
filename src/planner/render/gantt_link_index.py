"""Which dependency arrows pass a window of Gantt rows, found without scanning every link per key press.

Links are indexed by display row once per set of rows: by the rows they end
on, and in a segment tree over blocks of rows for the blocks their vertical
line crosses from top to bottom (where they are a ``│`` in one column and
nothing more). The arrows of a block of rows are then the few links ending near
it, routed in full, plus the columns of the lines crossing it, collected from
the tree's nodes on the way from that block to the root (and kept per node).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from planner.render.gantt_cells import GanttScale
from planner.render.gantt_links import (DOWN, UP, DisplayLink, RowArrows, bar_columns, display_links, merge_cell,
                                        route, route_parts)

BLOCK_ROWS = 32


class LinkIndex:
    """The links between displayed rows, by the rows they end on and the blocks of rows they cross."""

    def __init__(self, links: list[DisplayLink], row_count: int) -> None:
        self.links = links
        blocks = max(1, -(-row_count // BLOCK_ROWS))
        self.size = 1 << max(0, (blocks - 1).bit_length())
        self.ends: dict[int, list[int]] = defaultdict(list)
        crossing: dict[int, set[tuple[int, bool]]] = defaultdict(set)
        for number, link in enumerate(links):
            low, high = min(link.pred, link.succ), max(link.pred, link.succ)
            self.ends[low].append(number)
            self.ends[high].append(number)
            # blocks wholly inside low+2 .. high-2 see only the straight line (turns and heads are nearer the ends)
            first_block, after_block = -(-(low + 2) // BLOCK_ROWS), (high - 1) // BLOCK_ROWS
            left, right = first_block + self.size, after_block + self.size
            line = (link.pred, link.kind in ("FS", "FF"))  # links out of one end share a line
            while left < right:
                if left & 1:
                    crossing[left].add(line)
                    left += 1
                if right & 1:
                    right -= 1
                    crossing[right].add(line)
                left >>= 1
                right >>= 1
        #: tree node -> (predecessor row, leaves its end) of the lines crossing all its blocks
        self.nodes: dict[int, list[tuple[int, bool]]] = {node: list(lines) for node, lines in crossing.items()}

    def path(self, block: int) -> list[int]:
        """The tree nodes whose links cross ``block`` from top to bottom."""
        node, found = block + self.size, []
        while node:
            if node in self.nodes:
                found.append(node)
            node >>= 1
        return found

    def ending_near(self, first_row: int, last_row: int) -> set[int]:
        """Links with an end within two rows of ``first_row .. last_row``."""
        return {number for row in range(first_row - 2, last_row + 3) for number in self.ends.get(row, ())}


class ArrowCache:
    """Arrow cells of displayed rows, worked out a block of rows at a time and kept until dates or scale change."""

    def __init__(self) -> None:
        self._index: LinkIndex | None = None
        self._key: object = None
        self._columns: dict[int, set[int]] = {}  # tree node -> columns of its crossing lines
        self._blocks: dict[int, tuple[set[int], dict[int, set[int]], dict[int, RowArrows]]] = {}
        self._rows: dict[int, RowArrows] = {}
        self._bars: dict[int, tuple[int, int]] = {}  # row -> its bar's first column and the one after

    def use(self, index: LinkIndex | None) -> None:
        """New rows, with their links indexed already (in a worker) or not (None: indexed when first drawn)."""
        self.reset()
        self._index = index

    def reset(self) -> None:
        """New rows: forget the index and the routes."""
        self._index, self._key = None, None
        self._columns, self._blocks, self._rows, self._bars = {}, {}, {}, {}

    def row(self, index: int, rows: list[Any], model: Any, scale: GanttScale, key: object) -> RowArrows:
        """Row ``index``'s arrow cells (absolute columns); ``key`` changes whenever dates or the scale change."""
        if key != self._key:
            self._key, self._columns, self._blocks, self._rows, self._bars = key, {}, {}, {}, {}
        found = self._rows.get(index)
        if found is None:
            crossing, runs, turns = self._block(index // BLOCK_ROWS, rows, model, scale)
            lines = dict.fromkeys(crossing, UP | DOWN)
            for column in runs.get(index, ()):
                lines[column] = lines.get(column, 0) | UP | DOWN
            turned, heads, spans = turns.get(index, ({}, {}, []))
            for column, bits in turned.items():
                lines[column] = lines.get(column, 0) | bits
            found = self._rows[index] = (lines, heads, spans)
        return found

    def _line_column(self, rows: list[Any], pred: int, from_end: bool, scale: GanttScale) -> int:
        found = self._bars.get(pred)
        if found is None:
            found = self._bars[pred] = bar_columns(rows[pred], scale)
        return found[1] if from_end else found[0] - 1

    def _block(self, block: int, rows: list[Any], model: Any, scale: GanttScale):  # noqa: ANN202
        found = self._blocks.get(block)
        if found is not None:
            return found
        if self._index is None:
            self._index = LinkIndex(display_links(model, rows), len(rows))
        index = self._index
        crossing: set[int] = set()
        for node in index.path(block):
            columns = self._columns.get(node)
            if columns is None:
                columns = self._columns[node] = {self._line_column(rows, pred, from_end, scale)
                                                 for pred, from_end in index.nodes[node]}
            crossing |= columns
        first, last = block * BLOCK_ROWS, min(len(rows), (block + 1) * BLOCK_ROWS) - 1
        runs: dict[int, set[int]] = defaultdict(set)  # row -> columns of straight lines ending in this block
        turns: dict[int, RowArrows] = defaultdict(lambda: ({}, {}, []))
        for number in index.ending_near(first, last):
            link = index.links[number]
            cells, run, span = route_parts(route(link, rows[link.pred], rows[link.succ], scale))
            for row, column, bits, head in cells:
                if first <= row <= last:
                    merge_cell(turns[row], column, bits, head)
            if span is not None and first <= span[0] <= last:
                turns[span[0]][2].append(span[1:])
            if run is not None and run[1] <= last and run[2] >= first:
                column, low, high = run
                if low <= first and high >= last:
                    crossing.add(column)
                else:
                    for row in range(max(low, first), min(high, last) + 1):
                        runs[row].add(column)
        found = self._blocks[block] = (crossing, runs, turns)
        return found


def shown_rows(model: Any, visible_ids: set[int] | None) -> list[Any]:
    """The model's rows the chart shows: all, or those whose task is in ``visible_ids``."""
    return [row for row in model.rows if visible_ids is None or row.task_id in visible_ids]


def index_links(model: Any, visible_ids: set[int] | None) -> LinkIndex:
    """The link index of the rows a chart will show (built where the schedule is loaded, off the UI thread)."""
    rows = shown_rows(model, visible_ids)
    return LinkIndex(display_links(model, rows), len(rows))
