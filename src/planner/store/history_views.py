"""Reads for a task's history and annotations: its events, the rows its commands touched, names of ids."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from planner.store.columns import as_datetime
from planner.store.dbapi import ReadConnection

#: Rows that belong to a task and whose events a task's history shows (what names them, by table).
TASK_ROWS = ("tasktag", "assignment", "comment", "dependency")


@dataclass(slots=True)
class LoggedEvent:
    """One event of the log with its command (batch) and whether undo reverted it."""

    id: int
    at: datetime | None
    actor: str
    batch: str
    entity: str
    entity_id: int | None
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    undone: bool


@dataclass(slots=True)
class AnnotationRow:
    """One annotation (a row of ``comment``) of a task."""

    id: int
    at: datetime | None
    author: str
    text: str


_COLUMNS = "id, at, actor, batch, entity, entity_id, action, before, after, undone"


def _utc(value: Any) -> datetime | None:
    """A stored time (UTC, naive on SQLite) as an aware UTC datetime."""
    stamp = as_datetime(value)
    return stamp.replace(tzinfo=timezone.utc) if stamp is not None and stamp.tzinfo is None else stamp


def _event(row: tuple) -> LoggedEvent:
    return LoggedEvent(row[0], _utc(row[1]), row[2], row[3], row[4], row[5], row[6], _json(row[7]),
                       _json(row[8]), bool(row[9]))


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def task_events(conn: ReadConnection, task_id: int, limit: int) -> list[LoggedEvent]:
    """The latest ``limit`` events about task ``task_id`` itself, oldest first."""
    rows = conn.rows(f"SELECT {_COLUMNS} FROM event WHERE entity = 'task' AND entity_id = ? ORDER BY id DESC LIMIT ?",
                     [task_id, limit])
    return [_event(row) for row in reversed(rows)]


def batch_row_events(conn: ReadConnection, batches: Iterable[str]) -> list[LoggedEvent]:
    """Events of these commands on a task's own rows (tags, assignments, annotations), oldest first."""
    wanted = sorted(set(batches))
    if not wanted:
        return []
    marks = ", ".join("?" for _ in wanted)
    entities = ", ".join(f"'{name}'" for name in TASK_ROWS)
    return [_event(row) for row in conn.rows(
        f"SELECT {_COLUMNS} FROM event WHERE batch IN ({marks}) AND entity IN ({entities}) ORDER BY id", wanted)]


def names(conn: ReadConnection, table: str, ids: Iterable[int]) -> dict[int, str]:
    """Id -> name of tags (``tag``), people (``resource``: handles) or projects (``project``: keys)."""
    column = {"tag": "name", "resource": "handle", "project": "key"}[table]
    wanted = sorted({int(i) for i in ids if i is not None})
    if not wanted:
        return {}
    marks = ", ".join("?" for _ in wanted)
    return {int(r[0]): str(r[1]) for r in conn.rows(f"SELECT id, {column} FROM {table} WHERE id IN ({marks})", wanted)}


def annotations_of(conn: ReadConnection, task_id: int) -> list[AnnotationRow]:
    """A task's annotations, oldest first (their position is the N of `denotate`)."""
    return [AnnotationRow(r[0], _utc(r[1]), r[2], r[3]) for r in conn.rows(
        "SELECT id, created_at, author, body FROM comment WHERE task_id = ? ORDER BY created_at, id", [task_id])]
