"""Writing MS Project XML (MSPDI) for one project, elements in the order the published schema sets.

Tasks carry their scheduled Start/Finish (08:00 and 17:00 of the dates the
schedule gives), Duration in hours of the project's day, Work from the
effort, Milestone / Summary from kind and outline (parents before their
children, OutlineLevel and OutlineNumber), PredecessorLinks (0=FF 1=FS 2=SF
3=SS, LinkLag in tenths of a minute with LagFormat 7 = days) and CreateDate
(with the UID it lets Planner recognise its own tasks when they come back).
UIDs: a task imported from MSPDI keeps its UID; others use their Planner id
unless that UID is taken.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timezone
from typing import Any
from xml.sax.saxutils import escape

from planner.interop.records import CalendarRecord, ExchangeTask

NAMESPACE = "http://schemas.microsoft.com/project"
_LINK_TYPE = {"FF": 0, "FS": 1, "SF": 2, "SS": 3}
_PRIORITY = {3: 900, 2: 700, 1: 300, 0: 500}


def _el(name: str, value: Any) -> str:
    return f"<{name}>{escape(str(value))}</{name}>"


def _stamp(day: date | None, hour: int) -> str | None:
    return f"{day.isoformat()}T{hour:02d}:00:00" if day else None


def _hours(value: float) -> str:
    whole_minutes = round(value * 60)
    return f"PT{whole_minutes // 60}H{whole_minutes % 60}M0S"


def _uids(tasks: list[ExchangeTask], key: str) -> dict[int, int]:
    """Planner id -> UID: the UID a task was imported with, else its id when free, else the next free number."""
    own_prefix = f"mspdi:{key}:"
    wanted: dict[int, int] = {}
    for task in tasks:
        rest = task.external_id[len(own_prefix):] if task.external_id.startswith(own_prefix) else ""
        if rest.isdigit() and int(rest) > 0:
            wanted[task.planner_id] = int(rest)  # type: ignore[index]
    used = set(wanted.values())
    if len(used) != len(wanted):
        wanted, used = {}, set()
    uids = dict(wanted)
    next_free = max([*used, *(task.planner_id or 0 for task in tasks), 0]) + 1
    for task in tasks:
        if task.planner_id in uids:
            continue
        if task.planner_id not in used:
            uids[task.planner_id] = task.planner_id  # type: ignore[index]
        else:
            uids[task.planner_id] = next_free  # type: ignore[index]
            next_free += 1
        used.add(uids[task.planner_id])  # type: ignore[index]
    return uids


def _outline(tasks: list[ExchangeTask]) -> list[tuple[ExchangeTask, int, str, bool]]:
    """(task, level, outline number, is summary) with parents before their children."""
    ids = {str(task.planner_id) for task in tasks}
    children: dict[str | None, list[ExchangeTask]] = {}
    for task in tasks:
        parent = task.parent if task.parent in ids else None
        children.setdefault(parent, []).append(task)
    result: list[tuple[ExchangeTask, int, str, bool]] = []
    stack: list[tuple[ExchangeTask, int, str]] = [
        (task, 1, str(number)) for number, task in reversed(list(enumerate(children.get(None, []), start=1)))]
    while stack:
        task, level, number = stack.pop()
        own = children.get(str(task.planner_id), [])
        result.append((task, level, number, bool(own)))
        stack.extend((child, level + 1, f"{number}.{index}")
                     for index, child in reversed(list(enumerate(own, start=1))))
    return result


def write(data: Any) -> bytes:
    """The MSPDI document of ``data`` (an ExportData of one project with scheduled dates)."""
    return "".join(_document(data)).encode("utf-8")


def _document(data: Any) -> Iterator[str]:
    project = data.project
    calendars: list[CalendarRecord] = data.calendars
    calendar_uid = {calendar.external_id: index for index, calendar in enumerate(calendars, start=1)}
    main_calendar = next((c for c in calendars if c.external_id == project.calendar), None)
    hours_per_day = main_calendar.hours_per_day if main_calendar else 8.0
    minutes_per_day = round(hours_per_day * 60)
    tasks: list[ExchangeTask] = data.tasks
    start = min((task.start for task in tasks if task.start), default=project.start or date.today())
    finish = max((task.finish for task in tasks if task.finish), default=start)
    yield '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    yield f'<Project xmlns="{NAMESPACE}">\n'
    yield "".join([_el("SaveVersion", 14), _el("Name", f"{project.key}.xml"), _el("Title", project.name),
                   _el("ScheduleFromStart", 1), _el("StartDate", _stamp(project.start or start, 8)),
                   _el("FinishDate", _stamp(finish, 17)), _el("CalendarUID", calendar_uid.get(project.calendar, 1)),
                   _el("DefaultStartTime", "08:00:00"), _el("DefaultFinishTime", "17:00:00"),
                   _el("MinutesPerDay", minutes_per_day), _el("MinutesPerWeek", minutes_per_day * 5),
                   _el("DaysPerMonth", 20)]) + "\n"
    yield "<Calendars>\n"
    for calendar in calendars:
        yield _calendar(calendar, calendar_uid[calendar.external_id], project.key) + "\n"
    yield "</Calendars>\n<Tasks>\n"
    yield ("<Task>" + "".join([_el("UID", 0), _el("ID", 0), _el("Name", project.name), _el("Type", 1),
                               _el("IsNull", 0), _el("OutlineNumber", 0), _el("OutlineLevel", 0),
                               _el("Start", _stamp(start, 8)), _el("Finish", _stamp(finish, 17)),
                               _el("Summary", 1)]) + "</Task>\n")
    uids = _uids(tasks, project.key)
    by_name = {str(task.planner_id): task for task in tasks}
    for row, (task, level, number, summary) in enumerate(_outline(tasks), start=1):
        yield _task(task, row, uids, level, number, summary, hours_per_day, minutes_per_day, by_name) + "\n"
    yield "</Tasks>\n<Resources>\n"
    resource_uid = {resource.external_id: index for index, resource in enumerate(data.resources, start=1)}
    for resource in data.resources:
        parts = [_el("UID", resource_uid[resource.external_id]), _el("ID", resource_uid[resource.external_id]),
                 _el("Name", resource.name), _el("Type", 1), _el("IsNull", 0), _el("Initials", resource.handle or "")]
        if resource.kind == "pool":
            parts.append(_el("Group", "pool"))
        if resource.email:
            parts.append(_el("EmailAddress", resource.email))
        parts.append(_el("MaxUnits", f"{resource.capacity:.2f}"))
        if resource.calendar in calendar_uid:
            parts.append(_el("CalendarUID", calendar_uid[resource.calendar]))
        yield "<Resource>" + "".join(parts) + "</Resource>\n"
    yield "</Resources>\n<Assignments>\n"
    number = 0
    for task in tasks:
        for resource, units in task.assignments:
            if resource in resource_uid:
                number += 1
                yield ("<Assignment>" + "".join([_el("UID", number), _el("TaskUID", uids[task.planner_id]),  # type: ignore[index]
                                                 _el("ResourceUID", resource_uid[resource]),
                                                 _el("Units", f"{units:.2f}")]) + "</Assignment>\n")
    yield "</Assignments>\n</Project>\n"


def _task(task: ExchangeTask, row: int, uids: dict[int, int], level: int, number: str, summary: bool,
          hours_per_day: float, minutes_per_day: int, by_name: dict[str, ExchangeTask]) -> str:
    milestone = task.kind == "milestone"
    start = task.start or task.start_no_earlier or task.due or date.today()
    finish = task.finish or start
    days = 0 if milestone else max(1, (task.duration_days if task.duration_days is not None and not summary
                                       else _span_days(task)))
    parts = [_el("UID", uids[task.planner_id]), _el("ID", row), _el("Name", task.title), _el("Type", 0),  # type: ignore[index]
             _el("IsNull", 0)]
    if task.created_at:
        parts.append(_el("CreateDate", task.created_at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")))
    parts += [_el("OutlineNumber", number), _el("OutlineLevel", level), _el("Priority", _PRIORITY[task.priority]),
              _el("Start", _stamp(finish if milestone else start, 17 if milestone else 8)),
              _el("Finish", _stamp(finish, 17)), _el("Duration", _hours(days * hours_per_day)),
              _el("DurationFormat", 7)]
    if task.estimate_hours and not summary:
        parts.append(_el("Work", _hours(task.estimate_hours)))
    parts += [_el("Milestone", int(milestone)), _el("Summary", int(summary)), _el("Critical", int(task.critical)),
              _el("PercentComplete", task.percent_done or 0)]
    if task.actual_start:
        parts.append(_el("ActualStart", _stamp(task.actual_start, 8)))
    if task.actual_finish and task.status == "done":
        parts.append(_el("ActualFinish", _stamp(task.actual_finish, 17)))
    if task.start_no_earlier:
        parts += [_el("ConstraintType", 4), _el("ConstraintDate", _stamp(task.start_no_earlier, 8))]
    else:
        parts.append(_el("ConstraintType", 0))
    if task.due:
        parts.append(_el("Deadline", _stamp(task.due, 17)))
    if task.notes:
        parts.append(_el("Notes", task.notes))
    for link in task.links:
        predecessor = by_name.get(link.predecessor)
        if predecessor is None:
            continue
        parts.append("<PredecessorLink>" + "".join([
            _el("PredecessorUID", uids[predecessor.planner_id]), _el("Type", _LINK_TYPE[link.type]),  # type: ignore[index]
            _el("CrossProject", 0), _el("LinkLag", link.lag_days * 10 * minutes_per_day), _el("LagFormat", 7),
        ]) + "</PredecessorLink>")
    return "<Task>" + "".join(parts) + "</Task>"


def _span_days(task: ExchangeTask) -> int:
    if task.start and task.finish:
        return max(1, (task.finish - task.start).days + 1)
    return 1


def _working_times(hours: float) -> str:
    """Working times adding up to ``hours``: from 08:00, with an hour's lunch at 12:00 for longer days."""
    morning = min(hours, 4.0)
    periods = [(8 * 60, 8 * 60 + round(morning * 60))]
    if hours > 4:
        periods.append((13 * 60, 13 * 60 + round((hours - 4) * 60)))
    return "<WorkingTimes>" + "".join(
        "<WorkingTime>" + _el("FromTime", f"{a // 60 % 24:02d}:{a % 60:02d}:00")
        + _el("ToTime", f"{b // 60 % 24:02d}:{b % 60:02d}:00") + "</WorkingTime>" for a, b in periods
    ) + "</WorkingTimes>"


