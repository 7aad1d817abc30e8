"""MS Project XML (MSPDI, the Project Data Interchange schema): reading; writing is in ``mspdi_writer``.

Read with ``ElementTree.iterparse``: each Task, Resource, Assignment and
Calendar element is turned into a record when it closes and then cleared,
so a 10k-task file streams. Mapping: Duration (``PT16H0M0S``) -> working
days of the project's MinutesPerDay, Work -> effort hours, Milestone,
OutlineLevel -> summary tasks (parents), PredecessorLink Type 0=FF 1=FS
2=SF 3=SS with LinkLag in tenths of a minute (``4800`` = one 8-hour day;
elapsed lag formats count 24-hour days), ConstraintType 2/4 (must / no
earlier than) -> start no earlier, Deadline (else a finish-no-later-than
constraint) -> due, PercentComplete / ActualStart / ActualFinish ->
progress, resources (Group ``pool`` marks a pool), assignments with their
units, and calendars (weekdays, working times, exceptions, base calendars).
A task exported by Planner itself is recognised by its UID and CreateDate.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import IO, Any

from planner.domain.dates import in_range, quoted
from planner.domain.errors import InvalidInputError
from planner.interop.records import (
    CalendarRecord, Document, ExchangeTask, ExportData, LinkRecord, ProjectRecord, ResourceRecord,
)
from planner.interop.slugs import planner_uuid
from planner.interop.timestamps import day_range

NAME = "mspdi"
ALIASES = ("msproject", "xml", "ms-project")
PREFIX = "mspdi:"
MODE = "binary"
SUFFIX = ".xml"
CAN_IMPORT = True
CAN_EXPORT = True
SCOPE = "tasks"
ONE_PROJECT = "an MS Project file holds one project"
READ_OPTIONS: frozenset[str] = frozenset()
EXPORT_NEEDS = frozenset({"records", "scheduled-dates"})

FIELDS = frozenset({"title", "notes", "kind", "status", "priority", "due", "start_no_earlier", "actual_start",
                    "actual_finish", "completed_at", "percent_done", "estimate_hours", "duration_days", "links", "link_types",
                    "parent", "assignments"})
LINK_TYPES = {0: "FF", 1: "FS", 2: "SF", 3: "SS"}
_ELAPSED_LAG_FORMATS = {4, 6, 8, 10, 12, 36, 38, 40, 42, 44}
_DURATION = re.compile(r"^-?P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)D)?"
                       r"(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$")
_MAX_EXCEPTION_DAYS = 3660


def write(data: ExportData, options: Mapping[str, Any] | None = None) -> bytes:
    """An MSPDI file of one project (see ``mspdi_writer.write``)."""
    from planner.interop.mspdi_writer import write as write_project

    return write_project(data)


def _name(element: ElementTree.Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def _children(element: ElementTree.Element) -> dict[str, str]:
    """Text of the simple child elements (the first of each name)."""
    values: dict[str, str] = {}
    for child in element:
        values.setdefault(_name(child), (child.text or "").strip())
    return values


def read(stream: IO[bytes], options: Mapping[str, Any] | None = None) -> Document:
    """Parse an MSPDI file into a Document (tasks, resources, assignments, calendars, the project)."""
    document = Document("mspdi", prefix=PREFIX, fields=FIELDS, scope=PREFIX)
    reader = _Reader(document)
    depth = 0
    try:
        for event, element in ElementTree.iterparse(stream, events=("start", "end")):
            if event == "start":
                depth += 1
                if depth == 1 and _name(element) != "Project":
                    raise InvalidInputError(f"not an MS Project XML file (the root is <{_name(element)}>, not <Project>)")
                continue
            depth -= 1
            name = _name(element)
            if depth == 1:
                reader.header[name] = (element.text or "").strip()
                if name in ("Tasks", "Resources", "Assignments", "Calendars"):
                    element.clear()
            elif depth == 2 and name in ("Task", "Resource", "Assignment", "Calendar"):
                getattr(reader, name.lower())(element)
                element.clear()
    except ElementTree.ParseError as error:
        line, column = error.position
        raise InvalidInputError(f"line {line}, column {column}: bad XML ({str(error).split(':')[0]})") from None
    reader.finish()
    return document


class _Reader:
    """Turns closed MSPDI elements into records, keeping what later elements refer to."""

    def __init__(self, document: Document):
        self.document = document
        self.header: dict[str, str] = {}
        self.outline: list[tuple[int, str]] = []
        self.task_ids: set[str] = set()
        self.rows_left_out: set[str] = set()  # the project summary task and blank rows: their assignments go too
        self.resource_ids: set[str] = set()
        self.calendars: dict[str, tuple[CalendarRecord, dict[int, float]]] = {}
        self.assignments: list[tuple[str, str, float, str]] = []
        self.count = 0

    @property
    def minutes_per_day(self) -> float:
        value = self.header.get("MinutesPerDay") or "480"
        try:
            minutes = float(value)
        except ValueError:
            raise InvalidInputError(f"MinutesPerDay {value!r} is not a number") from None
        return minutes if minutes > 0 else 480.0

    def task(self, element: ElementTree.Element) -> None:
        self.count += 1
        values = _children(element)
        uid = values.get("UID", "")
        where = f"task #{self.count} (UID {uid or '?'}, {values.get('Name', '')[:40]!r})"
        if not uid.lstrip("-").isdigit():
            raise InvalidInputError(f"{where}: UID {uid!r} is not a number")
        level = _int(values.get("OutlineLevel", "1"), where, "OutlineLevel")
        if values.get("IsNull") == "1" or level == 0:
            self.rows_left_out.add(PREFIX + uid)
            return  # a blank row, or the project summary task
        name = values.get("Name", "").strip()
        if not name:
            raise InvalidInputError(f"{where}: the task has no Name")
        hours = self.minutes_per_day / 60
        summary = values.get("Summary") == "1"
        milestone = values.get("Milestone") == "1"
        duration_hours = _hours(values.get("Duration"), where, "Duration") if values.get("Duration") else None
        work_hours = _hours(values.get("Work"), where, "Work") if values.get("Work") else None
        percent = _int(values.get("PercentComplete", "0") or "0", where, "PercentComplete")
        if not 0 <= percent <= 100:
            raise InvalidInputError(f"{where}: PercentComplete {percent} is out of range 0-100")
        created = _stamp(values.get("CreateDate"), where, "CreateDate")
        task = ExchangeTask(
            PREFIX + uid, name, where, notes=values.get("Notes", ""), kind="milestone" if milestone else "task",
            status="done" if percent == 100 else "doing" if percent > 0 else "todo", percent_done=percent,
            priority=_priority(values.get("Priority")),
            duration_days=None if summary or duration_hours is None else math.ceil(duration_hours / hours - 1e-9),
            estimate_hours=work_hours if work_hours and not summary else None,
            actual_start=_day(values.get("ActualStart"), where, "ActualStart"),
            actual_finish=_day(values.get("ActualFinish"), where, "ActualFinish"),
            created_at=created, alt_ids=(planner_uuid(int(uid), created),) if created else (),
        )
        if percent == 100 and task.actual_finish:
            task.completed_at = datetime.combine(task.actual_finish, datetime.min.time().replace(hour=17))
        constraint = values.get("ConstraintType", "0")
        constraint_day = _day(values.get("ConstraintDate"), where, "ConstraintDate")
        if constraint in ("2", "4") and constraint_day:
            task.start_no_earlier = constraint_day
        task.due = _day(values.get("Deadline"), where, "Deadline") or (
            constraint_day if constraint in ("3", "7") else None)
        while self.outline and self.outline[-1][0] >= level:
            self.outline.pop()
        if self.outline:
            task.parent = self.outline[-1][1]
        self.outline.append((level, task.external_id))
        for link in element:
            if _name(link) == "PredecessorLink":
                task.links.append(self._link(_children(link), where))
        self.task_ids.add(task.external_id)
        self.document.tasks.append(task)

    def _link(self, values: dict[str, str], where: str) -> LinkRecord:
        predecessor = values.get("PredecessorUID", "")
        if not predecessor.isdigit():
            raise InvalidInputError(f"{where}: PredecessorUID {predecessor!r} is not a number")
        kind = _int(values.get("Type", "1") or "1", where, "link Type")
        if kind not in LINK_TYPES:
            raise InvalidInputError(f"{where}: link Type {kind} unknown (0=FF, 1=FS, 2=SF, 3=SS)")
        lag = _int(values.get("LinkLag", "0") or "0", where, "LinkLag")
        lag_format = _int(values.get("LagFormat", "7") or "7", where, "LagFormat")
        minutes_per_day = 1440 if lag_format in _ELAPSED_LAG_FORMATS else self.minutes_per_day
        return LinkRecord(PREFIX + predecessor, LINK_TYPES[kind], math.floor(lag / (10 * minutes_per_day) + 0.5))

    def resource(self, element: ElementTree.Element) -> None:
        values = _children(element)
        uid = values.get("UID", "")
        name = values.get("Name", "").strip()
        where = f"resource UID {uid or '?'} ({name[:40]!r})"
        if not uid.isdigit():
            raise InvalidInputError(f"{where}: UID {uid!r} is not a number")
        if uid == "0" or values.get("IsNull") == "1" or not name or values.get("Type") == "2":
            return  # the unassigned placeholder, blank rows and cost resources
        units = _float(values.get("MaxUnits", "1") or "1", where, "MaxUnits")
        initials = values.get("Initials", "").strip().lower()
        self.document.resources.append(ResourceRecord(
            f"{PREFIX}res:{uid}", name, where, handle=initials if re.fullmatch(r"[a-z0-9][a-z0-9_.-]{0,39}", initials)
            else None, email=values.get("EmailAddress") or None,
            kind="pool" if values.get("Group", "").strip().lower() == "pool" else "person",
            capacity=units if units > 0 else 1.0,
            calendar=f"{PREFIX}cal:{values['CalendarUID']}" if values.get("CalendarUID", "-1") not in ("", "-1") else None))
        self.resource_ids.add(f"{PREFIX}res:{uid}")

    def assignment(self, element: ElementTree.Element) -> None:
        values = _children(element)
        where = f"assignment UID {values.get('UID', '?')}"
        task, resource = values.get("TaskUID", ""), values.get("ResourceUID", "")
        if not task.isdigit() or not resource.lstrip("-").isdigit():
            raise InvalidInputError(f"{where}: TaskUID / ResourceUID must be numbers")
        units = _float(values.get("Units", "1") or "1", where, "Units")
        self.assignments.append((PREFIX + task, f"{PREFIX}res:{resource}", units, where))

    def calendar(self, element: ElementTree.Element) -> None:
        values = _children(element)
        uid = values.get("UID", "")
        where = f"calendar UID {uid or '?'} ({values.get('Name', '')[:40]!r})"
        record = CalendarRecord(f"{PREFIX}cal:{uid}", values.get("Name") or f"calendar {uid}", where,
                                working_weekdays=(), weekdays_given=False)
        base = values.get("BaseCalendarUID", "-1")
        record.base = f"{PREFIX}cal:{base}" if base not in ("", "-1") and values.get("IsBaseCalendar") != "1" else None
        hours: dict[int, float] = {}
        for group in element:
            if _name(group) == "WeekDays":
                for weekday in group:
                    self._weekday(weekday, record, hours, where)
            elif _name(group) == "Exceptions":
                for exception in group:
                    exception_values = _children(exception)
                    working = exception_values.get("DayWorking") == "1"
                    self._period(exception.find("{*}TimePeriod"), record, working, where)
        self.calendars[record.external_id] = (record, hours)

    def _weekday(self, element: ElementTree.Element, record: CalendarRecord, hours: dict[int, float],
                 where: str) -> None:
        values = _children(element)
        day_type = _int(values.get("DayType", "-1") or "-1", where, "DayType")
        working = values.get("DayWorking") == "1"
        if day_type == 0:
            self._period(element.find("{*}TimePeriod"), record, working, where)
            return
        if not 1 <= day_type <= 7:
            raise InvalidInputError(f"{where}: DayType {day_type} unknown (0 exception, 1 Sunday .. 7 Saturday)")
        weekday = (day_type + 5) % 7  # MSPDI 1=Sunday .. 7=Saturday; ours 0=Monday
        record.weekdays_given = True
        if working:
            record.working_weekdays = tuple(sorted({*record.working_weekdays, weekday}))
            total = 0.0
            for period in element.iter():
                if _name(period) == "WorkingTime":
                    times = _children(period)
                    total += _time_span(times.get("FromTime"), times.get("ToTime"), where)
            if total:
                hours[weekday] = total

    def _period(self, period: ElementTree.Element | None, record: CalendarRecord, working: bool, where: str) -> None:
        if period is None:
            return
        values = _children(period)
        first = _day(values.get("FromDate"), where, "FromDate")
        last = _day(values.get("ToDate"), where, "ToDate") or first
        if first is None or last is None:
            return
        if last < first or (last - first).days > _MAX_EXCEPTION_DAYS:
            raise InvalidInputError(f"{where}: exception period {first} .. {last} is not a valid range")
        for day in day_range(first, last):
            record.exceptions[day] = working

    def finish(self) -> None:
        """Resolve base calendars and assignments, and describe the project."""
        document, header = self.document, self.header
        for key, (record, hours) in self.calendars.items():
            base_key, seen = record.base, {key}
            while base_key in self.calendars and base_key not in seen:
                seen.add(base_key)
                base, base_hours = self.calendars[base_key]
                if not record.weekdays_given and base.weekdays_given:
                    record.working_weekdays, record.weekdays_given = base.working_weekdays, True
                    hours = {**base_hours, **hours}
                record.exceptions = {**base.exceptions, **record.exceptions}
                base_key = base.base
            if not record.weekdays_given:
                record.working_weekdays = (0, 1, 2, 3, 4)
            record.hours_per_day = max(hours.values(), default=self.minutes_per_day / 60)
            document.calendars.append(record)
        by_id = {task.external_id: task for task in document.tasks}
        for task_ref, resource_ref, units, where in self.assignments:
            if (resource_ref.endswith(":-65535") or resource_ref not in self.resource_ids
                    or task_ref in self.rows_left_out):
                continue  # unassigned, a cost resource, or on a row the import leaves out
            if task_ref not in self.task_ids:
                raise InvalidInputError(f"{where}: TaskUID {task_ref.removeprefix(PREFIX)} is not a task of the file")
            by_id[task_ref].assignments.append((resource_ref, units if units > 0 else None))
        calendar = header.get("CalendarUID", "")
        name = header.get("Title") or (header.get("Name") or "imported").rsplit(".", 1)[0]
        document.project = ProjectRecord(
            f"{PREFIX}project:{name}", name, start=_day(header.get("StartDate"), "the project", "StartDate"),
            finish=_day(header.get("FinishDate"), "the project", "FinishDate"),
            calendar=f"{PREFIX}cal:{calendar}" if f"{PREFIX}cal:{calendar}" in self.calendars else None)


def _int(text: str, where: str, what: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise InvalidInputError(f"{where}: {what} {text!r} is not a whole number") from None


def _float(text: str, where: str, what: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise InvalidInputError(f"{where}: {what} {text!r} is not a number") from None


def _hours(text: str | None, where: str, what: str) -> float:
    """An XML duration (``PT16H0M0S``) in hours; days count 24 hours as the schema defines."""
    match = _DURATION.match((text or "").strip())
    if not match or not any(match.groups()):
        raise InvalidInputError(f"{where}: {what} {text!r} is not a duration like PT16H0M0S")
    years, months, days, hours, minutes, seconds = (float(part) if part else 0.0 for part in match.groups())
    if years or months:
        raise InvalidInputError(f"{where}: {what} {text!r} uses years or months; give hours")
    return days * 24 + hours + minutes / 60 + seconds / 3600


def _stamp(text: str | None, where: str, what: str) -> datetime | None:
    if not text:
        return None
    try:
        stamp = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInputError(f"{where}: {what} {quoted(text)} is not a date-time like 2026-11-25T08:00:00") from None
    return in_range(stamp, text, what=f"{where}: {what}")


def _day(text: str | None, where: str, what: str) -> date | None:
    stamp = _stamp(text, where, what)
    return stamp.date() if stamp else None


def _time_span(first: str | None, last: str | None, where: str) -> float:
    """Hours between two ``HH:MM:SS`` times (``00:00:00`` as an end means midnight)."""
    try:
        start = datetime.strptime(first or "", "%H:%M:%S")
        end = datetime.strptime(last or "", "%H:%M:%S")
    except ValueError:
        raise InvalidInputError(f"{where}: working time {first!r}-{last!r} is not HH:MM:SS") from None
    if end <= start:
        end += timedelta(days=1)
    return (end - start).total_seconds() / 3600


def _priority(text: str | None) -> int:
    """MSPDI priority 0-1000 (500 is the default, medium) as 0-3."""
    value = int(text) if text and text.isdigit() else 500
    return 3 if value >= 800 else 2 if value >= 600 else 0 if value >= 400 else 1
