"""The digest's "what changed": new tasks, slipped due dates, reassignments and moved deadlines.

Read from the Event log (the before/after snapshots every write leaves)
between a bound — when the recipient's previous digest went out — and now.
Several edits of one task collapse into one line: a due date moved twice is
reported once, from the first value to the last; an assignment made and
taken back is not reported at all.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from planner.store import digest_views
from planner.store.dbapi import ReadConnection
from planner.store.views import as_date

#: The order in which kinds of change are listed.
CHANGE_KINDS = ("new", "slipped", "reassigned", "deadline")


@dataclass(slots=True)
class ChangeLine:
    """One notable change: ``kind`` is new | slipped | reassigned | deadline."""

    kind: str
    task_id: int | None
    title: str
    project: str
    before: str | None
    after: str | None
    actors: list[str]
    assignees: list[str]

    def to_json(self) -> dict[str, Any]:
        """The JSON object of a change."""
        return {"change": self.kind, "task": self.task_id, "title": self.title, "project": self.project,
                "before": self.before, "after": self.after, "by": self.actors, "assignees": self.assignees}


@dataclass(slots=True)
class _TaskNow:
    title: str
    project: str
    done: bool
    assignees: list[str]


def _decode(value: Any) -> dict[str, Any] | None:
    if isinstance(value, str):
        return json.loads(value)
    return value


def db_time(conn: ReadConnection, moment: datetime) -> Any:
    """A naive-UTC time as a parameter comparable with the event table's ``at``.

    SQLite keeps naive UTC text; PostgreSQL gets an aware time, which it
    converts with the session's time zone exactly as it did when storing.
    """
    if conn.dialect == "sqlite":
        return moment.strftime("%Y-%m-%d %H:%M:%S.%f")
    return moment.replace(tzinfo=timezone.utc)


def load_changes(conn: ReadConnection, since: Any, *, relevant: Callable[[ChangeLine], bool],
                 skip_actors: Collection[str] = ()) -> list[ChangeLine]:
    """Notable changes after ``since`` (a value of the event table's ``at`` column), relevant ones only."""
    events = digest_views.events_since(conn, since)
    created: dict[int, str] = {}
    due_moves: dict[int, list[Any]] = {}
    deadline_moves: dict[int, list[Any]] = {}
    assignment_moves: dict[int, dict[int, int]] = {}
    actors: dict[tuple[str, int], list[str]] = {}
    for _id, actor, entity, entity_id, action, raw_before, raw_after in events:
        if actor in skip_actors:
            continue
        before, after = _decode(raw_before), _decode(raw_after)
        if entity == "task" and action == "created" and entity_id is not None:
            created[entity_id] = actor
        elif entity == "task" and action == "updated" and before and after and before.get("due") != after.get("due"):
            _track(due_moves, entity_id, before.get("due"), after.get("due"))
            _note_actor(actors, ("slipped", entity_id), actor)
        elif entity == "project" and action == "updated" and before and after \
                and before.get("deadline") != after.get("deadline"):
            _track(deadline_moves, entity_id, before.get("deadline"), after.get("deadline"))
            _note_actor(actors, ("deadline", entity_id), actor)
        elif entity == "assignment" and action in ("created", "deleted"):
            row = after if action == "created" else before
            if row and row.get("task_id") is not None:
                moves = assignment_moves.setdefault(int(row["task_id"]), {})
                resource_id = int(row["resource_id"])
                moves[resource_id] = moves.get(resource_id, 0) + (1 if action == "created" else -1)
                _note_actor(actors, ("reassigned", int(row["task_id"])), actor)

    task_ids = set(created) | set(due_moves) | set(assignment_moves)
    tasks = _tasks_now(conn, task_ids)
    handles = digest_views.resource_handles(conn) if assignment_moves else {}
    lines: list[ChangeLine] = []
    for task_id, actor in created.items():
        task = tasks.get(task_id)
        if task is not None and not task.done:
            lines.append(ChangeLine("new", task_id, task.title, task.project, None, None, [actor], task.assignees))
    for task_id, (first, last) in due_moves.items():
        task = tasks.get(task_id)
        old, new = as_date(first), as_date(last)
        if task is None or task.done or task_id in created or old is None or new is None or new <= old:
            continue
        lines.append(ChangeLine("slipped", task_id, task.title, task.project, old.isoformat(), new.isoformat(),
                                actors[("slipped", task_id)], task.assignees))
    for task_id, moves in assignment_moves.items():
        task = tasks.get(task_id)
        if task is None or task.done or task_id in created:
            continue
        added = sorted(handles.get(r, f"#{r}") for r, count in moves.items() if count > 0)
        removed = sorted(handles.get(r, f"#{r}") for r, count in moves.items() if count < 0)
        if added or removed:
            lines.append(ChangeLine("reassigned", task_id, task.title, task.project, ", ".join(removed) or None,
                                    ", ".join(added) or None, actors[("reassigned", task_id)], task.assignees))
    lines.extend(_deadline_lines(conn, deadline_moves, actors))
    kept = [line for line in lines if relevant(line)]
    kept.sort(key=lambda line: (CHANGE_KINDS.index(line.kind), line.project, line.task_id or 0))
    return kept


def _track(moves: dict[int, list[Any]], entity_id: int | None, before: Any, after: Any) -> None:
    if entity_id is None:
        return
    if entity_id in moves:
        moves[entity_id][1] = after
    else:
        moves[entity_id] = [before, after]


def _note_actor(actors: dict[tuple[str, int], list[str]], key: tuple[str, int], actor: str) -> None:
    names = actors.setdefault(key, [])
    if actor not in names:
        names.append(actor)


def _tasks_now(conn: ReadConnection, task_ids: set[int]) -> dict[int, _TaskNow]:
    """Current title, project, state and assignees of the tasks (deleted ones are absent)."""
    found: dict[int, _TaskNow] = {}
    ordered = sorted(task_ids)
    for first in range(0, len(ordered), 500):
        chunk = ordered[first:first + 500]
        for task_id, title, key, completed in digest_views.task_titles_and_states(conn, chunk):
            found[task_id] = _TaskNow(title, key, completed is not None, [])
        for task_id, handle in digest_views.assignee_handles(conn, chunk):
            if task_id in found:
                found[task_id].assignees.append(handle)
    return found


def _deadline_lines(conn: ReadConnection, moves: dict[int, list[Any]],
                    actors: dict[tuple[str, int], list[str]]) -> list[ChangeLine]:
    """Projects whose deadline moved later (or was dropped), with who works on them."""
    lines = []
    for project_id, (first, last) in moves.items():
        old, new = as_date(first), as_date(last)
        if old is None or (new is not None and new <= old):
            continue
        row = digest_views.project_naming(conn, project_id)
        if row is None or row[2]:
            continue
        people = digest_views.open_work_handles(conn, project_id)
        lines.append(ChangeLine("deadline", None, row[1], row[0], old.isoformat(),
                                new.isoformat() if new else None, actors[("deadline", project_id)], people))
    return lines

