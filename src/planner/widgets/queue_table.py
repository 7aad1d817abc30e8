"""The daily queue as a Line API table: ranked rows, the capacity cut line, pins and the running timer.

Only visible rows are drawn. The cut line is a row of its own between the last
task that fits today and the first that does not; the cursor steps over it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.style import Style
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip

from planner.widgets.line_list import RowView, css_beside, fit, runs_to_strip


def due_text(due: date | None, today: date) -> str:
    """``today``, ``tomorrow``, ``in 3d``, ``2d late`` or a date far away."""
    if due is None:
        return ""
    days = (due - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days < 0:
        return f"{-days}d late"
    return f"in {days}d" if days < 14 else f"{due:%b %d}"


class QueueTable(RowView):
    """Ranked queue entries; ``items`` are the service's QueueItems in order."""

    DEFAULT_CSS = css_beside(__file__)

    COMPONENT_CLASSES = {
        "queue--header", "queue--row", "queue--below", "queue--cut", "queue--cursor", "queue--pin",
        "queue--late", "queue--soon", "queue--timer", "queue--score", "queue--critical", "queue--muted",
    }
    BINDINGS = [Binding("enter", "open", "Edit", show=False)]

    class OpenRequested(Message):
        """The person asked to edit a task."""

        def __init__(self, task_id: int) -> None:
            super().__init__()
            self.task_id = task_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.items: list[Any] = []
        self.rows: list[Any | None] = []  # None is the cut line
        self.today = date.today()
        self.timer_task: int | None = None
        self.cut_text = ""
        self.cut_texts: dict[int, str] = {}  # row -> its cut line's text, when several people share the table
        self.with_person = False

    def show(self, items: list[Any], *, today: date, cut_text: str, timer_task: int | None,
             groups: list[tuple[list[Any], str]] | None = None) -> None:
        """Draw a new queue, keeping the cursor on the same task when it is still there.

        ``groups`` (a team's queues: each person's items and cut text) draws one cut line per person and a
        column saying whose each entry is.
        """
        keep = self.selected_task_id
        self.with_person = groups is not None
        groups = groups if groups is not None else [(items, cut_text)]
        self.items = [item for group, _text in groups for item in group]
        self.today, self.cut_text, self.timer_task = today, cut_text, timer_task
        rows: list[Any | None] = []
        self.cut_texts = {}
        for group, text in groups:
            cut_done = False
            for item in group:
                if not item.entry.fits and not cut_done:
                    self.cut_texts[len(rows)] = text
                    rows.append(None)
                    cut_done = True
                rows.append(item)
            if not cut_done and group:
                self.cut_texts[len(rows)] = text
                rows.append(None)
        self.rows = rows
        self.set_row_count(len(rows))
        index = next((i for i, row in enumerate(rows) if row is not None and row.task_id == keep), None)
        self.cursor = index if index is not None else self._nearest_item(min(self.cursor, len(rows) - 1))
        self.invalidate()

    def set_timer(self, task_id: int | None) -> None:
        """Mark the task whose timer runs."""
        if task_id != self.timer_task:
            self.timer_task = task_id
            self.invalidate()

    @property
    def selected_item(self) -> Any | None:
        """The entry under the cursor."""
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    @property
    def selected_task_id(self) -> int | None:
        """Its task id."""
        item = self.selected_item
        return item.task_id if item is not None else None

    def select_task(self, task_id: int) -> bool:
        """Put the cursor on a task."""
        index = next((i for i, row in enumerate(self.rows) if row is not None and row.task_id == task_id), None)
        if index is not None:
            self.cursor = index
        return index is not None

    def _nearest_item(self, index: int) -> int:
        if 0 <= index < len(self.rows) and self.rows[index] is None:
            return index + 1 if index + 1 < len(self.rows) else max(0, index - 1)
        return max(0, index)

    def action_cursor(self, step: int) -> None:
        """Move by rows, stepping over the cut line."""
        target = self.cursor + step
        if 0 <= target < len(self.rows) and self.rows[target] is None:
            target += 1 if step > 0 else -1
        if 0 <= target < len(self.rows):
            self.cursor = target

    def action_jump(self, index: int) -> None:
        """First or last task."""
        self.cursor = self._nearest_item(len(self.rows) - 1 if index < 0 else 0)

    def action_page(self, direction: int) -> None:
        """A page up or down."""
        super().action_page(direction)
        self.cursor = self._nearest_item(self.cursor)

    def action_open(self) -> None:
        """Edit the selected task."""
        if self.selected_task_id is not None:
            self.post_message(self.OpenRequested(self.selected_task_id))

    def on_double_click(self, index: int) -> None:
        """Double-click edits."""
        self.action_open()

    # -- layout -------------------------------------------------------------------------------
    def _columns(self, width: int) -> list[tuple[str, int, str]]:
        """(name, width, align) per column; the title takes what is left."""
        wide = width >= 100
        fixed = [("pos", 4, ">"), ("mark", 3, "<"), ("id", 6, ">")]
        if self.with_person:
            fixed.append(("person", 9, "<"))
        tail = [("project", 10, "<")] if wide else []
        tail += [("due", 10, ">"), ("est", 6, ">"), ("score", 7, ">")]
        title = max(10, width - sum(w for _, w, _ in fixed + tail) - 1)
        return [*fixed, ("title", title, "<"), *tail]

    def render_header(self, y: int, width: int) -> Strip:
        """Column titles."""
        names = {"pos": "#", "mark": "", "id": "id", "person": "Who", "title": "Task", "project": "Project",
                 "due": "Due", "est": "Today", "score": "Score"}
        style = self.get_component_rich_style("queue--header")
        cells = [(self._cell(names[name], w, align), style) for name, w, align in self._columns(width)]
        return runs_to_strip(cells, width)

    @staticmethod
    def _cell(text: str, width: int, align: str) -> str:
        text = fit(text, width - 1).rstrip() if len(text) >= width else text
        return (text.rjust(width - 1) + " ") if align == ">" else fit(" " + text, width)

    def render_row(self, index: int, line: int, width: int, selected: bool) -> Strip:
        """A task row, or the cut line."""
        item = self.rows[index]
        if item is None:
            style = self.get_component_rich_style("queue--cut")
            text = f" {self.cut_texts.get(index, self.cut_text)} "
            side = max(2, (width - len(text)) // 2)
            return runs_to_strip([(("─" * side + text + "─" * width)[:width], style)], width)
        entry = item.entry
        candidate = entry.scored.candidate
        base = self.get_component_rich_style("queue--row" if entry.fits else "queue--below")
        if selected:
            base = self.get_component_rich_style("queue--cursor")
        timer = item.task_id == self.timer_task
        mark = "●" if timer else "▶" if candidate.in_progress else " "
        values = {
            "pos": str(entry.position), "mark": mark, "id": f"#{candidate.task_id}", "person": item.person,
            "title": candidate.title,
            "project": candidate.project_key, "due": due_text(candidate.due, self.today),
            "est": _today_hours(candidate),
            "score": f"{entry.scored.total:.1f}",
        }
        cells: list[tuple[str, Style]] = []
        for name, w, align in self._columns(width):
            style = base
            if not selected:
                style = self._cell_style(name, candidate, timer, entry, base)
            if name == "mark":
                cells.append((" " + mark, style if selected or not timer else
                              self.get_component_rich_style("queue--timer")))
                cells.append((("▲" if entry.pinned else " "), style if selected else
                              self.get_component_rich_style("queue--pin")))
                continue
            if name == "title" and candidate.critical:
                cells.append((self._cell(values[name], w - 2, align), style))
                cells.append(("◆ ", style if selected else self.get_component_rich_style("queue--critical")))
                continue
            cells.append((self._cell(values[name], w, align), style))
        return runs_to_strip(cells, width)

    def _cell_style(self, name: str, candidate: Any, timer: bool, entry: Any, base: Style) -> Style:
        """A cell's colour on an unselected row (rows below the cut stay muted but for lateness)."""
        if name == "due" and candidate.due is not None:
            days = (candidate.due - self.today).days
            if days < 0:
                return self.get_component_rich_style("queue--late")
            if days <= 1:
                return self.get_component_rich_style("queue--soon")
        if not entry.fits:
            return base
        if name == "score":
            return self.get_component_rich_style("queue--score")
        if name in ("pos", "id", "project", "est", "person"):
            return self.get_component_rich_style("queue--muted")
        if timer and name == "title":
            return self.get_component_rich_style("queue--timer")
        return base


def _today_hours(candidate: Any) -> str:
    """The hours the task counts against today's cut: its estimate, or a multi-day task's share of it."""
    hours = candidate.today_hours if candidate.today_hours is not None else candidate.estimate_hours
    if not hours:
        return ""
    return f"{hours:.1f}".rstrip("0").rstrip(".") + "h"
