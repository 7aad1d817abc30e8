"""Scheduling use cases: a project's critical-path (or leveled) schedule and task slack.

Loads plain rows from the read side (no ORM on this path), turns them into a
domain ``Network`` in working-day offsets from the project's start (day 0),
and maps the domain's offsets back to calendar dates.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from planner.domain.calendar import WorkCalendar
from planner.domain.errors import InvalidInputError, NotFoundError
from planner.domain.network import Activity, Link, Network
from planner.domain.portfolio import add_bookings, less_booked, portfolio_order
from planner.services.context import Context
from planner.services.planning.effort import AssignedWork, assigned_units, daily_work_hours, duration_days
from planner.store import catalog_views
from planner.store import schedule_views as rows
from planner.store import planning_views
from planner.store.dbapi import ReadConnection


@dataclass(slots=True)
class ScheduledTask:
    """One task of a schedule: dates and the integer offsets DESIGN.md defines."""

    id: int
    external_id: str | None
    title: str
    kind: str
    start: date
    finish: date
    es: int
    ef: int
    ls: int
    lf: int
    slack: int
    critical: bool
    duration_days: int
    done: bool
    due: date | None
    parent_id: int | None
    is_summary: bool = False
    percent_done: int = 0
    assignees: list[str] = field(default_factory=list)
    assignments: list[AssignedWork] = field(default_factory=list)
    start_no_earlier: date | None = None

    def to_json(self) -> dict[str, Any]:
        """The documented JSON object of a scheduled task."""
        return {"id": self.id, "external_id": self.external_id, "title": self.title, "kind": self.kind,
                "start": self.start.isoformat(), "finish": self.finish.isoformat(), "es": self.es, "ef": self.ef,
                "ls": self.ls, "lf": self.lf, "slack": self.slack, "critical": self.critical,
                "duration_days": self.duration_days, "done": self.done,
                "due": self.due.isoformat() if self.due else None, "parent": self.parent_id,
                "summary": self.is_summary, "assignees": self.assignees,
                "start_no_earlier": self.start_no_earlier.isoformat() if self.start_no_earlier else None,
                "assignments": [work.to_json() for work in self.assignments]}


@dataclass(slots=True)
class ProjectSchedule:
    """A project's schedule: its tasks in start order, the finish and the critical path."""

    key: str
    name: str
    start: date
    finish: date
    makespan_days: int
    deadline: date | None
    status_date: date
    leveled: bool
    calendar: WorkCalendar
    tasks: list[ScheduledTask]
    critical_path: list[int]
    network: Network | None = None
    warnings: list[str] = field(default_factory=list)  # projects ahead that could not be leveled

    def to_json(self) -> dict[str, Any]:
        """``{"project", "start", "finish", "makespan_days", "tasks": [...]}`` (plus context)."""
        return {"project": self.key, "name": self.name, "start": self.start.isoformat(),
                "finish": self.finish.isoformat(), "makespan_days": self.makespan_days,
                "deadline": self.deadline.isoformat() if self.deadline else None,
                "status_date": self.status_date.isoformat(), "leveled": self.leveled,
                "critical_path": self.critical_path, "tasks": [task.to_json() for task in self.tasks]}

    def date_of(self, offset: int) -> date:
        """The calendar date of a working-day offset of this schedule."""
        return self.calendar.date_of(self.start, offset)


def work_calendar(row: rows.CalendarRow) -> WorkCalendar:
    """A domain calendar from its stored row."""
    return WorkCalendar(working_weekdays=row.working_weekdays, hours_per_day=row.hours_per_day,
                        holiday_country=row.country, exceptions=row.exceptions)


@dataclass(slots=True)
class LoadedProject:
    """A project with everything its schedule is computed from, read in one go."""

    project: rows.ProjectRow
    calendar: WorkCalendar
    start: date
    tasks: list[rows.ScheduleTaskRow]
    links: list[tuple[int, int, str, int]]
    assignments: list[rows.AssignmentRow]


