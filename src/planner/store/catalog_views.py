"""Small lookups many capabilities share: keys, handles, titles and links by id.

Plain SQL on the DB-API connection (``?`` placeholders), returning plain values;
no SQLAlchemy here, so `planner ls`, `show` and `queue` may import it.
"""

from __future__ import annotations

from collections.abc import Sequence

from planner.store.dbapi import ReadConnection


def project_keys(conn: ReadConnection) -> list[str]:
    """Every project's key (for "did you mean" hints)."""
    return [row[0] for row in conn.rows("SELECT key FROM project")]


def project_id_of_key(conn: ReadConnection, key: str) -> int | None:
    """The id of the project with this (normalized) key, or None."""
    found = conn.one("SELECT id FROM project WHERE key = ?", [key])
    return None if found is None else found[0]


def project_exists(conn: ReadConnection, key: str) -> bool:
    """Whether a project has this (normalized) key."""
    return bool(conn.rows("SELECT 1 FROM project WHERE key = ?", (key,)))


def project_key_of_task(conn: ReadConnection, task_id: int) -> str | None:
    """The key of the project holding a task, or None when there is no such task."""
    found = conn.one("SELECT p.key FROM task t JOIN project p ON p.id = t.project_id WHERE t.id = ?", [task_id])
    return None if found is None else found[0]


def project_keys_of_tasks(conn: ReadConnection) -> dict[int, str]:
    """The project key of every task in a project (streams' tasks left out), by task id."""
    return {row[0]: row[1] for row in conn.rows("SELECT t.id, p.key FROM task t JOIN project p "
                                                "ON p.id = t.project_id WHERE p.kind = 'project'")}


def task_titles(conn: ReadConnection, task_ids: Sequence[int]) -> list[tuple]:
    """(id, title) of those of these tasks that exist (at most a few hundred ids)."""
    marks = ", ".join("?" for _ in task_ids)
    return conn.rows(f"SELECT id, title FROM task WHERE id IN ({marks})", task_ids)


def resource_handles(conn: ReadConnection) -> list[str]:
    """Every resource's handle."""
    return [str(row[0]) for row in conn.rows("SELECT handle FROM resource")]


def resource_exists(conn: ReadConnection, handle: str) -> bool:
    """Whether a resource has this (normalized) handle."""
    return conn.scalar("SELECT 1 FROM resource WHERE handle = ?", [handle]) is not None


def handles_like(conn: ReadConnection, pattern: str) -> list[str]:
    """Handles matching a LIKE pattern, in the order they were added."""
    return [row[0] for row in conn.rows("SELECT handle FROM resource WHERE handle LIKE ? ORDER BY id", (pattern,))]


def dependency_edges(conn: ReadConnection) -> list[tuple]:
    """(predecessor id, successor id) of every dependency."""
    return conn.rows("SELECT predecessor_id, successor_id FROM dependency")


def dependency_links(conn: ReadConnection) -> list[tuple]:
    """(id, predecessor id, successor id, type, lag_days, successor title, successor completed_at) of every link."""
    return conn.rows(
        "SELECT d.id, d.predecessor_id, d.successor_id, d.type, d.lag_days, s.title, s.completed_at "
        "FROM dependency d JOIN task s ON s.id = d.successor_id ORDER BY d.successor_id, d.predecessor_id"
    )
