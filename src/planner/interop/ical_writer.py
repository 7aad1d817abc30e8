"""Writing iCalendar: VTODOs, and milestones as all-day VEVENTs (the reading side is ``ical``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from typing import IO, Any

from planner.interop.records import ExchangeTask, LinkRecord, ResourceRecord, SeriesRecord
from planner.interop.timestamps import compact_utc

#: RFC 9253 temporal relation types and the link types they carry.
TEMPORAL = {"FINISHTOSTART": "FS", "STARTTOSTART": "SS", "FINISHTOFINISH": "FF", "STARTTOFINISH": "SF"}
_STATUS_OUT = {"todo": "NEEDS-ACTION", "doing": "IN-PROCESS", "done": "COMPLETED"}
#: The COMMENT parameter holding when an annotation was made (UTC, 20261125T100000Z).
ANNOTATED_AT = "X-PLANNER-AT"


def write_records(tasks: Iterable[ExchangeTask], series: dict[str, SeriesRecord], out: IO[str],
                  people: dict[str, ResourceRecord] | None = None) -> None:
    """Write a VCALENDAR: VTODOs, and milestones with a date as all-day VEVENTs.

    ``external_id`` of each record is its UID; links name predecessors by UID;
    ``people`` (by external id) names the assignees as ATTENDEEs.
    """
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("PRODID", "-//Planner//planner//EN")
    calendar.add("VERSION", "2.0")
    calendar.add("X-WR-CALNAME", "Planner")
    tasks = list(tasks)
    successors: dict[str, list[tuple[str, LinkRecord]]] = {}
    for task in tasks:
        for link in task.links:
            successors.setdefault(link.predecessor, []).append((task.external_id, link))
    stamp = datetime.now(timezone.utc).replace(microsecond=0)
    for task in tasks:
        component = _component(task, series.get(task.series or ""), successors.get(task.external_id, []), stamp)
        for reference, units in task.assignments:
            _add_attendee(component, (people or {}).get(reference), reference, units)
        calendar.add_component(component)
    out.write(calendar.to_ical().decode("utf-8"))


def _component(task: ExchangeTask, recurring: SeriesRecord | None, successors: list[tuple[str, LinkRecord]],
               stamp: datetime) -> Any:
    import icalendar

    day = task.due or task.finish
    milestone = task.kind == "milestone" and day is not None
    component = icalendar.Event() if milestone else icalendar.Todo()
    component.add("UID", task.external_id)
    if task.planner_id is not None:
        component.add("X-PLANNER-ID", str(task.planner_id))  # which task this is, whatever its UID
    component.add("DTSTAMP", stamp)
    component.add("SUMMARY", task.title)
    if task.notes:
        component.add("DESCRIPTION", task.notes)
    for entry, text in task.annotations:  # an annotation's time rides in a parameter: COMMENT has none of its own
        component.add("COMMENT", text, parameters={ANNOTATED_AT: compact_utc(entry)} if entry else None)
    if task.created_at:
        component.add("CREATED", task.created_at.astimezone(timezone.utc))
    if milestone:
        component.add("DTSTART", day)
        if task.due is None:
            component.add("X-PLANNER-SCHEDULED", "TRUE")  # the date is the schedule's, not a due date
        component.add("DTEND", day + timedelta(days=1))  # type: ignore[operator]
        component.add("TRANSP", "TRANSPARENT")
        if task.status == "done":
            component.add("STATUS", "CONFIRMED")
    else:
        if task.start_no_earlier and (task.due is None or task.start_no_earlier < task.due):
            component.add("DTSTART", task.start_no_earlier)
        if task.due:
            component.add("DUE", task.due)
        component.add("STATUS", _STATUS_OUT.get(task.status, "NEEDS-ACTION"))
        if task.status == "done" and task.completed_at:
            component.add("COMPLETED", task.completed_at.astimezone(timezone.utc))
        if task.percent_done:
            component.add("PERCENT-COMPLETE", int(task.percent_done))
        if task.estimate_hours:
            # the ical-tasks extension's property (RFC 9253's companion draft), as a duration: PT6H
            component.add("ESTIMATED-DURATION", icalendar.vDuration(timedelta(hours=task.estimate_hours)))
    if task.priority:
        component.add("PRIORITY", {3: 1, 2: 5, 1: 9}[task.priority])
    if task.tags:
        component.add("CATEGORIES", sorted(task.tags))
    if task.parent:
        component.add("RELATED-TO", task.parent, parameters={"RELTYPE": "PARENT"})
    reltypes = {kind: name for name, kind in TEMPORAL.items()}
    for successor, link in successors:
        parameters = {"RELTYPE": reltypes[link.type]}
        if link.lag_days:
            parameters["GAP"] = f"{'-' if link.lag_days < 0 else ''}P{abs(link.lag_days)}D"
        component.add("RELATED-TO", successor, parameters=parameters)
    if recurring is not None and not milestone:
        component.add("RRULE", icalendar.vRecur.from_ical(recurring.rrule.removeprefix("RRULE:")))
        if recurring.skipped:
            component.add("EXDATE", sorted(recurring.skipped))
        if recurring.extra_dates:
            component.add("RDATE", sorted(recurring.extra_dates))
    return component


def _add_attendee(component: Any, person: ResourceRecord | None, reference: str, units: float | None) -> None:
    """An assignee as an ATTENDEE: their mail address when known, their handle and units as parameters."""
    handle = (person.handle if person else None) or reference.rsplit(":", 1)[-1]
    parameters = {"CN": person.name if person else handle, "ROLE": "REQ-PARTICIPANT", "X-PLANNER-HANDLE": handle}
    if units is not None:
        parameters["X-PLANNER-UNITS"] = f"{units:g}"
    address = f"mailto:{person.email}" if person and person.email else f"urn:x-planner:person:{handle}"
    component.add("ATTENDEE", address, parameters=parameters)
