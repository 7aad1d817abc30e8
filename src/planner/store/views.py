"""The read side: SQL on the DB-API connection, returning plain records.

Screens and read commands display these; nothing here builds ORM objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from planner.store.columns import PROJECT, RESOURCE, TASK, as_date, as_datetime, row_query
from planner.store.dbapi import ReadConnection

__all__ = ["as_date", "as_datetime"]  # re-exported: other read modules convert with them


@dataclass(slots=True)
class TaskRow:
    """One task as faces display it (the stable JSON schema of a task)."""

    id: int
    title: str
    project: str
    project_kind: str
    status: str
    priority: int
    kind: str
    due: date | None
    start_no_earlier: date | None
    estimate_hours: float | None
    duration_days: int | None
    percent_done: int
    actual_start: date | None
    actual_finish: date | None
    snoozed_until: date | None
    completed_at: datetime | None
    created_at: datetime | None
    updated_at: datetime | None
    parent_id: int | None
    sprint_id: int | None
    recurrence_id: int | None
    external_id: str | None
    notes: str
    version: int
    optimistic_days: float | None = None
    likely_days: float | None = None
    pessimistic_days: float | None = None
    board_rank: float = 0.0
    tags: list[str] = field(default_factory=list)
    assignees: list[str] = field(default_factory=list)
    depends_on: list[int] = field(default_factory=list)

    @property
    def done(self) -> bool:
        """Whether the task is finished."""
        return self.completed_at is not None

    def to_json(self) -> dict[str, Any]:
        """The documented JSON object of a task."""
        return {
            "id": self.id,
            "title": self.title,
            "project": self.project,
            "status": self.status,
            "kind": self.kind,
            "priority": self.priority,
            "due": _iso(self.due),
            "start_no_earlier": _iso(self.start_no_earlier),
            "estimate_hours": self.estimate_hours,
            "duration_days": self.duration_days,
            "percent_done": self.percent_done,
            "tags": self.tags,
            "assignees": self.assignees,
            "depends_on": self.depends_on,
            "parent": self.parent_id,
            "external_id": self.external_id,
            "notes": self.notes,
            "actual_start": _iso(self.actual_start),
            "actual_finish": _iso(self.actual_finish),
            "snoozed_until": _iso(self.snoozed_until),
            "created": _iso(self.created_at),
            "updated": _iso(self.updated_at),
            "completed": _iso(self.completed_at),
            "version": self.version,
        }


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


_TASK_ROW = row_query(TaskRow, TASK, "t", {"project": ("p.key", "str"), "project_kind": ("p.kind", "str")})

#: ``ls`` order: overdue and soon-due first, then priority, then age.
DEFAULT_ORDER = "CASE WHEN t.due IS NULL THEN 1 ELSE 0 END, t.due, t.priority DESC, t.id"


def select_tasks(conn: ReadConnection, where: str = "1=1", params: Sequence[Any] = (), *,
                 order: str = DEFAULT_ORDER, limit: int | None = None, with_details: bool = True) -> list[TaskRow]:
    """Tasks matching a WHERE fragment over ``t`` (task) and ``p`` (project)."""
    sql = f"SELECT {_TASK_ROW.select} FROM task t JOIN project p ON p.id = t.project_id WHERE {where} ORDER BY {order}"
    query_params = list(params)
    if limit:
        sql += " LIMIT ?"
        query_params.append(limit)
    tasks = [_TASK_ROW.build(row) for row in conn.rows(sql, query_params)]
    if with_details and tasks:
        attach_details(conn, tasks)
    return tasks


def count_tasks(conn: ReadConnection, where: str = "1=1", params: Sequence[Any] = ()) -> int:
    """How many tasks match a WHERE fragment."""
    return int(conn.scalar(f"SELECT count(*) FROM task t JOIN project p ON p.id = t.project_id WHERE {where}",
                           params) or 0)


def status_keys(conn: ReadConnection) -> set[str]:
    """Every status a task can be in: the workflows' state keys and any status a task holds."""
    return {r[0] for r in conn.rows("SELECT key FROM workflowstate UNION SELECT DISTINCT status FROM task")}


def _id_filter(column: str, ids: Sequence[int]) -> tuple[str, list[int]]:
    """``column IN (...)`` for a few ids; for many, no filter (one scan beats a huge IN list)."""
    if len(ids) > 500:
        return "1=1", []
    return f"{column} IN ({', '.join('?' for _ in ids)})", list(ids)


def attach_details(conn: ReadConnection, tasks: Iterable[TaskRow]) -> None:
    """Fill tags, assignees and depends_on of the given tasks (three queries)."""
    by_id = {task.id: task for task in tasks}
    ids = list(by_id)
    clause, params = _id_filter("tt.task_id", ids)
    for task_id, name in conn.rows(
        f"SELECT tt.task_id, g.name FROM tasktag tt JOIN tag g ON g.id = tt.tag_id WHERE {clause} ORDER BY g.name",
        params,
    ):
        if task_id in by_id:
            by_id[task_id].tags.append(name)
    clause, params = _id_filter("a.task_id", ids)
    for task_id, handle in conn.rows(
        f"SELECT a.task_id, r.handle FROM assignment a JOIN resource r ON r.id = a.resource_id "
        f"WHERE {clause} ORDER BY r.handle",
        params,
    ):
        if task_id in by_id:
            by_id[task_id].assignees.append(handle)
    clause, params = _id_filter("d.successor_id", ids)
    for successor, predecessor in conn.rows(
        f"SELECT d.successor_id, d.predecessor_id FROM dependency d WHERE {clause} ORDER BY d.predecessor_id",
        params,
    ):
        if successor in by_id:
            by_id[successor].depends_on.append(predecessor)