def _calendar(calendar: CalendarRecord, uid: int, key: str) -> str:
    name = calendar.name.removeprefix(f"{key}:")  # imported calendars are named after their project
    parts = [_el("UID", uid), _el("Name", name), _el("IsBaseCalendar", 1), _el("BaseCalendarUID", -1),
             "<WeekDays>"]
    for day_type in range(1, 8):
        weekday = (day_type + 5) % 7
        working = weekday in calendar.working_weekdays
        parts.append("<WeekDay>" + _el("DayType", day_type) + _el("DayWorking", int(working))
                     + (_working_times(calendar.hours_per_day) if working else "") + "</WeekDay>")
    parts.append("</WeekDays>")
    if calendar.exceptions:
        parts.append("<Exceptions>")
        for day, working in sorted(calendar.exceptions.items()):
            parts.append("<Exception>" + "".join([
                _el("EnteredByOccurrences", 0),
                "<TimePeriod>" + _el("FromDate", f"{day.isoformat()}T00:00:00")
                + _el("ToDate", f"{day.isoformat()}T23:59:00") + "</TimePeriod>",
                _el("Occurrences", 1), _el("Name", "working day" if working else "day off"), _el("Type", 1),
                _el("DayWorking", int(working)), _working_times(calendar.hours_per_day) if working else "",
            ]) + "</Exception>")
        parts.append("</Exceptions>")
    return "<Calendar>" + "".join(parts) + "</Calendar>"

