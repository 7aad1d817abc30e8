"""Mermaid ``gantt`` of a project's schedule, for Markdown documents.

One bar per task from its scheduled start to its finish (Mermaid's end date
is exclusive, so the bar ends the day after the finish), milestones as
``milestone`` markers, critical work tagged ``crit``, finished work
``done`` and started work ``active``. Summary tasks become sections holding
their children; tasks without a parent sit in a section named after the
project. Titles lose the characters Mermaid's syntax reserves (``:`` ``;``
``#``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta
from typing import IO, Any

from planner.domain.errors import InvalidInputError

NAME = "mermaid"
ALIASES = ("gantt", "mmd")
PREFIX = ""
MODE = "text"
SUFFIX = ".mmd"
CAN_IMPORT = False
CAN_EXPORT = True
SCOPE = "tasks"
ONE_PROJECT = "a Mermaid gantt shows one project's schedule"
READ_OPTIONS: frozenset[str] = frozenset()
EXPORT_NEEDS = frozenset({"schedule"})

_RESERVED = re.compile(r"[:;#]+")


def _label(text: str) -> str:
    return " ".join(_RESERVED.sub(" ", text).split()) or "task"


def read(source: IO[Any], options: Mapping[str, Any] | None = None) -> Any:
    """A gantt is a picture of a schedule: there is nothing in it to import."""
    raise InvalidInputError("a Mermaid gantt cannot be imported")


def write(data: Any, options: Mapping[str, Any] | None = None) -> str:
    """The Mermaid source of the project schedule in ``data.schedule`` (a ``ProjectSchedule``)."""
    schedule = data.schedule
    lines = ["gantt", f"    title {_label(schedule.name)}", "    dateFormat YYYY-MM-DD", "    axisFormat %d %b"]
    weekdays = getattr(schedule.calendar, "working_weekdays", frozenset(range(5)))
    if set(weekdays) == {0, 1, 2, 3, 4}:
        lines.append("    excludes weekends")
    tasks = schedule.tasks
    summaries = {task.id: task for task in tasks if task.is_summary}
    sections: dict[int | None, list[Any]] = {}
    for task in tasks:
        if task.is_summary:
            continue
        parent = task.parent_id if task.parent_id in summaries else None
        sections.setdefault(parent, []).append(task)
    order = [None, *(task.id for task in tasks if task.is_summary)]
    for key in order:
        members = sections.get(key)
        if not members:
            continue
        lines.append(f"    section {_label(summaries[key].title) if key is not None else _label(schedule.name)}")
        lines.extend(f"    {_label(task.title)} :{_spec(task)}" for task in members)
    return "\n".join(lines) + "\n"


def _spec(task: Any) -> str:
    tags = []
    if task.done:
        tags.append("done")
    elif getattr(task, "percent_done", 0):
        tags.append("active")
    if task.critical and not task.done:
        tags.append("crit")
    if task.kind == "milestone" or task.duration_days == 0:
        tags.append("milestone")
        return ", ".join([*tags, f"t{task.id}", task.finish.isoformat(), "0d"])
    end = task.finish + timedelta(days=1)
    return ", ".join([*tags, f"t{task.id}", task.start.isoformat(), end.isoformat()])
