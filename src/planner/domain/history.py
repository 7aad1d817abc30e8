"""What one command changed on a task, in fields with old and new values, and in words.

The event log keeps each row's snapshot before and after a write; these pure
functions turn a command's snapshots into ``{field: [old, new]}`` and name
the command (edit, done, tag ...) for `show`, the app and undo's messages.
"""

from __future__ import annotations

from typing import Any

#: Task columns a person sees in a history, under the name the history gives them.
TASK_FIELDS = {
    "title": "title", "status": "status", "priority": "priority", "due": "due", "start_no_earlier": "start",
    "estimate_hours": "estimate", "duration_days": "duration", "percent_done": "percent_done",
    "actual_start": "started", "actual_finish": "finished", "snoozed_until": "snoozed_until", "kind": "kind",
    "notes": "notes", "project_id": "project", "parent_id": "parent", "sprint_id": "sprint",
    "optimistic_days": "optimistic", "likely_days": "likely", "pessimistic_days": "pessimistic",
    "external_id": "external_id",
}
#: How many characters of a long value (notes, an annotation) words() shows.
SHORT = 60


def column_changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` of the task columns that differ between two snapshots (bookkeeping left out)."""
    before, after = before or {}, after or {}
    return {name: [before.get(column), after.get(column)] for column, name in TASK_FIELDS.items()
            if before.get(column) != after.get(column)}


def set_change(old: list[str], added: list[str], removed: list[str]) -> list[list[str]] | None:
    """``[old, new]`` of a set-valued field (tags, assignees) given what a command added and removed."""
    new = sorted((set(old) - set(removed)) | set(added))
    old = sorted(old)
    return None if new == old else [old, new]


def action_of(created: bool, deleted: bool, changes: dict[str, list[Any]]) -> str:
    """The command a set of changes reads as: add, remove, done, start, move, tag, assign, annotate or edit."""
    if created:
        return "add"
    if deleted:
        return "remove"
    if "status" in changes:
        if changes.get("finished", [None, None])[1] is not None:
            return "done"
        if changes.get("started", [None, None])[1] is not None:
            return "start"
        return "move" if len(changes) == 1 else "edit"
    kinds = set(changes)
    if kinds == {"tags"}:
        return "tag"
    if kinds == {"assignees"}:
        return "assign"
    if kinds == {"annotations"}:
        old, new = changes["annotations"]
        return "annotate" if len(new) > len(old) else "denotate"
    if kinds == {"waits_for"}:
        return "link"
    return "edit"


def value_words(value: Any) -> str:
    """One old or new value as `show` prints it: none, a list joined by commas, text cut at SHORT."""
    if value is None or value == [] or value == "":
        return "none"
    if isinstance(value, list):
        return ", ".join(value_words(item) for item in value)
    if isinstance(value, float):
        return f"{value:g}"
    text = " ".join(str(value).split())
    return text if len(text) <= SHORT else text[:SHORT - 1] + "…"


def change_words(name: str, old: Any, new: Any) -> str:
    """'title: chore 6 → chore six'; an estimate counts hours ('estimate: 3h → 5h')."""
    if name == "estimate":
        old, new = (None if v is None else f"{v:g}h" for v in (old, new))
    if name in ("annotations", "waits_for"):  # [removed, added]: annotations and predecessors come and go
        gone, came = [t for t in old if t not in new], [t for t in new if t not in old]
        parts = [f"+ {value_words(t)}" for t in came] + [f"- {value_words(t)}" for t in gone]
        return ("annotation: " if name == "annotations" else "waits for: ") + "; ".join(parts)
    return f"{name.replace('_', ' ')}: {value_words(old)} → {value_words(new)}"


def words(changes: dict[str, list[Any]]) -> str:
    """Every change of a command in words, separated by commas."""
    return ", ".join(change_words(name, old, new) for name, (old, new) in changes.items())
