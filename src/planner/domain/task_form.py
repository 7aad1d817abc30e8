"""A task as a small TOML form for a text editor: render it, read it back, and say which fields differ."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from planner.domain.clock import format_hours
from planner.domain.dates import parse_date, parse_duration_hours, parse_working_days
from planner.domain.errors import InvalidInputError

#: The form's keys in the order they are written; each names a TaskForm attribute of the same name.
FORM_KEYS = ("title", "project", "status", "priority", "due", "start", "estimate", "duration", "tags",
             "assignees", "dependencies", "notes")
ERROR_MARK = "# ERROR: "
_NONE_WORDS = ("", "none", "-")


@dataclass(frozen=True, slots=True)
class TaskForm:
    """The values a person edits in the form (dates and efforts already read)."""

    title: str
    project: str
    status: str
    priority: int
    due: date | None
    start: date | None
    estimate: float | None  # hours
    duration: int | None  # working days
    tags: tuple[str, ...]
    assignees: tuple[str, ...]
    dependencies: tuple[int, ...]
    notes: str


def changed_fields(before: TaskForm, after: TaskForm) -> list[str]:
    """Keys whose values differ, in form order (tags, people and links compared as sets)."""
    changed = []
    for name in FORM_KEYS:
        old, new = getattr(before, name), getattr(after, name)
        if isinstance(old, tuple):
            old, new = set(old), set(new)
        if old != new:
            changed.append(name)
    return changed


def _basic(text: str) -> str:
    """A TOML basic string (one line)."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _multiline(text: str) -> str:
    """A TOML multi-line basic string whose content starts on the next line."""
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif char in "\n\t":
            out.append(char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"""\n' + "".join(out) + '"""'


def _strings(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(_basic(value) for value in values) + "]"


def render_form(form: TaskForm, *, task_id: int, version: int, statuses: list[str]) -> str:
    """The form's text: a comment header explaining each field, then one key per field."""
    lines = [
        f"# Task #{task_id}, version {version}. Change values, save and quit; quit without saving to change nothing.",
        "#   title         text",
        "#   project       a project or stream key (`planner project ls`)",
        f"#   status        one of: {', '.join(statuses)}",
        "#   priority      0 (none) to 3 (highest)",
        "#   due, start    a date: \"2026-12-01\", \"fri\", \"+3d\", \"eow\"; \"\" for none (start: not before this day)",
        "#   estimate      effort: \"90m\", \"3h\", \"2d\"; \"\" for none",
        "#   duration      working days: \"3\", \"2w\"; \"\" for none",
        "#   tags          [\"home\", \"phone\"]",
        "#   assignees     person handles (`planner resource ls`): [\"ana\"]",
        "#   dependencies  ids of the tasks this one waits for: [4, 7]",
        "#   notes         free text between the triple quotes",
        "",
        f"title = {_basic(form.title)}",
        f"project = {_basic(form.project)}",
        f"status = {_basic(form.status)}",
        f"priority = {form.priority}",
        f"due = {_basic(form.due.isoformat() if form.due else '')}",
        f"start = {_basic(form.start.isoformat() if form.start else '')}",
        f"estimate = {_basic(format_hours(form.estimate) if form.estimate is not None else '')}",
        f"duration = {_basic(str(form.duration) if form.duration is not None else '')}",
        f"tags = {_strings(form.tags)}",
        f"assignees = {_strings(form.assignees)}",
        f"dependencies = [{', '.join(str(task_id) for task_id in form.dependencies)}]",
        f"notes = {_multiline(form.notes)}",
    ]
    return "\n".join(lines) + "\n"


def without_error(text: str) -> str:
    """The form's text without the error lines a previous attempt put at its top."""
    lines = text.splitlines(keepends=True)
    if not lines or not lines[0].startswith(ERROR_MARK):
        return text
    while lines and lines[0].startswith(ERROR_MARK):
        lines.pop(0)
    for follower in ("# Fix it and save", "#\n"):
        if lines and lines[0].startswith(follower):
            lines.pop(0)
    return "".join(lines)


def with_error(text: str, error: str) -> str:
    """The person's text with ``error`` as comment lines on top (replacing an earlier error)."""
    head = [ERROR_MARK + line for line in error.splitlines() or [""]]
    head += ["# Fix it and save, or quit without saving to leave the task as it was.", "#"]
    return "\n".join(head) + "\n" + without_error(text)


def parse_form(text: str, *, base: TaskForm, today: date) -> TaskForm:
    """Read an edited form; a key left out keeps ``base``'s value. Raises InvalidInputError naming the field."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidInputError(f"the form is not valid TOML: {error} (strings need quotes: due = \"fri\")") from None
    unknown = [key for key in data if key not in FORM_KEYS]
    if unknown:
        raise InvalidInputError(f"unknown field {unknown[0]!r}: the form has {', '.join(FORM_KEYS)}")
    values: dict[str, Any] = {}
    for key, raw in data.items():
        values[key] = _READERS[key](key, raw, today)
    return replace(base, **values)


def _kind(value: Any) -> str:
    return {str: "text", int: "a number", float: "a number", bool: "true/false", list: "a list",
            dict: "a table"}.get(type(value), type(value).__name__)


def _text(key: str, raw: Any, _today: date) -> str:
    if not isinstance(raw, str):
        raise InvalidInputError(f"{key}: give text in quotes, not {_kind(raw)}")
    return raw if key == "notes" else raw.strip()


def _priority(key: str, raw: Any, _today: date) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= 3:
        raise InvalidInputError(f"{key}: give a number from 0 (none) to 3 (highest), not {raw!r}")
    return raw


def _day(key: str, raw: Any, today: date) -> date | None:
    if isinstance(raw, datetime) or not isinstance(raw, (str, date)):
        raise InvalidInputError(f"{key}: give a date in quotes, e.g. \"2026-12-01\" or \"fri\" (\"\" for none)")
    if isinstance(raw, date):
        return raw
    if raw.strip().lower() in _NONE_WORDS:
        return None
    try:
        return parse_date(raw, today)
    except InvalidInputError as error:
        raise InvalidInputError(f"{key}: {error}") from None


def _estimate(key: str, raw: Any, _today: date) -> float | None:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        return parse_duration_hours(str(raw))
    if not isinstance(raw, str):
        raise InvalidInputError(f"{key}: give an effort in quotes, e.g. \"3h\" (\"\" for none)")
    if raw.strip().lower() in _NONE_WORDS:
        return None
    try:
        return parse_duration_hours(raw)
    except InvalidInputError as error:
        raise InvalidInputError(f"{key}: {error}") from None


def _duration(key: str, raw: Any, _today: date) -> int | None:
    if isinstance(raw, int) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str):
        raise InvalidInputError(f"{key}: give working days in quotes, e.g. \"3d\" (\"\" for none)")
    if raw.strip().lower() in _NONE_WORDS:
        return None
    try:
        return parse_working_days(raw)
    except InvalidInputError as error:
        raise InvalidInputError(f"{key}: {error}") from None


def _names(key: str, raw: Any, _today: date) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
        raise InvalidInputError(f"{key}: give a list of names in quotes, e.g. [\"home\", \"phone\"] ([] for none)")
    return tuple(dict.fromkeys(item.strip() for item in raw if item.strip()))


def _ids(key: str, raw: Any, _today: date) -> tuple[int, ...]:
    if not isinstance(raw, list):
        raise InvalidInputError(f"{key}: give a list of task ids, e.g. [4, 7] ([] for none)")
    ids = []
    for item in raw:
        text = item.strip().lstrip("#") if isinstance(item, str) else item
        if isinstance(text, str) and text.isdigit():
            text = int(text)
        if isinstance(text, bool) or not isinstance(text, int) or text <= 0:
            raise InvalidInputError(f"{key}: {item!r} is not a task id; give ids like [4, 7]")
        ids.append(text)
    return tuple(dict.fromkeys(ids))


_READERS = {"title": _text, "project": _text, "status": _text, "notes": _text, "priority": _priority,
            "due": _day, "start": _day, "estimate": _estimate, "duration": _duration, "tags": _names,
            "assignees": _names, "dependencies": _ids}
