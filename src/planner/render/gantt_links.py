"""Dependency arrows of a Gantt chart: which links pass a row, and the box-drawing cells they leave there.

An arrow leaves its predecessor's bar end (its start for SS/SF links), runs
down or up the gap column just after it, and enters the successor's start from
the left with ``▶`` (its end from the right with ``◀`` for FF/SF links). When
the successor begins left of that column, the arrow comes straight down onto
it with ``▼`` (``▲`` from below). Arrows sharing a cell merge into one
box-drawing character (``├ ┼ ┬`` ...), so a thousand links stay lines.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from planner.render.gantt_cells import Cell, Cells, GanttScale

UP, DOWN, LEFT, RIGHT = 1, 2, 4, 8
BOX = {UP: "│", DOWN: "│", UP | DOWN: "│", LEFT: "─", RIGHT: "─", LEFT | RIGHT: "─", DOWN | RIGHT: "┌",
       DOWN | LEFT: "┐", UP | RIGHT: "└", UP | LEFT: "┘", UP | DOWN | RIGHT: "├", UP | DOWN | LEFT: "┤",
       LEFT | RIGHT | DOWN: "┬", LEFT | RIGHT | UP: "┴", UP | DOWN | LEFT | RIGHT: "┼"}
HEADS = frozenset("▶◀▼▲")
BLOCK_ROWS = 32

RowArrows = dict[int, list]  # column -> [direction bits, head glyph or ""]


@dataclass(frozen=True, slots=True)
class DisplayLink:
    """A link between two displayed rows (their positions in the chart) and its type."""

    pred: int
    succ: int
    kind: str = "FS"


@dataclass(frozen=True, slots=True)
class Route:
    """Where one arrow runs, in chart columns: out of ``from_row`` at ``column``, along it to ``to_row``'s head."""

    from_row: int
    to_row: int
    column: int
    leave: int  # LEFT: the bar lies left of the column (its end); RIGHT: right of it (its start)
    head_column: int
    head: str  # ▶ ◀ entering along the row, ▼ ▲ landing on it from above or below


def bar_columns(row: Any, scale: GanttScale) -> tuple[int, int]:
    """The first cell a row's mark covers and the first cell after it."""
    if row.kind == "milestone":
        at = scale.day_end_cell(row.start)
        return at, at + 1
    return int(scale.column(row.start)), math.ceil(scale.column(row.end) - 1e-9)


def route(link: DisplayLink, pred_row: Any, succ_row: Any, scale: GanttScale) -> Route:
    """The path of ``link`` given its two rows' dates on ``scale``."""
    pred_first, pred_after = bar_columns(pred_row, scale)
    succ_first, succ_after = bar_columns(succ_row, scale)
    if link.kind in ("FS", "FF"):
        column, leave = pred_after, LEFT
    else:
        column, leave = pred_first - 1, RIGHT
    head_column, direction = (succ_first - 1, 1) if link.kind in ("FS", "SS") else (succ_after, -1)
    down = link.succ > link.pred
    if (head_column - column) * direction < 0:  # no room on the successor's row: land on it vertically
        return Route(link.pred, link.succ, column, leave, column, "▼" if down else "▲")
    return Route(link.pred, link.succ, column, leave, head_column, "▶" if direction > 0 else "◀")


def route_cells(path: Route, first_row: int, last_row: int) -> Iterable[tuple[int, int, int, str]]:
    """(row, column, direction bits, head) of the cells ``path`` leaves in rows ``first_row .. last_row``."""
    down = path.to_row > path.from_row
    step = 1 if down else -1
    toward, back = (DOWN, UP) if down else (UP, DOWN)
    vertical_head = path.head in ("▼", "▲")
    end_row = path.to_row - step if vertical_head else path.to_row
    low, high = max(first_row, min(path.from_row, end_row)), min(last_row, max(path.from_row, end_row))
    for row in range(low, high + 1):
        if row == end_row and vertical_head:
            bits = back | toward if row != path.from_row else path.leave | toward
            yield row, path.column, bits, path.head
        elif row == path.from_row:
            yield row, path.column, path.leave | toward, ""
        elif row == path.to_row:
            if path.head_column == path.column:
                yield row, path.column, back, path.head
                continue
            along = RIGHT if path.head_column > path.column else LEFT
            yield row, path.column, back | along, ""
            for column in range(min(path.column, path.head_column) + 1, max(path.column, path.head_column)):
                yield row, column, LEFT | RIGHT, ""
            yield row, path.head_column, LEFT | RIGHT, path.head
        else:
            yield row, path.column, UP | DOWN, ""


def glyph(bits: int, head: str) -> str:
    """The character of a cell several arrows may share: an arrowhead wins, lines merge."""
    return head or BOX.get(bits, "┼")


