"""Earned value over time: PV, EV and AC per working day up to a project's status date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from planner.domain.clock import utc_to_local
from planner.services.context import Context
from planner.services.planning.progress import ProjectProgress, planned_value_at
from planner.store import planning_views
from planner.store.views import as_date, as_datetime


@dataclass(slots=True)
class ValuePoint:
    """Planned, earned and actual (clocked) hours, cumulative at the end of one day."""

    day: date
    planned_hours: float
    earned_hours: float
    actual_hours: float | None

    def to_json(self) -> dict[str, Any]:
        """The point as JSON."""
        return {"day": self.day.isoformat(), "planned_hours": round(self.planned_hours, 2),
                "earned_hours": round(self.earned_hours, 2),
                "actual_hours": None if self.actual_hours is None else round(self.actual_hours, 2)}


def value_history(ctx: Context, progress: ProjectProgress) -> list[ValuePoint]:
    """PV, EV and (where time was clocked) AC for each working day from the plan's start to the status date.

    PV is the progress's own planned-value rule at each day; EV counts a task's effort once it was finished
    by that day, and the status date's EV is the progress's (with partial percentages).
    """
    schedule = progress.schedule
    calendar = schedule.calendar
    task_ids = list(progress.efforts)
    finished: dict[int, date] = {}
    clocked: dict[date, float] = {}
    if task_ids:
        with ctx.reader() as conn:
            for task_id, actual_finish, completed_at in planning_views.finish_marks(conn, task_ids):
                if completed_at is not None:
                    finished[task_id] = as_date(actual_finish) if actual_finish else utc_to_local(as_datetime(completed_at)).date()
            for started_at, hours in planning_views.clocked_entries(conn, task_ids):
                day = utc_to_local(as_datetime(started_at)).date()
                clocked[day] = clocked.get(day, 0.0) + float(hours or 0)
    first = min([schedule.start, *finished.values(), *clocked]) if (finished or clocked) else schedule.start
    days = calendar.working_dates(first, progress.at + timedelta(days=1)) if first <= progress.at else []
    if not days or days[-1] != progress.at:
        days.append(progress.at)
    points = []
    actual_total = 0.0
    clocked_days = sorted(clocked)
    cursor = 0
    for day in days:
        while cursor < len(clocked_days) and clocked_days[cursor] <= day:
            actual_total += clocked[clocked_days[cursor]]
            cursor += 1
        if day == progress.at:
            earned = progress.earned_value_hours
            planned = progress.planned_value_hours
        else:
            earned = sum(progress.efforts[i] for i, done_on in finished.items() if done_on <= day and i in progress.efforts)
            planned = planned_value_at(schedule, progress.efforts, progress.planned_windows, day)
        points.append(ValuePoint(day, planned, earned, actual_total if clocked else None))
    return points
