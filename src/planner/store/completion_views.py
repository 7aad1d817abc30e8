"""Light reads for shell completion: read-only, no migration, nothing created, nothing waited for."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

from planner.store.dbapi import ReadConnection
from planner.store.location import DatabaseLocation

#: At most this many candidates per Tab (a shell shows no more usefully).
LIMIT = 200


@contextmanager
def completion_reader(location: DatabaseLocation) -> Iterator[ReadConnection | None]:
    """A read-only connection, or None when the store does not exist (a missing file is never created)."""
    if location.dialect == "sqlite":
        import sqlite3

        path = location.sqlite_path
        if path is None or not path.is_file():
            yield None
            return
        raw = sqlite3.connect(f"file:{quote(str(path.absolute()))}?mode=ro", uri=True, timeout=0.5)
    else:
        import psycopg

        raw = psycopg.connect(location.libpq_conninfo, autocommit=True, connect_timeout=2)
    try:
        yield ReadConnection(raw, location.dialect)
    finally:
        raw.close()


def _prefix(text: str) -> str:
    """A LIKE pattern for values starting with ``text`` (its own wildcards taken literally)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def task_titles(conn: ReadConnection, prefix: str) -> list[tuple[str, str]]:
    """(id, title) of tasks whose id starts with ``prefix``: open ones first, then done ones."""
    rows = conn.rows(
        "SELECT id, title FROM task WHERE CAST(id AS TEXT) LIKE ? ESCAPE '\\' "
        "ORDER BY CASE WHEN completed_at IS NULL THEN 0 ELSE 1 END, id LIMIT ?",
        [_prefix(prefix), LIMIT],
    )
    return [(str(row[0]), row[1]) for row in rows]


def project_names(conn: ReadConnection, prefix: str) -> list[tuple[str, str]]:
    """(key, name) of the projects and streams not archived whose key starts with ``prefix``."""
    rows = conn.rows("SELECT key, name FROM project WHERE archived = ? AND key LIKE ? ESCAPE '\\' ORDER BY key "
                     "LIMIT ?", [False, _prefix(prefix.lower()), LIMIT])
    return [(row[0], row[1] or "") for row in rows]


def person_names(conn: ReadConnection, prefix: str) -> list[tuple[str, str]]:
    """(handle, name) of the people and pools whose handle starts with ``prefix``."""
    rows = conn.rows("SELECT handle, name FROM resource WHERE handle LIKE ? ESCAPE '\\' ORDER BY handle LIMIT ?",
                     [_prefix(prefix), LIMIT])
    return [(row[0], row[1] or "") for row in rows]


def tag_names(conn: ReadConnection, prefix: str) -> list[str]:
    """Tags starting with ``prefix``."""
    rows = conn.rows("SELECT name FROM tag WHERE name LIKE ? ESCAPE '\\' ORDER BY name LIMIT ?",
                     [_prefix(prefix), LIMIT])
    return [row[0] for row in rows]


def status_names(conn: ReadConnection) -> list[str]:
    """Every workflow state key."""
    return [row[0] for row in conn.rows("SELECT DISTINCT key FROM workflowstate ORDER BY key")]
