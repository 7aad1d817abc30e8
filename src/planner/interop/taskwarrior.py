"""Taskwarrior JSON: what ``task export`` writes and ``task import`` reads.

A JSON array (one task per line, as Taskwarrior writes it) or one object per
line. Mapping: description -> title, project -> project, status pending /
waiting / completed (``start`` makes a pending task in progress; deleted
tasks are skipped, links to them dropped), priority H/M/L -> 3/2/1, due ->
due, scheduled -> start-no-earlier, wait -> snoozed-until, entry / start /
end -> created / actual start / completion, tags, annotations (comments),
depends (an array or Taskwarrior's older comma string) -> FS links. A
recurring template (status ``recurring``: recur, due, until, mask) becomes a
series; its instances (``parent``) are tasks of that series.
"""

from __future__ import annotations

import io
import json
import re
import uuid as uuid_module
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timezone
from typing import IO, Any

from planner.domain.errors import InvalidInputError
from planner.interop.jsonstream import iter_json_values
from planner.interop.records import Document, ExchangeTask, ExportData, LinkRecord, SeriesRecord, identify
from planner.interop.timestamps import compact_utc, parse_datetime, parse_day
from planner.interop.periods import recur_to_rrule, rrule_to_recur

NAME = "taskwarrior"
ALIASES = ("tw", "task")
PREFIX = "tw:"
MODE = "text"
SUFFIX = ".json"
CAN_IMPORT = True
CAN_EXPORT = True
SCOPE = "tasks"
ONE_PROJECT: str | None = None
READ_OPTIONS: frozenset[str] = frozenset()
EXPORT_NEEDS = frozenset({"records"})

FIELDS = frozenset({
    "title", "project", "status", "priority", "due", "start_no_earlier", "snoozed_until", "actual_start",
    "actual_finish", "completed_at", "tags", "links", "series", "annotations",
})
_PRIORITY_IN = {"H": 3, "M": 2, "L": 1, "": 0}
_PRIORITY_OUT = {3: "H", 2: "M", 1: "L"}
_STATUSES = ("pending", "waiting", "completed", "deleted", "recurring")


def read(stream: IO[str], options: Mapping[str, Any] | None = None) -> Document:
    """Parse a Taskwarrior export into a Document (skipping deleted tasks)."""
    document = Document("taskwarrior", prefix=PREFIX, fields=FIELDS)
    orphans: dict[str, tuple[str, date | None, date | None, str]] = {}
    for line, value in iter_json_values(stream):
        where = f"line {line}"
        if not isinstance(value, dict):
            raise InvalidInputError(f"{where}: expected a task object, found {type(value).__name__}")
        task_uuid = _uuid(value.get("uuid"), where, "uuid")
        where = f"line {line} (task {task_uuid[:8]})"
        status = str(value.get("status", "pending")).lower()
        if status not in _STATUSES:
            raise InvalidInputError(f"{where}: status {status!r} unknown (pending, completed, deleted, waiting, recurring)")
        if status == "deleted":
            document.skipped += 1
            document.dropped.add(PREFIX + task_uuid)
            continue
        title = str(value.get("description", "")).strip()
        if not title:
            raise InvalidInputError(f"{where}: the task has no description")
        if status == "recurring":
            document.series[PREFIX + task_uuid] = _series(value, task_uuid, title, where)
            continue
        task = _task(value, task_uuid, title, status, where, document)
        parent = value.get("parent")
        if parent is not None:
            parent_uuid = _uuid(parent, where, "parent")
            task.series = PREFIX + parent_uuid
            if value.get("recur"):
                orphans.setdefault(task.series, (str(value["recur"]), task.due, _day(value, "until", where), where))
        document.tasks.append(task)
    for key, (recur, due, until, where) in orphans.items():
        if key not in document.series:  # the template was not exported: rebuild the series from an instance
            document.series[key] = SeriesRecord(key, recur_to_rrule(recur, where), dtstart=due, until=until)
    return document


_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def _uuid(value: Any, where: str, what: str) -> str:
    if not value:
        raise InvalidInputError(f"{where}: the task has no {what}")
    text = str(value).strip().lower()
    if _UUID.match(text):
        return text
    try:
        return str(uuid_module.UUID(text))
    except ValueError:
        raise InvalidInputError(f"{where}: {what} {value!r} is not a UUID") from None


