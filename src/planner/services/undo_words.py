"""What an undo reverts, in words: 'edit of #5: title chore six → chore 6' (each change from new back to old)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import select

from planner.domain.history import words
from planner.services.history import Names, build_entries
from planner.store.models import Assignment, Project, Resource, Tag, TaskTag
from planner.store.uow import UnitOfWork

#: How many tasks an undo message names before it counts the rest.
NAMED_TASKS = 3
#: Rows in words, and the rows that are part of another one (a baseline's task dates).
ROW_WORDS = {"baselinetask": "baseline task", "timeentry": "time entry", "workflowstate": "workflow state",
             "calendarexception": "calendar day", "tasktag": "tag", "teammember": "team member",
             "syncpairing": "sync pairing", "dayplan": "day plan"}
PART_ROWS = {"baselinetask", "tasktag", "calendarexception", "teammember"}
ACTION_WORDS = {"created": "added", "deleted": "removed", "updated": "changed"}


def describe_command(uow: UnitOfWork, events: Sequence[Any]) -> str:
    """The command these events (one batch, before undo reverts them) made, as its undo reverts it."""
    task_ids = list(dict.fromkeys(e.entity_id for e in sorted(events, key=lambda e: e.id)
                                  if e.entity == "task" and e.entity_id is not None))
    if not task_ids:
        # the command's main row: a baseline rather than its task rows, a workflow state rather than its tasks
        first = min((e for e in events if e.entity not in PART_ROWS), default=min(events, key=lambda e: e.id),
                    key=lambda e: e.id)
        what = ROW_WORDS.get(first.entity, first.entity)
        return (f"{len(events)} change{'s' if len(events) > 1 else ''}: {ACTION_WORDS.get(first.action, first.action)} "
                f"{what} #{first.entity_id}")
    rows = [e for e in events if e.entity in ("tasktag", "assignment", "comment", "dependency")]
    names = _names(uow, events, rows)
    parts = []
    for task_id in task_ids[:NAMED_TASKS]:
        own = [e for e in events if e.entity == "task" and e.entity_id == task_id]
        tags_now, people_now = _tags_and_people(uow, task_id)
        entries = build_entries(task_id, own, rows, names, tags_now, people_now)
        action = entries[0].action if entries else "edit"
        reverted = {name: [new, old] for entry in entries for name, (old, new) in entry.changes.items()}
        text = words(reverted)
        parts.append(f"{action} of #{task_id}" + (f": {text}" if text else ""))
    more = len(task_ids) - NAMED_TASKS
    return "; ".join(parts) + (f"; and {more} more task{'s' if more > 1 else ''}" if more > 0 else "")


def _names(uow: UnitOfWork, events: Sequence[Any], rows: Sequence[Any]) -> Names:
    def named(model: Any, entity: str, column: str, attribute: str, among: Sequence[Any]) -> dict[int, str]:
        ids = {snap[column] for e in among if e.entity == entity for snap in (e.before, e.after)
               if snap and snap.get(column) is not None}
        found = {row_id: uow.get(model, row_id) for row_id in ids}
        return {row_id: getattr(row, attribute) for row_id, row in found.items() if row is not None}

    return Names(named(Tag, "tasktag", "tag_id", "name", rows),
                 named(Resource, "assignment", "resource_id", "handle", rows),
                 named(Project, "task", "project_id", "key", events))


def _tags_and_people(uow: UnitOfWork, task_id: int) -> tuple[list[str], list[str]]:
    tags = uow.all(select(Tag.name).join(TaskTag, TaskTag.tag_id == Tag.id).where(TaskTag.task_id == task_id))
    people = uow.all(select(Resource.handle).join(Assignment, Assignment.resource_id == Resource.id)
                     .where(Assignment.task_id == task_id))
    return [str(t) for t in tags], [str(p) for p in people]
