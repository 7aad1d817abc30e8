"""Task lists and task details as Rich renderables."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

PRIORITY_MARKS = {0: "", 1: "L", 2: "M", 3: "H"}
PRIORITY_STYLES = {1: "dim", 2: "yellow", 3: "bold red"}


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


def task_table(tasks: list[Any], today: date, *, fancy: bool, total: int | None = None) -> Table:
    """The `ls` table: id, priority, project, title, due, estimate, status, tags, people."""
    table = Table(box=box.SIMPLE_HEAD if fancy else None, show_edge=False, pad_edge=False,
                  header_style="bold" if fancy else "", expand=False)
    table.add_column("ID", justify="right", style="cyan" if fancy else "")
    table.add_column("P")
    table.add_column("Project")
    table.add_column("Title", overflow="fold", ratio=1)
    table.add_column("Due")
    table.add_column("Est", justify="right")
    table.add_column("Status")
    table.add_column("Tags")
    table.add_column("Who")
    for task in tasks:
        due_text = Text(relative_day(task.due, today))
        if fancy and task.due is not None and not task.done:
            if task.due < today:
                due_text.stylize("bold red")
            elif task.due == today:
                due_text.stylize("yellow")
        title = Text(task.title)
        if task.kind == "milestone":
            title = Text("◆ ") + title
        if fancy and task.done:
            title.stylize("dim strike")
        table.add_row(
            str(task.id),
            Text(PRIORITY_MARKS.get(task.priority, ""), style=PRIORITY_STYLES.get(task.priority, "") if fancy else ""),
            task.project,
            title,
            due_text,
            hours_text(task.estimate_hours),
            task.status,
            " ".join(task.tags),
            " ".join(task.assignees),
        )
    if total is not None and total > len(tasks):
        table.caption = f"{len(tasks)} of {total} tasks shown (--limit 0 shows all)"
    return table


def task_detail(detail: Any, today: date, *, fancy: bool) -> Table:
    """`show`: one task's fields, links and recent history as a two-column table."""
    task = detail.task
    table = Table(box=box.SIMPLE if fancy else None, show_header=False, show_edge=False, pad_edge=False)
    table.add_column("field", style="bold" if fancy else "")
    table.add_column("value", overflow="fold")

    def row(name: str, value: Any) -> None:
        if value not in (None, "", []):
            table.add_row(name, value if isinstance(value, Text) else Text(str(value)))

    row("ID", task.id)
    row("Title", task.title)
    row("Project", task.project)
    row("Kind", task.kind if task.kind != "task" else None)
    row("Status", task.status)
    row("Priority", PRIORITY_MARKS.get(task.priority) and f"{task.priority} ({PRIORITY_MARKS[task.priority]})")
    if task.due:
        row("Due", f"{task.due.isoformat()} ({relative_day(task.due, today)})")
    row("Start no earlier", task.start_no_earlier and task.start_no_earlier.isoformat())
    row("Estimate", hours_text(task.estimate_hours))
    row("Duration", task.duration_days is not None and task.kind != "milestone" and f"{task.duration_days} working days")
    if task.likely_days is not None:
        row("Three-point", f"{task.optimistic_days} / {task.likely_days} / {task.pessimistic_days} days")
    row("Done", f"{task.percent_done}%" if task.percent_done else None)
    row("Started", task.actual_start and task.actual_start.isoformat())
    row("Finished", task.actual_finish and task.actual_finish.isoformat())
    row("Snoozed until", task.snoozed_until and task.snoozed_until.isoformat())
    row("Tags", " ".join(task.tags))
    row("Assigned", " ".join(task.assignees))
    row("Parent", task.parent_id and f"#{task.parent_id}")
    row("External id", task.external_id)
    for label, links, attr in (("Waits for", detail.predecessors, "predecessor_id"),
                               ("Blocks", detail.successors, "successor_id")):
        for index, link in enumerate(links):
            lag = f" {link.lag_days:+d}d" if link.lag_days else ""
            state = " (done)" if link.other_done else ""
            row(label if index == 0 else "", f"#{getattr(link, attr)} {link.other_title} [{link.type}{lag}]{state}")
    row("Notes", task.notes)
    row("Created", task.created_at and task.created_at.strftime("%Y-%m-%d %H:%M"))
    row("Version", task.version)
    for index, event in enumerate(detail.history[-5:]):
        when = event.at.strftime("%Y-%m-%d %H:%M") if event.at else ""
        row("History" if index == 0 else "", f"{when} {event.actor} {event.action}")
    return table
