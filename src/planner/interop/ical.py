"""iCalendar (RFC 5545, read and written with the ``icalendar`` package).

Tasks are VTODOs: UID, SUMMARY, DESCRIPTION, DTSTART (start no earlier),
DUE, STATUS (NEEDS-ACTION, IN-PROCESS, COMPLETED; CANCELLED is skipped),
COMPLETED, PERCENT-COMPLETE, PRIORITY (1-4 high, 5 medium, 6-9 low),
CATEGORIES (tags), COMMENT (annotations, their time in ``X-PLANNER-AT``),
RRULE / EXDATE / RDATE (a recurring series). Links follow
RFC 9253: ``RELATED-TO;RELTYPE=PARENT`` in a sub-task names its parent; the
temporal ``RELTYPE=FINISHTOSTART`` (STARTTOSTART, FINISHTOFINISH,
STARTTOFINISH) sits in the predecessor and names its successor, with
``GAP`` as the lag; ``RELTYPE=DEPENDS-ON`` in a task names what it waits
for. Milestones are written as all-day VEVENTs so a calendar subscribed to
the file shows them; a VEVENT read back is a milestone on its start date.

Reading streams the file: each VTODO/VEVENT is cut out line by line and
parsed on its own, so the file never sits in memory whole.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterator, Mapping
from datetime import date, datetime, timedelta
from typing import IO, Any

from planner.domain.dates import parse_timestamp
from planner.domain.errors import InvalidInputError
from planner.interop.records import (
    Document, ExchangeTask, ExportData, LinkRecord, ResourceRecord, SeriesRecord, identify, source_or_uuid,
)
from planner.interop.ical_writer import ANNOTATED_AT, TEMPORAL, write_records
from planner.interop.slugs import bare_uuid
from planner.interop.timestamps import parse_datetime

NAME = "ical"
ALIASES = ("ics", "icalendar")
PREFIX = "ical:"
MODE = "text"
SUFFIX = ".ics"
CAN_IMPORT = True
CAN_EXPORT = True
SCOPE = "tasks"
ONE_PROJECT: str | None = None
READ_OPTIONS: frozenset[str] = frozenset()
EXPORT_NEEDS = frozenset({"records", "milestone-dates"})
UNTITLED = "(no title)"
FIELDS = frozenset({"title", "notes", "kind", "status", "priority", "due", "start_no_earlier", "completed_at",
                    "actual_finish", "percent_done", "tags", "links", "link_types", "parent", "series", "annotations",
                    "estimate_hours", "assignments"})
_STATUS_IN = {"NEEDS-ACTION": "todo", "IN-PROCESS": "doing", "COMPLETED": "done"}


def read(stream: IO[str], options: Mapping[str, Any] | None = None) -> Document:
    """Parse the VTODOs and VEVENTs of a calendar file into a Document."""
    import icalendar

    document = Document("ical", prefix=PREFIX, fields=FIELDS)
    successors: list[tuple[str, str, str, int, str]] = []
    seen_calendar = False
    edited_occurrences = 0
    versions: dict[str, tuple[int, ExchangeTask]] = {}  # external id -> (SEQUENCE, record) of the version kept
    derived_uids: set[str] = set()
    for line, text in _components(stream):
        if text is None:
            seen_calendar = True
            continue
        try:
            component = icalendar.Component.from_ical(text)
        except (ValueError, KeyError, IndexError) as error:
            raise InvalidInputError(f"line {_bad_line(text, line)}: {_first_line(error)}") from None
        if component.get("RECURRENCE-ID") is not None:
            # An edited occurrence of a recurring event (Google, Outlook and Thunderbird write these):
            # its series is imported from the master component, so the edit is left out.
            document.skipped += 1
            edited_occurrences += 1
            continue
        _refuse_broken(component, line)
        uid = str(component.get("UID", "")).strip()
        if not uid:
            uid = _derived_uid(text)
            if uid in derived_uids:
                document.skipped += 1  # the same component again, word for word
                continue
            derived_uids.add(uid)
        series_key = f"{PREFIX}{uid}:series"
        series_before = document.series.get(series_key)
        task = _task(component, uid, line, document, successors)
        if task is None:
            continue
        sequence = _sequence(component, task.where)
        earlier = versions.get(task.external_id)
        if earlier is not None and earlier[0] != sequence:
            # RFC 5545: the same UID again with another SEQUENCE is a revision (Thunderbird appends
            # edits this way); the higher SEQUENCE is the event as it stands, with its own series.
            document.skipped += 1
            if earlier[0] > sequence:  # the earlier revision stands: put its series back
                document.series.pop(series_key, None)
                if series_before is not None:
                    document.series[series_key] = series_before
                continue
            if task.series is None:
                document.series.pop(series_key, None)
            document.tasks.remove(earlier[1])
        versions[task.external_id] = (sequence, task)
        document.tasks.append(task)
    if not seen_calendar:
        raise InvalidInputError("line 1: not an iCalendar file (no BEGIN:VCALENDAR)")
    if edited_occurrences:
        document.warnings.append(f"{edited_occurrences} edited occurrence(s) of recurring events left out "
                                 "(each series is imported from its first definition)")
    if derived_uids:
        document.warnings.append(f"{len(derived_uids)} component(s) without a UID: each gets one derived "
                                 "from its text")
    by_uid = {task.external_id: task for task in document.tasks}
    for where, predecessor, successor, lag, kind in successors:
        target = by_uid.get(PREFIX + successor)
        if target is None:
            raise InvalidInputError(f"{where}: RELATED-TO names {successor}, which is not in the file")
        if not any(link.predecessor == predecessor for link in target.links):
            target.links.append(LinkRecord(predecessor, kind, lag))
    return document


def _first_line(error: Exception) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _components(stream: IO[str]) -> Iterator[tuple[int, str | None]]:
    """(line, text) of each top-level VTODO / VEVENT (text None marks BEGIN:VCALENDAR)."""
    lines: list[str] = []
    open_names: list[tuple[str, int]] = []
    number = 0
    for number, raw in enumerate(stream, start=1):
        line = raw.rstrip("\r\n")
        if not line:
            continue
        upper = line.upper()
        if upper == "BEGIN:VCALENDAR" and not open_names:
            yield number, None
            continue
        if not open_names:
            if upper in ("BEGIN:VTODO", "BEGIN:VEVENT"):
                open_names, lines = [(upper[6:], number)], [line]
            continue
        lines.append(line)
        if upper.startswith("BEGIN:"):
            open_names.append((upper[6:], number))
        elif upper.startswith("END:"):
            name, started = open_names.pop()
            if upper[4:] != name:
                raise InvalidInputError(f"line {number}: END:{upper[4:]} while BEGIN:{name} of line {started} "
                                        "is still open")
            if not open_names:
                yield started, "\r\n".join(lines) + "\r\n"
    if open_names:
        name, started = open_names[0]
        raise InvalidInputError(f"line {started}: BEGIN:{name} never ends (END:{name} missing)")


def _bad_line(text: str, first_line: int) -> int:
    """The line of a component whose property the icalendar package refuses (for the message)."""
    import icalendar

    logical: list[tuple[int, str]] = []
    for offset, line in enumerate(text.split("\r\n")):
        if line[:1] in (" ", "\t") and logical:
            logical[-1] = (logical[-1][0], logical[-1][1] + line[1:])
        elif line:
            logical.append((first_line + offset, line))
    for number, line in logical[1:-1]:
        if line.upper().startswith(("BEGIN:", "END:")):
            continue
        try:
            icalendar.Component.from_ical(f"BEGIN:VTODO\r\n{line}\r\nEND:VTODO\r\n")
        except (ValueError, KeyError, IndexError):
            return number
    return first_line


#: The properties the import reads: a value the icalendar package could not parse is refused by name.
_READ = ("UID", "SUMMARY", "DESCRIPTION", "DTSTART", "DUE", "STATUS", "COMPLETED", "PERCENT-COMPLETE",
         "PRIORITY", "CATEGORIES", "CREATED", "RRULE", "RELATED-TO", "COMMENT")  # EXDATE / RDATE: see _dates


def _refuse_broken(component: Any, line: int) -> None:
    """InvalidInputError naming the first property the import needs whose value the package could not parse."""
    for name, message in getattr(component, "errors", ()):
        if str(name).upper() in _READ:
            uid = str(component.get("UID", "")).strip()[:24]
            where = f"line {line} ({component.name} {uid})" if uid else f"line {line} ({component.name})"
            raise InvalidInputError(f"{where}: {str(name).upper()} is not valid ({_first_line(ValueError(message))})")


def _sequence(component: Any, where: str) -> int:
    try:
        return int(str(component.get("SEQUENCE", 0) or 0))
    except ValueError:
        raise InvalidInputError(f"{where}: SEQUENCE {str(component.get('SEQUENCE'))!r} is not a number") from None


def _derived_uid(text: str) -> str:
    """A stable UID for a component that has none: a hash of its lines without the DTSTAMP (set at each export)."""
    import hashlib

    kept = "\n".join(line for line in text.split("\r\n") if not line.upper().startswith("DTSTAMP"))
    return "derived-" + hashlib.sha256(kept.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def _many(component: Any, name: str) -> list[Any]:
    value = component.get(name)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _day(value: Any) -> date | None:
    if value is None:
        return None
    stamp = getattr(value, "dt", value)
    if isinstance(stamp, datetime):
        return (stamp.astimezone() if stamp.tzinfo else stamp).date()
    return stamp if isinstance(stamp, date) else None


def _stamp(value: Any) -> datetime | None:
    stamp = getattr(value, "dt", value) if value is not None else None
    if isinstance(stamp, datetime):
        return stamp
    if isinstance(stamp, date):
        return datetime(stamp.year, stamp.month, stamp.day, 12)
    return None


def _task(component: Any, uid: str, line: int, document: Document, successors: list) -> ExchangeTask | None:
    kind = component.name
    where = f"line {line} ({kind} {uid[:24]})"
    title = str(component.get("SUMMARY", "")).strip()
    if not title and kind == "VEVENT":
        title = UNTITLED  # calendar apps let an event go without a title; a to-do needs one
    if not title:
        raise InvalidInputError(f"{where}: no SUMMARY")
    status = str(component.get("STATUS", "NEEDS-ACTION")).upper()
    if status == "CANCELLED":
        document.skipped += 1
        document.dropped.add(PREFIX + uid)
        return None
    if kind == "VTODO" and status not in _STATUS_IN:
        raise InvalidInputError(f"{where}: STATUS {status!r} unknown for a VTODO")
    priority = int(component.get("PRIORITY", 0) or 0)
    if not 0 <= priority <= 9:
        raise InvalidInputError(f"{where}: PRIORITY {priority} is out of range 0-9")
    task = ExchangeTask(PREFIX + uid, title, where, notes=str(component.get("DESCRIPTION", "")),
                      priority=0 if priority == 0 else 3 if priority <= 4 else 2 if priority == 5 else 1,
                      tags=[str(tag) for value in _many(component, "CATEGORIES") for tag in value.cats],
                      created_at=_stamp(component.get("CREATED")),
                      alt_ids=(uuid,) if (uuid := bare_uuid(uid)) else ())
    if kind == "VEVENT":
        task.kind = "milestone"
        if str(component.get("X-PLANNER-SCHEDULED", "")).upper() != "TRUE":
            task.due = _day(component.get("DTSTART"))
        task.status = "done" if status == "COMPLETED" else "todo"
    else:
        task.status = _STATUS_IN[status]
        task.due, task.start_no_earlier = _day(component.get("DUE")), _day(component.get("DTSTART"))
        if task.status == "done":
            task.completed_at = _stamp(component.get("COMPLETED"))
            task.actual_finish = _day(component.get("COMPLETED"))
        if component.get("PERCENT-COMPLETE") is not None:
            task.percent_done = max(0, min(100, int(component.get("PERCENT-COMPLETE"))))
        task.estimate_hours = _estimate(component.get("ESTIMATED-DURATION"), where)
        task.assignments = [_attendee(value, where, document) for value in _many(component, "ATTENDEE")
                            if _is_assignee(value)]
    _relations(component, task, where, successors)
    for comment in _many(component, "COMMENT"):
        text = str(comment).strip()
        if text:
            stamp = getattr(comment, "params", {}).get(ANNOTATED_AT)
            task.annotations.append((parse_datetime(stamp, where, "COMMENT time") if stamp else None, text))
    rule = component.get("RRULE")
    if isinstance(rule, list):  # several RRULE lines (deprecated by RFC 5545): a series here has one rule
        if len(rule) > 1:
            raise InvalidInputError(f"{where}: has {len(rule)} RRULE lines; Planner keeps one rule per series")
        rule = rule[0] if rule else None
    rule_text = rule.to_ical().decode().strip() if rule is not None else ""
    if rule_text:  # an empty RRULE line (some publishers write one) repeats nothing
        key = f"{task.external_id}:series"
        document.series[key] = SeriesRecord(
            key, rule_text, dtstart=task.start_no_earlier or task.due,
            skipped=_dates(component, "EXDATE", where), extra_dates=_dates(component, "RDATE", where),
            template={"title": title, "priority": task.priority, "tags": task.tags})
        task.series = key
    return task


def _dates(component: Any, name: str, where: str) -> list[date]:
    """The days an EXDATE / RDATE lists; a PERIOD counts as the day it starts.

    A value the icalendar package could not parse is read as plain text, so Google's date-only
    ``RDATE:20131210Z`` (a stray UTC mark) still counts; anything else that is no date is refused.
    """
    days: list[date] = []
    for value in _many(component, name):
        try:
            items = value.dts
        except (AttributeError, ValueError):  # icalendar 7 raises BrokenCalendarProperty (a ValueError)
            days.extend(_raw_days(str(value), name, where))
            continue
        for item in items:
            stamp = getattr(item, "dt", item)
            day = _day(stamp[0] if isinstance(stamp, tuple) else stamp)
            if day is not None:
                days.append(day)
    return days


def _raw_days(text: str, name: str, where: str) -> list[date]:
    days = []
    for part in text.split(","):
        value = part.strip()
        if not value:
            continue  # an empty EXDATE / RDATE line (some publishers write one) lists no day
        stamp = parse_timestamp(value[:-1] if len(value) == 9 and value.endswith("Z") else value)
        if stamp is None:
            raise InvalidInputError(f"{where}: {name} {text!r} is not a date or a list of dates")
        days.append(_day(stamp))
    return days  # type: ignore[return-value]


def _relations(component: Any, task: ExchangeTask, where: str, successors: list) -> None:
    from icalendar.prop import vDuration

    for related in _many(component, "RELATED-TO"):
        reltype = str(related.params.get("RELTYPE", "PARENT")).upper()
        other = str(related).strip()
        lag = 0
        if "GAP" in related.params:
            try:
                gap = vDuration.from_ical(str(related.params["GAP"]))
            except ValueError:
                raise InvalidInputError(f"{where}: GAP {related.params['GAP']!r} is not a duration") from None
            lag = math.floor(gap / timedelta(days=1) + 0.5) if isinstance(gap, timedelta) else 0
        if reltype == "PARENT":
            task.parent = PREFIX + other
        elif reltype in TEMPORAL:
            successors.append((where, task.external_id, other, lag, TEMPORAL[reltype]))
        elif reltype == "DEPENDS-ON":
            task.links.append(LinkRecord(PREFIX + other, "FS", lag))


def write(data: ExportData, options: Mapping[str, Any] | None = None) -> str:
    """The tasks of an export as a VCALENDAR (each named by its UID, else its export UUID)."""
    identify(data, source_or_uuid(PREFIX))
    out = io.StringIO()
    write_records(data.tasks, data.series, out, {person.external_id: person for person in data.resources})
    return out.getvalue()


def _estimate(prop: Any, where: str) -> float | None:
    """ESTIMATED-DURATION (a duration such as PT6H or P1D) as hours of work; a day counts as 8 hours."""
    if prop is None:
        return None
    if isinstance(prop, list):
        raise InvalidInputError(f"{where}: {len(prop)} ESTIMATED-DURATION lines; a to-do has one estimate")
    from icalendar import vDuration

    value = getattr(prop, "dt", None)
    if value is None:  # a property the icalendar package does not type arrives as text
        try:
            value = vDuration.from_ical(str(prop))
        except ValueError:
            value = None
    if value == timedelta(0):
        return None  # some tools write PT0S for "no estimate"
    if not isinstance(value, timedelta) or value < timedelta(0):
        raise InvalidInputError(f"{where}: ESTIMATED-DURATION {str(prop)!r} is not a positive duration such as PT6H")
    return round(value.days * 8 + value.seconds / 3600, 4)


def _is_assignee(value: Any) -> bool:
    """An ATTENDEE doing the work: Planner's own, or a participant who has not declined (not a room or chair)."""
    params = getattr(value, "params", {})
    if params.get("X-PLANNER-HANDLE"):
        return True
    return (str(params.get("CUTYPE", "INDIVIDUAL")).upper() == "INDIVIDUAL"
            and str(params.get("ROLE", "REQ-PARTICIPANT")).upper() in ("REQ-PARTICIPANT", "OPT-PARTICIPANT")
            and str(params.get("PARTSTAT", "NEEDS-ACTION")).upper() != "DECLINED")


def _attendee(value: Any, where: str, document: Document) -> tuple[str, float | None]:
    """An ATTENDEE as an assignment of a person (made from the handle, the mail address or the name)."""
    params = getattr(value, "params", {})
    address = str(value)
    email = address[7:] if address.lower().startswith("mailto:") else None
    handle = str(params.get("X-PLANNER-HANDLE") or "") or (email or "").split("@")[0] or str(params.get("CN") or "")
    handle = re.sub(r"[^a-z0-9_.-]+", "-", handle.strip().lower()).strip("-.")
    if not handle:
        raise InvalidInputError(f"{where}: an ATTENDEE without a name or address ({address!r})")
    key = f"{PREFIX}res:{handle}"
    if key not in {person.external_id for person in document.resources}:
        document.resources.append(ResourceRecord(key, str(params.get("CN") or handle), where, handle=handle,
                                                 email=email, capacity=None, describes=False))
    units_text = params.get("X-PLANNER-UNITS")
    try:
        units = float(units_text) if units_text else None
    except ValueError:
        raise InvalidInputError(f"{where}: X-PLANNER-UNITS {units_text!r} is not a number") from None
    return key, units
