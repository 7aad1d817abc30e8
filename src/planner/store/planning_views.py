"""Read side of planning: projects, baselines, clocked time and people as the schedulers need them.

Plain SQL on the DB-API connection (``?`` placeholders), returning the rows as tuples;
no SQLAlchemy here, so read commands that plan stay light.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from planner.store.dbapi import ReadConnection

_CHUNK = 500


def waits_on_other_projects(conn: ReadConnection, project_id: int) -> bool:
    """Whether a task of this project has a predecessor in another project."""
    return bool(conn.one(
        "SELECT 1 FROM dependency d JOIN task s ON s.id = d.successor_id JOIN task p ON p.id = d.predecessor_id "
        "WHERE s.project_id = ? AND p.project_id <> ?", [project_id, project_id]))


def projects_with_open_work(conn: ReadConnection) -> int:
    """How many active projects hold unfinished tasks."""
    return int(conn.one("SELECT count(DISTINCT t.project_id) FROM task t JOIN project p ON p.id = t.project_id "
                        "WHERE p.kind = 'project' AND p.archived = ? AND t.completed_at IS NULL", [False])[0])


def projects_holding(conn: ReadConnection, task_ids: list[int]) -> set[int]:
    """Ids of the projects that hold these tasks."""
    holding: set[int] = set()
    for first in range(0, len(task_ids), _CHUNK):
        chunk = task_ids[first:first + _CHUNK]
        holding.update(row[0] for row in conn.rows(
            f"SELECT DISTINCT project_id FROM task WHERE id IN ({', '.join('?' for _ in chunk)})", chunk))
    return holding


def projects_of_tasks(conn: ReadConnection, task_ids: Sequence[int]) -> list[tuple]:
    """(key, kind, archived) of each project holding one of these tasks."""
    marks = ", ".join("?" for _ in task_ids) or "NULL"
    return conn.rows(f"SELECT DISTINCT p.key, p.kind, p.archived FROM task t JOIN project p "
                     f"ON p.id = t.project_id WHERE t.id IN ({marks})", list(task_ids))


def planned_work(conn: ReadConnection, key: str) -> dict[int, tuple]:
    """Per task of a project: (estimate_hours, duration_days)."""
    return {row[0]: (row[1], row[2]) for row in conn.rows(
        "SELECT t.id, t.estimate_hours, t.duration_days FROM task t JOIN project p ON p.id = t.project_id "
        "WHERE p.key = ?", [key])}


def finish_marks(conn: ReadConnection, task_ids: Sequence[int]) -> list[tuple]:
    """(id, actual_finish, completed_at) of these tasks."""
    marks = ",".join("?" * len(task_ids))
    return conn.rows(f"SELECT id, actual_finish, completed_at FROM task WHERE id IN ({marks})", task_ids)


def clocked_entries(conn: ReadConnection, task_ids: Sequence[int]) -> list[tuple]:
    """(started_at, hours) of the finished time entries on these tasks."""
    marks = ",".join("?" * len(task_ids))
    return conn.rows(f"SELECT started_at, hours FROM timeentry WHERE ended_at IS NOT NULL AND task_id IN ({marks})",
                     task_ids)


def estimate_actuals(conn: ReadConnection) -> list[tuple]:
    """(person, task id, estimate_hours, clocked hours) of finished, estimated tasks with finished time entries."""
    return conn.rows(
        "SELECT e.person, t.id, t.estimate_hours, sum(e.hours) FROM timeentry e JOIN task t ON t.id = e.task_id "
        "WHERE t.completed_at IS NOT NULL AND t.estimate_hours > 0 AND e.ended_at IS NOT NULL "
        "GROUP BY e.person, t.id, t.estimate_hours")


def latest_baseline(conn: ReadConnection, key: str, name: str | None) -> tuple | None:
    """(id, name, created_at) of a project's newest baseline (the newest called ``name`` when given), or None."""
    params: list[Any] = [key]
    sql = ("SELECT b.id, b.name, b.created_at FROM baseline b JOIN project p ON p.id = b.project_id "
           "WHERE p.key = ?")
    if name:
        sql += " AND b.name = ?"
        params.append(name)
    return conn.one(sql + " ORDER BY b.id DESC LIMIT 1", params)


def baseline_tasks(conn: ReadConnection, baseline_id: int) -> dict[int, tuple]:
    """Per task of a baseline: (start, finish, es, ef)."""
    return {r[0]: (r[1], r[2], r[3], r[4]) for r in conn.rows(
        "SELECT task_id, start, finish, es, ef FROM baselinetask WHERE baseline_id = ?", [baseline_id])}


def baseline_summaries(conn: ReadConnection, key: str | None) -> list[tuple]:
    """(project key, name, created_at, task count) of every baseline (of one project when key is given)."""
    where, params = ("WHERE p.key = ?", [key]) if key is not None else ("", [])
    return conn.rows(
        "SELECT p.key, b.name, b.created_at, (SELECT COUNT(*) FROM baselinetask t WHERE t.baseline_id = b.id) "
        f"FROM baseline b JOIN project p ON p.id = b.project_id {where} ORDER BY p.key, b.created_at, b.id",
        params)


def people(conn: ReadConnection, *, ordered: bool = False) -> list[tuple]:
    """(id, handle, capacity, calendar_id) of every person (by handle when ordered)."""
    sql = "SELECT id, handle, capacity, calendar_id FROM resource WHERE kind = 'person'"
    return conn.rows(sql + " ORDER BY handle" if ordered else sql)


def running_timer(conn: ReadConnection, person: str) -> tuple | None:
    """(entry id, task id, task title, person, started_at) of this person's latest running timer, or None."""
    return conn.one("SELECT e.id, e.task_id, t.title, e.person, e.started_at FROM timeentry e "
                    "JOIN task t ON t.id = e.task_id WHERE e.person = ? AND e.ended_at IS NULL "
                    "ORDER BY e.started_at DESC LIMIT 1", [person])
