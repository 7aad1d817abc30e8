"""Read side of exports: every row an export writes, as plain records, a fixed number of queries whatever the size.

The task and resource records are filled from the column registry by field
name; services/interchange/export_records.py turns them into interop records.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from planner.store.columns import PROJECT, RESOURCE, TASK, as_date, as_datetime, row_query
from planner.store.dbapi import ReadConnection


@dataclass(slots=True)
class ExportProjectRow:
    """A project as exports name it."""

    id: int
    key: str
    name: str
    start: date | None
    deadline: date | None
    calendar_id: int | None
    external_id: str | None
    workflow_id: int | None


@dataclass(slots=True)
class ExportTaskRow:
    """A task with what exports write of it; ``category`` is its state's (None for a state no workflow has)."""

    id: int
    title: str
    notes: str
    kind: str
    status: str
    priority: int
    due: date | None
    start_no_earlier: date | None
    snoozed_until: date | None
    actual_start: date | None
    actual_finish: date | None
    completed_at: datetime | None
    created_at: datetime | None
    estimate_hours: float | None
    duration_days: int | None
    percent_done: int
    parent_id: int | None
    recurrence_id: int | None
    external_id: str | None
    project_id: int
    category: str | None


@dataclass(slots=True)
class ExportResourceRow:
    """A person or pool as exports write it."""

    id: int
    handle: str
    name: str
    email: str | None
    kind: str
    capacity: float
    calendar_id: int | None
    external_id: str | None


@dataclass(slots=True)
class SeriesRow:
    """A recurring series: its rule, policy, bounds, template and skipped dates."""

    id: int
    rrule: str
    policy: str
    dtstart: date | None
    until: date | None
    template: dict[str, Any]
    skipped: list[Any]
    project_id: int


@dataclass(slots=True)
class CalendarRow:
    """A calendar's working week."""

    id: int
    name: str
    working_weekdays: str
    hours_per_day: float
    country: str | None


_PROJECT_ROW = row_query(ExportProjectRow, PROJECT, "p")
_TASK_ROW = row_query(ExportTaskRow, TASK, "t", {"category": ("s.category", "str")})
_RESOURCE_ROW = row_query(ExportResourceRow, RESOURCE, "r")


def projects(conn: ReadConnection) -> dict[int, ExportProjectRow]:
    """Every project, by id."""
    return {row.id: row for row in map(_PROJECT_ROW.build, conn.rows(f"SELECT {_PROJECT_ROW.select} FROM project p"))}


def state_categories(conn: ReadConnection) -> list[tuple[str, str]]:
    """(state key, category) of every workflow state."""
    return [(key, category) for key, category in conn.rows("SELECT key, category FROM workflowstate")]


def tasks(conn: ReadConnection, project_id: int | None = None) -> list[ExportTaskRow]:
    """Every task (or one project's) in id order, with its state's category in its project's workflow."""
    where, params = ("t.project_id = ?", [project_id]) if project_id is not None else ("1=1", [])
    return [_TASK_ROW.build(row) for row in conn.rows(
        f"SELECT {_TASK_ROW.select} FROM task t LEFT JOIN workflowstate s ON s.key = t.status AND s.workflow_id = "
        "(SELECT COALESCE(p.workflow_id, (SELECT id FROM workflow WHERE name = 'default')) FROM project p "
        f"WHERE p.id = t.project_id) WHERE {where} ORDER BY t.id", params)]


def task_tags(conn: ReadConnection) -> list[tuple[int, str]]:
    """(task id, tag name), tags by name."""
    return [(task_id, name) for task_id, name in conn.rows(
        "SELECT tt.task_id, g.name FROM tasktag tt JOIN tag g ON g.id = tt.tag_id ORDER BY g.name")]


def links(conn: ReadConnection) -> list[tuple[int, int, str, int]]:
    """(predecessor, successor, type, lag days) of every link."""
    return [tuple(row) for row in conn.rows(  # type: ignore[misc]
        "SELECT predecessor_id, successor_id, type, lag_days FROM dependency ORDER BY predecessor_id")]


def assignments(conn: ReadConnection) -> list[tuple[int, int, float]]:
    """(task id, resource id, units) of every assignment."""
    return [(task_id, resource_id, float(units)) for task_id, resource_id, units in conn.rows(
        "SELECT task_id, resource_id, units FROM assignment ORDER BY id")]


def comments(conn: ReadConnection) -> list[tuple[int, datetime | None, str]]:
    """(task id, when, body) of every comment."""
    return [(task_id, as_datetime(created), body) for task_id, created, body in conn.rows(
        "SELECT task_id, created_at, body FROM comment ORDER BY id")]


def _json(value: Any, empty: Any) -> Any:
    if value is None:
        return empty
    return json.loads(value) if isinstance(value, str) else value


def series(conn: ReadConnection) -> list[SeriesRow]:
    """Every recurring series."""
    return [SeriesRow(r[0], r[1], r[2], as_date(r[3]), as_date(r[4]), _json(r[5], {}), _json(r[6], []) or [], r[7])
            for r in conn.rows("SELECT id, rrule, policy, dtstart, until, template, skipped, project_id "
                               "FROM recurrence")]


def resources(conn: ReadConnection) -> list[ExportResourceRow]:
    """Every resource, by id."""
    return [_RESOURCE_ROW.build(row) for row in conn.rows(
        f"SELECT {_RESOURCE_ROW.select} FROM resource r ORDER BY r.id")]


def calendars(conn: ReadConnection) -> list[CalendarRow]:
    """Every calendar, by id."""
    return [CalendarRow(r[0], r[1], r[2], float(r[3]), r[4]) for r in conn.rows(
        "SELECT id, name, working_weekdays, hours_per_day, country FROM calendar ORDER BY id")]


def calendar_exceptions(conn: ReadConnection, calendar_id: int) -> dict[date, bool]:
    """A calendar's exceptions: day -> working."""
    return {as_date(day): bool(working) for day, working in conn.rows(  # type: ignore[misc]
        "SELECT day, working FROM calendarexception WHERE calendar_id = ? ORDER BY day", [calendar_id])}
