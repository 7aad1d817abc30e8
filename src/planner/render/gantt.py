"""A static Gantt chart with Rich: bars on a time scale, milestones, critical path, today line."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from rich.console import Group
from rich.text import Text

EIGHTHS = " ▏▎▍▌▋▊▉█"


def _span_cells(start_col: float, end_col: float, width: int) -> list[tuple[int, str]]:
    """Cells covered by [start_col, end_col) with eighth-block precision at the edges."""
    cells: list[tuple[int, str]] = []
    first, last = max(0.0, start_col), min(float(width), end_col)
    if last <= first:
        return cells
    column = int(first)
    while column < last:
        cover_from, cover_to = max(first, column), min(last, column + 1)
        fraction = cover_to - cover_from
        if fraction >= 0.99:
            cells.append((column, "█"))
        elif cover_from > column:  # starts mid-cell: right-aligned blocks do not exist, use a half block
            cells.append((column, "▐" if fraction >= 0.5 else " "))
        else:
            cells.append((column, EIGHTHS[max(1, round(fraction * 8))]))
        column += 1
    return cells


def render_gantt(schedule: Any, *, width: int = 100, today: date | None = None, label_width: int = 28) -> Group:
    """The chart of a ProjectSchedule as a Rich renderable (``width`` columns in all)."""
    chart_width = max(10, width - label_width - 1)
    first_day = schedule.start
    last_day = max([schedule.finish, *(t.finish for t in schedule.tasks)], default=schedule.finish)
    if schedule.deadline:
        last_day = max(last_day, schedule.deadline)
    total_days = (last_day - first_day).days + 1
    per_column = total_days / chart_width

    def column_of(day: date) -> float:
        return (day - first_day).days / per_column

    lines: list[Text] = [_axis(first_day, total_days, chart_width, per_column, label_width)]
    today_column = int(column_of(today)) if today and first_day <= today <= last_day else None
    deadline_column = int(column_of(schedule.deadline)) if schedule.deadline else None
    for task in schedule.tasks:
        label = Text(f"{task.id:>4} {task.title}"[: label_width - 1].ljust(label_width - 1) + " ")
        row = [" "] * chart_width
        styles = [""] * chart_width
        if today_column is not None and today_column < chart_width:
            row[today_column], styles[today_column] = "│", "yellow"
        if deadline_column is not None and deadline_column < chart_width:
            row[deadline_column], styles[deadline_column] = "┆", "magenta"
        style = "green" if task.done else "bold red" if task.critical else "blue"
        if task.kind == "milestone":
            column = min(chart_width - 1, int(column_of(task.start)))
            row[column], styles[column] = "◆", style
        elif task.is_summary:
            for column, _char in _span_cells(column_of(task.start), column_of(task.finish + timedelta(days=1)), chart_width):
                row[column], styles[column] = "▬", "bold"
        else:
            for column, char in _span_cells(column_of(task.start), column_of(task.finish + timedelta(days=1)), chart_width):
                row[column], styles[column] = char, style
            if task.slack > 0 and not task.done:
                late_finish = schedule.date_of(task.lf) - timedelta(days=1)
                for column, _char in _span_cells(column_of(task.finish + timedelta(days=1)),
                                                 column_of(late_finish + timedelta(days=1)), chart_width):
                    if row[column] == " ":
                        row[column], styles[column] = "·", "dim"
        text = label
        for char, char_style in zip(row, styles):
            text.append(char, style=char_style)
        lines.append(text)
    legend = Text("█ planned  ", style="blue")
    legend.append("█ critical  ", style="bold red").append("█ done  ", style="green")
    legend.append("◆ milestone  · slack  ").append("│ today  ", style="yellow").append("┆ deadline", style="magenta")
    lines.append(legend)
    return Group(*lines)


def _axis(first_day: date, total_days: int, chart_width: int, per_column: float, label_width: int) -> Text:
    """Month/week labels along the top."""
    axis = [" "] * chart_width
    step_days = 7 if per_column <= 1.5 else 14 if per_column <= 3 else 30
    day = first_day
    while (day - first_day).days < total_days:
        column = int((day - first_day).days / per_column)
        label = day.strftime("%b %d") if step_days < 30 else day.strftime("%b %Y")
        if column + len(label) <= chart_width and all(c == " " for c in axis[column:column + len(label) + 1]):
            axis[column:column + len(label)] = list(label)
        day += timedelta(days=step_days)
    return Text(" " * label_width + "".join(axis), style="dim")
