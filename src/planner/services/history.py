"""A task's history (each command that changed it: who, when, each field's old and new value) and annotations.

Nothing extra is written for it: every write already logs the row's snapshot
before and after (the unit of work takes both from the object it holds), and
a command's tag, assignment and annotation rows share its batch. An undone
command stays in the history marked ``undone``: the log is append-only and
the entry then says what happened and that it no longer holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from planner.domain.history import action_of, column_changes, set_change, words
from planner.store import history_views
from planner.store.dbapi import ReadConnection

#: How many of a task's latest events `show` reads.
HISTORY_EVENTS = 50


@dataclass(slots=True)
class HistoryEntry:
    """One command's changes to one task."""

    task_id: int
    at: datetime | None
    by: str
    action: str
    changes: dict[str, list[Any]] = field(default_factory=dict)
    undone: bool = False

    def words(self) -> str:
        """'title: chore 6 → chore six, due: none → 2030-01-09' (empty when nothing a person sees changed)."""
        return words(self.changes)

    def to_json(self) -> dict[str, Any]:
        """``{at, by, action, changes: {field: [old, new]}, undone}``."""
        return {"at": self.at.isoformat() if self.at else None, "by": self.by, "action": self.action,
                "changes": self.changes, "undone": self.undone}


@dataclass(frozen=True, slots=True)
class Annotation:
    """The N-th annotation of a task: when, by whom, what."""

    n: int
    at: datetime | None
    by: str
    text: str

    def to_json(self) -> dict[str, Any]:
        """``{n, at, by, text}``."""
        return {"n": self.n, "at": self.at.isoformat() if self.at else None, "by": self.by, "text": self.text}


@dataclass(slots=True)
class Names:
    """Names of the ids a history shows: tag names, people's handles, project keys."""

    tags: dict[int, str] = field(default_factory=dict)
    people: dict[int, str] = field(default_factory=dict)
    projects: dict[int, str] = field(default_factory=dict)


@dataclass(slots=True)
class _Command:
    events: list[Any] = field(default_factory=list)
    rows: list[Any] = field(default_factory=list)


def _owner(event: Any) -> int | None:
    """The task a row belongs to (a link belongs to the task that waits)."""
    row = event.after or event.before or {}
    return row.get("task_id", row.get("successor_id"))


def _relations(rows: Sequence[Any], names: Names) -> dict[str, tuple[list[str], list[str]]]:
    """(added, removed) tags, assignees and annotations among a command's row events."""
    found: dict[str, tuple[list[str], list[str]]] = {}
    for event in rows:
        if event.action not in ("created", "deleted"):
            continue
        row = event.after if event.action == "created" else event.before
        if not row:
            continue
        if event.entity == "tasktag":
            key, name = "tags", names.tags.get(row.get("tag_id"), f"tag {row.get('tag_id')}")
        elif event.entity == "assignment":
            key, name = "assignees", names.people.get(row.get("resource_id"), f"person {row.get('resource_id')}")
        elif event.entity == "dependency":
            kind, lag = row.get("type") or "FS", int(row.get("lag_days") or 0)
            key, name = "waits_for", f"#{row.get('predecessor_id')}" + ("" if (kind, lag) == ("FS", 0) else
                                                                       f" {kind}{lag:+d}" if lag else f" {kind}")
        else:
            key, name = "annotations", str(row.get("body", ""))
        added, removed = found.setdefault(key, ([], []))
        (added if event.action == "created" else removed).append(name)
    return found


def build_entries(task_id: int, task_events: Sequence[Any], row_events: Sequence[Any], names: Names,
                  tags_now: Iterable[str], assignees_now: Iterable[str]) -> list[HistoryEntry]:
    """Entries of one task, oldest first, from its events and its commands' row events.

    Tags and assignees are given as whole lists before and after, counted back
    from today's; a command undo reverted does not count.
    """
    commands: dict[str, _Command] = {}
    for event in task_events:
        commands.setdefault(event.batch, _Command()).events.append(event)
    for event in row_events:
        if event.batch in commands and _owner(event) == task_id:
            commands[event.batch].rows.append(event)
    current = {"tags": sorted(tags_now), "assignees": sorted(assignees_now)}
    entries: list[HistoryEntry] = []
    for command in reversed(list(commands.values())):
        events = sorted(command.events, key=lambda e: e.id)
        created = any(e.action == "created" for e in events)
        deleted = any(e.action == "deleted" for e in events)
        updates = [e for e in events if e.action == "updated"]
        changes = column_changes(updates[0].before, updates[-1].after) if updates and not created else {}
        if "project" in changes:
            changes["project"] = [names.projects.get(v, v) for v in changes["project"]]
        undone = all(e.undone for e in events)
        for key, (added, removed) in _relations(sorted(command.rows, key=lambda e: e.id), names).items():
            if key in ("annotations", "waits_for"):
                changes[key] = [removed, added]
                continue
            if undone:  # reverted: today's list never had its effect
                change = set_change(current[key], added, removed)
                if change:
                    changes[key] = [change[0], change[1]]
                continue
            old = sorted((set(current[key]) - set(added)) | set(removed))
            if old != current[key]:
                changes[key] = [old, current[key]]
            current[key] = old
        first = events[0]
        entries.append(HistoryEntry(task_id, first.at, first.actor, action_of(created, deleted, changes), changes,
                                    undone))
    return [entry for entry in reversed(entries) if entry.changes or entry.action in ("add", "remove")]


def task_history(conn: ReadConnection, task_id: int, tags_now: Iterable[str],
                 assignees_now: Iterable[str]) -> list[HistoryEntry]:
    """The latest commands that changed task ``task_id``, oldest first."""
    events = history_views.task_events(conn, task_id, HISTORY_EVENTS)
    rows = history_views.batch_row_events(conn, {event.batch for event in events})
    return build_entries(task_id, events, rows, lookup_names(conn, events, rows), tags_now, assignees_now)


def lookup_names(conn: ReadConnection, events: Sequence[Any], rows: Sequence[Any]) -> Names:
    """The names of the tags, people and projects these events refer to by id."""
    def ids(entity: str, column: str, among: Sequence[Any]) -> set[int]:
        return {snap[column] for e in among if e.entity == entity for snap in (e.before, e.after)
                if snap and snap.get(column) is not None}

    return Names(history_views.names(conn, "tag", ids("tasktag", "tag_id", rows)),
                 history_views.names(conn, "resource", ids("assignment", "resource_id", rows)),
                 history_views.names(conn, "project", ids("task", "project_id", events)))


def annotations_of(conn: ReadConnection, task_id: int) -> list[Annotation]:
    """A task's annotations, numbered from 1, oldest first."""
    return [Annotation(n, row.at, row.author, row.text)
            for n, row in enumerate(history_views.annotations_of(conn, task_id), start=1)]
