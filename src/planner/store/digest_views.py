"""Read side of digests: the event log since a moment, tasks and people as the digest names them.

Plain SQL on the DB-API connection (``?`` placeholders), returning the rows as tuples.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from planner.store.dbapi import ReadConnection


def events_since(conn: ReadConnection, since: Any) -> list[tuple]:
    """(id, actor, entity, entity_id, action, before, after) of the kept task, assignment and project events after since."""
    return conn.rows(
        "SELECT id, actor, entity, entity_id, action, before, after FROM event "
        "WHERE at > ? AND undone = ? AND entity IN ('task', 'assignment', 'project') ORDER BY id",
        [since, False],
    )


def resource_handles(conn: ReadConnection) -> dict[int, str]:
    """Every resource's handle by id."""
    return dict(conn.rows("SELECT id, handle FROM resource"))


def task_titles_and_states(conn: ReadConnection, task_ids: Sequence[int]) -> list[tuple]:
    """(id, title, project key, completed_at) of these tasks (at most a few hundred ids)."""
    marks = ", ".join("?" for _ in task_ids)
    return conn.rows(
        f"SELECT t.id, t.title, p.key, t.completed_at FROM task t JOIN project p ON p.id = t.project_id "
        f"WHERE t.id IN ({marks})", task_ids,
    )


def assignee_handles(conn: ReadConnection, task_ids: Sequence[int]) -> list[tuple]:
    """(task id, handle) of each assignment of these tasks, by handle (at most a few hundred ids)."""
    marks = ", ".join("?" for _ in task_ids)
    return conn.rows(
        f"SELECT a.task_id, r.handle FROM assignment a JOIN resource r ON r.id = a.resource_id "
        f"WHERE a.task_id IN ({marks}) ORDER BY r.handle", task_ids,
    )


def project_naming(conn: ReadConnection, project_id: int) -> tuple | None:
    """(key, name, archived) of a project, or None."""
    return conn.one("SELECT key, name, archived FROM project WHERE id = ?", [project_id])


def open_work_handles(conn: ReadConnection, project_id: int) -> list[str]:
    """Handles of the people assigned to this project's unfinished tasks, sorted."""
    return [handle for (handle,) in conn.rows(
        "SELECT DISTINCT r.handle FROM assignment a JOIN resource r ON r.id = a.resource_id "
        "JOIN task t ON t.id = a.task_id WHERE t.project_id = ? AND t.completed_at IS NULL ORDER BY r.handle",
        [project_id])]


def person_contact(conn: ReadConnection, handle: str) -> tuple | None:
    """(handle, name, email) of the resource with this (normalized) handle, or None."""
    return conn.one("SELECT handle, name, email FROM resource WHERE handle = ?", [handle])


def people_contacts(conn: ReadConnection) -> list[tuple]:
    """(handle, name, email) of every person, by handle."""
    return conn.rows("SELECT handle, name, email FROM resource WHERE kind = 'person' ORDER BY handle")


def last_sent_digest(conn: ReadConnection, log_kind: str, day: date) -> tuple | None:
    """(sent_at,) of the latest digest of this kind sent for a day before ``day``, or None."""
    return conn.one("SELECT sent_at FROM digestlog WHERE kind = ? AND status = 'sent' AND day < ? "
                    "ORDER BY sent_at DESC LIMIT 1", [log_kind, day.isoformat()])


def open_blockers(conn: ReadConnection, task_ids: Sequence[int]) -> list[tuple]:
    """(successor id, predecessor id) of these tasks' links to unfinished predecessors."""
    marks = ", ".join("?" for _ in task_ids)
    return conn.rows(
        "SELECT d.successor_id, d.predecessor_id FROM dependency d WHERE d.successor_id IN "
        f"({marks}) AND EXISTS (SELECT 1 FROM task p WHERE p.id = d.predecessor_id AND p.completed_at IS NULL) "
        "ORDER BY d.successor_id, d.predecessor_id", list(task_ids))


def active_project_keys(conn: ReadConnection, handles: Sequence[str] | None) -> list[str]:
    """Keys of active projects with open work (work assigned to one of these people, when given)."""
    sql = ("SELECT DISTINCT p.key FROM project p JOIN task t ON t.project_id = p.id "
           "WHERE p.kind = 'project' AND p.archived = ? AND t.completed_at IS NULL")
    params: list[Any] = [False]
    if handles is not None:
        sql += (" AND EXISTS (SELECT 1 FROM assignment a JOIN resource r ON r.id = a.resource_id "
                f"WHERE a.task_id = t.id AND r.handle IN ({', '.join('?' for _ in handles)}))")
        params.extend(handles)
    return [row[0] for row in conn.rows(sql + " ORDER BY p.key", params)]
