"""The Gantt chart as a standalone SVG drawing (and an HTML page around it), written by hand: no dependency.

Rows in outline order as in the terminal; bars, phases, milestones, slack,
today and the deadline on a day scale; dependency arrows as thin grey
orthogonal polylines ending in an arrowhead at the successor's start (its end
for FF/SF links), drawn under the bars.
"""

from __future__ import annotations

from datetime import date, timedelta
from html import escape as html_escape
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from planner.render.gantt_cells import bar_role, fit_cells
from planner.render.gantt_links import display_links
from planner.render.gantt_rows import GanttModel, GanttRow, build_model

ROW = 22
TOP = 56
LABEL = 330
GAP = 6
MILESTONE_R = 6
FONT = 'font-family="Helvetica, Arial, sans-serif" font-size="12"'
COLOURS = {"bar": "#4a78c2", "critical": "#d64545", "late": "#e08a1e", "done": "#4caf50", "summary": "#333333",
           "progress": "#2e7d32", "milestone": "#0b8fa6", "link": "#8a8a8a", "today": "#e6a100",
           "deadline": "#c2185b", "baseline": "#bbbbbb", "slack": "#999999", "weekend": "#f4f4f4",
           "constraint": "#0b8fa6"}


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


class _Frame:
    """Days to x: ``day_width`` pixels a day from the chart's first day, right of the labels."""

    def __init__(self, model: GanttModel) -> None:
        self.origin = model.first_day - timedelta(days=1)
        self.days = (model.last_day - self.origin).days + 3
        self.day_width = max(3.0, min(20.0, 1100 / self.days))
        self.width = LABEL + self.days * self.day_width + 20

    def x(self, day: date) -> float:
        return LABEL + (day - self.origin).days * self.day_width

    def span(self, row: GanttRow) -> tuple[float, float]:
        """Left and right x of a row's mark (a milestone's diamond sits at the end of its day)."""
        if row.kind == "milestone":
            centre = self.x(row.start + timedelta(days=1))
            return centre - MILESTONE_R, centre + MILESTONE_R
        return self.x(row.start), self.x(row.end)


def _middle(index: int) -> float:
    return TOP + index * ROW + ROW / 2


def link_points(kind: str, pred: tuple[float, float], succ: tuple[float, float], pred_y: float,
                succ_y: float) -> list[tuple[float, float]]:
    """An orthogonal path from the predecessor's end (start for SS/SF) to the successor's start (end for FF/SF)."""
    start_x = pred[1] if kind in ("FS", "FF") else pred[0]
    turn_x = start_x + GAP if kind in ("FS", "FF") else start_x - GAP
    to_start = kind in ("FS", "SS")
    end_x = succ[0] if to_start else succ[1]
    room = end_x - turn_x if to_start else turn_x - end_x
    if room >= GAP:
        return [(start_x, pred_y), (turn_x, pred_y), (turn_x, succ_y), (end_x, succ_y)]
    between = succ_y - ROW / 2 if succ_y > pred_y else succ_y + ROW / 2  # the gap between the rows
    approach = end_x - GAP if to_start else end_x + GAP
    return [(start_x, pred_y), (turn_x, pred_y), (turn_x, between), (approach, between), (approach, succ_y),
            (end_x, succ_y)]


def _label(row: GanttRow) -> str:
    people = f" · {', '.join(row.assignees)}" if row.assignees else ""
    return fit_cells(row.title, 44 - 2 * min(row.depth, 4) - min(len(people), 18)).rstrip() + fit_cells(
        people, min(len(people), 18)).rstrip()


