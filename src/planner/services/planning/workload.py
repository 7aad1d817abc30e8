"""Workload: planned hours per person per week against their capacity (over-allocation marked)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from planner.domain.calendar import WorkCalendar
from planner.services.context import Context


@dataclass(slots=True)
class WeekLoad:
    """One person's week."""

    person: str
    week_start: date
    planned_hours: float
    capacity_hours: float

    @property
    def over(self) -> bool:
        """Planned above capacity."""
        return self.planned_hours > self.capacity_hours + 1e-9

    def to_json(self) -> dict[str, Any]:
        """The JSON object of a person's week."""
        return {"person": self.person, "week": self.week_start.isoformat(), "planned_hours": self.planned_hours,
                "capacity_hours": self.capacity_hours, "over": self.over}


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def workload(ctx: Context, first: date | None = None, last: date | None = None) -> list[WeekLoad]:
    """Per person and ISO week between ``first`` and ``last``: scheduled project work plus stream reservations."""
    from planner.services.planning.schedule import load_project, schedule_loaded, work_calendar
    from planner.store import schedule_views as rows

    first = _monday(first or ctx.today())
    last = last or first + timedelta(weeks=4, days=-1)
    planned: dict[tuple[str, date], float] = defaultdict(float)
    with ctx.reader() as conn:
        people = conn.rows("SELECT id, handle, capacity, calendar_id FROM resource WHERE kind = 'person' ORDER BY handle")
        calendars = {cid: work_calendar(rows.load_calendar(conn, cid)) for cid in {p[3] for p in people}}
        reserved = rows.stream_reservations(conn)
        loaded = [load_project(conn, project, ctx.today()) for project in rows.project_rows(conn, kind="project")]
    handles = {p[0]: p[1] for p in people}
    for project in loaded:
        if not project.tasks:
            continue
        schedule = schedule_loaded(project, ctx.today(), level=False)
        by_id = {task.id: task for task in schedule.tasks}
        hours_per_day = project.calendar.hours_per_day
        for assignment in project.assignments:
            task = by_id.get(assignment.task_id)
            if task is None or task.done or task.is_summary or assignment.resource_id not in handles:
                continue
            for offset in range(task.es, task.ef):
                day = project.calendar.date_of(project.start, offset)
                if first <= day <= last:
                    planned[(handles[assignment.resource_id], _monday(day))] += assignment.units * hours_per_day
    result = []
    for resource_id, handle, capacity, calendar_id in people:
        calendar: WorkCalendar = calendars[calendar_id]
        week = first
        while week <= last:
            working_days = len(calendar.working_dates(week, week + timedelta(days=7)))
            capacity_hours = float(capacity) * calendar.hours_per_day * working_days
            reserved_hours = capacity_hours * reserved.get(resource_id, 0.0)
            result.append(WeekLoad(handle, week, round(planned[(handle, week)] + reserved_hours, 1),
                                   round(capacity_hours, 1)))
            week += timedelta(days=7)
    return result