def _project_start(project: rows.ProjectRow, tasks: list[rows.ScheduleTaskRow], status_date: date) -> date:
    """Day 0: the project's start, or earlier when work was done or begun before it (the plan spans it)."""
    actual = [day for task in tasks for day in (task.actual_start, task.actual_finish) if day is not None]
    if project.start is not None:
        return min([project.start, *actual])
    created = project.created_at.date() if project.created_at else status_date
    return min([created, status_date, *actual])


def load_project(conn: ReadConnection, project: rows.ProjectRow, status_date: date) -> LoadedProject:
    """Read what scheduling a project needs: its calendar, tasks, links and assignments."""
    calendar = work_calendar(rows.load_calendar(conn, project.calendar_id))
    tasks = rows.schedule_tasks(conn, [project.id])
    return LoadedProject(project, calendar, _project_start(project, tasks, status_date), tasks,
                   rows.schedule_links(conn, [project.id]), rows.schedule_assignments(conn, [project.id]))


def build_network(loaded: LoadedProject, status_date: date) -> Network:
    """The domain network of a loaded project, in offsets from its start."""
    calendar, start = loaded.calendar, loaded.start
    work_hours = daily_work_hours(loaded.assignments, calendar.hours_per_day)
    demands: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for assignment in loaded.assignments:
        demands[assignment.task_id].append((assignment.resource_id, assigned_units(assignment)))
    task_ids = {task.id for task in loaded.tasks}
    has_children = {task.parent_id for task in loaded.tasks if task.parent_id in task_ids}

    def offset(day: date) -> int:
        return max(0, calendar.offset_of(start, day))

    activities = []
    for task in loaded.tasks:
        length = duration_days(task, work_hours.get(task.id, calendar.hours_per_day))
        done = task.completed_at is not None
        activity = Activity(
            id=task.id, duration_days=length,
            start_no_earlier=offset(task.start_no_earlier) if task.start_no_earlier else None,
            deadline=max(0, calendar.due_offset(start, task.due)) if task.due else None,
            done=done, demands=tuple(demands.get(task.id, ())),
            parent=task.parent_id if task.parent_id in task_ids else None,
            optimistic_days=task.optimistic_days, likely_days=task.likely_days,
            pessimistic_days=task.pessimistic_days,
            calibration_key=None, is_summary=task.id in has_children,
        )
        if task.actual_start is not None:
            activity.actual_start = offset(task.actual_start)
        if done and task.actual_finish is not None:
            activity.actual_finish = max(activity.actual_start or 0, calendar.due_offset(start, task.actual_finish))
        elif not done and task.actual_start is not None and length:
            activity.remaining_days = max(1, math.ceil(length * (100 - task.percent_done) / 100))
        activities.append(activity)
    links = [Link(pred, succ, kind, lag) for pred, succ, kind, lag in loaded.links]
    deadline = calendar.due_offset(start, loaded.project.deadline) if loaded.project.deadline else None
    # unfinished work waits for the status date and for the project's own start (day 0 may be earlier)
    not_before = max(status_date, loaded.project.start) if loaded.project.start else status_date
    return Network(activities, links, status_offset=max(0, calendar.offset_of(start, not_before)),
                   project_deadline=deadline)


def _find_project(conn: ReadConnection, key: str) -> rows.ProjectRow:
    found = rows.project_rows(conn, key=key.strip().lower(), include_archived=True)
    if not found:
        from planner.domain.suggest import no_project

        raise NotFoundError(no_project(key, catalog_views.project_keys(conn)))
    return found[0]


def schedule_project(ctx: Context, key: str, *, level: bool = False, status_date: date | None = None,
                     seed: int = 0) -> ProjectSchedule:
    """The schedule of one project (critical path; resource-leveled with ``level``)."""
    status = status_date or ctx.today()
    with ctx.reader() as conn:
        project = _find_project(conn, key)
        if project.kind == "stream":
            raise InvalidInputError(f"{project.key} is a stream (ongoing work): it has a board and a queue, "
                                    "not a schedule")
        linked = level or planning_views.waits_on_other_projects(conn, project.id)
        if not linked:
            loaded = load_project(conn, project, status)
    if linked:  # leveled against the portfolio, or after the projects it waits for
        plan = plan_portfolio(ctx, level=level, status_date=status, seed=seed, up_to=project.key)
        plan.schedules[-1].warnings.extend(plan.warnings)
        return plan.schedules[-1]
    return schedule_loaded(loaded, status, level=level, seed=seed)


