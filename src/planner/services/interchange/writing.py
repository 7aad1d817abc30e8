"""Writing an import plan: bulk Core statements inside the import's one transaction.

New rows get their ids up front (``allocate_ids``) and go in per table as
one sqlite3 executemany, or one COPY on PostgreSQL; changes are executemany
UPDATEs that bump the task version as an edit would. The unit of work then records one summary
Event for the whole batch instead of one per row (see interchange.py).
"""

from __future__ import annotations

from collections import defaultdict
import json
from collections.abc import Callable, Iterator
from functools import lru_cache
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import JSON, Connection, bindparam, delete, select, text, update

from planner.services.interchange.matching import ImportPlan, Ref
from planner.services.interchange.side_rows import PlannedRow
from planner.services.interchange.stored_state import table
from planner.store.columns import TASK
from planner.store.dialect_ops import allocate_ids, postgres_copy_statement, sqlite_insert_statement
from planner.store.models import (
    Assignment, Calendar, CalendarException, Comment, Dependency, Project, Recurrence, Resource, Tag, Task, TaskTag,
)


def apply_plan(conn: Connection, plan: ImportPlan, *, actor: str, now: datetime) -> dict[str, int]:
    """Write everything the plan decided; returns counts of the rows around the tasks."""
    calendar_ids = _write_calendars(conn, plan.calendars)
    project_ids = _write_projects(conn, plan, calendar_ids, now)
    resource_ids = _write_rows(conn, Resource, plan.resources, {"calendar_id": calendar_ids})
    series_ids = _write_rows(conn, Recurrence, plan.series, {"project_id": project_ids}, now=now)
    task_ids = _write_tasks(conn, plan, project_ids, series_ids, now)
    _write_parents(conn, plan, task_ids, now)
    tags = _write_tags(conn, plan, task_ids)
    links = _write_links(conn, plan, task_ids)
    _write_assignments(conn, plan, task_ids, resource_ids)
    comments = _write_comments(conn, plan, task_ids, actor, now)
    return {"projects_created": len(plan.new_projects), "projects_updated": len(plan.project_updates),
            "calendars": sum(1 for row in plan.calendars.values() if row.changed),
            "resources": sum(1 for row in plan.resources.values() if row.changed),
            "series": sum(1 for row in plan.series.values() if row.changed),
            "tags_created": tags, "dependencies_added": links, "comments_added": comments}


def removed_rows(conn: Connection, plan: ImportPlan) -> list[tuple[str, int]]:
    """The stored rows writing ``plan`` would delete, as (table, id): links, assignments, tags, calendar days."""
    rows = [("dependency", dep_id) for planned in plan.tasks for dep_id in planned.links_remove]
    rows += [("assignment", row_id) for planned in plan.tasks for row_id in planned.assign_remove]
    task_tag, tag = table(TaskTag), table(Tag)
    for planned in plan.tasks:
        if planned.task_id is not None and planned.tags_remove:
            rows += [("tasktag", int(row_id)) for (row_id,) in conn.execute(
                select(task_tag.c.id).join(tag, tag.c.id == task_tag.c.tag_id)
                .where(task_tag.c.task_id == planned.task_id, tag.c.name.in_(planned.tags_remove)))]
    exception = table(CalendarException)
    for row in plan.calendars.values():
        if row.row_id is not None and row.exceptions is not None:
            rows += [("calendarexception", int(row_id)) for row_id, day, working in conn.execute(
                select(exception.c.id, exception.c.day, exception.c.working)
                .where(exception.c.calendar_id == row.row_id)) if row.exceptions.get(day) != bool(working)]
    return rows


def _insert(conn: Connection, model: Any, rows: list[dict[str, Any]], *, with_ids: bool = True) -> list[int]:
    """Insert rows in bulk; with ``with_ids`` their ids are taken up front and returned in order."""
    if not rows:
        return []
    target = table(model)
    ids = allocate_ids(conn, target.name, len(rows)) if with_ids else []
    keys = sorted({key for row in rows for key in row} | ({"id"} if with_ids else set()))
    if with_ids:
        values = ([row_id if key == "id" else row.get(key) for key in keys] for row, row_id in zip(rows, ids))
    else:
        values = ([row.get(key) for key in keys] for row in rows)
    if conn.dialect.name == "sqlite":
        _sqlite_executemany(conn, target, keys, values)
    else:
        _postgres_copy(conn, target, keys, values)
    return ids


