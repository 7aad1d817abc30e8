"""Calendar use cases: working weekdays, hours, country holidays, exceptions, vacations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import select

from planner.domain.calendar import WorkCalendar
from planner.domain.errors import ConflictError, InvalidInputError, NotFoundError
from planner.services import lookup
from planner.services.context import Context
from planner.services.records import CalendarState, detached
from planner.store import people_views
from planner.store.models import Calendar, CalendarException, Project, Resource
from planner.store.uow import UnitOfWork

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_weekdays(text: str) -> str:
    """'mon-fri', 'mon,tue,thu' or '0,1,2' as the stored '0,1,2,3,4'."""
    days: set[int] = set()
    for part in text.lower().replace(" ", "").split(","):
        if not part:
            continue
        if "-" in part:
            first, last = (_weekday(p) for p in part.split("-", 1))
            days.update(range(first, last + 1) if first <= last else [*range(first, 7), *range(0, last + 1)])
        else:
            days.add(_weekday(part))
    if not days:
        raise InvalidInputError(f"working weekdays {text!r}: give e.g. mon-fri or mon,tue,thu")
    return ",".join(str(day) for day in sorted(days))


def _weekday(token: str) -> int:
    if token.isdigit() and 0 <= int(token) <= 6:
        return int(token)
    for index, name in enumerate(WEEKDAY_NAMES):
        if token[:3] == name:
            return index
    raise InvalidInputError(f"{token!r} is not a weekday: use mon..sun")


def _validated(name: str, weekdays: str, hours_per_day: float, country: str | None) -> None:
    WorkCalendar(working_weekdays=frozenset(int(d) for d in weekdays.split(",")), hours_per_day=hours_per_day,
                 holiday_country=country)
    if not name.strip():
        raise InvalidInputError("a calendar needs a name")


def add_calendar(ctx: Context, name: str, *, weekdays: str = "mon-fri", hours_per_day: float = 8.0,
                 country: str | None = None) -> CalendarState:
    """Create a calendar (country holidays through the `holidays` package)."""
    stored_weekdays = parse_weekdays(weekdays)
    _validated(name, stored_weekdays, hours_per_day, country)
    with ctx.uow() as uow:
        if uow.first(select(Calendar).where(Calendar.name == name)) is not None:
            raise ConflictError(f"calendar {name!r} exists: `planner calendar show {name}`")
        calendar = uow.add(Calendar(name=name, working_weekdays=stored_weekdays, hours_per_day=hours_per_day,
                                    country=country.upper() if country else None))
        uow.commit()
        return detached(CalendarState, calendar)


def _calendar(uow: UnitOfWork, name: str) -> Calendar:
    found = uow.first(select(Calendar).where(Calendar.name == name))
    if found is None:
        raise NotFoundError(f"no calendar {name!r}: `planner calendar ls` lists them")
    return found


def edit_calendar(ctx: Context, name: str, *, weekdays: str | None = None, hours_per_day: float | None = None,
                  country: str | None = None) -> CalendarState:
    """Change a calendar's weekdays, hours or holiday country ('none' clears the country)."""
    with ctx.uow() as uow:
        calendar = _calendar(uow, name)
        changes: dict[str, object] = {}
        if weekdays is not None:
            changes["working_weekdays"] = parse_weekdays(weekdays)
        if hours_per_day is not None:
            changes["hours_per_day"] = hours_per_day
        if country is not None:
            changes["country"] = None if country.lower() == "none" else country.upper()
        _validated(name, str(changes.get("working_weekdays", calendar.working_weekdays)),
                   float(changes.get("hours_per_day", calendar.hours_per_day)),  # type: ignore[arg-type]
                   changes.get("country", calendar.country))  # type: ignore[arg-type]
        uow.update(calendar, **changes)
        uow.commit()
        return detached(CalendarState, calendar)


def set_exception(ctx: Context, name: str, first: date, last: date | None = None, *, working: bool = False,
                  note: str = "") -> int:
    """Mark days off (or on, with ``working``) from ``first`` to ``last``; returns how many days."""
    last = last or first
    if last < first:
        raise InvalidInputError(f"the range ends ({last}) before it starts ({first})")
    if (last - first).days > 366:
        raise InvalidInputError("an exception range longer than a year is probably a typo")
    with ctx.uow() as uow:
        calendar = _calendar(uow, name)
        count = _mark_days(uow, calendar, first, last, working, note)
        uow.commit()
        return count


