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
from planner.store import export_views
from planner.store.columns import as_date, as_datetime
from planner.store.dbapi import ReadConnection

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
    projects = export_views.projects(conn)
    project_id = None
    if project_key is not None:
        chosen = [row for row in projects.values() if row.key == project_key]
        if not chosen:
            raise NotFoundError(f"no project {project_key!r}: `planner project ls` lists them")
        row = chosen[0]
        data.project = ProjectRecord(row.external_id or f"planner:{row.key}", row.name, start=row.start,
                                     deadline=row.deadline, calendar=str(row.calendar_id) if row.calendar_id else None,
                                     key=row.key)
        project_id = row.id
    for key, category in export_views.state_categories(conn):
        data.categories.setdefault(key, category)
    by_id: dict[int, ExchangeTask] = {}
    for task in export_views.tasks(conn, project_id):
        project_row = projects[task.project_id]
        created = _utc(task.created_at)
        record = ExchangeTask(
            external_id=task.external_id or "", title=task.title, notes=task.notes or "", kind=task.kind,
            status=task.category or ("done" if task.completed_at else "todo"), priority=task.priority,
            due=task.due, start_no_earlier=task.start_no_earlier, snoozed_until=task.snoozed_until,
            actual_start=task.actual_start, actual_finish=task.actual_finish, completed_at=_utc(task.completed_at),
            created_at=created, estimate_hours=task.estimate_hours, duration_days=task.duration_days,
            percent_done=task.percent_done, parent=str(task.parent_id) if task.parent_id else None,
            series=str(task.recurrence_id) if task.recurrence_id else None,
            project=None if project_row.key == "inbox" else export_name(project_row.key, project_row.name),
            alt_ids=(bare_uuid(task.external_id or "") or planner_uuid(task.id, created),), planner_id=task.id,
        )
        by_id[task.id] = record
        data.tasks.append(record)
    _attach(conn, data, by_id, projects)
    return data


def _attach(conn: ReadConnection, data: ExportData, by_id: dict[int, ExchangeTask],
            projects: dict[int, export_views.ExportProjectRow]) -> None:
    """Tags, links (both ends exported), assignments, comments, series, resources and calendars."""
    for task_id, name in export_views.task_tags(conn):
        if task_id in by_id:
            by_id[task_id].tags.append(name)
    for pred, succ, kind, lag in export_views.links(conn):
        if pred in by_id and succ in by_id:
            by_id[succ].links.append(LinkRecord(str(pred), kind, lag))
    used_resources: set[int] = set()
    for task_id, resource_id, units in export_views.assignments(conn):
        if task_id in by_id:
            by_id[task_id].assignments.append((str(resource_id), units))
            used_resources.add(resource_id)
    for task_id, created, body in export_views.comments(conn):
        if task_id in by_id:
            by_id[task_id].annotations.append((_utc(created), body))
    wanted_series = {int(task.series) for task in by_id.values() if task.series}
    for row in export_views.series(conn):
        if row.id not in wanted_series:
            continue
        template = row.template
        source = bare_uuid(str(template.get("external_id") or ""))
        key = source or str(uuid_module.uuid5(_SERIES_NAMESPACE, f"planner-series:{row.id}"))
        owner = projects.get(row.project_id)
        data.series[str(row.id)] = SeriesRecord(
            key, row.rrule, policy=row.policy, dtstart=row.dtstart, until=row.until, template=template,
            skipped=[as_date(day) for day in row.skipped],  # type: ignore[misc]
            extra_dates=[as_date(day) for day in template.get("rdates", [])],  # type: ignore[misc]
            project=None if owner is None or owner.key == "inbox" else export_name(owner.key, owner.name))
    for resource in export_views.resources(conn):
        if resource.id in used_resources or data.project is None:
            data.resources.append(ResourceRecord(
                str(resource.id), resource.name or resource.handle, handle=resource.handle, email=resource.email,
                kind=resource.kind, capacity=float(resource.capacity),
                calendar=str(resource.calendar_id) if resource.calendar_id else None))
    wanted_calendars = {data.project.calendar if data.project else None} | {r.calendar for r in data.resources}
    for calendar in export_views.calendars(conn):
        standard_for_project = data.project is not None and data.project.calendar is None and calendar.name == "standard"
        if str(calendar.id) in wanted_calendars or standard_for_project:
            exceptions = export_views.calendar_exceptions(conn, calendar.id)
            weekdays = tuple(int(d) for d in calendar.working_weekdays.split(",") if d.strip())
            if calendar.country and data.project is not None:
                exceptions = {**_holidays(calendar.country, weekdays, data), **exceptions}
            data.calendars.append(CalendarRecord(str(calendar.id), calendar.name, working_weekdays=weekdays,
                                                 hours_per_day=calendar.hours_per_day, exceptions=exceptions))
            if standard_for_project:
                data.project.calendar = str(calendar.id)  # type: ignore[union-attr]


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