class LinkIndex:
    """Links between displayed rows, found by the rows they pass without scanning them all.

    A segment tree over blocks of rows: each link sits in the few nodes that
    cover its span exactly, so the links passing a block are those on the path
    from that block's leaf to the root.
    """

    def __init__(self, links: Iterable[DisplayLink], row_count: int) -> None:
        blocks = max(1, -(-row_count // BLOCK_ROWS))
        self._size = 1 << max(0, (blocks - 1).bit_length())
        self._nodes: dict[int, list[DisplayLink]] = defaultdict(list)
        self.count = 0
        for link in links:
            self.count += 1
            low = min(link.pred, link.succ) // BLOCK_ROWS + self._size
            high = max(link.pred, link.succ) // BLOCK_ROWS + 1 + self._size
            while low < high:
                if low & 1:
                    self._nodes[low].append(link)
                    low += 1
                if high & 1:
                    high -= 1
                    self._nodes[high].append(link)
                low >>= 1
                high >>= 1

    def passing_block(self, block: int) -> list[DisplayLink]:
        """Every link whose rows span some row of ``block`` (rows ``block*BLOCK_ROWS`` ...), each once."""
        found: list[DisplayLink] = []
        node = block + self._size
        while node:
            found.extend(self._nodes.get(node, ()))
            node >>= 1
        return found

    def passing(self, first_row: int, last_row: int) -> list[DisplayLink]:
        """Every link whose rows span some row of ``first_row .. last_row``, each once."""
        seen: set[DisplayLink] = set()
        found: list[DisplayLink] = []
        for block in range(first_row // BLOCK_ROWS, last_row // BLOCK_ROWS + 1):
            for link in self.passing_block(block):
                if link not in seen and min(link.pred, link.succ) <= last_row and max(link.pred, link.succ) >= first_row:
                    seen.add(link)
                    found.append(link)
        return found


def display_links(model: Any, rows: list[Any]) -> list[DisplayLink]:
    """The model's links whose two tasks are both among ``rows`` (in display positions)."""
    position = {row.task_id: index for index, row in enumerate(rows)}
    found = []
    for (pred, succ), kind in model.link_kinds.items():
        at_pred, at_succ = position.get(pred), position.get(succ)
        if at_pred is not None and at_succ is not None:
            found.append(DisplayLink(at_pred, at_succ, kind))
    return found


def arrow_rows(index: LinkIndex, rows: list[Any], scale: GanttScale, first_row: int,
               last_row: int) -> dict[int, RowArrows]:
    """The arrow cells of rows ``first_row .. last_row``: row -> column -> [bits, head]."""
    found: dict[int, RowArrows] = defaultdict(dict)
    for link in index.passing(first_row, last_row):
        path = route(link, rows[link.pred], rows[link.succ], scale)
        for row, column, bits, head in route_cells(path, first_row, last_row):
            cell = found[row].get(column)
            if cell is None:
                found[row][column] = [bits, head]
            else:
                cell[0] |= bits
                cell[1] = cell[1] or head
    return found


UNDER_ARROWS = frozenset({"slack", "today", "deadline", "baseline"})


def lay_arrows(cells: Cells, arrows: RowArrows | None, first: int, count: int) -> Cells:
    """Put a row's arrow cells (absolute columns) on its painted ``cells`` (columns from ``first``).

    Bars and milestones stay on top; slack, baseline ghosts and the today and
    deadline lines go under the arrows, since an arrow always starts where a
    bar's slack begins.
    """
    if not arrows:
        return cells
    for column, (bits, head) in arrows.items():
        at = column - first
        if 0 <= at < count:
            found = cells.get(at)
            if found is None or found.role in UNDER_ARROWS:
                cells[at] = Cell(glyph(bits, head), "link")
    return cells


class ArrowCache:
    """Arrow cells of displayed rows, routed a block of rows at a time and kept until the drawing changes."""

    def __init__(self) -> None:
        self._index: LinkIndex | None = None
        self._key: object = None
        self._blocks: dict[int, dict[int, RowArrows]] = {}

    def reset(self) -> None:
        """New rows: forget the index and the routes."""
        self._index, self._key, self._blocks = None, None, {}

    def row(self, index: int, rows: list[Any], model: Any, scale: GanttScale, key: object) -> RowArrows | None:
        """Row ``index``'s arrow cells (absolute columns); ``key`` changes whenever dates or the scale change."""
        if key != self._key:
            self._key, self._blocks = key, {}
        block = index // BLOCK_ROWS
        found = self._blocks.get(block)
        if found is None:
            if self._index is None:
                self._index = LinkIndex(display_links(model, rows), len(rows))
            first = block * BLOCK_ROWS
            found = self._blocks[block] = arrow_rows(self._index, rows, scale, first,
                                                     min(len(rows), first + BLOCK_ROWS) - 1)
        return found.get(index)