def _mark_days(uow: UnitOfWork, calendar: Calendar, first: date, last: date, working: bool, note: str) -> int:
    day, count = first, 0
    while day <= last:
        existing = uow.first(select(CalendarException).where(CalendarException.calendar_id == calendar.id,
                                                             CalendarException.day == day))
        if existing is None:
            uow.add(CalendarException(calendar_id=calendar.id, day=day, working=working, note=note))
        else:
            uow.update(existing, working=working, note=note)
        day += timedelta(days=1)
        count += 1
    return count


def use_calendar(ctx: Context, name: str, *, project: str | None = None, resource: str | None = None) -> None:
    """Make a project or a person follow a calendar."""
    if (project is None) == (resource is None):
        raise InvalidInputError("give either --project KEY or --resource HANDLE")
    with ctx.uow() as uow:
        calendar = _calendar(uow, name)
        row: Project | Resource = lookup.project(uow, project) if project else lookup.resource(uow, resource or "")
        uow.update(row, calendar_id=calendar.id)
        uow.commit()


def add_vacation(ctx: Context, handle: str, first: date, last: date, *, note: str = "vacation") -> int:
    """Days off for one person (their own calendar is made from the standard one when needed)."""
    if last < first:
        raise InvalidInputError(f"the vacation ends ({last}) before it starts ({first})")
    with ctx.uow() as uow:
        resource = lookup.resource(uow, handle)
        calendar = uow.get(Calendar, resource.calendar_id) if resource.calendar_id else None
        if calendar is None:
            standard = _calendar(uow, "standard")
            calendar = uow.first(select(Calendar).where(Calendar.name == f"person:{resource.handle}"))
            if calendar is None:
                calendar = uow.add(Calendar(name=f"person:{resource.handle}", working_weekdays=standard.working_weekdays,
                                            hours_per_day=standard.hours_per_day, country=standard.country))
            uow.update(resource, calendar_id=calendar.id)
        count = _mark_days(uow, calendar, first, last, False, note)
        uow.commit()
        return count


@dataclass(slots=True)
class CalendarView:
    """A calendar with its working days over a window, for `calendar show`."""

    name: str
    weekdays: list[str]
    hours_per_day: float
    country: str | None
    days_off: list[tuple[date, str]]
    extra_working_days: list[date]


def show_calendar(ctx: Context, name: str, first: date, last: date) -> CalendarView:
    """Days off (weekends aside) and extra working days between two dates."""
    from planner.services.planning.schedule import work_calendar
    from planner.store.schedule_views import load_calendar

    with ctx.reader() as conn:
        found = people_views.calendar_id(conn, name)
        if found is None:
            raise NotFoundError(f"no calendar {name!r}: `planner calendar ls` lists them")
        stored = load_calendar(conn, found)
        notes = people_views.calendar_exception_notes(conn, found)
    calendar = work_calendar(stored)
    days_off, extra = [], []
    day = first
    while day <= last:
        usual = day.weekday() in stored.working_weekdays
        if usual and not calendar.is_working(day):
            reason = "holiday" if calendar.is_holiday(day) else str(notes.get(day.isoformat(), notes.get(day, "off")))
            days_off.append((day, reason or "off"))
        elif not usual and calendar.is_working(day):
            extra.append(day)
        day += timedelta(days=1)
    return CalendarView(stored.name, [WEEKDAY_NAMES[d] for d in sorted(stored.working_weekdays)],
                        stored.hours_per_day, stored.country, days_off, extra)


def list_calendars(ctx: Context) -> list[tuple[str, str, float, str | None]]:
    """(name, weekdays, hours per day, country) of every calendar."""
    with ctx.reader() as conn:
        rows = people_views.calendar_summaries(conn)
    return [(r[0], ",".join(WEEKDAY_NAMES[int(d)] for d in r[1].split(",")), float(r[2]), r[3]) for r in rows]
