"""The agenda: day by day what is due, what starts, milestones, deadlines, chores and days off.

For one person (their tasks and the unassigned ones), a team, or everyone.
Scheduled starts come from each project's critical-path schedule; a recurring
chore shows its open instance and its next dates on the series' rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from planner.domain.agenda import AgendaDay, AgendaItem, lay_out
from planner.domain.errors import InvalidInputError
from planner.services.context import Context

MAX_DAYS = 366


@dataclass(slots=True)
class Agenda:
    """Whose agenda, from when, and its days."""

    who: str
    first: date
    days: list[AgendaDay]

    def to_json(self) -> dict[str, Any]:
        """The documented JSON: ``{"who", "from", "days": [{"date", "items": [...]}]}``."""
        return {"who": self.who, "from": self.first.isoformat(), "days": [day.to_json() for day in self.days]}


def agenda(ctx: Context, *, first: date | None = None, days: int = 7, user: str | None = None,
           team: str | None = None) -> Agenda:
    """The agenda of ``user`` (default: the acting person), or of a team's members, for ``days`` days."""
    from planner.services.people.teams import team_members
    from planner.services.queries import list_resources, list_tasks

    if not 1 <= days <= MAX_DAYS:
        raise InvalidInputError(f"--days wants 1 to {MAX_DAYS}, not {days}")
    if user and team:
        raise InvalidInputError("an agenda is for one person (--user) or a team (--team), not both")
    first = first or ctx.today()
    last = first + timedelta(days=days - 1)
    people = {r.handle: r for r in list_resources(ctx)}
    if team:
        handles = list(team_members(ctx, team))
        who = f"team {team}"
    else:
        handle = user or ctx.actor
        handles = [handle] if handle in people else []
        who = handle
    terms: list[list[str]] = [[f"assignee:{h}"] for h in handles] + [["assignee:none"]] if handles else [[]]
    tasks = {task.id: task for group in terms for task in list_tasks(ctx, group, limit=0).tasks}
    items: list[AgendaItem] = []
    late: list[AgendaItem] = []
    for task in tasks.values():
        people_of = tuple(task.assignees)
        if task.due is not None:
            kind = "milestone" if task.kind == "milestone" else "recurring" if task.recurrence_id else "due"
            item = AgendaItem(kind, task.title, task.due, task.id, task.project, people_of)
            (late if task.due < first else items).append(item)
        if task.start_no_earlier is not None and first <= task.start_no_earlier <= last:
            items.append(AgendaItem("start", task.title, task.start_no_earlier, task.id, task.project, people_of))
    mine = {task_id: task for task_id, task in tasks.items() if set(task.assignees) & set(handles)}
    items += _scheduled_starts(ctx, mine, first, last, {(i.task_id, i.day) for i in items})
    items += _next_occurrences(ctx, tasks, first, last)
    items += _project_deadlines(ctx, {task.project for task in tasks.values()} if handles or team else None)
    items += _days_off(ctx, [people[h] for h in handles if h in people], first, last)
    return Agenda(who, first, lay_out(first, days, items, open_late=late))


def _scheduled_starts(ctx: Context, tasks: dict[int, Any], first: date, last: date,
                      shown: set[tuple[int | None, date]]) -> list[AgendaItem]:
    """When the schedule starts each not-yet-started task of a project plan that a person holds (dated starts
    and recurring chores aside: their dates say it already)."""
    from planner.services.planning.schedule import schedule_project

    items = []
    for key in sorted({t.project for t in tasks.values() if t.project_kind == "project"}):
        for scheduled in schedule_project(ctx, key, status_date=first).tasks:
            task = tasks.get(scheduled.id)
            if (task is None or task.actual_start is not None or task.kind == "milestone" or task.recurrence_id
                    or not first <= scheduled.start <= last or (task.id, scheduled.start) in shown):
                continue
            items.append(AgendaItem("scheduled", task.title, scheduled.start, task.id, task.project,
                                    tuple(task.assignees)))
    return items


def _next_occurrences(ctx: Context, tasks: dict[int, Any], first: date, last: date) -> list[AgendaItem]:
    """The next dates of each recurring series shown, after its open instance."""
    from planner.services.tasks.recurrence import upcoming_dates

    items = []
    for task in tasks.values():
        if task.recurrence_id is None or task.due is None:
            continue
        for day in upcoming_dates(ctx, task.recurrence_id, after=task.due, until=last):
            if day >= first:
                items.append(AgendaItem("recurring", task.title, day, None, task.project, tuple(task.assignees)))
    return items


def _project_deadlines(ctx: Context, keys: set[str] | None) -> list[AgendaItem]:
    from planner.services.queries import list_projects

    return [AgendaItem("deadline", p.name or p.key, p.deadline, None, p.key)
            for p in list_projects(ctx) if p.deadline is not None and (keys is None or p.key in keys)]


def _days_off(ctx: Context, people: list[Any], first: date, last: date) -> list[AgendaItem]:
    """Holidays of the standard calendar and each person's days off (vacations)."""
    from planner.services.people.calendars import show_calendar

    items: dict[tuple[str, date], AgendaItem] = {}
    for day, reason in show_calendar(ctx, "standard", first, last).days_off:
        items[("", day)] = AgendaItem("holiday", reason.capitalize(), day)
    for person in people:
        name = f"person:{person.handle}"
        try:
            off = show_calendar(ctx, name, first, last).days_off
        except Exception:  # no calendar of their own: the standard one's days off apply
            continue
        for day, reason in off:
            if ("", day) not in items:
                items[(person.handle, day)] = AgendaItem("vacation", f"{person.handle}: {reason}", day,
                                                         people=(person.handle,))
    return list(items.values())
