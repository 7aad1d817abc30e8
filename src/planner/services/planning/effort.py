"""Effort-driven work: how long a task with an estimate lasts, given the people on it.

MS Project's fixed work: an explicit duration wins; otherwise the estimate is
spread over the hours per day each assignee gives (units × their calendar's
hours per day), rounded up to whole working days.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from planner.store import schedule_views as rows


@dataclass(slots=True)
class AssignedWork:
    """One person on a scheduled task: the units per day they give and their calendar's hours per day."""

    handle: str
    units: float
    hours_per_day: float

    def to_json(self) -> dict[str, Any]:
        """``{"handle", "units", "hours_per_day"}``."""
        return {"handle": self.handle, "units": self.units, "hours_per_day": self.hours_per_day}


def duration_days(task: rows.ScheduleTaskRow, hours_of_work_per_day: float) -> int:
    """Explicit duration (fixed work), else ceil(effort ÷ the hours its people give a day), at least 1.

    ``hours_of_work_per_day`` is the sum over the assignees of units × their calendar's hours per day
    (:func:`daily_work_hours`); milestones last 0 days.
    """
    if task.kind == "milestone":
        return 0
    if task.duration_days is not None:
        return max(int(task.duration_days), 0)
    if task.estimate_hours and hours_of_work_per_day > 0:
        return max(1, math.ceil(task.estimate_hours / hours_of_work_per_day - 1e-9))
    return 1


def daily_work_hours(assignments: Iterable[rows.AssignmentRow], project_hours_per_day: float) -> dict[int, float]:
    """Per task, the hours of work its people give a working day: sum of units × their calendar's hours.

    A person without a calendar of their own works the project's hours per day.
    """
    hours: dict[int, float] = defaultdict(float)
    for assignment in assignments:
        hours[assignment.task_id] += assigned_units(assignment) * (assignment.hours_per_day or project_hours_per_day)
    return hours


def assigned_units(assignment: rows.AssignmentRow) -> float:
    """An assignment's units per day, no more than the person has (rows made before units defaulted to capacity)."""
    if assignment.capacity and assignment.capacity > 0:
        return min(assignment.units, assignment.capacity)
    return assignment.units