def _postgres_copy(conn: Connection, target: Any, keys: list[str], rows: Iterator[list[Any]]) -> None:
    """Stream rows into PostgreSQL with COPY (psycopg adapts dates and times; JSON columns are wrapped)."""
    from psycopg.types.json import Json

    json_columns = [isinstance(target.c[key].type, JSON) for key in keys]
    raw = conn.connection.driver_connection  # type: ignore[union-attr]
    with raw.cursor() as cursor, cursor.copy(postgres_copy_statement(target.name, keys)) as copy:
        for row in rows:
            copy.write_row([Json(value) if is_json and value is not None else value
                            for is_json, value in zip(json_columns, row)])


def _sqlite_executemany(conn: Connection, target: Any, keys: list[str], rows: Iterator[list[Any]]) -> None:
    """One sqlite3 executemany with values stored as SQLAlchemy stores them (skips its per-row processing)."""
    converters = [_sqlite_converter(target.c[key].type) for key in keys]
    sql = sqlite_insert_statement(target.name, keys)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.executemany(sql, ([convert(value) if convert and value is not None else value
                                  for convert, value in zip(converters, row)] for row in rows))
    finally:
        cursor.close()


@lru_cache(maxsize=65536)
def _sqlite_datetime(value: datetime) -> str:
    return (value.astimezone(timezone.utc) if value.tzinfo else value).strftime("%Y-%m-%d %H:%M:%S.%f")


@lru_cache(maxsize=65536)
def _sqlite_date(value: date) -> str:
    return value.isoformat()


def _sqlite_converter(column_type: Any) -> Callable[[Any], Any] | None:
    """How SQLAlchemy's SQLite dialect stores a Python value of this column type (None: as it is)."""
    if isinstance(column_type, JSON):
        return json.dumps
    python_type = None
    try:
        python_type = getattr(column_type, "impl", column_type).python_type
    except NotImplementedError:
        pass
    if python_type is datetime:
        return _sqlite_datetime
    if python_type is date:
        return _sqlite_date
    if python_type is bool:
        return int
    return None


def _update_many(conn: Connection, model: Any, changes: list[tuple[int, dict[str, Any]]], *,
                 extra: dict[str, Any] | None = None) -> None:
    """UPDATE rows by id, one executemany per distinct set of changed columns."""
    target = table(model)
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for row_id, values in changes:
        columns = tuple(sorted(values))
        groups[columns].append({"_id": row_id, **{f"_{name}": values[name] for name in columns}})
    for columns, params in groups.items():
        statement = update(target).where(target.c.id == bindparam("_id")).values(
            {**{name: bindparam(f"_{name}") for name in columns}, **(extra or {})})
        conn.execute(statement, params)


def _write_calendars(conn: Connection, planned: dict[str, PlannedRow]) -> dict[str, int]:
    ids = _write_rows(conn, Calendar, planned, {})
    exception = table(CalendarException)
    for key, row in planned.items():
        if row.exceptions is None:
            continue
        conn.execute(delete(exception).where(exception.c.calendar_id == ids[key]))
        rows = [{"calendar_id": ids[key], "day": day, "working": working, "note": "imported"}
                for day, working in sorted(row.exceptions.items())]
        if rows:
            _insert(conn, CalendarException, rows, with_ids=False)
    return ids


