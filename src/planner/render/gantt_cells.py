"""Where a Gantt row's marks fall on a time scale, cell by cell: one painter for the CLI, SVG, HTML and the app.

The painter knows dates, columns and glyphs; it knows no colours. Each mark
is a :class:`Cell` with a *role* (``bar``, ``critical``, ``slack`` ...) that
every face turns into its own style, and a *fill* that says how a glyph
covers its cell: whole, its left part (an eighth block), or its right part
(an eighth block drawn in the background colour over the bar's colour, as
no right-aligned eighth blocks exist).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from rich.cells import cell_len, set_cell_size

EIGHTHS = " ▏▎▍▌▋▊▉█"
FULL, LEFT, RIGHT = 0, 1, 2
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Cell:
    """One painted cell: its glyph, what it shows (``role``), how the glyph covers it (``fill``).

    A partly covered cell keeps the role of the mark it was painted over (``under``, "" for none), whose
    colour shows in the uncovered part.
    """

    glyph: str
    role: str
    fill: int = FULL
    under: str = ""


@dataclass(frozen=True, slots=True)
class GanttScale:
    """Column 0 is the start of ``origin``; each calendar day is ``cells_per_day`` cells wide."""

    origin: date
    cells_per_day: float

    def column(self, day: date) -> float:
        """The (fractional) column where ``day`` begins."""
        return (day - self.origin).days * self.cells_per_day

    def day_end_cell(self, day: date) -> int:
        """The cell holding the end of ``day`` (where a milestone on that day sits)."""
        return max(int(self.column(day)), math.ceil(self.column(day + ONE_DAY)) - 1)

    def day_at(self, column: int) -> date:
        """The calendar day column ``column`` begins in."""
        return self.origin + timedelta(days=int(column / self.cells_per_day + 1e-9))


Cells = dict[int, Cell]  # column (from the first one shown) -> its mark


def paint_span(cells: Cells, count: int, begin: float, end: float, role: str, glyph: str, *,
               fractional: bool = True) -> None:
    """Fill columns [begin, end) of ``count``; with ``fractional``, edges in eighths of a cell."""
    if end <= 0 or begin >= count or end <= begin:
        return
    for column in range(max(0, int(begin)), min(count, math.ceil(end))):
        low, high = max(begin, column), min(end, column + 1)
        if not fractional or high - low >= 0.999:
            cells[column] = Cell(glyph, role)
        elif low > column + 1e-6 and high >= column + 1 - 1e-6:  # covers the right part of the cell
            eighths = round((low - column) * 8)
            if eighths <= 0:
                cells[column] = Cell(glyph, role)
            elif eighths < 8:
                cells[column] = Cell(EIGHTHS[eighths], role, RIGHT, _role_at(cells, column))
        else:
            cells[column] = Cell(EIGHTHS[max(1, round((high - low) * 8))], role, LEFT, _role_at(cells, column))


def _role_at(cells: Cells, column: int) -> str:
    found = cells.get(column)
    return found.role if found is not None else ""


def paint_markers(scale: GanttScale, first: int, count: int, *, today: date | None,
                  deadline: date | None) -> Cells:
    """The deadline (after its day) and today's line (mid-day), under every row's marks."""
    cells: Cells = {}
    if deadline is not None:
        at = int(scale.column(deadline + ONE_DAY)) - first
        if 0 <= at < count:
            cells[at] = Cell("┆", "deadline")
    if today is not None:
        at = int(scale.column(today)) - first + int(scale.cells_per_day // 2)
        if 0 <= at < count:
            cells[at] = Cell("│", "today")
    return cells


def bar_role(row: Any) -> str:
    """The role of a row's bar: summary, done, late, critical or plain."""
    if row.kind == "summary":
        return "summary"
    if row.done:
        return "done"
    if row.late:
        return "late"
    return "critical" if row.critical else "bar"


def paint_task(row: Any, scale: GanttScale, first: int, count: int, cells: Cells | None = None) -> Cells:
    """A ``GanttRow``'s marks in columns ``first .. first+count-1`` (over ``cells``, e.g. the markers)."""
    cells = {} if cells is None else cells

    def span(begin: float, end: float, role: str, glyph: str, *, fractional: bool = True) -> None:
        paint_span(cells, count, begin - first, end - first, role, glyph, fractional=fractional)

    start, end = scale.column(row.start), scale.column(row.end)
    if row.kind == "milestone":
        at = scale.day_end_cell(row.start)
        if row.p85 is not None and row.p85 > row.start:
            p85 = scale.day_end_cell(row.p85)
            span(at + 1, p85, "slack", "┄", fractional=False)
            if 0 <= p85 - first < count:
                cells[p85 - first] = Cell("◇", "forecast")
        if 0 <= at - first < count:
            cells[at - first] = Cell("◆", "done" if row.done else "late" if row.late else "milestone")
        return cells
    if row.kind == "summary":
        span(start, end, "summary", "▀", fractional=False)
        return cells
    if row.start_no_earlier is not None and not row.done:  # '▹' in the cell just before the constraint date
        at = math.floor(scale.column(row.start_no_earlier)) - 1 - first
        if 0 <= at < count:
            cells[at] = Cell("▹", "constraint")
    if row.late_end > row.end:
        span(end, scale.column(row.late_end), "slack", "┈", fractional=False)
    span(start, end, bar_role(row), "█")
    if 0 < row.percent_done < 100 and not row.done:
        span(start, start + (end - start) * row.percent_done / 100, "progress", "█")
    return cells


def paint_baseline(row: Any, scale: GanttScale, first: int, count: int) -> Cells:
    """A row's baseline ghost (its second line), empty without a baseline."""
    cells: Cells = {}
    if row.baseline_start is not None and row.baseline_end is not None:
        paint_span(cells, count, scale.column(row.baseline_start) - first, scale.column(row.baseline_end) - first,
                   "baseline", "▔", fractional=False)
    return cells


def fit_cells(text: str, width: int) -> str:
    """``text`` padded or cut (with an ellipsis) to exactly ``width`` terminal cells; wide characters count two."""
    if width <= 0:
        return ""
    if text.isascii():
        return text[: width - 1] + "…" if len(text) > width else text.ljust(width)
    if cell_len(text) > width:
        return set_cell_size(text, width - 1) + "…"
    return set_cell_size(text, width)


def row_label(row: Any, width: int) -> str:
    """``  12 Title · ana, bo`` indented by outline depth, cut with ellipses to ``width`` cells.

    When both do not fit, the title keeps a dozen cells and the people up to two fifths of the label
    (none when under five cells are left for them: a narrow label shows titles).
    """
    prefix = f"{row.task_id:>4} {'  ' * min(row.depth, 4)}"
    title = prefix + row.title
    people = f" · {', '.join(row.assignees)}" if getattr(row, "assignees", ()) else ""
    if not people or cell_len(title) + cell_len(people) <= width:
        return fit_cells(title + people, width)
    room = min(cell_len(people), width * 2 // 5, width - len(prefix) - min(cell_len(row.title), 12))
    if room < 5:
        return fit_cells(title, width)
    return fit_cells(title, width - room) + fit_cells(people, room)