def schedule_loaded(loaded: LoadedProject, status: date, *, level: bool, capacities: Any = None,
                    seed: int = 0, floors: dict[int, list[tuple[str, date, int]]] | None = None,
                    iterations: int | None = None) -> ProjectSchedule:
    """The critical-path (or leveled) schedule of a project already read with :func:`load_project`.

    ``floors`` bound tasks by other projects' tasks: per task, (link type, the predecessor's start date for
    SS/SF or the first day after its finish for FS/FF, lag in working days).
    """
    try:
        return _scheduled(loaded, status, level=level, capacities=capacities, seed=seed, floors=floors,
                          iterations=iterations)
    except InvalidInputError as error:
        if "working-day offset reaches" not in str(error):
            raise
        raise InvalidInputError(f"the plan of project {loaded.project.key} runs beyond the calendar ({error}): "
                                "a duration or a lag is far too long; `planner ls project:"
                                f"{loaded.project.key}` lists its tasks to shorten one") from None


def _scheduled(loaded: LoadedProject, status: date, *, level: bool, capacities: Any = None,
               seed: int = 0, floors: dict[int, list[tuple[str, date, int]]] | None = None,
               iterations: int | None = None) -> ProjectSchedule:
    from planner.domain.cpm import compute_schedule, critical_path

    network = build_network(loaded, status)
    if floors:
        _apply_floors(network, loaded, floors)
    computed = compute_schedule(network)
    if level and network.activities:
        computed = _leveled(loaded, network, computed, capacities, seed, iterations)
    calendar, start = loaded.calendar, loaded.start
    people: dict[int, list[AssignedWork]] = defaultdict(list)
    for assignment in loaded.assignments:
        people[assignment.task_id].append(AssignedWork(assignment.handle, assigned_units(assignment),
                                                       assignment.hours_per_day or calendar.hours_per_day))
    by_id = {task.id: task for task in loaded.tasks}
    activity_by_id = {activity.id: activity for activity in network.activities}
    tasks = []
    for task_id, item in computed.items():
        task = by_id[task_id]
        activity = activity_by_id[task_id]
        if item.ef <= item.es:  # a milestone sits at the end of the day before its offset, as MS Project shows it
            start_date = finish_date = calendar.finish_date(start, item.ef)
        else:
            start_date, finish_date = calendar.date_of(start, item.es), calendar.finish_date(start, item.ef)
        tasks.append(ScheduledTask(
            task_id, task.external_id, task.title, task.kind, start_date, finish_date, item.es, item.ef, item.ls,
            item.lf, item.slack, item.critical, item.ef - item.es, task.completed_at is not None, task.due,
            activity.parent, activity.is_summary, task.percent_done,
            sorted(work.handle for work in people.get(task_id, [])), people.get(task_id, []), task.start_no_earlier))
    tasks.sort(key=lambda t: (t.es, t.ef, t.id))
    makespan = max((t.ef for t in tasks), default=0)
    path = critical_path(computed, network) if tasks else []
    return ProjectSchedule(loaded.project.key, loaded.project.name, calendar.date_of(start, 0),
                           calendar.finish_date(start, makespan), makespan, loaded.project.deadline, status, level,
                           calendar, tasks, path, network)


