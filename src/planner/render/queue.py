"""The daily queue on screen: ranked rows, the capacity cut line and, with --explain, each factor.

Shared by the Rich rendering (colour terminal) and the plain one (pipes,
NO_COLOR), which imports no Rich.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from planner.render.tasks import PRIORITY_MARKS, hours_text, relative_day

HEADER = ["#", "ID", "P", "Project", "Task", "Due", "Est", "Score"]


def capacity_line(queue: Any) -> str:
    """'5h30m left on Wed 2026-11-25: 8h − 1h36m reserved (support 20%) − 54m clocked'."""
    capacity = queue.capacity
    when = queue.day.strftime("%a %Y-%m-%d")
    if not capacity.working_day:
        return f"{queue.person}: {when} is not a working day (0h to plan)"
    parts = [f"{hours_text(capacity.calendar_hours) or '0h'} calendar"]
    if capacity.reserved_hours:
        shares = ", ".join(f"{r.stream} {r.percent:g}%" for r in capacity.reservations)
        parts.append(f"{hours_text(capacity.reserved_hours)} reserved ({shares})")
    if capacity.clocked_hours:
        parts.append(f"{hours_text(capacity.clocked_hours)} clocked")
    return f"{queue.person}: {hours_text(capacity.remaining_hours) or '0h'} left on {when} ({' − '.join(parts)})"


def cut_line(queue: Any) -> str:
    """The line drawn between what fits today and what does not."""
    return f"── capacity cut: {hours_text(queue.capacity.remaining_hours) or '0h'} fits today ──"


def cells(item: Any, today: date, *, with_person: bool = False) -> list[str]:
    """One queue row as text cells (HEADER order, plus the person for a team)."""
    candidate = item.entry.scored.candidate
    title = ("📌 " if item.entry.pinned else "") + candidate.title
    row = [str(item.entry.position), str(candidate.task_id), PRIORITY_MARKS.get(candidate.priority, ""),
           candidate.project_key, title, relative_day(candidate.due, today), _hours(candidate),
           f"{item.entry.scored.total:.1f}"]
    return [item.person, *row] if with_person else row


def _hours(candidate: Any) -> str:
    """The estimate, or today's share of it for a multi-day task ('8h/24h')."""
    today_hours = candidate.today_hours
    if today_hours is None or candidate.estimate_hours is None or abs(today_hours - candidate.estimate_hours) < 0.01:
        return hours_text(candidate.estimate_hours)
    return f"{hours_text(today_hours)}/{hours_text(candidate.estimate_hours)}"


def factor_lines(item: Any) -> list[str]:
    """--explain: each factor that counts, with its points."""
    scored = item.entry.scored
    counted = sorted((f for f in scored.factors if f.contribution), key=lambda f: -abs(f.contribution))
    lines = [f"{f.contribution:+6.1f}  {f.reason_text}" for f in counted] or ["   0.0  nothing presses"]
    if item.entry.pinned:
        lines.insert(0, "pinned in today's plan (comes before the ranking)")
    return lines


def plain(daily: Any, today: date, *, explain: bool = False) -> list[str]:
    """The queue as plain text lines."""
    with_person = daily.team is not None
    header = (["Who"] if with_person else []) + HEADER
    out: list[str] = []
    for queue in daily.queues:
        out.append(capacity_line(queue))
        if not queue.items:
            whose = f"{queue.person}'s" if with_person else "your"
            out.append(f"  nothing to do: no open, unblocked task is assigned to {queue.person if with_person else 'you'} "
                       f"or waiting in {whose} streams")
            continue
        table = [header] + [cells(item, today, with_person=with_person) for item in queue.items]
        widths = [max(len(row[i]) for row in table) for i in range(len(header))]
        right = {len(header) - 1, len(header) - 2} | ({1, 2} if with_person else {0, 1})

        def line(row: list[str]) -> str:
            return "  ".join(cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
                             for i, cell in enumerate(row)).rstrip()

        out.append(line(header))
        cut_drawn = False
        for item, row in zip(queue.items, table[1:]):
            if not item.entry.fits and not cut_drawn:
                out.append(cut_line(queue))
                cut_drawn = True
            out.append(line(row))
            if explain:
                out.extend("      " + text for text in factor_lines(item))
        if queue.total > len(queue.items):
            out.append(f"{len(queue.items)} of {queue.total} shown (--limit 0 shows all)")
    return out


def rich_table(queue: Any, today: date, *, explain: bool = False, with_person: bool = False):  # noqa: ANN201
    """One person's queue as a Rich table, the cut as a section line."""
    from rich import box
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, title=capacity_line(queue),
                  title_justify="left", title_style="bold")
    for name in (["Who"] if with_person else []) + HEADER:
        table.add_column(name, justify="right" if name in ("#", "ID", "Est", "Score") else "left",
                         overflow="fold" if name == "Task" else "ellipsis")
    cut_drawn = False
    for item in queue.items:
        if not item.entry.fits and not cut_drawn:
            table.add_section()
            table.add_row(*([""] if with_person else []), "", "", "", "", f"[bold yellow]{cut_line(queue)}[/]")
            cut_drawn = True
        row = cells(item, today, with_person=with_person)
        style = "dim" if not item.entry.fits else ("bold" if item.entry.pinned else None)
        if explain:
            row[-4] = row[-4] + "\n" + "\n".join(f"[dim]{text}[/]" for text in factor_lines(item))
        table.add_row(*row, style=style)
    if queue.total > len(queue.items):
        table.caption = f"{len(queue.items)} of {queue.total} shown (--limit 0 shows all)"
    return table
