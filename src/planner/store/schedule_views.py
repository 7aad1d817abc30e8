"""Read side of scheduling: a project's tasks, links, assignments and calendars as plain rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


from planner.store.dbapi import ReadConnection
from planner.store.columns import PROJECT, TASK, as_date, row_query


@dataclass(slots=True)
class CalendarRow:
    """A calendar and its exceptions."""

    id: int
    name: str
    working_weekdays: frozenset[int]
    hours_per_day: float
    country: str | None
    exceptions: dict[date, bool]


@dataclass(slots=True)
class ProjectRow:
    """The fields of a project that scheduling needs."""

    id: int
    key: str
    name: str
    kind: str
    start: date | None
    deadline: date | None
    calendar_id: int | None
    created_at: datetime | None
    priority: int = 0


@dataclass(slots=True)
class ScheduleTaskRow:
    """A task as the scheduler loads it."""

    id: int
    title: str
    kind: str
    duration_days: int | None
    estimate_hours: float | None
    start_no_earlier: date | None
    due: date | None
    actual_start: date | None
    actual_finish: date | None
    completed_at: datetime | None
    percent_done: int
    parent_id: int | None
    optimistic_days: float | None
    likely_days: float | None
    pessimistic_days: float | None
    external_id: str | None
    project_id: int


@dataclass(slots=True)
class AssignmentRow:
    """A resource's demand on a task."""

    task_id: int
    resource_id: int
    handle: str
    units: float
    capacity: float
    calendar_id: int | None
    hours_per_day: float | None = None  # of the person's own calendar; None: they work the project's


def _weekdays(text: str) -> frozenset[int]:
    return frozenset(int(part) for part in text.split(",") if part.strip())


def load_calendar(conn: ReadConnection, calendar_id: int | None) -> CalendarRow:
    """A calendar by id (the 'standard' one when None)."""
    if calendar_id is None:
        row = conn.one("SELECT id, name, working_weekdays, hours_per_day, country FROM calendar "
                       "WHERE name = 'standard'")
    else:
        row = conn.one("SELECT id, name, working_weekdays, hours_per_day, country FROM calendar WHERE id = ?",
                       [calendar_id])
    if row is None:
        row = (0, "standard", "0,1,2,3,4", 8.0, None)
    exceptions = {as_date(day): bool(working) for day, working in
                  conn.rows("SELECT day, working FROM calendarexception WHERE calendar_id = ?", [row[0]])}
    return CalendarRow(row[0], row[1], _weekdays(row[2]), float(row[3]), row[4], exceptions)


_PROJECT_ROW = row_query(ProjectRow, PROJECT, "p")


def project_rows(conn: ReadConnection, *, key: str | None = None, kind: str | None = None,
                 include_archived: bool = False) -> list[ProjectRow]:
    """Projects by key or kind."""
    where, params = ["1=1"], []  # type: ignore[var-annotated]
    if key is not None:
        where.append("p.key = ?")
        params.append(key)
    if kind is not None:
        where.append("p.kind = ?")
        params.append(kind)
    if not include_archived:
        where.append("p.archived = ?")
        params.append(False)
    return [_PROJECT_ROW.build(row) for row in conn.rows(
        f"SELECT {_PROJECT_ROW.select} FROM project p WHERE {' AND '.join(where)} ORDER BY p.key", params)]


_TASK_ROW = row_query(ScheduleTaskRow, TASK, "t")


def schedule_tasks(conn: ReadConnection, project_ids: list[int]) -> list[ScheduleTaskRow]:
    """Every task of the given projects."""
    if not project_ids:
        return []
    marks = ", ".join("?" for _ in project_ids)
    return [_TASK_ROW.build(row) for row in conn.rows(
        f"SELECT {_TASK_ROW.select} FROM task t WHERE t.project_id IN ({marks}) ORDER BY t.id", project_ids)]


def schedule_links(conn: ReadConnection, project_ids: list[int]) -> list[tuple[int, int, str, int]]:
    """(predecessor, successor, type, lag) among the tasks of the given projects."""
    if not project_ids:
        return []
    marks = ", ".join("?" for _ in project_ids)
    return [(r[0], r[1], r[2], r[3]) for r in conn.rows(
        "SELECT d.predecessor_id, d.successor_id, d.type, d.lag_days FROM dependency d "
        f"JOIN task s ON s.id = d.successor_id JOIN task p ON p.id = d.predecessor_id "
        f"WHERE s.project_id IN ({marks}) AND p.project_id IN ({marks})", [*project_ids, *project_ids])]


def schedule_assignments(conn: ReadConnection, project_ids: list[int]) -> list[AssignmentRow]:
    """Assignments on the tasks of the given projects, with the resources' capacity and hours per day."""
    if not project_ids:
        return []
    marks = ", ".join("?" for _ in project_ids)
    rows = conn.rows(
        "SELECT a.task_id, a.resource_id, r.handle, a.units, r.capacity, r.calendar_id, c.hours_per_day "
        "FROM assignment a JOIN resource r ON r.id = a.resource_id JOIN task t ON t.id = a.task_id "
        f"LEFT JOIN calendar c ON c.id = r.calendar_id WHERE t.project_id IN ({marks}) ORDER BY a.task_id, r.handle",
        project_ids)
    return [AssignmentRow(r[0], r[1], r[2], float(r[3]), float(r[4]), r[5],
                          float(r[6]) if r[6] is not None else None) for r in rows]


def stream_reservations(conn: ReadConnection) -> dict[int, float]:
    """Per resource, the share of capacity (0..1) that streams reserve.

    A stream with ``reserve_percent`` reserves that share of every person
    assigned to one of its open tasks; reservations of several streams add up
    (capped at 100 %).
    """
    reserved: dict[int, float] = {}
    for resource_id, _stream_id, percent in conn.rows(
        "SELECT DISTINCT a.resource_id, p.id, p.reserve_percent FROM assignment a JOIN task t ON t.id = a.task_id "
        "JOIN project p ON p.id = t.project_id WHERE p.kind = 'stream' AND p.reserve_percent > 0 "
        "AND p.archived = ? AND t.completed_at IS NULL", [False]
    ):
        reserved[resource_id] = min(1.0, reserved.get(resource_id, 0.0) + float(percent) / 100.0)
    return reserved


@dataclass(slots=True)
class CrossLink:
    """A dependency between tasks of two different projects."""

    predecessor_id: int
    predecessor_project_id: int
    successor_id: int
    successor_project_id: int
    type: str
    lag_days: int


def cross_project_links(conn: ReadConnection) -> list[CrossLink]:
    """Every dependency whose two tasks lie in different projects."""
    return [CrossLink(r[0], r[1], r[2], r[3], r[4], r[5]) for r in conn.rows(
        "SELECT d.predecessor_id, p.project_id, d.successor_id, s.project_id, d.type, d.lag_days FROM dependency d "
        "JOIN task s ON s.id = d.successor_id JOIN task p ON p.id = d.predecessor_id "
        "WHERE s.project_id <> p.project_id ORDER BY d.id")]
