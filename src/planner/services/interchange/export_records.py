"""Loading what an export writes: the store's tasks and their surroundings as plain interop records.

Reads through the plain DB-API connection (no ORM), a fixed number of
queries whatever the size. Each task carries its Planner id, its stored
external id and, in ``alt_ids[0]``, the UUID exports use for it (the UUID of
its source when it has one, else one derived from the task); each format's
writer then names tasks and links its own way (``records.identify``).
"""

from __future__ import annotations

import uuid as uuid_module
from datetime import date, datetime, timedelta, timezone
from typing import Any

from planner.domain.errors import NotFoundError
from planner.interop.records import (
    CalendarRecord, ExchangeTask, ExportData, LinkRecord, ProjectRecord, ResourceRecord, SeriesRecord,
)
from planner.interop.slugs import bare_uuid, planner_uuid, slug
from planner.services.context import Context
from planner.store.dbapi import ReadConnection
from planner.store.views import as_date, as_datetime

_SERIES_NAMESPACE = uuid_module.UUID("0b8f3c2e-5a61-4f0e-8d7c-2a9e4b6d1f30")


def _utc(value: Any) -> datetime | None:
    stamp = as_datetime(value)
    if stamp is not None and stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=timezone.utc)
    return stamp


def export_name(key: str, name: str) -> str:
    """A project's name in other tools: its own name when the key was made from it (``Home.Garden``), else the key."""
    return name if name and slug(name) == key else key


def load_export(ctx: Context, project: str | None = None) -> ExportData:
    """Every task (or one project's) with tags, links, assignments, comments and series."""
    with ctx.reader() as conn:
        return _load(conn, project.strip().lower() if project else None)


def _load(conn: ReadConnection, project_key: str | None) -> ExportData:
    data = ExportData()
    projects = {row[0]: row for row in conn.rows(
        "SELECT id, key, name, start, deadline, calendar_id, external_id, workflow_id FROM project")}
    where, params = "1=1", []  # type: ignore[var-annotated]
    if project_key is not None:
        chosen = [row for row in projects.values() if row[1] == project_key]
        if not chosen:
            raise NotFoundError(f"no project {project_key!r}: `planner project ls` lists them")
        row = chosen[0]
        data.project = ProjectRecord(row[6] or f"planner:{row[1]}", row[2], start=as_date(row[3]),
                                     deadline=as_date(row[4]), calendar=str(row[5]) if row[5] else None, key=row[1])
        where, params = "t.project_id = ?", [row[0]]
    for key, category in conn.rows("SELECT key, category FROM workflowstate"):
        data.categories.setdefault(key, category)
    rows = conn.rows(
        "SELECT t.id, t.title, t.notes, t.kind, t.status, t.priority, t.due, t.start_no_earlier, t.snoozed_until, "
        "t.actual_start, t.actual_finish, t.completed_at, t.created_at, t.estimate_hours, t.duration_days, "
        "t.percent_done, t.parent_id, t.recurrence_id, t.external_id, t.project_id, s.category "
        "FROM task t LEFT JOIN workflowstate s ON s.key = t.status AND s.workflow_id = "
        "(SELECT COALESCE(p.workflow_id, (SELECT id FROM workflow WHERE name = 'default')) FROM project p "
        f"WHERE p.id = t.project_id) WHERE {where} ORDER BY t.id", params)
    by_id: dict[int, ExchangeTask] = {}
    for r in rows:
        project_row = projects[r[19]]
        created = _utc(r[12])
        record = ExchangeTask(
            external_id=r[18] or "", title=r[1], notes=r[2] or "", kind=r[3],
            status=r[20] or ("done" if r[11] else "todo"), priority=r[5], due=as_date(r[6]),
            start_no_earlier=as_date(r[7]), snoozed_until=as_date(r[8]), actual_start=as_date(r[9]),
            actual_finish=as_date(r[10]), completed_at=_utc(r[11]), created_at=created, estimate_hours=r[13],
            duration_days=r[14], percent_done=r[15], parent=str(r[16]) if r[16] else None,
            series=str(r[17]) if r[17] else None,
            project=None if project_row[1] == "inbox" else export_name(project_row[1], project_row[2]),
            alt_ids=(bare_uuid(r[18] or "") or planner_uuid(r[0], created),), planner_id=r[0],
        )
        by_id[r[0]] = record
        data.tasks.append(record)
    _attach(conn, data, by_id)
    return data