@dataclass(slots=True)
class PortfolioPlan:
    """The schedules of the active projects in portfolio order, and what their plans book.

    ``bookings`` maps a resource id to the units each date is booked by
    unfinished work from the status date on (the leveled plans when ``leveled``).
    """

    status_date: date
    leveled: bool
    loaded: list[LoadedProject]
    schedules: list[ProjectSchedule]
    bookings: dict[int, dict[date, float]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """``{"status_date", "leveled", "projects": [schedule JSON, ...]}`` in portfolio order."""
        return {"status_date": self.status_date.isoformat(), "leveled": self.leveled,
                "projects": [schedule.to_json() for schedule in self.schedules]}


def plan_portfolio(ctx: Context, *, level: bool = True, status_date: date | None = None, seed: int = 0,
                   up_to: str | None = None) -> PortfolioPlan:
    """Schedule the active projects in portfolio order (see domain/portfolio.py), up to ``up_to`` when given.

    Leveled, each project gets the capacity the projects before it leave; a task linked to a task of an
    earlier project starts after it. Unleveled with ``up_to``, only the projects it waits for are scheduled.
    """
    status = status_date or ctx.today()
    with ctx.reader() as conn:
        projects = rows.project_rows(conn, kind="project")
        if up_to is not None and all(project.key != up_to for project in projects):
            asked = _find_project(conn, up_to)  # an archived one, or a clear error
            if asked.kind == "stream":
                raise InvalidInputError(f"{asked.key} is a stream (ongoing work): it has a board and a queue, "
                                        "not a schedule")
            projects.append(asked)
        links = rows.cross_project_links(conn)
        by_id = {project.id: project for project in projects}
        waits = [(link.predecessor_project_id, link.successor_project_id) for link in links]
        order = [by_id[pid] for pid in portfolio_order([(p.id, p.key, p.priority) for p in projects], waits)]
        if up_to is not None:
            order = order[:[project.key for project in order].index(up_to) + 1]
            if not level:
                needed = _waited_for(order[-1].id, waits)
                order = [project for project in order if project.id in needed]
        loaded = [load_project(conn, project, status) for project in order]
        capacities = [resource_capacities(conn, project) for project in loaded] if level else []
        busy = _projects_with_open_work(conn) if level else 0
    plan = PortfolioPlan(status, level, loaded, [])
    scheduled: dict[int, tuple[ProjectSchedule, ScheduledTask]] = {}
    last_booked = status
    for index, project in enumerate(loaded):
        floors = _cross_floors([link for link in links if link.successor_project_id == project.project.id], scheduled)
        limits = less_booked(capacities[index], plan.bookings, project.calendar.working_dates(
            project.start, last_booked + timedelta(days=1))) if level else None
        try:
            schedule = schedule_loaded(project, status, level=level, capacities=limits, seed=seed, floors=floors,
                                       iterations=_portfolio_budget(project, busy))
        except InvalidInputError as error:
            asked = up_to is not None and index == len(loaded) - 1
            if level and asked and limits is not capacities[index]:  # fails alone too: say it without the bookings
                schedule_loaded(project, status, level=True, capacities=capacities[index], seed=seed, floors=floors,
                                iterations=8)
            if not level or asked:
                raise
            # one project that cannot be leveled must not stop the others: its critical-path plan books people
            plan.warnings.append(f"{error}; its critical-path plan books its people meanwhile")
            schedule = schedule_loaded(project, status, level=False, floors=floors)
        plan.schedules.append(schedule)
        demands: dict[int, list[tuple[int, float]]] = defaultdict(list)
        for assignment in project.assignments:
            demands[assignment.task_id].append((assignment.resource_id, assigned_units(assignment)))
        for task in schedule.tasks:
            scheduled[task.id] = (schedule, task)
            if not task.done and not task.is_summary and task.id in demands:
                days = (schedule.date_of(offset) for offset in range(task.es, task.ef))
                booked = [day for day in days if day >= status]
                add_bookings(plan.bookings, booked, demands[task.id])
                last_booked = max([last_booked, *booked[-1:]])
    return plan


#: Up to this many projects with open work, each is leveled with the leveler's full default budget.
FULL_BUDGET_PROJECTS = 4


def _projects_with_open_work(conn: ReadConnection) -> int:
    """Active projects holding unfinished tasks: the portfolio's size, whatever part of it is asked for."""
    return planning_views.projects_with_open_work(conn)


def _portfolio_budget(project: LoadedProject, busy_projects: int) -> int | None:
    """The leveler's schedule budget for one project of the portfolio (None: its default).

    A large portfolio shares about FULL_BUDGET_PROJECTS projects' worth of search, so leveling all of it
    stays a matter of seconds; the budget depends on the whole portfolio, not on the project asked for,
    so `schedule KEY --level` and `schedule --all --level` give the same plans.
    """
    if busy_projects <= FULL_BUDGET_PROJECTS:
        return None
    from planner.domain.leveling import default_iterations

    return max(8, default_iterations(len(project.tasks)) * FULL_BUDGET_PROJECTS // busy_projects)


def _waited_for(project_id: int, waits: list[tuple[int, int]]) -> set[int]:
    """The project and every project it waits for, directly or not."""
    needed, stack = set(), [project_id]
    while stack:
        current = stack.pop()
        if current not in needed:
            needed.add(current)
            stack.extend(pred for pred, succ in waits if succ == current)
    return needed


def _cross_floors(links: list[rows.CrossLink], scheduled: dict[int, tuple[ProjectSchedule, ScheduledTask]]
                  ) -> dict[int, list[tuple[str, date, int]]]:
    """Per successor task, the dates its predecessors in earlier projects give it (archived ones bind nothing)."""
    floors: dict[int, list[tuple[str, date, int]]] = defaultdict(list)
    for link in links:
        if link.predecessor_id not in scheduled:
            continue
        schedule, task = scheduled[link.predecessor_id]
        kind = link.type.upper()
        if kind in ("SS", "SF"):
            anchor = schedule.date_of(task.es)
        else:  # the first day after its finish
            anchor = task.finish + timedelta(days=1) if task.ef > task.es else schedule.date_of(task.ef)
        floors[link.successor_id].append((kind, anchor, link.lag_days))
    return floors


def _apply_floors(network: Network, loaded: LoadedProject, floors: dict[int, list[tuple[str, date, int]]]) -> None:
    """Raise the start-no-earlier of tasks that wait for another project's tasks."""
    calendar, start = loaded.calendar, loaded.start
    for activity in network.activities:
        bounds = floors.get(activity.id)
        if not bounds or activity.done or activity.actual_start is not None:
            continue
        for kind, anchor, lag in bounds:
            offset = calendar.offset_of(start, anchor) + lag
            if kind in ("FF", "SF"):  # the finish is bound: the start by the duration before it
                offset -= activity.duration_days
            activity.start_no_earlier = max(activity.start_no_earlier or 0, offset, 0)


def resource_capacities(conn: ReadConnection, loaded: LoadedProject) -> dict[int, Any]:
    """Per resource: capacity per working day of the project (vacations 0, stream reservations taken off)."""
    reserved = rows.stream_reservations(conn)
    calendars: dict[int | None, WorkCalendar] = {}
    capacities: dict[int, Any] = {}
    for assignment in loaded.assignments:
        if assignment.resource_id in capacities:
            continue
        base = assignment.capacity * (1.0 - reserved.get(assignment.resource_id, 0.0))
        if assignment.calendar_id is None:
            capacities[assignment.resource_id] = base
            continue
        if assignment.calendar_id not in calendars:
            calendars[assignment.calendar_id] = work_calendar(rows.load_calendar(conn, assignment.calendar_id))
        capacities[assignment.resource_id] = _DailyCapacity(base, calendars[assignment.calendar_id],
                                                            loaded.calendar, loaded.start)
    return capacities


@dataclass(slots=True)
class _DailyCapacity:
    """A person's capacity on project day ``offset``: 0 when their own calendar says they are off."""

    base: float
    own: WorkCalendar
    project_calendar: WorkCalendar
    start: date

    def __call__(self, offset: int) -> float:
        return self.base if self.own.is_working(self.project_calendar.date_of(self.start, offset)) else 0.0


def _leveled(loaded: LoadedProject, network: Network, computed: dict, capacities: Any, seed: int,
             iterations: int | None = None) -> dict:
    """Leveled early dates; late dates from a backward pass over the leveled finish."""
    from planner.domain.errors import NoRoomError, OverCapacityError
    from planner.domain.leveling import leveled_schedule

    try:
        return leveled_schedule(network, computed, capacities or {}, seed=seed, iterations=iterations)
    except NoRoomError as error:
        handles = {a.resource_id: a.handle for a in loaded.assignments}
        titles = {task.id: task.title for task in loaded.tasks}
        people = " and ".join(f"{handles.get(resource, resource)}" for resource, _units in error.blocking)
        raise InvalidInputError(
            f"cannot level {loaded.project.key}: #{error.task_id} {titles.get(error.task_id, '')!r} needs {people} on "
            f"{error.days} working days in a row and never gets them ({people}'s own calendar or other work leaves "
            "gaps): split it into shorter tasks, or put them on the project's calendar "
            "(`planner calendar use NAME -r HANDLE`)") from None
    except OverCapacityError as error:
        handles = {a.resource_id: a.handle for a in loaded.assignments}
        titles = {task.id: task.title for task in loaded.tasks}
        lines = [f"#{task} {titles.get(task, '')!r} needs {units:g} units of {handles.get(resource, resource)} "
                 f"per day, who has {capacity:g} left for it" for task, resource, units, capacity in error.demands]
        raise InvalidInputError(
            f"cannot level {loaded.project.key}: " + "; ".join(lines)
            + "; lower the units (`planner assign ID HANDLE --units N`), the stream reservation or raise the "
              "capacity") from None


@dataclass(slots=True)
class TaskSlack:
    """How far a task can slip before a due date or deadline downstream is missed."""

    slack_days: int | None
    critical: bool


def open_task_slack(ctx: Context, task_ids: Iterable[int] | None = None) -> dict[int, TaskSlack]:
    """Slack of open tasks in active projects (only the projects holding ``task_ids`` when given).

    As DESIGN.md's queue defines it: how many working days a task can slip
    before a due date or deadline downstream of it (its own, a successor's,
    the project's) is missed. ``slack_days`` is None when nothing downstream
    has one: no schedule pressure. All projects load in a handful of queries.
    """
    from planner.domain.cpm import (NO_DEADLINE, backward_pass, collector_paused, compile_network, forward_pass,
                                    schedule_from_passes)

    status = ctx.today()
    with ctx.reader() as conn:
        projects = rows.project_rows(conn, kind="project")
        if task_ids is not None:
            holding = _projects_holding(conn, sorted(set(task_ids)))
            projects = [p for p in projects if p.id in holding]
        project_ids = [p.id for p in projects]
        tasks = rows.schedule_tasks(conn, project_ids)
        links = rows.schedule_links(conn, project_ids)
        assignments = rows.schedule_assignments(conn, project_ids)
        calendars = {cid: work_calendar(rows.load_calendar(conn, cid)) for cid in {p.calendar_id for p in projects}}
    project_of = {task.id: task.project_id for task in tasks}
    tasks_by_project: dict[int, list[rows.ScheduleTaskRow]] = defaultdict(list)
    links_by_project: dict[int, list[tuple[int, int, str, int]]] = defaultdict(list)
    assignments_by_project: dict[int, list[rows.AssignmentRow]] = defaultdict(list)
    for task in tasks:
        tasks_by_project[task.project_id].append(task)
    for link in links:
        if project_of.get(link[0]) == project_of.get(link[1]):
            links_by_project[project_of[link[1]]].append(link)
    for assignment in assignments:
        assignments_by_project[project_of[assignment.task_id]].append(assignment)
    result: dict[int, TaskSlack] = {}
    with collector_paused():
        for project in projects:
            project_tasks = tasks_by_project.get(project.id)
            if not project_tasks or all(task.completed_at is not None for task in project_tasks):
                continue
            loaded = LoadedProject(project, calendars[project.calendar_id], _project_start(project, project_tasks, status),
                             project_tasks, links_by_project.get(project.id, []),
                             assignments_by_project.get(project.id, []))
            network = build_network(loaded, status)
            compiled = compile_network(network)
            early_start, early_finish = forward_pass(compiled)
            late_start, late_finish = backward_pass(compiled, early_start, early_finish, bounded_by_finish=False)
            schedule = schedule_from_passes(compiled, early_start, early_finish, late_start, late_finish)
            for task in project_tasks:
                item = schedule.get(task.id)
                if item is None or task.completed_at is not None:
                    continue
                if item.lf >= NO_DEADLINE:
                    result[task.id] = TaskSlack(None, False)
                else:
                    result[task.id] = TaskSlack(item.slack, item.slack <= 0)
    return result


def _projects_holding(conn: ReadConnection, task_ids: list[int]) -> set[int]:
    return planning_views.projects_holding(conn, task_ids)
