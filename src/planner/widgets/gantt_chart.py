"""The interactive Gantt chart: a Line API view that draws only the rows on screen.

Left, a fixed pane of task labels; right, a time scale that scrolls
horizontally. Bars have eighth-of-a-cell edges (the left edge by painting the
uncovered part in the background colour over a bar-coloured cell), the
critical path and late work have their own colours, slack trails each bar,
baseline ghosts sit under the bars, and the today line, the deadline,
milestones and forecast P85 markers are drawn over the scale. The selected
task's predecessors and successors are marked in the label pane.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from rich.style import Style
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from planner.render.gantt_cells import FULL, RIGHT, Cells, GanttScale, paint_baseline, paint_markers, paint_task, row_label
from planner.render.gantt_link_index import ArrowCache, LinkIndex, shown_rows
from planner.render.gantt_links import DOWN, UP, RowArrows, lay_arrows
from planner.render.gantt_rows import GanttModel, GanttRow
from planner.widgets.gantt_drag import BarDragging
from planner.widgets.line_list import RowView, css_beside, fit, runs_to_strip

ZOOMS = {"day": 3.0, "week": 1.0, "month": 0.25}  # cells per calendar day
PADDING_DAYS = 3


class GanttChart(BarDragging, RowView):
    """Time-scaled bars of a project's schedule; shift+left/right (or dragging a bar) asks to move a task."""

    DEFAULT_CSS = css_beside(__file__)

    COMPONENT_CLASSES = {
        "gantt--header", "gantt--label", "gantt--summary-label", "gantt--done-label", "gantt--late-label",
        "gantt--cursor", "gantt--bar", "gantt--critical", "gantt--done", "gantt--late", "gantt--summary",
        "gantt--progress", "gantt--slack", "gantt--baseline", "gantt--today", "gantt--deadline",
        "gantt--milestone", "gantt--forecast", "gantt--weekend", "gantt--hint", "gantt--constraint", "gantt--link",
        "gantt--ghost",
    }
    BINDINGS = [
        Binding("shift+right,greater_than_sign", "shift(1)", "Move", key_display="⇧←→",
                tooltip="Move the task a working day later"),
        Binding("shift+left,less_than_sign", "shift(-1)", "Earlier", show=False,
                tooltip="Move the task a working day earlier"),
        Binding("left,h", "scroll_time(-1)", "Scroll left", show=False),
        Binding("right,l", "scroll_time(1)", "Scroll right", show=False),
        Binding("t", "goto_today", "Today"),
        Binding("enter", "open", "Edit", show=False),
    ]

    header_height = 2
    zoom: reactive[str] = reactive("week")
    show_baseline: reactive[bool] = reactive(True)
    show_arrows: reactive[bool] = reactive(True)

    class ShiftRequested(Message):
        """The person asked to move a task by working days."""

        def __init__(self, task_id: int, working_days: int) -> None:
            super().__init__()
            self.task_id = task_id
            self.working_days = working_days

    class OpenRequested(Message):
        """The person asked to edit a task."""

        def __init__(self, task_id: int) -> None:
            super().__init__()
            self.task_id = task_id

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.model = GanttModel([])
        self.today: date | None = None
        self._visible: list[GanttRow] = []
        self._hints: dict[int, str] = {}
        self._column_days: tuple[tuple, list[date]] = ((), [])
        self._row_template: tuple[tuple, tuple[list[str], list[Style]]] = ((), ([], []))
        self._arrows = ArrowCache()
        self._blanks: tuple[Style, ...] = ()  # the styles of empty chart cells (weekday, weekend)
        self._drawing = 0  # counts redraws that may move bars (the arrows' routes are kept until it changes)

    # -- data ---------------------------------------------------------------------------------
    def show(self, model: GanttModel, *, today: date | None = None, visible_ids: set[int] | None = None,
             links: LinkIndex | None = None) -> None:
        """Draw a new model (keeping the cursor on the same task); ``visible_ids`` filters rows.

        ``links`` is the index of the links between those rows (``index_links``), made where the model was
        loaded; without it the chart indexes them when it first draws an arrow.
        """
        keep = self.selected_task_id
        self.model, self.today = model, today
        self._visible = shown_rows(model, visible_ids)
        self._arrows.use(links)
        self._update_row_height()
        self.set_row_count(len(self._visible))
        if keep is not None:
            index = next((i for i, row in enumerate(self._visible) if row.task_id == keep), None)
            if index is not None and index != self.cursor:
                self.cursor = index
        self._update_hints()
        self.invalidate()
        self.call_after_refresh(self.keep_selected_in_view)  # a moved bar must not slide out of sight

    @property
    def rows_shown(self) -> list[GanttRow]:
        """The rows on the chart, in display order (filtered)."""
        return self._visible

    @property
    def selected_row(self) -> GanttRow | None:
        """The row under the cursor."""
        return self._visible[self.cursor] if 0 <= self.cursor < len(self._visible) else None

    @property
    def selected_task_id(self) -> int | None:
        """The id of the task under the cursor."""
        row = self.selected_row
        return row.task_id if row else None

    def select_task(self, task_id: int) -> bool:
        """Put the cursor on a task; False when it is not shown."""
        index = next((i for i, row in enumerate(self._visible) if row.task_id == task_id), None)
        if index is None:
            return False
        self.cursor = index
        return True

    def select_current(self, today: date) -> None:
        """Put the cursor on the first task still running or ahead on ``today`` (the chart opens at today)."""
        index = next((i for i, row in enumerate(self._visible) if row.kind != "summary" and row.end > today), None)
        if index is not None:
            self.cursor = index

    def _update_row_height(self) -> None:
        wanted = 2 if self.show_baseline and any(r.baseline_start for r in self._visible) else 1
        if wanted != self.row_height:
            self.row_height = wanted

    def _update_hints(self) -> None:
        row = self.selected_row
        self._hints = {}
        if row is not None:
            self._hints.update({pred: "«" for pred in self.model.predecessors.get(row.task_id, ())})
            self._hints.update({succ: "»" for succ in self.model.successors.get(row.task_id, ())})

    def watch_cursor(self, old: int, new: int) -> None:
        """Besides moving, re-mark the selected task's neighbours (their rows' cache keys change)."""
        hints = self._hints
        self._update_hints()
        if hints != self._hints:
            self.refresh()
        super().watch_cursor(old, new)
        self.keep_selected_in_view()

    def keep_selected_in_view(self) -> None:
        """Scroll the time scale when the selected bar lies wholly outside the visible window."""
        row = self.selected_row
        chart_width = self.scrollable_content_region.width - self.label_width
        if row is None or chart_width <= 0 or not self.model.rows:
            return
        first, last = self.column(row.start), self.column(max(row.end, row.start + timedelta(days=1)))
        if last <= self.scroll_x or first >= self.scroll_x + chart_width:
            self._scroll_to_day(row.start)

    def row_state(self, index: int) -> object:
        """A row looks different while it is a neighbour of the selected task or its bar is dragged."""
        hint = self._hints.get(self._visible[index].task_id)
        return (hint, self.drag.days) if self.drag is not None and self.drag.index == index else hint

    def watch_zoom(self) -> None:
        """Redraw at the new scale, keeping the selected bar in view."""
        self._resize()
        self.invalidate()
        self.call_after_refresh(self.action_goto_selected)

    def watch_show_arrows(self) -> None:
        """Draw or hide the dependency arrows (no bar moved: the routes worked out so far stay)."""
        drawing = self._drawing
        self.invalidate()
        self._drawing = drawing

    def watch_show_baseline(self) -> None:
        """Baseline ghosts take a second line per row."""
        self._update_row_height()
        self._resize()
        self.invalidate()

    # -- geometry -----------------------------------------------------------------------------
    @property
    def cells_per_day(self) -> float:
        """Horizontal scale."""
        return ZOOMS[self.zoom]

    @property
    def label_width(self) -> int:
        """Width of the fixed label pane."""
        return 34 if self.size.width >= 100 else 22

    @property
    def origin(self) -> date:
        """The date of chart column 0."""
        return self.model.first_day - timedelta(days=PADDING_DAYS)

    def chart_cells(self) -> int:
        """Width of the whole time scale in cells, in steps of four weeks (a moved bar rarely resizes it)."""
        days = (self.model.last_day - self.origin).days + 2 * PADDING_DAYS + 1
        return math.ceil(math.ceil(days / 28) * 28 * self.cells_per_day)

    def content_width(self) -> int:
        """Labels plus the whole time scale."""
        return self.label_width + self.chart_cells()

    @property
    def scale(self) -> GanttScale:
        """Days to cells at the current zoom (the painter shared with the CLI works on it)."""
        return GanttScale(self.origin, self.cells_per_day)

    def column(self, day: date) -> float:
        """The (fractional) chart column where ``day`` begins."""
        return (day - self.origin).days * self.cells_per_day

    def _days_of_columns(self, first: int, count: int) -> list[date]:
        key = (first, count, self.zoom, self.origin)
        if self._column_days[0] != key:
            scale = self.cells_per_day
            self._column_days = (key, [self.origin + timedelta(days=int((first + i) / scale)) for i in range(count)])
        return self._column_days[1]

    # -- styles -------------------------------------------------------------------------------
    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name)

    def _bar_style(self, row: GanttRow) -> Style:
        if row.kind == "summary":
            return self._style("gantt--summary")
        if row.done:
            return self._style("gantt--done")
        if row.late:
            return self._style("gantt--late")
        return self._style("gantt--critical" if row.critical else "gantt--bar")

    # -- rendering ----------------------------------------------------------------------------
    def render_header(self, y: int, width: int) -> Strip:
        """Two lines of time scale over the chart, titles over the labels."""
        if not self.model.rows:  # nothing scheduled: no time scale to show
            return super().render_header(y, width)
        header = self._style("gantt--header")
        label = fit("    # Task" if y == 1 else "", self.label_width)
        chart_width = max(0, width - self.label_width)
        first = int(self.scroll_x)
        days = self._days_of_columns(first, chart_width)
        chars = [" "] * chart_width
        styles = [header] * chart_width
        previous: date | None = None
        for i, day in enumerate(days):
            if day != previous:
                text = self._scale_label(day, y, previous)
                if previous is None and y == 0 and self._next_label_within(days, len(text) + 2):
                    text = ""  # the next month's label starts right away: it wins
                if text and all(c == " " for c in chars[i:i + len(text) + 1]):
                    chars[i:i + len(text)] = list(text[: chart_width - i])
                    del chars[chart_width:]
            if day == self.today and y == 1:
                styles[i] = header + self.get_component_rich_style("gantt--today", partial=True)
            previous = day
        return runs_to_strip([(label, header), *zip(chars, styles)], width)

    def _next_label_within(self, days: list[date], columns: int) -> bool:
        """Whether another month (or year, at month zoom) begins within ``columns`` of the left edge."""
        first = days[0]
        return any((d.year != first.year) if self.zoom == "month" else (d.month != first.month)
                   for d in days[1:columns])

    def _scale_label(self, day: date, line: int, previous: date | None) -> str:
        if line == 0:
            if self.zoom == "month":
                return f"{day.year}" if previous is None or day.year != previous.year else ""
            return day.strftime("%B %Y") if previous is None or day.month != previous.month else ""
        if self.zoom == "day":
            return f"{day.day:>2}" if day != previous else ""
        if self.zoom == "week":
            return f"{day.day}" if day.weekday() == 0 else ""
        return day.strftime("%b") if previous is None or day.month != previous.month else ""

    def _label(self, row: GanttRow, selected: bool) -> list[tuple[str, Style]]:
        width = self.label_width
        if selected:
            style = self._style("gantt--cursor")
        elif row.kind == "summary":
            style = self._style("gantt--summary-label")
        elif row.done:
            style = self._style("gantt--done-label")
        elif row.late:
            style = self._style("gantt--late-label")
        else:
            style = self._style("gantt--label")
        hint = self._hints.get(row.task_id, " ")
        mark = "!" if row.late else " "
        title = row_label(row, width - 3)
        return [(hint, style if selected else self._style("gantt--hint")), (title, style), (mark + " ", style)]

    def render_row(self, index: int, line: int, width: int, selected: bool) -> Strip:
        """One line of a task: its label and bar (line 0) or its baseline ghost (line 1)."""
        row = self._visible[index]
        chart_width = max(0, width - self.label_width)
        first = int(self.scroll_x)
        template_chars, template_styles = self._template(first, chart_width)
        chars, styles = list(template_chars), list(template_styles)
        arrows = self.row_arrows(index)
        if line == 0:
            cells = lay_arrows(paint_task(row, self.scale, first, chart_width), arrows, first, chart_width)
            self._apply(self.ghost_cells(index, first, chart_width, cells), chars, styles)
            label = self._label(row, selected)
        else:  # the baseline line: arrows going on to the next row pass it
            passing = None
            if arrows:
                passing = ({column: UP | DOWN for column, bits in arrows[0].items() if bits & DOWN}, {}, [])
            self._apply(lay_arrows(paint_baseline(row, self.scale, first, chart_width), passing, first, chart_width),
                        chars, styles)
            label = [(" " * self.label_width, self._style("gantt--label"))]
        return Strip.join([runs_to_strip(label, self.label_width),
                           runs_to_strip(zip(chars, styles), chart_width, exact=True)])

    def row_arrows(self, index: int) -> RowArrows | None:
        """The arrow cells of a displayed row (absolute columns), None with arrows hidden."""
        if not self.show_arrows or not self.model.link_kinds:
            return None
        return self._arrows.row(index, self._visible, self.model, self.scale, (self._drawing, self.zoom))

    def invalidate(self) -> None:
        """Forget cached lines and routes (bars may have moved) and repaint."""
        self._drawing += 1
        super().invalidate()

    def _template(self, first: int, chart_width: int) -> tuple[list[str], list[Style]]:
        """The empty chart line every row starts from: weekends, today and the deadline (cached per view)."""
        key = (first, chart_width, self.zoom, self._generation)
        if self._row_template[0] != key:
            days = self._days_of_columns(first, chart_width)
            base, weekend = self.base_style, self._style("gantt--weekend")
            if self.show_arrows:  # blanks in the arrows' colour: an arrow joins its neighbours' run of cells
                link = Style(color=self._style("gantt--link").color)
                base, weekend = base + link, weekend + link
            self._blanks = (base, weekend)
            non_working = self.model.non_working if self.zoom != "month" else None
            styles = [weekend if non_working is not None and non_working(day) else base for day in days]
            chars = [" "] * chart_width
            self._apply(paint_markers(self.scale, first, chart_width, today=self.today, deadline=self.model.deadline),
                        chars, styles)
            self._row_template = (key, (chars, styles))
        return self._row_template[1]

    def _apply(self, cells: Cells, chars: list[str], styles: list[Style]) -> None:
        """Put the painter's cells on a line, in the theme's colours.

        A partly covered cell keeps, in its uncovered part, the colour of what
        it was painted over; a bar starting mid-cell draws the uncovered left
        part in that colour over the bar's colour.
        """
        weekday, weekend = self._blanks or (None, None)
        for column, cell in cells.items():
            if cell.role == "link" and (styles[column] is weekday or styles[column] is weekend):
                chars[column] = cell.glyph
                continue
            style = self._style(f"gantt--{cell.role}")
            if cell.fill == FULL:
                chars[column], styles[column] = cell.glyph, style
                continue
            beneath = self._style(f"gantt--{cell.under}") if cell.under else styles[column]
            chars[column] = cell.glyph
            if cell.fill == RIGHT:
                styles[column] = Style(color=beneath.bgcolor or self.base_style.bgcolor, bgcolor=style.color)
            else:
                styles[column] = style + Style(bgcolor=beneath.bgcolor)

    # -- actions ------------------------------------------------------------------------------
    def action_shift(self, working_days: int) -> None:
        """Ask the screen to move the selected task."""
        row = self.selected_row
        if row is not None and row.kind != "summary":
            self.post_message(self.ShiftRequested(row.task_id, working_days))

    def action_open(self) -> None:
        """Ask the screen to edit the selected task."""
        if self.selected_task_id is not None:
            self.post_message(self.OpenRequested(self.selected_task_id))

    def on_double_click(self, index: int) -> None:
        """Double-click edits a task."""
        self.action_open()

    def action_scroll_time(self, direction: int) -> None:
        """Scroll the time scale by about a week (day zoom), a month (week zoom) or a quarter."""
        step = max(4, int((self.scrollable_content_region.width - self.label_width) / 3))
        self.scroll_to(x=max(0, self.scroll_x + direction * step), animate=False, immediate=True)

    def _scroll_to_day(self, day: date) -> None:
        chart_width = self.scrollable_content_region.width - self.label_width
        self.scroll_to(x=max(0, int(self.column(day)) - chart_width // 4), animate=False, immediate=True)

    def action_goto_today(self) -> None:
        """Bring today's line into view."""
        if self.today is not None:
            self._scroll_to_day(self.today)

    def action_goto_selected(self) -> None:
        """Bring the selected bar into view."""
        row = self.selected_row
        if row is not None:
            self._scroll_to_day(row.start)