def _attach(conn: ReadConnection, data: ExportData, by_id: dict[int, ExchangeTask]) -> None:
    """Tags, links (both ends exported), assignments, comments, series, resources and calendars."""
    for task_id, name in conn.rows("SELECT tt.task_id, g.name FROM tasktag tt JOIN tag g ON g.id = tt.tag_id "
                                   "ORDER BY g.name"):
        if task_id in by_id:
            by_id[task_id].tags.append(name)
    for pred, succ, kind, lag in conn.rows("SELECT predecessor_id, successor_id, type, lag_days FROM dependency "
                                           "ORDER BY predecessor_id"):
        if pred in by_id and succ in by_id:
            by_id[succ].links.append(LinkRecord(str(pred), kind, lag))
    used_resources: set[int] = set()
    for task_id, resource_id, units in conn.rows("SELECT task_id, resource_id, units FROM assignment ORDER BY id"):
        if task_id in by_id:
            by_id[task_id].assignments.append((str(resource_id), float(units)))
            used_resources.add(resource_id)
    for task_id, created, body in conn.rows("SELECT task_id, created_at, body FROM comment ORDER BY id"):
        if task_id in by_id:
            by_id[task_id].annotations.append((_utc(created), body))
    wanted_series = {int(task.series) for task in by_id.values() if task.series}
    projects = {row[0]: row[1] for row in conn.rows("SELECT id, key, name FROM project")}
    names = {row[0]: export_name(row[1], row[2]) for row in conn.rows("SELECT id, key, name FROM project")}
    for row in conn.rows("SELECT id, rrule, policy, dtstart, until, template, skipped, project_id FROM recurrence"):
        if row[0] not in wanted_series:
            continue
        template = row[5] if isinstance(row[5], dict) else _json(row[5])
        skipped = row[6] if isinstance(row[6], list) else _json(row[6]) or []
        source = bare_uuid(str(template.get("external_id") or ""))
        key = source or str(uuid_module.uuid5(_SERIES_NAMESPACE, f"planner-series:{row[0]}"))
        data.series[str(row[0])] = SeriesRecord(
            key, row[1], policy=row[2], dtstart=as_date(row[3]), until=as_date(row[4]), template=template,
            skipped=[as_date(day) for day in skipped],  # type: ignore[misc]
            extra_dates=[as_date(day) for day in template.get("rdates", [])],  # type: ignore[misc]
            project=None if projects.get(row[7]) == "inbox" else names.get(row[7]))
    for row in conn.rows("SELECT id, handle, name, email, kind, capacity, calendar_id, external_id FROM resource "
                         "ORDER BY id"):
        if row[0] in used_resources or data.project is None:
            data.resources.append(ResourceRecord(str(row[0]), row[2] or row[1], handle=row[1], email=row[3],
                                                 kind=row[4], capacity=float(row[5]),
                                                 calendar=str(row[6]) if row[6] else None))
    wanted_calendars = {data.project.calendar if data.project else None} | {r.calendar for r in data.resources}
    for row in conn.rows("SELECT id, name, working_weekdays, hours_per_day, country FROM calendar ORDER BY id"):
        if str(row[0]) in wanted_calendars or (data.project is not None and data.project.calendar is None
                                               and row[1] == "standard"):
            exceptions = {as_date(day): bool(working) for day, working in conn.rows(
                "SELECT day, working FROM calendarexception WHERE calendar_id = ? ORDER BY day", [row[0]])}
            weekdays = tuple(int(d) for d in row[2].split(",") if d.strip())
            if row[4] and data.project is not None:
                exceptions = {**_holidays(row[4], weekdays, data), **exceptions}
            data.calendars.append(CalendarRecord(str(row[0]), row[1], working_weekdays=weekdays,
                                                 hours_per_day=float(row[3]), exceptions=exceptions))  # type: ignore[arg-type]
            if data.project is not None and data.project.calendar is None and row[1] == "standard":
                data.project.calendar = str(row[0])


def _holidays(country: str, weekdays: tuple[int, ...], data: ExportData) -> dict[date, bool]:
    """A country's public holidays on working weekdays, two years from the project's start, as days off.

    Other tools do not know the ``holidays`` package, so the days go out as calendar exceptions.
    """
    from planner.domain.calendar import WorkCalendar

    first = (data.project.start if data.project and data.project.start else None) or min(
        (task.created_at.date() for task in data.tasks if task.created_at), default=date.today())
    calendar = WorkCalendar(working_weekdays=frozenset(weekdays), holiday_country=country)
    days = (first + timedelta(days=offset) for offset in range(731))
    return {day: False for day in days if day.weekday() in weekdays and calendar.is_holiday(day)}


def _json(value: Any) -> Any:
    import json

    if value is None:
        return {}
    return json.loads(value) if isinstance(value, str) else value