def _write_rows(conn: Connection, model: Any, planned: dict[str, PlannedRow], refs: dict[str, dict[str, int]], *,
                now: datetime | None = None) -> dict[str, int]:
    """Insert the new rows and update the changed ones; record key -> row id."""
    ids = {key: row.row_id for key, row in planned.items() if row.row_id is not None}
    new_keys, new_rows, changes = [], [], []
    for key, row in planned.items():
        values = dict(row.values)
        for column, ref in row.refs.items():
            if ref is not None:
                values[column] = refs[column][ref]
            elif row.row_id is None:
                values[column] = None
        if row.row_id is None:
            if model is Recurrence:
                values.setdefault("created_at", now)
                values.setdefault("active", True)
            new_keys.append(key)
            new_rows.append(values)
        elif values:
            changes.append((row.row_id, values))
    for key, row_id in zip(new_keys, _insert(conn, model, new_rows)):
        ids[key] = row_id
    if changes:
        _update_many(conn, model, changes)
    return ids  # type: ignore[return-value]


def _write_projects(conn: Connection, plan: ImportPlan, calendar_ids: dict[str, int], now: datetime) -> dict[str, int]:
    ids = {key: row["id"] for key, row in plan.state.projects.items()}
    calendar_id = calendar_ids.get(plan.project_calendar) if plan.project_calendar else None
    new_keys = list(plan.new_projects)
    rows = []
    for key in new_keys:
        values = {**plan.new_projects[key], "created_at": now, "updated_at": now, "reserve_percent": 0.0,
                  "archived": False}
        if calendar_id is not None and key == plan.main_key:
            values["calendar_id"] = calendar_id
        rows.append(values)
    for key, row_id in zip(new_keys, _insert(conn, Project, rows)):
        ids[key] = row_id
    changes = []
    for key, values in plan.project_updates.items():
        changes.append((ids[key], {**values, "updated_at": now}))
    stored_main = plan.state.projects.get(plan.main_key or "")
    standard = plan.state.calendars.get("standard", {}).get("id")
    if calendar_id is not None and stored_main is not None and stored_main.get("calendar_id") != calendar_id \
            and not (stored_main.get("calendar_id") is None and calendar_id == standard):
        changes.append((ids[plan.main_key], {"calendar_id": calendar_id}))  # type: ignore[index]
    _update_many(conn, Project, changes)
    return ids


def _resolved(values: dict[str, Any], project_ids: dict[str, int], series_ids: dict[str, int]) -> dict[str, Any]:
    row = dict(values)
    if "project_id" in row:
        row["project_id"] = project_ids[row["project_id"]]
    if "recurrence_id" in row:
        row["recurrence_id"] = series_ids[row["recurrence_id"]] if row["recurrence_id"] is not None else None
    return row


#: A new task's columns where the file gives nothing, from the column registry.
_NEW_TASK_DEFAULTS = TASK.new_row_defaults()


def _write_tasks(conn: Connection, plan: ImportPlan, project_ids: dict[str, int], series_ids: dict[str, int],
                 now: datetime) -> dict[int, int]:
    """Insert new tasks, update changed ones; document position -> task id."""
    ids: dict[int, int] = {}
    new_positions, rows, changes = [], [], []
    for position, planned in enumerate(plan.tasks):
        if planned.task_id is None:
            new_positions.append(position)
            rows.append({**_NEW_TASK_DEFAULTS, **_resolved(planned.values, project_ids, series_ids),
                         "updated_at": now})
        else:
            ids[position] = planned.task_id
            if planned.values:
                changes.append((planned.task_id, _resolved(planned.values, project_ids, series_ids)))
    _instance_keys(conn, rows)
    for position, task_id in zip(new_positions, _insert(conn, Task, rows)):
        ids[position] = task_id
    task = table(Task)
    touched = {planned.task_id for planned in plan.tasks if planned.task_id is not None and planned.changed}
    changed_ids = {task_id for task_id, _ in changes}
    changes.extend((task_id, {}) for task_id in sorted(touched - changed_ids))  # relation edits bump the version
    _update_many(conn, Task, [(task_id, {**values, "updated_at": now}) for task_id, values in changes],
                 extra={"version": task.c.version + 1})
    return ids


