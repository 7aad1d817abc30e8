"""Honest promises: can a person's leveled plan meet a date, and if not, when could it?

One computation serves `add`/`edit` (a warning when a due date cannot be
met), `planner promise` (when could new work be done) and the digest
(commitments at risk). The work *ahead* of a task for a person is what the
portfolio's leveled plan books them with in the projects before the task's
project (priority, then key) and, in its own project, the tasks the leveled
plan starts before it. The task's remaining effort, split by the assigned
units, fills the hours their capacity (calendar, stream reservations) leaves
free of that work, day by day from the status date (or the task's
start-no-earlier, or its project's start); where the filled hours reach the
effort is the earliest finish. New work asked about with `promise` queues
behind everything the plan holds for the person (with ``--project``: behind
that project and the ones before it, from its start).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from planner.domain.calendar import WorkCalendar
from planner.domain.errors import InvalidInputError, NotFoundError, PlannerError
from planner.domain.promises import Outlook, earliest_finish
from planner.services.context import Context
from planner.services.planning.schedule import PortfolioPlan, assigned_units, plan_portfolio, work_calendar
from planner.store import planning_views
from planner.store import schedule_views as rows

#: How far ahead a promise looks for free hours (working days are counted by the person's calendar).
HORIZON_DAYS = 3660


def day_text(day: date, today: date | None = None) -> str:
    """``Tue 8 Dec`` (with the year when it is not this year's)."""
    text = f"{day:%a} {day.day} {day:%b}"
    return text if day.year == (today or date.today()).year else f"{text} {day.year}"


@dataclass(frozen=True, slots=True)
class PromiseRecord:
    """When a person could finish some effort, against a due date when there is one."""

    handle: str
    effort_hours: float
    earliest_start: date | None
    earliest_finish: date | None
    booked_until: date | None
    task_id: int | None = None
    title: str = ""
    due: date | None = None
    project: str | None = None
    waits_for: int | None = None  # the predecessor whose leveled finish the work cannot start before
    waits_until: date | None = None

    @property
    def at_risk(self) -> bool:
        """A due date the plan cannot meet."""
        return self.due is not None and (self.earliest_finish is None or self.earliest_finish > self.due)

    def message(self, today: date | None = None) -> str:
        """``ana's plan is full until Tue 8 Dec; earliest finish Wed 9 Dec`` (and what it is about)."""
        about = f"#{self.task_id} {self.title!r}" if self.task_id is not None else repr(self.title)
        due = f" is due {day_text(self.due, today)}" if self.due else ""
        if self.waits_for is not None and self.waits_until is not None:
            full = f"it waits for #{self.waits_for} until {day_text(self.waits_until, today)}; "
        elif self.booked_until:
            full = f"{self.handle}'s plan is full until {day_text(self.booked_until, today)}; "
        else:
            full = ""
        finish = (f"earliest finish {day_text(self.earliest_finish, today)}" if self.earliest_finish else
                  f"{self.handle} has no room for {self.effort_hours:g}h within {HORIZON_DAYS} days")
        return f"{about}{due}: {full}{finish}"

    def to_json(self) -> dict[str, Any]:
        """The JSON object of a promise."""
        def iso(day: date | None) -> str | None:
            return day.isoformat() if day else None

        return {"handle": self.handle, "task": self.task_id, "title": self.title, "project": self.project,
                "effort_hours": self.effort_hours, "earliest_start": iso(self.earliest_start),
                "earliest_finish": iso(self.earliest_finish), "booked_until": iso(self.booked_until),
                "due": iso(self.due), "waits_for": self.waits_for, "waits_until": iso(self.waits_until),
                "at_risk": self.at_risk}


@dataclass(slots=True)
class _Person:
    id: int
    handle: str
    capacity: float
    calendar: WorkCalendar | None  # None: the person works by their project's calendar


@dataclass(slots=True)
class _Booking:
    """One task's hold on a person: its plan position, days and units."""

    position: tuple[int, int, int]  # project index, leveled start offset, task id
    task_id: int
    days: list[date]
    units: float


def _people(ctx: Context) -> tuple[dict[str, _Person], dict[int, float]]:
    with ctx.reader() as conn:
        found = planning_views.people(conn)
        calendars = {cid: work_calendar(rows.load_calendar(conn, cid)) for cid in {row[3] for row in found}
                     if cid is not None}
        reserved = rows.stream_reservations(conn)
    return {row[1]: _Person(row[0], row[1], float(row[2]), calendars.get(row[3])) for row in found}, reserved


def _bookings(plan: PortfolioPlan) -> tuple[dict[int, list[_Booking]], dict[int, tuple[Any, Any, int]]]:
    """Per resource, the unfinished tasks holding them in plan order; per task id, (project, schedule, index)."""
    held: dict[int, list[_Booking]] = defaultdict(list)
    tasks: dict[int, tuple[Any, Any, int]] = {}
    for index, (project, schedule) in enumerate(zip(plan.loaded, plan.schedules)):
        units: dict[int, list[tuple[int, float]]] = defaultdict(list)
        for assignment in project.assignments:
            units[assignment.task_id].append((assignment.resource_id, assigned_units(assignment)))
        for task in schedule.tasks:
            tasks[task.id] = (project, schedule, index)
            if task.done or task.is_summary or task.ef <= task.es:
                continue
            days = [day for day in (schedule.date_of(offset) for offset in range(task.es, task.ef))
                    if day >= plan.status_date]
            for resource, demand in units.get(task.id, []):
                held[resource].append(_Booking((index, task.es, task.id), task.id, days, demand))
    for bookings in held.values():
        bookings.sort(key=lambda booking: booking.position)
    return held, tasks


def _free_hours(person: _Person, reserved: float, ahead: dict[date, float], first: date,
                project_calendar: WorkCalendar) -> Iterator[tuple[date, float]]:
    """The person's free hours on each of their working days (their calendar, else the project's) from ``first`` on."""
    calendar = person.calendar or project_calendar
    units = person.capacity * (1.0 - reserved)
    hours = calendar.hours_per_day
    for day in calendar.working_dates(first, first + timedelta(days=HORIZON_DAYS)):
        yield day, max(0.0, units - ahead.get(day, 0.0)) * hours


def _ahead(bookings: list[_Booking], before: tuple[int, int, int] | None, skip: int | None = None) -> dict[date, float]:
    """Units per date booked by the bookings placed before ``before`` (all of them when None)."""
    ahead: dict[date, float] = defaultdict(float)
    for booking in bookings:
        if before is not None and booking.position >= before:
            break
        if booking.task_id == skip:
            continue
        for day in booking.days:
            ahead[day] += booking.units
    return ahead


def promise(ctx: Context, title: str, estimate_hours: float, *, handle: str | None = None,
            project: str | None = None, status_date: date | None = None) -> PromiseRecord:
    """When could ``handle`` (default: you) finish ``estimate_hours`` of new work? Writes nothing."""
    if not estimate_hours or estimate_hours <= 0:
        raise InvalidInputError(f"an estimate of {estimate_hours:g}h: give the effort, e.g. --estimate 6h")
    people, reserved = _people(ctx)
    who = (handle or ctx.actor).strip().lstrip("@").lower()
    if who not in people:
        raise NotFoundError(f"no person {who!r}: `planner resource add {who}` adds them, `planner resource ls` lists people")
    person = people[who]
    plan = plan_portfolio(ctx, level=True, status_date=status_date, up_to=project.strip().lower() if project else None)
    held, _tasks = _bookings(plan)
    first = plan.status_date
    if project and plan.loaded and plan.loaded[-1].project.start:
        first = max(first, plan.loaded[-1].project.start)
    calendar = plan.loaded[-1].calendar if project and plan.loaded else WorkCalendar()
    outlook = earliest_finish(_free_hours(person, reserved.get(person.id, 0.0), _ahead(held.get(person.id, []), None),
                                          first, calendar), estimate_hours)
    return _record(person.handle, estimate_hours, outlook, title=title, project=project)


def _record(handle: str, effort: float, outlook: Outlook, **about: Any) -> PromiseRecord:
    return PromiseRecord(handle, round(effort, 2), outlook.earliest_start, outlook.earliest_finish,
                         outlook.booked_until, **about)


def commitments(ctx: Context, task_ids: list[int] | None = None, *, status_date: date | None = None,
                handles: list[str] | None = None) -> list[PromiseRecord]:
    """Promises of open tasks with a due date (these ids when given), one per assigned person.

    The leveled portfolio is computed once; a plan that cannot be leveled gives no promises.
    """
    up_to = None
    if task_ids is not None:  # only the projects up to theirs hold work ahead of these tasks
        with ctx.reader() as conn:
            found = planning_views.projects_of_tasks(conn, task_ids)
        if not any(kind == "project" and not archived for _key, kind, archived in found):
            return []
        up_to = found[0][0] if len(found) == 1 else None
    try:
        plan = plan_portfolio(ctx, level=True, status_date=status_date, up_to=up_to)
    except PlannerError:
        return []
    people, reserved = _people(ctx)
    by_id = {person.id: person for person in people.values()}
    held, tasks = _bookings(plan)
    spans = {task.id: (task.start, task.finish, task.done) for schedule in plan.schedules for task in schedule.tasks}
    wanted = set(task_ids) if task_ids is not None else None
    result: list[PromiseRecord] = []
    for project, schedule, index in _distinct(tasks.values()):
        units: dict[int, list[tuple[int, float]]] = defaultdict(list)
        for assignment in project.assignments:
            units[assignment.task_id].append((assignment.resource_id, assigned_units(assignment)))
        stored = {task.id: task for task in project.tasks}
        for task in schedule.tasks:
            row = stored[task.id]
            if (row.due is None or task.done or task.is_summary or task.kind == "milestone"
                    or (wanted is not None and task.id not in wanted) or not units.get(task.id)):
                continue
            total_units = sum(demand for _resource, demand in units[task.id]) or 1.0
            first = max(plan.status_date, row.start_no_earlier or plan.status_date,
                        project.project.start or plan.status_date)
            waits_for, waits_until = _waits_for(task.id, project, spans)
            if waits_until is not None and waits_until > first:
                first = waits_until
            else:
                waits_for = waits_until = None
            for resource, demand in units[task.id]:
                person = by_id.get(resource)
                if person is None or (handles is not None and person.handle not in handles):
                    continue
                effort = _remaining_hours(row, task, project.calendar.hours_per_day, demand, total_units)
                ahead = _ahead(held.get(resource, []), (index, task.es, task.id), skip=task.id)
                outlook = earliest_finish(_free_hours(person, reserved.get(resource, 0.0), ahead, first,
                                                      project.calendar), effort)
                result.append(_record(person.handle, effort, outlook, task_id=task.id, title=task.title, due=row.due,
                                      project=project.project.key, waits_for=waits_for, waits_until=waits_until))
    result.sort(key=lambda item: (item.due or date.max, item.task_id or 0, item.handle))
    return result


def _waits_for(task_id: int, project: Any, spans: dict[int, tuple[date, date, bool]]) -> tuple[int | None, date | None]:
    """The predecessor (finish-to-start or start-to-start, any project) the task's work may not start before, and when.

    An open predecessor's leveled dates count: the first working day after its
    finish (FS), or its start (SS), moved by the link's lag in working days.
    """
    latest: tuple[int | None, date | None] = (None, None)
    for predecessor, successor, kind, lag in project.links:
        if successor != task_id or predecessor not in spans or kind not in ("FS", "SS"):
            continue
        start, finish, done = spans[predecessor]
        if done:
            continue
        day = project.calendar.add_working_days(finish + timedelta(days=1), lag) if kind == "FS" else \
            project.calendar.add_working_days(start, lag)
        if latest[1] is None or day > latest[1]:
            latest = (predecessor, day)
    return latest


def _distinct(found: Any) -> list[tuple[Any, Any, int]]:
    seen: dict[int, tuple[Any, Any, int]] = {}
    for project, schedule, index in found:
        seen.setdefault(index, (project, schedule, index))
    return [seen[index] for index in sorted(seen)]


def _remaining_hours(row: rows.ScheduleTaskRow, task: Any, hours_per_day: float, units: float, total_units: float) -> float:
    """A person's share of the effort left: the estimate less the percent done split by units, else their days' hours."""
    if row.estimate_hours:
        return row.estimate_hours * (100 - min(row.percent_done, 99)) / 100 * units / total_units
    return max(task.ef - task.es, 1) * hours_per_day * units