def _bar(row: GanttRow, index: int, frame: _Frame) -> list[str]:
    left, right = frame.span(row)
    y = TOP + index * ROW
    data = f'data-task="{row.task_id}"'
    if row.kind == "milestone":
        cy = _middle(index)
        centre = (left + right) / 2
        colour = COLOURS["done" if row.done else "late" if row.late else "milestone"]
        return [f'<polygon class="milestone" {data} points="{_n(centre)},{_n(cy - MILESTONE_R)} {_n(right)},{_n(cy)} '
                f'{_n(centre)},{_n(cy + MILESTONE_R)} {_n(left)},{_n(cy)}" fill="{colour}"/>']
    if row.kind == "summary":
        return [f'<rect class="summary" {data} x="{_n(left)}" y="{_n(y + 5)}" width="{_n(right - left)}" height="5" '
                f'fill="{COLOURS["summary"]}"/>']
    parts = []
    if row.late_end > row.end:
        slack_right = frame.x(row.late_end)
        parts.append(f'<line class="slack" x1="{_n(right)}" y1="{_n(_middle(index))}" x2="{_n(slack_right)}" '
                     f'y2="{_n(_middle(index))}" stroke="{COLOURS["slack"]}" stroke-dasharray="2 2"/>')
    role = bar_role(row)
    parts.append(f'<rect class="bar {role}" {data} x="{_n(left)}" y="{_n(y + 4)}" width="{_n(max(1.0, right - left))}" '
                 f'height="{ROW - 8}" rx="2" fill="{COLOURS[role]}"/>')
    if row.start_no_earlier is not None and not row.done:  # a start-no-earlier pin: a small ▶ at its date
        x, cy = frame.x(row.start_no_earlier), _middle(index)
        parts.append(f'<polygon class="constraint" {data} points="{_n(x - 6)},{_n(cy - 4)} {_n(x)},{_n(cy)} '
                     f'{_n(x - 6)},{_n(cy + 4)}" fill="{COLOURS["constraint"]}"/>')
    if 0 < row.percent_done < 100 and not row.done:
        done_right = left + (right - left) * row.percent_done / 100
        parts.append(f'<rect class="progress" x="{_n(left)}" y="{_n(y + 9)}" width="{_n(done_right - left)}" height="'
                     f'{ROW - 18}" fill="{COLOURS["progress"]}"/>')
    return parts


def _axis(model: GanttModel, frame: _Frame, height: float) -> list[str]:
    parts = []
    day = frame.origin + timedelta(days=-frame.origin.weekday() % 7)
    step = 7 if frame.day_width * 7 >= 44 else 28
    while day <= model.last_day + timedelta(days=1):
        x = frame.x(day)
        parts.append(f'<line class="grid" x1="{_n(x)}" y1="{TOP - 4}" x2="{_n(x)}" y2="{_n(height)}" '
                     'stroke="#e6e6e6"/>')
        parts.append(f'<text class="axis" x="{_n(x + 2)}" y="{TOP - 8}" fill="#555555">{day:%b %d}</text>')
        day += timedelta(days=step)
    return parts