def _instance_keys(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Give new instances of a series the key the recurrence service derives (series + due date).

    A key some stored task already holds, or a second instance on the same
    date, stays empty rather than failing the import on the unique index.
    """
    from planner.domain.recurrence import instance_key

    wanted = {}
    for row in rows:
        if row.get("recurrence_id") is not None and row.get("due") is not None:
            wanted.setdefault(instance_key(row["recurrence_id"], row["due"]), row)
    if not wanted:
        return
    task = table(Task)
    keys = sorted(wanted)
    taken = {key for first in range(0, len(keys), 500) for (key,) in conn.execute(
        select(task.c.instance_key).where(task.c.instance_key.in_(keys[first:first + 500])))}
    for key, row in wanted.items():
        if key not in taken:
            row["instance_key"] = key


def _ref(plan_ids: dict[int, int], ref: Ref) -> int:
    return ref[1] if ref[0] == "task" else plan_ids[ref[1]]


def _write_parents(conn: Connection, plan: ImportPlan, ids: dict[int, int], now: datetime) -> None:
    changes = [(ids[position], {"parent_id": _ref(ids, planned.parent) if planned.parent else None})
               for position, planned in enumerate(plan.tasks) if planned.parent_changed]
    _update_many(conn, Task, changes)


def _write_tags(conn: Connection, plan: ImportPlan, ids: dict[int, int]) -> int:
    tag_ids = dict(plan.state.tag_ids)
    missing = sorted({name for planned in plan.tasks for name in planned.tags_add} - set(tag_ids))
    for name, tag_id in zip(missing, _insert(conn, Tag, [{"name": name} for name in missing])):
        tag_ids[name] = tag_id
    rows = [{"task_id": ids[position], "tag_id": tag_ids[name]}
            for position, planned in enumerate(plan.tasks) for name in planned.tags_add]
    if rows:
        _insert(conn, TaskTag, rows, with_ids=False)
    removed = [{"_task": ids[position], "_tag": tag_ids[name]}
               for position, planned in enumerate(plan.tasks) for name in planned.tags_remove]
    if removed:
        task_tag = table(TaskTag)
        conn.execute(delete(task_tag).where(task_tag.c.task_id == bindparam("_task"),
                                            task_tag.c.tag_id == bindparam("_tag")), removed)
    return len(missing)


def _write_links(conn: Connection, plan: ImportPlan, ids: dict[int, int]) -> int:
    dependency = table(Dependency)
    removed = [{"_id": dep_id} for planned in plan.tasks for dep_id in planned.links_remove]
    if removed:
        conn.execute(delete(dependency).where(dependency.c.id == bindparam("_id")), removed)
    _update_many(conn, Dependency, [(dep_id, {"type": kind, "lag_days": lag})
                                    for planned in plan.tasks for dep_id, kind, lag in planned.links_update])
    rows = [{"predecessor_id": _ref(ids, ref), "successor_id": ids[position], "type": kind, "lag_days": lag}
            for position, planned in enumerate(plan.tasks) for ref, kind, lag in planned.links_add]
    if rows:
        _insert(conn, Dependency, rows, with_ids=False)
    return len(rows)


def _write_assignments(conn: Connection, plan: ImportPlan, ids: dict[int, int], resource_ids: dict[str, int]) -> None:
    assignment = table(Assignment)
    removed = [{"_id": row_id} for planned in plan.tasks for row_id in planned.assign_remove]
    if removed:
        conn.execute(delete(assignment).where(assignment.c.id == bindparam("_id")), removed)
    _update_many(conn, Assignment, [(row_id, {"units": units})
                                    for planned in plan.tasks for row_id, units in planned.assign_update])
    rows = [{"task_id": ids[position], "resource_id": resource_ids[resource], "units": units}
            for position, planned in enumerate(plan.tasks) for resource, units in planned.assign_add]
    if rows:
        _insert(conn, Assignment, rows, with_ids=False)


def _write_comments(conn: Connection, plan: ImportPlan, ids: dict[int, int], actor: str, now: datetime) -> int:
    from planner.interop.timestamps import as_utc

    rows = [{"task_id": ids[position], "author": actor, "body": body, "created_at": as_utc(stamp) or now}
            for position, planned in enumerate(plan.tasks) for stamp, body in planned.comments]
    if rows:
        _insert(conn, Comment, rows, with_ids=False)
    return len(rows)