def task_by_id(conn: ReadConnection, task_id: int) -> TaskRow | None:
    """One task with its details, or None."""
    found = select_tasks(conn, "t.id = ?", [task_id], limit=1)
    return found[0] if found else None


@dataclass(slots=True)
class LinkRecord:
    """A dependency as displayed: the other task's id, title and state."""

    id: int
    predecessor_id: int
    successor_id: int
    type: str
    lag_days: int
    other_title: str
    other_done: bool


def links_of(conn: ReadConnection, task_id: int) -> tuple[list[LinkRecord], list[LinkRecord]]:
    """(predecessors, successors) of a task."""
    predecessors = [
        LinkRecord(r[0], r[1], r[2], r[3], r[4], r[5], r[6] is not None)
        for r in conn.rows(
            "SELECT d.id, d.predecessor_id, d.successor_id, d.type, d.lag_days, o.title, o.completed_at "
            "FROM dependency d JOIN task o ON o.id = d.predecessor_id WHERE d.successor_id = ? ORDER BY d.id",
            [task_id],
        )
    ]
    successors = [
        LinkRecord(r[0], r[1], r[2], r[3], r[4], r[5], r[6] is not None)
        for r in conn.rows(
            "SELECT d.id, d.predecessor_id, d.successor_id, d.type, d.lag_days, o.title, o.completed_at "
            "FROM dependency d JOIN task o ON o.id = d.successor_id WHERE d.predecessor_id = ? ORDER BY d.id",
            [task_id],
        )
    ]
    return predecessors, successors


@dataclass(slots=True)
class EventRecord:
    """One entry of the activity log."""

    id: int
    at: datetime | None
    actor: str
    entity: str
    entity_id: int | None
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def _json(value: Any) -> Any:
    if isinstance(value, str):
        import json

        return json.loads(value)
    return value


def events_for(conn: ReadConnection, entity: str, entity_id: int, limit: int = 20) -> list[EventRecord]:
    """The latest events about one entity, newest last."""
    rows = conn.rows(
        "SELECT id, at, actor, entity, entity_id, action, before, after FROM event "
        "WHERE entity = ? AND entity_id = ? ORDER BY id DESC LIMIT ?",
        [entity, entity_id, limit],
    )
    return [EventRecord(r[0], as_datetime(r[1]), r[2], r[3], r[4], r[5], _json(r[6]), _json(r[7]))
            for r in reversed(rows)]


def last_event_id(conn: ReadConnection) -> int:
    """The highest Event id (0 for an empty log): the TUI's cheap change probe."""
    return int(conn.scalar("SELECT max(id) FROM event") or 0)


@dataclass(slots=True)
class ProjectRecord:
    """A project or stream as listed."""

    id: int
    key: str
    name: str
    kind: str
    start: date | None
    deadline: date | None
    archived: bool
    reserve_percent: float
    open_tasks: int = 0
    done_tasks: int = 0
    calendar_id: int | None = None
    workflow_id: int | None = None
    completed_at: datetime | None = None
    priority: int = 0

    def to_json(self) -> dict[str, Any]:
        """The documented JSON object of a project."""
        return {
            "id": self.id, "key": self.key, "name": self.name, "kind": self.kind,
            "start": _iso(self.start), "deadline": _iso(self.deadline), "archived": self.archived,
            "reserve_percent": self.reserve_percent, "open_tasks": self.open_tasks,
            "done_tasks": self.done_tasks, "completed": _iso(self.completed_at), "priority": self.priority,
        }


_PROJECT_ROW = row_query(ProjectRecord, PROJECT, "p", {
    "open_tasks": ("(SELECT count(*) FROM task t WHERE t.project_id = p.id AND t.completed_at IS NULL)", "int"),
    "done_tasks": ("(SELECT count(*) FROM task t WHERE t.project_id = p.id AND t.completed_at IS NOT NULL)", "int"),
})


def select_projects(conn: ReadConnection, *, include_archived: bool = False, key: str | None = None) -> list[ProjectRecord]:
    """Projects with their open / done task counts."""
    where = ["1=1"]
    params: list[Any] = []
    if not include_archived:
        where.append("p.archived = ?")
        params.append(False)
    if key is not None:
        where.append("p.key = ?")
        params.append(key)
    return [_PROJECT_ROW.build(row) for row in conn.rows(
        f"SELECT {_PROJECT_ROW.select} FROM project p WHERE {' AND '.join(where)} ORDER BY p.key", params)]


@dataclass(slots=True)
class ResourceRecord:
    """A person or pool as listed."""

    id: int
    handle: str
    name: str
    email: str | None
    kind: str
    capacity: float
    calendar_id: int | None
    open_assignments: int = 0

    def to_json(self) -> dict[str, Any]:
        """The documented JSON object of a resource."""
        return {"id": self.id, "handle": self.handle, "name": self.name, "email": self.email,
                "kind": self.kind, "capacity": self.capacity, "open_assignments": self.open_assignments}


_RESOURCE_ROW = row_query(ResourceRecord, RESOURCE, "r", {"open_assignments": (
    "(SELECT count(*) FROM assignment a JOIN task t ON t.id = a.task_id WHERE a.resource_id = r.id "
    "AND t.completed_at IS NULL)", "int")})


def select_resources(conn: ReadConnection, handle: str | None = None) -> list[ResourceRecord]:
    """Resources with how many open tasks each carries."""
    where, params = ("r.handle = ?", [handle]) if handle else ("1=1", [])
    return [_RESOURCE_ROW.build(row) for row in conn.rows(
        f"SELECT {_RESOURCE_ROW.select} FROM resource r WHERE {where} ORDER BY r.handle", params)]
