"""CSV with a header row: known column names map themselves, ``--map col=field`` maps the others.

Fields: id, title, project, status, priority (0-3, H/M/L, high/medium/low,
A/B/C), due, start (no earlier), wait (snoozed until), duration (working
days), estimate (hours: ``3``, ``90m``, ``2d`` = 16 h), percent, kind,
tags, depends, parent, notes, assignees, completed, created — or
``ignore``. ``depends`` lists ids of the same file separated by spaces,
commas or semicolons, each ``ID``, ``ID:SS`` or ``ID:SS:2`` (type, lag in
days), or MS Project's ``5FS+2d`` for numeric ids. Only the columns present
are updated when the same file is imported again; without an id column a
row is identified by its title and project.

A text cell that a spreadsheet would run as a formula (it starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return) is written with a leading
``'``, as OWASP recommends against CSV injection; ``read`` takes that quote off again.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Mapping
from typing import IO, Any

from planner.domain.errors import InvalidInputError
from planner.interop.records import (
    Document, ExchangeTask, ExportData, LinkRecord, ResourceRecord, SeriesRecord, identify, source_or_uuid,
)
from planner.interop.timestamps import parse_datetime, parse_day

NAME = "csv"
ALIASES: tuple[str, ...] = ()
PREFIX = "csv:"
MODE = "csv"
SUFFIX = ".csv"
CAN_IMPORT = True
CAN_EXPORT = True
SCOPE = "tasks"
ONE_PROJECT: str | None = None
READ_OPTIONS: frozenset[str] = frozenset({"mapping"})
EXPORT_NEEDS = frozenset({"records"})
FIELD_NAMES = ("id", "title", "project", "status", "priority", "due", "start", "wait", "duration", "estimate",
               "percent", "kind", "tags", "depends", "parent", "notes", "assignees", "completed", "created", "ignore")
_ALIASES = {
    "id": "id", "uid": "id", "uuid": "id", "externalid": "id", "key": "id", "taskid": "id",
    "title": "title", "name": "title", "summary": "title", "task": "title", "subject": "title", "taskname": "title",
    "description": "title", "project": "project", "status": "status", "state": "status", "priority": "priority",
    "pri": "priority", "due": "due", "duedate": "due", "deadline": "due", "start": "start", "startdate": "start",
    "scheduled": "start", "startnoearlier": "start", "begin": "start", "wait": "wait", "snooze": "wait",
    "snoozeduntil": "wait", "duration": "duration", "durationdays": "duration", "days": "duration",
    "estimate": "estimate", "estimatehours": "estimate", "effort": "estimate", "hours": "estimate", "work": "estimate",
    "percent": "percent", "percentdone": "percent", "progress": "percent", "complete": "percent",
    "percentcomplete": "percent", "kind": "kind", "type": "kind", "milestone": "kind", "tags": "tags",
    "labels": "tags", "categories": "tags", "depends": "depends", "dependson": "depends", "predecessors": "depends",
    "after": "depends", "blockedby": "depends", "parent": "parent", "parentid": "parent", "notes": "notes",
    "note": "notes", "comments": "notes", "assignee": "assignees", "assignees": "assignees", "owner": "assignees",
    "resource": "assignees", "resources": "assignees", "resourcenames": "assignees", "completed": "completed",
    "completedat": "completed", "donedate": "completed", "finished": "completed", "created": "created",
    "createdat": "created", "entry": "created",
}
_CARRIED = {"title": "title", "project": "project", "status": "status", "priority": "priority", "due": "due",
            "start": "start_no_earlier", "wait": "snoozed_until", "duration": "duration_days",
            "estimate": "estimate_hours", "percent": "percent_done", "kind": "kind", "tags": "tags",
            "depends": "links", "parent": "parent", "notes": "notes", "assignees": "assignments"}
_STATUS = {"pending": "todo", "open": "open", "todo": "todo", "to do": "todo", "new": "todo", "backlog": "backlog",
           "doing": "doing", "in progress": "doing", "started": "doing", "active": "doing", "done": "done",
           "completed": "done", "complete": "done", "closed": "done", "x": "done", "finished": "done"}
_PRIORITY = {"": 0, "0": 0, "none": 0, "1": 1, "2": 2, "3": 3, "l": 1, "low": 1, "c": 1, "m": 2, "medium": 2,
             "normal": 2, "b": 2, "h": 3, "high": 3, "a": 3, "urgent": 3}
_MS_LINK = re.compile(r"^(\d+)(FS|SS|FF|SF)([+-]\d+)?\s*(?:d|days?)?$", re.IGNORECASE)
_AMOUNT = re.compile(r"^(\d+(?:\.\d+)?)\s*([a-z]*)$")


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(cell: object) -> object:
    """A text cell a spreadsheet will not run as a formula (a ``'`` before it); other cells as they are.

    Text already starting with quotes before a formula character gets one more, so ``read`` restores it exactly.
    """
    if isinstance(cell, str) and cell.lstrip("'").startswith(_FORMULA_STARTS):
        return "'" + cell
    return cell


def restored(text: str) -> str:
    """A cell as it was before :func:`neutralised` quoted it."""
    if text.startswith("'") and text.lstrip("'").startswith(_FORMULA_STARTS):
        return text[1:]
    return text


def _normal(name: str) -> str:
    return re.sub(r"[\s_\-%]+", "", name.strip().lower())


def columns_for(header: list[str], mapping: dict[str, str] | None) -> tuple[dict[int, str], list[str]]:
    """Column index -> field, and warnings for the columns left out."""
    wanted = {_normal(column): field.strip().lower() for column, field in (mapping or {}).items()}
    for column, field in (mapping or {}).items():
        if field.strip().lower() not in FIELD_NAMES:
            raise InvalidInputError(f"--map {column}={field}: {field!r} is not a field "
                                    f"(use one of {', '.join(FIELD_NAMES)})")
        if _normal(column) not in {_normal(name) for name in header}:
            raise InvalidInputError(f"--map {column}={field}: the file has no column {column!r}")
    fields: dict[int, str] = {}
    warnings: list[str] = []
    for index, name in enumerate(header):
        field = wanted.get(_normal(name)) or _ALIASES.get(_normal(name))
        if field is None:
            warnings.append(f"column {name!r} was ignored (map it with --map '{name}=FIELD')")
        elif field != "ignore":
            if field in fields.values():
                field = "notes" if field == "title" else field
            if field in fields.values():
                raise InvalidInputError(f"line 1: two columns give {field!r}; map one of them with --map COLUMN=ignore")
            fields[index] = field
    if "title" not in fields.values():
        raise InvalidInputError("line 1: no title column (name one title, or --map COLUMN=title)")
    return fields, warnings


def read(stream: IO[str], options: Mapping[str, Any] | None = None) -> Document:
    """Parse a CSV sheet; ``options["mapping"]`` maps column names to fields (``--map``)."""
    return read_sheet(stream, (options or {}).get("mapping"))


def read_sheet(stream: IO[str], mapping: dict[str, str] | None = None) -> Document:
    """Parse a CSV file (header row first) into a Document."""
    reader = csv.reader(stream, strict=True)
    try:
        header = next(reader)
    except StopIteration:
        raise InvalidInputError("line 1: the file is empty (a header row is needed)") from None
    except csv.Error as error:
        raise InvalidInputError(f"line 1: bad CSV ({error})") from None
    fields, warnings = columns_for(header, mapping)
    carried = {_CARRIED[field] for field in fields.values() if field in _CARRIED}
    if "links" in carried:
        carried.add("link_types")  # `3SS+2` names the type and the lag
    if "completed" in fields.values():
        carried.add("status")
    document = Document("csv", prefix=PREFIX, warnings=warnings, fields=frozenset(carried))
    seen: dict[str, int] = {}
    people: dict[str, ResourceRecord] = {}
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            where = f"line {reader.line_num}"
            values = {field: restored(row[index].strip()) for index, field in fields.items() if index < len(row)}
            document.tasks.append(_task(values, where, seen, people))
    except csv.Error as error:
        raise InvalidInputError(f"line {reader.line_num}: bad CSV ({error})") from None
    document.resources = list(people.values())
    return document


def _task(values: dict[str, str], where: str, seen: dict[str, int], people: dict[str, ResourceRecord]) -> ExchangeTask:
    title = values.get("title", "")
    if not title:
        raise InvalidInputError(f"{where}: the task has no title")
    own = values.get("id")
    if own:
        external_id = PREFIX + own
    else:
        digest = hashlib.sha1(f"{values.get('project', '')}|{title}".encode()).hexdigest()[:12]
        seen[digest] = seen.get(digest, 0) + 1
        external_id = PREFIX + digest + (f"-{seen[digest]}" if seen[digest] > 1 else "")
    status_text = values.get("status", "").lower()
    status = _STATUS.get(status_text, status_text) or "open"
    priority = values.get("priority", "").lower()
    if priority not in _PRIORITY:
        raise InvalidInputError(f"{where}: priority {values['priority']!r} not understood (0-3, H/M/L, high/medium/low)")
    kind = values.get("kind", "").lower()
    task = ExchangeTask(
        external_id, title, where, project=values.get("project") or None, notes=values.get("notes", ""),
        kind="milestone" if kind in ("milestone", "1", "true", "yes", "y", "x") else "task", status=status,
        priority=_PRIORITY[priority], due=parse_day(values.get("due"), where, "due"),
        start_no_earlier=parse_day(values.get("start"), where, "start"),
        snoozed_until=parse_day(values.get("wait"), where, "wait"),
        duration_days=_whole_days(values.get("duration"), where), estimate_hours=_hours(values.get("estimate"), where),
        percent_done=_percent(values.get("percent"), where),
        tags=[tag for tag in re.split(r"[,;\s]+", values.get("tags", "")) if tag],
        parent=PREFIX + values["parent"] if values.get("parent") else None,
        created_at=parse_datetime(values["created"], where, "created") if values.get("created") else None,
        alt_ids=(own,) if own else (),
    )
    if values.get("completed"):
        task.actual_finish = parse_day(values["completed"], where, "completed")
        task.completed_at = parse_datetime(values["completed"], where, "completed")
        if not status_text:
            task.status = "done"
    task.links = [_link(token, where) for token in re.split(r"[,;\s]+", values.get("depends", "")) if token]
    for handle in re.split(r"[,;\s]+", values.get("assignees", "")):
        if handle:
            key = f"{PREFIX}res:{handle.lower()}"
            people.setdefault(key, ResourceRecord(key, handle, where, handle=handle.lower(), capacity=None,
                                                    describes=False))
            task.assignments.append((key, None))  # the person's default units
    return task


def _link(token: str, where: str) -> LinkRecord:
    ms_style = _MS_LINK.match(token)
    if ms_style:
        return LinkRecord(PREFIX + ms_style.group(1), ms_style.group(2).upper(), int(ms_style.group(3) or 0))
    parts = token.split(":")
    kind = parts[1].upper() if len(parts) > 1 and parts[1] else "FS"
    if kind not in ("FS", "SS", "FF", "SF") or len(parts) > 3:
        raise InvalidInputError(f"{where}: dependency {token!r} not understood (ID, ID:SS or ID:SS:2)")
    try:
        lag = int(parts[2]) if len(parts) == 3 else 0
    except ValueError:
        raise InvalidInputError(f"{where}: dependency {token!r} has a lag that is not whole days") from None
    return LinkRecord(PREFIX + parts[0], kind, lag)


def _amount(text: str | None, where: str, what: str) -> tuple[float, str] | None:
    if not text:
        return None
    match = _AMOUNT.match(text.strip().lower())
    if not match:
        raise InvalidInputError(f"{where}: {what} {text!r} is not a number")
    return float(match.group(1)), match.group(2)


def _whole_days(text: str | None, where: str) -> int | None:
    amount = _amount(text, where, "duration")
    if amount is None:
        return None
    value, unit = amount
    factor = {"": 1, "d": 1, "day": 1, "days": 1, "w": 5, "wk": 5, "week": 5, "weeks": 5}.get(unit)
    if factor is None:
        raise InvalidInputError(f"{where}: duration {text!r}: give working days (3, 3d, 2w)")
    return int(round(value * factor))


def _hours(text: str | None, where: str) -> float | None:
    amount = _amount(text, where, "estimate")
    if amount is None:
        return None
    value, unit = amount
    factor = {"": 1, "h": 1, "hr": 1, "hrs": 1, "hour": 1, "hours": 1, "m": 1 / 60, "min": 1 / 60, "mins": 1 / 60,
              "d": 8, "day": 8, "days": 8}.get(unit)
    if factor is None:
        raise InvalidInputError(f"{where}: estimate {text!r}: give hours (3, 3h, 90m, 2d)")
    return value * factor


def _percent(text: str | None, where: str) -> int | None:
    amount = _amount((text or "").rstrip("%"), where, "percent")
    if amount is None:
        return None
    value = amount[0] * 100 if amount[0] <= 1 and "." in (text or "") else amount[0]
    if not 0 <= value <= 100:
        raise InvalidInputError(f"{where}: percent {text!r} is out of range 0-100")
    return int(round(value))


COLUMNS = ("id", "title", "project", "status", "priority", "due", "start", "wait", "duration", "estimate", "percent",
           "kind", "tags", "depends", "parent", "assignees", "notes", "completed", "created")


def write(data: ExportData, options: Mapping[str, Any] | None = None) -> str:
    """The tasks of an export as a sheet: ids from the sheet or export UUIDs, people by handle."""
    identify(data, source_or_uuid(PREFIX))
    handles = {resource.external_id: resource.handle or resource.name for resource in data.resources}
    for task in data.tasks:
        task.assignments = [(handles.get(ref, ref), units) for ref, units in task.assignments]
    out = io.StringIO()
    write_records(data.tasks, data.series, out)
    return out.getvalue()


def write_records(tasks: Iterable[ExchangeTask], series: dict[str, SeriesRecord], out: IO[str]) -> None:
    """Write tasks with a header row (the same columns ``read`` knows); assignments as handles."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for task in tasks:
        depends = " ".join(link.predecessor if (link.type, link.lag_days) == ("FS", 0)
                           else f"{link.predecessor}:{link.type}:{link.lag_days}" for link in task.links)
        writer.writerow([neutralised(cell) for cell in (
            task.external_id, task.title, task.project or "", task.status, task.priority,
            task.due or "", task.start_no_earlier or "", task.snoozed_until or "",
            "" if task.duration_days is None else task.duration_days,
            "" if task.estimate_hours is None else f"{task.estimate_hours:g}",
            task.percent_done or 0, task.kind, " ".join(sorted(task.tags)), depends, task.parent or "",
            " ".join(resource for resource, _ in task.assignments), task.notes,
            task.completed_at.isoformat() if task.completed_at else "",
            task.created_at.isoformat() if task.created_at else "",
        )])