_EPOCH = re.compile(r"^\d{9,11}$")


def _date_text(raw: Any) -> str:
    """A date field as text; Taskwarrior also reads (and older versions wrote) epoch seconds."""
    text = str(raw).strip()
    if _EPOCH.match(text):
        return datetime.fromtimestamp(int(text), timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return text


def _day(value: dict, key: str, where: str) -> date | None:
    raw = value.get(key)
    return parse_day(_date_text(raw), where, key) if raw not in (None, "") else None


def _stamp(value: dict, key: str, where: str) -> datetime | None:
    raw = value.get(key)
    return parse_datetime(_date_text(raw), where, key) if raw not in (None, "") else None


def _task(value: dict, task_uuid: str, title: str, status: str, where: str, document: Document) -> ExchangeTask:
    priority = str(value.get("priority", "")).upper()
    if priority not in _PRIORITY_IN:
        document.warnings.append(f"{where}: priority {value.get('priority')!r} is not H, M or L; imported as none")
    started, ended = _stamp(value, "start", where), _stamp(value, "end", where)
    done = status == "completed"
    task = ExchangeTask(
        external_id=PREFIX + task_uuid, title=title, where=where, project=value.get("project") or None,
        status="done" if done else ("doing" if started else "todo"), priority=_PRIORITY_IN.get(priority, 0),
        due=_day(value, "due", where), start_no_earlier=_day(value, "scheduled", where),
        snoozed_until=_day(value, "wait", where),
        actual_start=_local_date(started), actual_finish=_local_date(ended) if done else None,
        completed_at=(ended or _stamp(value, "modified", where)) if done else None,
        created_at=_stamp(value, "entry", where), tags=_tags(value.get("tags"), where),
        links=[LinkRecord(PREFIX + _uuid(item, where, "depends")) for item in _depends(value.get("depends"), where)],
        alt_ids=(task_uuid,),
    )
    for note in value.get("annotations") or ():
        if not isinstance(note, dict) or not str(note.get("description", "")).strip():
            raise InvalidInputError(f"{where}: an annotation needs a description")
        task.annotations.append((_stamp(note, "entry", where), str(note["description"])))
    if value.get("until") and not value.get("parent"):
        document.warnings.append(f"{where}: 'until' of a task that does not recur is not kept")
    return task


def _local_date(stamp: datetime | None) -> date | None:
    if stamp is None:
        return None
    return (stamp.astimezone() if stamp.tzinfo else stamp).date()


def _tags(raw: Any, where: str) -> list[str]:
    if raw in (None, ""):
        return []
    items = raw.split(",") if isinstance(raw, str) else raw
    if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
        raise InvalidInputError(f"{where}: tags must be a list of words")
    return [item.strip() for item in items if item.strip()]


def _depends(raw: Any, where: str) -> list[str]:
    if raw in (None, ""):
        return []
    items = raw.split(",") if isinstance(raw, str) else raw
    if not isinstance(items, list):
        raise InvalidInputError(f"{where}: depends must be an array of UUIDs or a comma-separated string")
    return [str(item).strip() for item in items if str(item).strip()]


def _series(value: dict, task_uuid: str, title: str, where: str) -> SeriesRecord:
    recur = value.get("recur")
    if not recur:
        raise InvalidInputError(f"{where}: a recurring task needs 'recur'")
    due = _day(value, "due", where)
    if due is None:
        raise InvalidInputError(f"{where}: a recurring task needs a due date")
    priority = _PRIORITY_IN.get(str(value.get("priority", "")).upper(), 0)
    return SeriesRecord(
        PREFIX + task_uuid, recur_to_rrule(str(recur), where), dtstart=due, until=_day(value, "until", where),
        template={"title": title, "priority": priority, "tags": _tags(value.get("tags"), where)},
        project=value.get("project") or None,
    )


def write(data: ExportData, options: Mapping[str, Any] | None = None) -> str:
    """The tasks of an export as ``task import`` reads them (each named by its Taskwarrior UUID)."""
    identify(data, lambda task: task.alt_ids[0])  # Taskwarrior needs a UUID: the source's, else a derived one
    out = io.StringIO()
    write_records(data.tasks, data.series, out)
    return out.getvalue()


def write_records(tasks: Iterable[ExchangeTask], series: dict[str, SeriesRecord], out: IO[str]) -> None:
    """Write tasks as ``task import`` reads them: a JSON array, one task per line.

    ``external_id`` of each record is the Taskwarrior UUID to use and links
    name predecessors by UUID; ``series`` maps a task's ``series`` to its
    series, whose ``external_id`` is the template's UUID.
    """
    instances: dict[str, list[ExchangeTask]] = {}
    first = True
    out.write("[\n")
    for task in tasks:
        if task.series in series:
            instances.setdefault(task.series, []).append(task)
        out.write(("" if first else ",\n") + json.dumps(_task_json(task, series), ensure_ascii=False))
        first = False
    for key, record in series.items():
        out.write(("" if first else ",\n") + json.dumps(_template_json(record, instances.get(key, [])),
                                                         ensure_ascii=False))
        first = False
    out.write("\n]\n")


def _task_json(task: ExchangeTask, series: dict[str, SeriesRecord]) -> dict[str, Any]:
    data: dict[str, Any] = {"uuid": task.external_id, "description": task.title,
                            "status": "completed" if task.status == "done" else "pending"}
    if task.project:
        data["project"] = task.project
    if task.priority in _PRIORITY_OUT:
        data["priority"] = _PRIORITY_OUT[task.priority]
    for key, day in (("due", task.due), ("scheduled", task.start_no_earlier), ("wait", task.snoozed_until)):
        if day is not None:
            data[key] = compact_utc(day)
    data["entry"] = compact_utc(task.created_at or datetime.now().astimezone())
    if task.status == "doing":
        data["start"] = compact_utc(task.actual_start or task.created_at or datetime.now().astimezone())
    if task.status == "done":
        data["end"] = compact_utc(task.completed_at or task.actual_finish or datetime.now().astimezone())
    if task.tags:
        data["tags"] = sorted(task.tags)
    if task.links:
        data["depends"] = [link.predecessor for link in task.links]
    notes = [(task.created_at, task.notes)] if task.notes.strip() else []  # Taskwarrior keeps notes as annotations
    if notes or task.annotations:
        data["annotations"] = [{"entry": compact_utc(entry or task.created_at or datetime.now().astimezone()),
                                "description": text} for entry, text in [*notes, *task.annotations]]
    record = series.get(task.series or "")
    if record is not None and task.due is not None:
        data.update(parent=record.external_id, recur=rrule_to_recur(record.rrule),
                    imask=_occurrence_index(record, task.due))
        if record.until:
            data["until"] = compact_utc(record.until)
    return data


def _template_json(record: SeriesRecord, instances: list[ExchangeTask]) -> dict[str, Any]:
    template = record.template
    data: dict[str, Any] = {"uuid": record.external_id, "description": template.get("title") or "recurring task",
                            "status": "recurring", "recur": rrule_to_recur(record.rrule), "rtype": "periodic",
                            "due": compact_utc(record.dtstart or date.today()),
                            "entry": compact_utc(datetime.now().astimezone())}
    if record.project:
        data["project"] = record.project
    if template.get("priority") in _PRIORITY_OUT:
        data["priority"] = _PRIORITY_OUT[template["priority"]]
    if template.get("tags"):
        data["tags"] = sorted(template["tags"])
    if record.until:
        data["until"] = compact_utc(record.until)
    marks: dict[int, str] = {}
    for task in instances:
        if task.due is not None:
            marks[_occurrence_index(record, task.due)] = "+" if task.status == "done" else "-"
    data["mask"] = "".join(marks.get(index, "X") for index in range(max(marks, default=-1) + 1))
    return data


def _occurrence_index(record: SeriesRecord, due: date) -> int:
    """How many occurrences of the series come before ``due`` (Taskwarrior's imask)."""
    from dateutil.rrule import rrulestr

    start = record.dtstart or due
    if due <= start:
        return 0
    rule = rrulestr(record.rrule.removeprefix("RRULE:"), dtstart=datetime(start.year, start.month, start.day))
    return len(rule.between(datetime(start.year, start.month, start.day), datetime(due.year, due.month, due.day),
                            inc=True)) - 1
