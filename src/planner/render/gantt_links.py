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

#: a row's arrows: column -> direction bits, column -> arrowhead, and (first, last) column spans of plain ``─``
RowArrows = tuple[dict[int, int], dict[int, str], list[tuple[int, int]]]
Cells4 = list[tuple[int, int, int, str]]


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


def route_parts(path: Route) -> tuple[Cells4, tuple[int, int, int] | None, tuple[int, int, int] | None]:
    """The cells where ``path`` turns or ends (row, column, direction bits, head), and its straight stretches.

    The run (column, first row, last row) is the rows the arrow only passes through, one ``│`` each; the
    span (row, first column, last column) is where it runs along its successor's row, one ``─`` each.
    """
    down = path.to_row > path.from_row
    step = 1 if down else -1
    toward, back = (DOWN, UP) if down else (UP, DOWN)
    cells: Cells4 = []
    span = None
    if path.head in ("▼", "▲"):
        end_row = path.to_row - step
        if end_row == path.from_row:
            cells.append((end_row, path.column, path.leave | toward, path.head))
        else:
            cells.append((path.from_row, path.column, path.leave | toward, ""))
            cells.append((end_row, path.column, back | toward, path.head))
    else:
        end_row = path.to_row
        cells.append((path.from_row, path.column, path.leave | toward, ""))
        if path.head_column == path.column:
            cells.append((end_row, path.column, back, path.head))
        else:
            along = RIGHT if path.head_column > path.column else LEFT
            cells.append((end_row, path.column, back | along, ""))
            cells.append((end_row, path.head_column, LEFT | RIGHT, path.head))
            left, right = min(path.column, path.head_column) + 1, max(path.column, path.head_column) - 1
            span = (end_row, left, right) if left <= right else None
    low, high = min(path.from_row, end_row) + 1, max(path.from_row, end_row) - 1
    return cells, ((path.column, low, high) if low <= high else None), span


def route_cells(path: Route, first_row: int, last_row: int) -> Iterable[tuple[int, int, int, str]]:
    """(row, column, direction bits, head) of the cells ``path`` leaves in rows ``first_row .. last_row``."""
    cells, run, span = route_parts(path)
    yield from (cell for cell in cells if first_row <= cell[0] <= last_row)
    if span is not None and first_row <= span[0] <= last_row:
        yield from ((span[0], column, LEFT | RIGHT, "") for column in range(span[1], span[2] + 1))
    if run is not None:
        column, low, high = run
        for row in range(max(low, first_row), min(high, last_row) + 1):
            yield row, column, UP | DOWN, ""


def merge_cell(row_cells: RowArrows, column: int, bits: int, head: str) -> None:
    """Add one arrow's cell to a row's cells (lines merge, an arrowhead wins)."""
    lines, heads, _spans = row_cells
    lines[column] = lines.get(column, 0) | bits
    if head and column not in heads:
        heads[column] = head


def glyph(bits: int, head: str) -> str:
    """The character of a cell several arrows may share: an arrowhead wins, lines merge."""
    return head or BOX.get(bits, "┼")


def display_links(model: Any, rows: list[Any]) -> list[DisplayLink]:
    """The model's links whose two tasks are both among ``rows`` (in display positions)."""
    position = {row.task_id: index for index, row in enumerate(rows)}
    found = []
    for (pred, succ), kind in model.link_kinds.items():
        at_pred, at_succ = position.get(pred), position.get(succ)
        if at_pred is not None and at_succ is not None:
            found.append(DisplayLink(at_pred, at_succ, kind))
    return found


def all_arrow_rows(links: Iterable[DisplayLink], rows: list[Any], scale: GanttScale) -> dict[int, RowArrows]:
    """The arrow cells of every row of a static chart."""
    found: dict[int, RowArrows] = defaultdict(lambda: ({}, {}, []))
    for link in links:
        for row, column, bits, head in route_cells(route(link, rows[link.pred], rows[link.succ], scale), 0, len(rows)):
            merge_cell(found[row], column, bits, head)
    return found


UNDER_ARROWS = frozenset({"slack", "today", "deadline", "baseline"})


def lay_arrows(cells: Cells, arrows: RowArrows | None, first: int, count: int) -> Cells:
    """Put a row's arrow cells (absolute columns) on its painted ``cells`` (columns from ``first``).

    Bars and milestones stay on top; slack, baseline ghosts and the today and
    deadline lines go under the arrows, since an arrow always starts where a
    bar's slack begins.
    """
    if not arrows or not (arrows[0] or arrows[2]):
        return cells
    lines, heads, spans = arrows
    last = first + count
    shown = {c: lines[c] for c in range(first, last) if c in lines} if len(lines) > count else {
        c: bits for c, bits in lines.items() if first <= c < last}
    for left, right in spans:
        for column in range(max(left, first), min(right + 1, last)):
            shown[column] = shown.get(column, 0) | LEFT | RIGHT
    for column, bits in shown.items():
        found = cells.get(column - first)
        if found is None or found.role in UNDER_ARROWS:
            cells[column - first] = Cell(glyph(bits, heads.get(column, "")), "link")
    return cells
