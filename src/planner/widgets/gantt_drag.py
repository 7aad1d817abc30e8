"""Dragging a Gantt bar with the mouse: press on a bar, drag sideways, release to move the task.

The chart shows a ghost of the bar where it would land (snapped to working
days, as the keys move it) and says so in a message while the drag goes on;
on release it asks for the same move as shift+←/→, by the working days dragged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from textual import events
from textual.message import Message

from planner.render.gantt_cells import Cell, Cells, paint_span
from planner.render.gantt_links import bar_columns

ONE_DAY = timedelta(days=1)


def working_days_between(start: date, target: date, non_working: Any) -> int:
    """Working days from ``start`` to ``target`` (negative when earlier): what shift+→ would be pressed."""
    step = ONE_DAY if target > start else -ONE_DAY
    count, day = 0, start
    while day != target:
        day += step
        if non_working is None or not non_working(day):
            count += 1
    return count if target >= start else -count


def shifted_start(start: date, working_days: int, non_working: Any) -> date:
    """``start`` moved by ``working_days``, landing on a working day."""
    step = ONE_DAY if working_days > 0 else -ONE_DAY
    for _ in range(abs(working_days)):
        start += step
        while non_working is not None and non_working(start):
            start += step
    return start


@dataclass(slots=True)
class Drag:
    """A bar being dragged: its row, where the mouse went down, how many calendar days it has moved."""

    index: int
    task_id: int
    pressed_x: int
    days: int = 0


class BarDragging:
    """Mouse handlers and the ghost of a dragged bar, mixed into the Gantt chart widget."""

    class DragPreview(Message):
        """A bar is being dragged: where it would land (``start`` None once the drag is over)."""

        def __init__(self, task_id: int, start: date | None, finish: date | None, working_days: int) -> None:
            super().__init__()
            self.task_id, self.start, self.finish, self.working_days = task_id, start, finish, working_days

    drag: Drag | None = None

    def _row_at(self, event: events.MouseEvent) -> tuple[int, int] | None:
        """(row index, chart column) under the mouse, or None over the header or the labels."""
        chart: Any = self
        offset = event.get_content_offset(chart)
        if offset is None or offset.y < chart.header_height or offset.x < chart.label_width:
            return None
        index = (offset.y - chart.header_height + int(chart.scroll_y)) // chart.row_height
        if index >= chart.row_count:
            return None
        return index, offset.x - chart.label_width + int(chart.scroll_x)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """Pressing on a bar (not a phase) starts dragging it."""
        chart: Any = self
        found = self._row_at(event)
        if found is None or event.button != 1:
            return
        index, column = found
        row = chart.rows_shown[index]
        first, after = bar_columns(row, chart.scale)
        if row.kind == "summary" or not first <= column < max(after, first + 1):
            return
        chart.cursor = index
        self.drag = Drag(index, row.task_id, event.screen_x)
        chart.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """Move the ghost by whole days as the mouse moves."""
        chart: Any = self
        if self.drag is None or not self._still_there(self.drag):
            return
        days = round((event.screen_x - self.drag.pressed_x) / chart.cells_per_day)
        if days != self.drag.days:
            self.drag.days = days
            chart.refresh()  # only the dragged row's cache key changed
            row = chart.rows_shown[self.drag.index]
            working_days, start = self._landing(row)
            chart.post_message(self.DragPreview(row.task_id, start, start + (row.end - row.start) - ONE_DAY,
                                                working_days))

    def on_mouse_up(self, event: events.MouseUp) -> None:
        """Release: move the task by the working days dragged (a drag of none does nothing)."""
        chart: Any = self
        drag, self.drag = self.drag, None
        if drag is None:
            return
        chart.release_mouse()
        chart.refresh()
        if not self._still_there(drag):  # the plan was reloaded meanwhile: nothing to move
            return
        drag.days = round((event.screen_x - drag.pressed_x) / chart.cells_per_day)
        row = chart.rows_shown[drag.index]
        working_days, _start = self._landing(row, drag)
        chart.post_message(self.DragPreview(row.task_id, None, None, working_days))
        if working_days:
            chart.post_message(chart.ShiftRequested(row.task_id, working_days))

    def _still_there(self, drag: Drag) -> bool:
        """Whether the dragged task is still on the row it was picked up from."""
        chart: Any = self
        rows = chart.rows_shown
        return drag.index < len(rows) and rows[drag.index].task_id == drag.task_id

    def _landing(self, row: Any, drag: Drag | None = None) -> tuple[int, date]:
        """The working days a drag amounts to, and the start it lands on."""
        chart: Any = self
        drag = drag or self.drag
        days = drag.days if drag is not None else 0
        non_working = chart.model.non_working
        working_days = working_days_between(row.start, row.start + timedelta(days=days), non_working)
        return working_days, shifted_start(row.start, working_days, non_working)

    def ghost_cells(self, index: int, first: int, count: int, cells: Cells) -> Cells:
        """Row ``index``'s cells with the dragged bar's ghost over them, while it is dragged."""
        chart: Any = self
        if self.drag is None or self.drag.index != index or not self.drag.days:
            return cells
        row = chart.rows_shown[index]
        _working_days, start = self._landing(row)
        scale = chart.scale
        if row.kind == "milestone":
            at = scale.day_end_cell(start) - first
            if 0 <= at < count:
                cells[at] = Cell("◇", "ghost")
            return cells
        begin, end = scale.column(start) - first, scale.column(start + (row.end - row.start)) - first
        paint_span(cells, count, begin, end, "ghost", "░", fractional=False)
        return cells
