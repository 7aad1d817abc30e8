"""Workload: the hours each person works to per week, by the schedule, against their capacity.

A task's hours fall on the days the schedule (leveled with ``level``) gives
its remaining work, from the status date on: its remaining estimate spread
over those days and split by the assigned units, as the daily queue counts
today's share; a task without an estimate takes its units × the calendar's
hours each day. Unassigned work of projects nobody holds work in is the
acting person's, as in their queue. Stream reservations keep their share of
each week apart.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from planner.domain.calendar import WorkCalendar
from planner.services.context import Context
from planner.store import planning_views


@dataclass(slots=True)
class WeekLoad:
    """One person's week: planned project hours, hours streams reserve, and capacity."""

    person: str
    week_start: date
    planned_hours: float
    capacity_hours: float
    reserved_hours: float = 0.0

    @property
    def over(self) -> bool:
        """Planned work and reservations above capacity."""
        return self.planned_hours + self.reserved_hours > self.capacity_hours + 1e-9

    def to_json(self) -> dict[str, Any]:
        """The JSON object of a person's week."""
        return {"person": self.person, "week": self.week_start.isoformat(), "planned_hours": self.planned_hours,
                "reserved_hours": self.reserved_hours, "capacity_hours": self.capacity_hours, "over": self.over}


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def workload(ctx: Context, first: date | None = None, last: date | None = None, *,
             level: bool = False) -> list[WeekLoad]:
    """Per person and ISO week between ``first`` and ``last``: scheduled project work and stream reservations."""
    from planner.services.planning.schedule import plan_portfolio, work_calendar
    from planner.store import schedule_views as rows

    status = ctx.today()
    first = _monday(first or status)
    last = last or first + timedelta(weeks=4, days=-1)
    plan = plan_portfolio(ctx, level=level, status_date=status)  # the same plans `schedule --level` shows
    with ctx.reader() as conn:
        people = [tuple(p) for p in planning_views.people(conn, ordered=True)]
        reserved = rows.stream_reservations(conn)
        if ctx.actor not in {p[1] for p in people} and any(p.tasks and not p.assignments for p in plan.loaded):
            people.append((None, ctx.actor, 1.0, None))  # a solo user without a resource row
        calendars = {cid: work_calendar(rows.load_calendar(conn, cid)) for cid in {p[3] for p in people}}
    planned: dict[tuple[str, date], float] = defaultdict(float)
    for project, schedule in zip(plan.loaded, plan.schedules):
        if project.tasks:
            _add_project_hours(project, schedule, status, first, last, ctx.actor, planned)
    result = []
    for resource_id, handle, capacity, calendar_id in people:
        calendar: WorkCalendar = calendars[calendar_id]
        week = first
        while week <= last:
            working_days = len(calendar.working_dates(max(week, status), week + timedelta(days=7)))  # from today
            capacity_hours = float(capacity) * calendar.hours_per_day * working_days
            reserved_hours = capacity_hours * reserved.get(resource_id, 0.0)
            result.append(WeekLoad(handle, week, round(planned[(handle, week)], 1), round(capacity_hours, 1),
                                   round(reserved_hours, 1)))
            week += timedelta(days=7)
    result.sort(key=lambda w: (w.person, w.week_start))
    return result


def _add_project_hours(project: Any, schedule: Any, status: date, first: date, last: date, actor: str,
                       planned: dict[tuple[str, date], float]) -> None:
    """Add one project's remaining work, day by day of its schedule, to each person's weeks."""
    from planner.services.planning.schedule import assigned_units

    calendar, hours_per_day = project.calendar, project.calendar.hours_per_day
    from_offset = max(0, calendar.offset_of(project.start, status))
    stored = {task.id: task for task in project.tasks}
    assignments: dict[int, list[tuple[str, float]]] = defaultdict(list)
    for assignment in project.assignments:
        assignments[assignment.task_id].append((assignment.handle, assigned_units(assignment)))
    unowned = not project.assignments
    for task in schedule.tasks:
        if task.done or task.is_summary or task.ef <= task.es:
            continue
        days = [calendar.date_of(project.start, offset) for offset in range(max(task.es, from_offset), task.ef)]
        if not days:
            continue
        people = assignments.get(task.id) or ([(actor, 1.0)] if unowned else [])
        total_units = sum(units for _handle, units in people) or 1.0
        row = stored[task.id]
        remaining = row.estimate_hours * (100 - min(row.percent_done, 99)) / 100 if row.estimate_hours else None
        for handle, units in people:
            per_day = remaining / len(days) * units / total_units if remaining is not None else units * hours_per_day
            for day in days:
                if first <= day <= last:
                    planned[(handle, _monday(day))] += per_day
