"""Portfolio scheduling: every active project in one order, so no person is booked twice.

Projects are taken in their portfolio order (higher ``priority`` first, then
by key; a project that waits for another project's task comes after that
project). Leveling a project gives each person the capacity their calendar
and stream reservations leave, minus what the leveled plans of the projects
before it already book, so a later project only fills the gaps. A task
linked to a task of an earlier project starts after it (the link's type and
lag hold across the two plans). ``schedule KEY --level`` computes this order
up to KEY; ``load --level``, the Gantt's leveled view and promises read the
same bookings.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from planner.domain.calendar import WorkCalendar
from planner.domain.errors import InvalidInputError
from planner.services.context import Context
from planner.services.planning.schedule import (LoadedProject, ProjectSchedule, assigned_units, load_project,
                                                resource_capacities, schedule_loaded)
from planner.store import schedule_views as rows


@dataclass(slots=True)
class PortfolioPlan:
    """The schedules of the active projects in portfolio order, and what their leveled plans book.

    ``bookings`` maps a resource id to the units each date is booked by
    unfinished work from the status date on (leveled plans when ``leveled``).
    """

    status_date: date
    leveled: bool
    loaded: list[LoadedProject]
    schedules: list[ProjectSchedule]
    bookings: dict[int, dict[date, float]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """``{"status_date", "leveled", "projects": [schedule JSON, ...]}`` in portfolio order."""
        return {"status_date": self.status_date.isoformat(), "leveled": self.leveled,
                "projects": [schedule.to_json() for schedule in self.schedules]}


def portfolio_order(projects: list[rows.ProjectRow], links: list[rows.CrossLink]) -> list[rows.ProjectRow]:
    """Projects by priority (higher first) then key, each after the projects its tasks wait for.

    Raises InvalidInputError when projects wait for each other round a circle.
    """
    by_id = {project.id: project for project in projects}
    waits_for: dict[int, set[int]] = defaultdict(set)
    for link in links:
        if link.predecessor_project_id in by_id and link.successor_project_id in by_id:
            waits_for[link.successor_project_id].add(link.predecessor_project_id)
    blocking = {project.id: len(waits_for[project.id]) for project in projects}
    unblocks: dict[int, list[int]] = defaultdict(list)
    for successor, predecessors in waits_for.items():
        for predecessor in predecessors:
            unblocks[predecessor].append(successor)
    ready = [(-by_id[pid].priority, by_id[pid].key, pid) for pid, count in blocking.items() if count == 0]
    heapq.heapify(ready)
    order: list[rows.ProjectRow] = []
    while ready:
        _priority, _key, project_id = heapq.heappop(ready)
        order.append(by_id[project_id])
        for successor in unblocks[project_id]:
            blocking[successor] -= 1
            if blocking[successor] == 0:
                heapq.heappush(ready, (-by_id[successor].priority, by_id[successor].key, successor))
    if len(order) < len(projects):
        stuck = sorted(by_id[pid].key for pid, count in blocking.items() if count > 0)
        raise InvalidInputError(f"projects {', '.join(stuck)} wait for each other through cross-project links; "
                             "`planner dep ls` lists the links, `planner dep rm` removes one")
    return order


def plan_portfolio(ctx: Context, *, level: bool = True, status_date: date | None = None, seed: int = 0,
                   up_to: str | None = None) -> PortfolioPlan:
    """Schedule the active projects in portfolio order (up to and including ``up_to`` when given).

    Unleveled with ``up_to``, only the projects ``up_to`` waits for (directly or not) are scheduled.
    """
    status = status_date or ctx.today()
    with ctx.reader() as conn:
        projects = rows.project_rows(conn, kind="project")
        links = rows.cross_project_links(conn)
        if up_to is not None and all(project.key != up_to for project in projects):
            projects.extend(rows.project_rows(conn, key=up_to, include_archived=True))  # an archived one asked for
        order = portfolio_order(projects, links)
        if up_to is not None:
            order = _cut(order, up_to, links, level)
        loaded = [load_project(conn, project, status) for project in order]
        capacities = [resource_capacities(conn, project) for project in loaded] if level else []
    plan = PortfolioPlan(status, level, loaded, [])
    finished: dict[int, tuple[ProjectSchedule, Any]] = {}  # task id -> its schedule and scheduled task
    floors_by_project = _floors_by_project(links)
    for index, project in enumerate(loaded):
        floors = _floors(floors_by_project.get(project.project.id, []), finished)
        limits = _less_booked(capacities[index], plan.bookings, project) if level else None
        schedule = schedule_loaded(project, status, level=level, capacities=limits, seed=seed, floors=floors)
        plan.schedules.append(schedule)
        for task in schedule.tasks:
            finished[task.id] = (schedule, task)
        _book(plan.bookings, project, schedule, status)
    return plan


def _cut(order: list[rows.ProjectRow], key: str, links: list[rows.CrossLink], level: bool) -> list[rows.ProjectRow]:
    """The order up to ``key``; unleveled, only the projects ``key`` waits for, and ``key``."""
    position = next(index for index, project in enumerate(order) if project.key == key)
    ahead = order[:position + 1]
    if level:
        return ahead
    waits_for: dict[int, set[int]] = defaultdict(set)
    for link in links:
        waits_for[link.successor_project_id].add(link.predecessor_project_id)
    needed, stack = set(), [order[position].id]
    while stack:
        project_id = stack.pop()
        if project_id not in needed:
            needed.add(project_id)
            stack.extend(waits_for[project_id])
    return [project for project in ahead if project.id in needed]


def _floors_by_project(links: list[rows.CrossLink]) -> dict[int, list[rows.CrossLink]]:
    grouped: dict[int, list[rows.CrossLink]] = defaultdict(list)
    for link in links:
        grouped[link.successor_project_id].append(link)
    return grouped


def _floors(links: list[rows.CrossLink], finished: dict[int, tuple[ProjectSchedule, Any]]
            ) -> dict[int, list[tuple[str, date, int]]]:
    """Per successor task, the dates its predecessors in earlier projects give it."""
    floors: dict[int, list[tuple[str, date, int]]] = defaultdict(list)
    for link in links:
        found = finished.get(link.predecessor_id)
        if found is None:  # an archived project's task: its plan binds nobody
            continue
        schedule, task = found
        kind = link.type.upper()
        if kind in ("SS", "SF"):
            anchor = schedule.date_of(task.es)
        elif task.ef > task.es:
            anchor = task.finish + timedelta(days=1)
        else:
            anchor = schedule.date_of(task.ef)
        floors[link.successor_id].append((kind, anchor, link.lag_days))
    return floors


@dataclass(slots=True)
class _LessBooked:
    """A person's capacity on a project day minus what earlier projects' leveled plans book that date."""

    base: Any
    booked: dict[date, float]
    calendar: WorkCalendar
    start: date

    def __call__(self, offset: int) -> float:
        base = self.base(offset) if callable(self.base) else self.base
        return max(0.0, base - self.booked.get(self.calendar.date_of(self.start, offset), 0.0))


def _less_booked(capacities: dict[int, Any], bookings: dict[int, dict[date, float]],
                 project: LoadedProject) -> dict[int, Any]:
    return {resource: _LessBooked(base, bookings[resource], project.calendar, project.start)
            if bookings.get(resource) else base for resource, base in capacities.items()}


def _book(bookings: dict[int, dict[date, float]], project: LoadedProject, schedule: ProjectSchedule,
          status: date) -> None:
    """Add the unfinished work of a schedule, day by day from the status date, to each person's bookings."""
    demands: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for assignment in project.assignments:
        demands[assignment.task_id].append((assignment.resource_id, assigned_units(assignment)))
    for task in schedule.tasks:
        if task.done or task.is_summary or task.ef <= task.es or task.id not in demands:
            continue
        for offset in range(task.es, task.ef):
            day = schedule.date_of(offset)
            if day < status:
                continue
            for resource, units in demands[task.id]:
                booked = bookings.setdefault(resource, {})
                booked[day] = booked.get(day, 0.0) + units