def gantt_svg(schedule: Any, *, today: date | None = None, arrows: bool = True) -> str:
    """The chart of a ProjectSchedule as an SVG document (arrows for every link between two shown rows)."""
    model = build_model(schedule, today=today)
    frame = _Frame(model)
    rows = model.rows
    height = TOP + len(rows) * ROW + 34
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(frame.width)}" height="{_n(height)}" '
             f'viewBox="0 0 {_n(frame.width)} {_n(height)}" {FONT}>',
             f'<title>{escape(schedule.key)} — {escape(schedule.name)}</title>',
             '<defs><marker id="arrowhead" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="7" markerHeight="7" '
             f'orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="{COLOURS["link"]}"/></marker></defs>',
             f'<rect x="0" y="0" width="{_n(frame.width)}" height="{_n(height)}" fill="#ffffff" class="background"/>',
             f'<text class="title" x="8" y="22" font-size="15" font-weight="bold">{escape(schedule.name)} '
             f'({escape(schedule.key)})</text>']
    parts.extend(_axis(model, frame, TOP + len(rows) * ROW))
    for index, row in enumerate(rows):
        y = _middle(index) + 4
        weight = ' font-weight="bold"' if row.kind == "summary" else ""
        colour = "#c62828" if row.late else "#222222"
        parts.append(f'<text class="label" x="36" y="{_n(y)}" text-anchor="end" fill="#777777">{row.task_id}</text>')
        parts.append(f'<text class="label" data-task="{row.task_id}" x="{44 + 12 * min(row.depth, 4)}" y="{_n(y)}" '
                     f'fill="{colour}"{weight}>{escape(_label(row))}</text>')
        if row.baseline_start is not None and row.baseline_end is not None:
            parts.append(f'<rect class="baseline" x="{_n(frame.x(row.baseline_start))}" y="{_n(y + 3)}" width="'
                         f'{_n(frame.x(row.baseline_end) - frame.x(row.baseline_start))}" height="3" '
                         f'fill="{COLOURS["baseline"]}"/>')
    if arrows:
        parts.append('<g class="links" fill="none" stroke-width="1">')
        for link in display_links(model, rows):
            points = link_points(link.kind, frame.span(rows[link.pred]), frame.span(rows[link.succ]),
                                 _middle(link.pred), _middle(link.succ))
            text = " ".join(f"{_n(x)},{_n(y)}" for x, y in points)
            parts.append(f'<polyline class="link" data-pred="{rows[link.pred].task_id}" data-succ='
                         f'"{rows[link.succ].task_id}" data-kind="{link.kind}" points="{text}" stroke="'
                         f'{COLOURS["link"]}" marker-end="url(#arrowhead)"/>')
        parts.append("</g>")
    parts.append('<g class="bars">')
    for index, row in enumerate(rows):
        parts.extend(_bar(row, index, frame))
    parts.append("</g>")
    bottom = TOP + len(rows) * ROW
    for role, day, dash in (("today", today, ""), ("deadline", model.deadline + timedelta(days=1)
                                                    if model.deadline else None, ' stroke-dasharray="4 3"')):
        if day is not None and model.first_day <= day <= model.last_day + timedelta(days=1):
            x = _n(frame.x(day))
            parts.append(f'<line class="{role}" x1="{x}" y1="{TOP - 4}" x2="{x}" y2="{bottom}" '
                         f'stroke="{COLOURS[role]}" stroke-width="1.5"{dash}/>')
    pinned = any(row.start_no_earlier is not None and not row.done for row in rows)
    parts.append(_legend(bottom + 22, arrows, pinned))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _legend(y: float, arrows: bool, pinned: bool) -> str:
    items = [("bar", "planned"), ("critical", "critical"), ("late", "late"), ("done", "done"),
             ("milestone", "milestone"), ("today", "today"), ("deadline", "deadline")]
    if pinned:
        items.append(("constraint", "start no earlier"))
    if arrows:
        items.append(("link", "dependency"))
    parts, x = [f'<g class="legend" transform="translate(8 {_n(y)})">'], 0
    for role, words in items:
        parts.append(f'<rect x="{x}" y="-9" width="12" height="10" fill="{COLOURS[role]}"/>'
                     f'<text x="{x + 16}" y="0">{escape(words)}</text>')
        x += 28 + 7 * len(words)
    parts.append("</g>")
    return "".join(parts)


def gantt_html(schedule: Any, *, today: date | None = None, arrows: bool = True) -> str:
    """An HTML page with the chart's SVG inline."""
    title = f"{schedule.key} — {schedule.name}"
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html_escape(title)}</title>\n"
            "<style>body{font-family:Helvetica,Arial,sans-serif;margin:16px;color:#222}"
            "figure{margin:0;overflow-x:auto}</style>\n</head>\n<body>\n"
            f"<h1>{html_escape(title)}</h1>\n<figure class=\"gantt\" aria-label={quoteattr(title)}>\n"
            f"{gantt_svg(schedule, today=today, arrows=arrows)}</figure>\n</body>\n</html>\n")
