"""A static Gantt chart with Rich for the terminal, SVG and HTML, painted as the app paints it.

Rows come in outline order (a summary task before its children, indented),
the cells from :mod:`planner.render.gantt_cells`, fitted to the width asked.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from rich.console import Group
from rich.style import Style
from rich.text import Text

from planner.render.gantt_cells import EIGHTHS, FULL, RIGHT, Cell, GanttScale, paint_markers, paint_task, row_label
from planner.render.gantt_links import RowArrows, all_arrow_rows, display_links, lay_arrows
from planner.render.gantt_rows import GanttModel, build_model

#: The colour of each role of the painter (the app takes them from its theme instead).
ROLE_STYLES = {
    "bar": Style(color="blue"), "critical": Style(color="red", bold=True), "late": Style(color="dark_orange"),
    "done": Style(color="green"), "summary": Style(bold=True), "progress": Style(color="bright_green"),
    "slack": Style(dim=True), "baseline": Style(dim=True), "milestone": Style(color="cyan", bold=True),
    "forecast": Style(color="bright_cyan", bold=True), "today": Style(color="yellow", bold=True),
    "deadline": Style(color="magenta"), "constraint": Style(color="cyan"), "link": Style(color="grey50"),
}
BAR_ROLES = frozenset({"bar", "critical", "late", "done"})
LABELS = (7, 14, 28)  # days between week labels, the first that leaves room for them


def chart_frame(model: GanttModel, chart_width: int) -> GanttScale:
    """The scale that fits the model's days (and the mark after the last one) into ``chart_width`` cells."""
    days = (model.last_day - model.first_day).days + 2
    return GanttScale(model.first_day, chart_width / max(1, days))


def label_width_for(width: int) -> int:
    """Columns of the task labels: 28 on a wide chart, about a third of a narrow one."""
    return 28 if width >= 100 else max(16, width * 3 // 10)


def chart_glyphs(row: Any, scale: GanttScale, first: int, count: int, markers: dict[int, Cell], *,
                 color: bool = True, arrows: RowArrows | None = None) -> list[tuple[str, Style | None]]:
    """One row's chart part, ``count`` cells from column ``first``: the app's cells in Rich styles."""
    cells = lay_arrows(paint_task(row, scale, first, count, dict(markers)), arrows, first, count)
    return [_glyph(cells[column], color) if column in cells else (" ", None) for column in range(count)]


def render_gantt(schedule: Any, *, width: int = 100, today: date | None = None, color: bool = True,
                 arrows: bool = False) -> Group:
    """The chart of a ProjectSchedule as a Rich renderable, exactly ``width`` cells per line.

    Without ``color`` (a pipe, a file) a bar that starts mid-cell is drawn
    with a half block, since an inverted eighth block needs colours to read.
    With ``arrows``, dependency arrows run between the bars.
    """
    model = build_model(schedule, today=today)
    label_width = label_width_for(width)
    chart_width = max(10, width - label_width)
    scale = chart_frame(model, chart_width)
    markers = paint_markers(scale, 0, chart_width, today=today, deadline=model.deadline)
    lines: list[Text] = [axis_line(scale, chart_width, model.last_day, label_width)]
    links = display_links(model, model.rows) if arrows else []
    routed = all_arrow_rows(links, model.rows, scale)
    for index, row in enumerate(model.rows):
        text = Text(row_label(row, label_width - 2) + ("!" if row.late else " ") + " ", no_wrap=True,
                    overflow="crop", style="bold" if row.kind == "summary" else "")
        for glyph, style in chart_glyphs(row, scale, 0, chart_width, markers, color=color, arrows=routed.get(index)):
            text.append(glyph, style)
        lines.append(text)
    lines.append(_legend(arrows=bool(links),
                         pinned=any(row.start_no_earlier is not None and not row.done for row in model.rows)))
    return Group(*lines)


def _glyph(cell: Cell, color: bool) -> tuple[str, Style]:
    style = ROLE_STYLES[cell.role]
    if cell.fill == FULL:
        return cell.glyph, style
    beneath = ROLE_STYLES.get(cell.under) if cell.under else None
    if cell.fill == RIGHT:
        if not color:
            return ("▐" if EIGHTHS.index(cell.glyph) <= 4 else " "), style
        # the uncovered left part in the colour beneath (or the background), the rest in the bar's colour
        return cell.glyph, Style(color=style.color, bgcolor=beneath.color if beneath else None, reverse=True,
                                 bold=style.bold)
    if not color and cell.under in BAR_ROLES:
        return "█", style  # progress ending mid-bar: the bar goes on in the same cell
    return cell.glyph, style + Style(bgcolor=beneath.color) if beneath and beneath.color else style


def axis_line(scale: GanttScale, chart_width: int, last_day: date, label_width: int) -> Text:
    """Dates along the top: every week, fortnight or four weeks (on Mondays), or every month, with room between."""
    axis = [" "] * chart_width
    first_monday = scale.origin + timedelta(days=-scale.origin.weekday() % 7)
    labels: list[tuple[date, str]] = []
    step = next((days for days in LABELS if days * scale.cells_per_day >= len("Dec 28") + 2), None)
    if step is not None:
        day = first_monday
        while day <= last_day + timedelta(days=1):
            labels.append((day, day.strftime("%b %d")))
            day += timedelta(days=step)
    else:
        month = date(scale.origin.year, scale.origin.month, 1)
        text = "%b %Y" if 28 * scale.cells_per_day >= len("Dec 2026") + 2 else "%b"
        while month <= last_day:
            if month >= scale.origin:
                labels.append((month, month.strftime(text)))
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    for day, label in labels:
        column = int(scale.column(day))
        if column + len(label) > chart_width:
            break
        if all(c == " " for c in axis[max(0, column - 1):column + len(label) + 1]):
            axis[column:column + len(label)] = list(label)
    return Text(" " * label_width + "".join(axis), style="dim", no_wrap=True, overflow="crop")


def _legend(*, arrows: bool = False, pinned: bool = False) -> Text:
    legend = Text()
    marks = (("█", "planned", "bar"), ("█", "critical", "critical"), ("█", "late", "late"), ("█", "done", "done"),
             ("▀", "phase", "summary"), ("◆", "milestone", "milestone"), ("┈", "slack", "slack"),
             ("│", "today", "today"), ("┆", "deadline", "deadline"),
             *([("▹", "pinned", "constraint")] if pinned else []), *([("─▶", "link", "link")] if arrows else []))
    for glyph, words, role in marks:
        legend.append(glyph, style=ROLE_STYLES[role]).append(f" {words}  ")
    legend.rstrip()
    return legend
