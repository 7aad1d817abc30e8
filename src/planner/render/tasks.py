"""Task lists and task details: cells shared by the Rich and the plain renderings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from planner.render.console import plural

PRIORITY_MARKS = {0: "", 1: "L", 2: "M", 3: "H"}
PRIORITY_STYLES = {1: "dim", 2: "yellow", 3: "bold red"}
TASK_HEADER = ["ID", "P", "Project", "Title", "Due", "Est", "Status", "Tags", "Who"]


def relative_day(day: date | None, today: date) -> str:
    """A due date as people read it: 'today', 'tomorrow', 'in 3d', '2d ago', or ISO beyond a month."""
    if day is None:
        return ""
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    if 1 < delta <= 31:
        return f"in {delta}d"
    if -31 <= delta < -1:
        return f"{-delta}d ago"
    return day.isoformat()


def hours_text(hours: float | None) -> str:
    """Effort as '3h', '1h30m', '45m'."""
    if hours is None:
        return ""
    minutes = round(hours * 60)
    whole, rest = divmod(minutes, 60)
    if whole and rest:
        return f"{whole}h{rest:02d}m"
    return f"{whole}h" if whole else f"{rest}m"


def task_cells(task: Any, today: date) -> list[str]:
    """One `ls` row as text cells, in TASK_HEADER order."""
    title = ("◆ " if task.kind == "milestone" else "") + task.title
    return [str(task.id), PRIORITY_MARKS.get(task.priority, ""), task.project, title,
            relative_day(task.due, today), hours_text(task.estimate_hours), task.status,
            " ".join(task.tags), " ".join(task.assignees)]


def footer(shown: int, total: int | None) -> str | None:
    """'50 of 10000 tasks shown' when the list was cut."""
    if total is not None and total > shown:
        return f"{shown} of {total} tasks shown (--limit 0 shows all)"
    return None


def task_table(tasks: list[Any], today: date, *, total: int | None = None):  # noqa: ANN201 - rich Table
    """The `ls` table for a colour terminal."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
    for name in TASK_HEADER:
        table.add_column(name, justify="right" if name in ("ID", "Est") else "left",
                         style="cyan" if name == "ID" else "", overflow="fold" if name == "Title" else "ellipsis")
    for task in tasks:
        cells = [Text(cell) for cell in task_cells(task, today)]
        cells[1].stylize(PRIORITY_STYLES.get(task.priority, ""))
        if task.due is not None and not task.done:
            cells[4].stylize("bold red" if task.due < today else "yellow" if task.due == today else "")
        if task.done:
            cells[3].stylize("dim strike")
        table.add_row(*cells)
    table.caption = footer(len(tasks), total)
    return table


def detail_fields(detail: Any, today: date) -> list[tuple[str, str]]:
    """`show`: (label, text) pairs of one task's fields, links and recent history."""
    task = detail.task
    fields: list[tuple[str, str]] = []

    def add(label: str, value: Any) -> None:
        if value not in (None, "", [], False):
            fields.append((label, str(value)))

    add("ID", task.id)
    add("Title", task.title)
    add("Project", task.project)
    add("Kind", task.kind if task.kind != "task" else None)
    add("Status", task.status)
    add("Priority", task.priority and f"{task.priority} ({PRIORITY_MARKS[task.priority]})")
    add("Due", task.due and f"{task.due.isoformat()} ({relative_day(task.due, today)})")
    add("Start no earlier", task.start_no_earlier and task.start_no_earlier.isoformat())
    add("Estimate", hours_text(task.estimate_hours))
    if task.duration_days is not None and task.kind != "milestone":
        add("Duration", plural(task.duration_days, "working day"))
    if task.likely_days is not None:
        add("Three-point", f"{task.optimistic_days:g} / {task.likely_days:g} / {task.pessimistic_days:g} days")
    add("Done", task.percent_done and f"{task.percent_done}%")
    add("Started", task.actual_start and task.actual_start.isoformat())
    add("Finished", task.actual_finish and task.actual_finish.isoformat())
    add("Snoozed until", task.snoozed_until and task.snoozed_until.isoformat())
    add("Tags", " ".join(task.tags))
    add("Assigned", " ".join(task.assignees))
    add("Parent", task.parent_id and f"#{task.parent_id}")
    add("External id", task.external_id)
    for label, links, attr in (("Waits for", detail.predecessors, "predecessor_id"),
                               ("Blocks", detail.successors, "successor_id")):
        for index, link in enumerate(links):
            lag = f" {link.lag_days:+d}d" if link.lag_days else ""
            state = " (done)" if link.other_done else ""
            fields.append((label if index == 0 else "",
                           f"#{getattr(link, attr)} {link.other_title} [{link.type}{lag}]{state}"))
    add("Notes", task.notes)
    add("Created", task.created_at and task.created_at.astimezone().strftime("%Y-%m-%d %H:%M"))
    add("Version", task.version)
    for index, note in enumerate(detail.annotations):
        fields.append(("Annotations" if index == 0 else "", f"{note.n}. {stamp_text(note.at)} {note.by}: {note.text}"))
    for index, entry in enumerate(detail.history[-HISTORY_SHOWN:]):
        fields.append(("History" if index == 0 else "", history_line(entry)))
    return fields


#: How many of the latest history entries `show` prints.
HISTORY_SHOWN = 10


def stamp_text(when: datetime | None) -> str:
    """A stored UTC time as local 'YYYY-MM-DD HH:MM'."""
    return when.astimezone().strftime("%Y-%m-%d %H:%M") if when else ""


def history_line(entry: Any) -> str:
    """'2026-11-30 05:20 ana edit: title chore 6 → chore six' (with '(undone)' when undo reverted it)."""
    text = entry.words()
    undone = " (undone)" if entry.undone else ""
    return f"{stamp_text(entry.at)} {entry.by} {entry.action}{undone}" + (f": {text}" if text else "")


def detail_table(detail: Any, today: date):  # noqa: ANN201 - rich Table
    """`show` for a colour terminal."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE, show_header=False, show_edge=False, pad_edge=False)
    table.add_column("field", style="bold")
    table.add_column("value", overflow="fold")
    for label, value in detail_fields(detail, today):
        table.add_row(label, Text(value))
    return table
