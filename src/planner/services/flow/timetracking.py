"""Time tracking: one running timer per person, logged work, and time reports.

Times are stored in UTC (``TimeEntry.started_at`` / ``ended_at``); a
report groups entries by the local day they started on, and shows local time.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlmodel import select

from planner.domain.clock import as_utc, hours_between, local_day_bounds, local_to_utc, utc_to_local
from planner.domain.errors import InvalidInputError, NotFoundError
from planner.services import lookup
from planner.services.context import Context
from planner.services.tasks.lifecycle import local_now
from planner.store import planning_views
from planner.store.dialect_ops import lock_for
from planner.store.models import Project, Task, TimeEntry
from planner.store.uow import UnitOfWork

REPORT_GROUPS = ("project", "person", "task", "day")
MAX_LOG_HOURS = 24.0


@dataclass(slots=True)
class TimerInfo:
    """A timer: which task, who, since when (local time), and how long so far / in all."""

    entry_id: int
    task_id: int
    title: str
    person: str
    started_local: datetime
    hours: float

    def to_json(self) -> dict[str, Any]:
        """The timer as JSON."""
        return {"entry": self.entry_id, "task": self.task_id, "title": self.title, "person": self.person,
                "started": self.started_local.isoformat(timespec="seconds"), "hours": round(self.hours, 4)}


@dataclass(slots=True)
class StartResult:
    """The timer now running and the one it stopped (starting a second timer stops the first)."""

    running: TimerInfo
    stopped: TimerInfo | None = None
    already_running: bool = False
    moved_to: str | None = None  # the 'doing' state a 'todo' task moved to when the timer started


def now_utc(ctx: Context) -> datetime:
    """The context's current time as an aware UTC datetime."""
    return local_to_utc(local_now(ctx))


def _lock_person(uow: UnitOfWork, person: str) -> None:
    """Serialize timer changes of one person (SQLite's BEGIN IMMEDIATE already does; PostgreSQL needs a lock)."""
    lock_for(uow.session, uow.location.dialect, "timer:" + person)


def _running(uow: UnitOfWork, person: str) -> TimeEntry | None:
    return uow.first(select(TimeEntry).where(TimeEntry.person == person, TimeEntry.ended_at.is_(None))  # type: ignore[union-attr]
                     .order_by(TimeEntry.started_at.desc()))  # type: ignore[attr-defined]


def _info(uow: UnitOfWork, entry: TimeEntry, hours: float) -> TimerInfo:
    task = uow.get(Task, entry.task_id)
    return TimerInfo(entry.id, entry.task_id, task.title if task else "?", entry.person,
                     utc_to_local(entry.started_at), hours)


def _stop(uow: UnitOfWork, entry: TimeEntry, at: datetime) -> TimerInfo:
    hours = max(0.0, hours_between(entry.started_at, at))
    uow.update(entry, ended_at=max(at, as_utc(entry.started_at)), hours=hours)
    return _info(uow, entry, hours)


def start_timer(ctx: Context, task_id: int, *, note: str = "") -> StartResult:
    """Start clocking a task; a timer already running for this person on another task stops first.

    A task still in a 'todo' state moves to the first 'doing' state (unless that would break a WIP limit).
    """
    from planner.services.tasks.lifecycle import status_changes, would_exceed_wip

    person, now = ctx.actor, now_utc(ctx)
    with ctx.uow() as uow:
        task = lookup.task(uow, task_id)
        if task.completed_at is not None:
            raise InvalidInputError(f"task #{task_id} is done; `planner edit {task_id} --status todo` reopens it, "
                                    f"`planner log {task_id} 1h` records time after the fact")
        _lock_person(uow, person)
        running = _running(uow, person)
        if running is not None and running.task_id == task_id:
            return StartResult(_info(uow, running, hours_between(running.started_at, now)), None, True)
        stopped = _stop(uow, running, now) if running is not None else None
        entry = uow.add(TimeEntry(task_id=task_id, person=person, started_at=now, note=note))
        project = uow.get(Project, task.project_id)
        states = lookup.workflow_states(uow, project)
        current = next((s for s in states if s.key == task.status), None)
        moved_to = None
        if current is None or current.category == "todo":
            doing = lookup.first_state(states, "doing")
            if not would_exceed_wip(uow, project, doing, task):
                uow.update(task, **status_changes(task, doing, ctx.today()))
                moved_to = doing.key
        result = StartResult(_info(uow, entry, 0.0), stopped, moved_to=moved_to)
        uow.commit()
        return result


def stop_timer(ctx: Context, *, at: datetime | None = None) -> TimerInfo:
    """Stop this person's running timer (at ``at``, naive local time: not in the future nor before it started)."""
    end = now_utc(ctx) if at is None else _past(ctx, at)
    with ctx.uow() as uow:
        _lock_person(uow, ctx.actor)
        running = _running(uow, ctx.actor)
        if running is None:
            raise NotFoundError(f"no timer is running for {ctx.actor}: `planner timer start ID` starts one")
        if end < as_utc(running.started_at):
            raise InvalidInputError(f"the timer started at {utc_to_local(running.started_at):%Y-%m-%d %H:%M}: "
                                    f"it cannot stop before, at {utc_to_local(end):%Y-%m-%d %H:%M}")
        stopped = _stop(uow, running, end)
        uow.commit()
        return stopped


def running_timer(ctx: Context, person: str | None = None) -> TimerInfo | None:
    """This person's running timer with the hours so far, or None."""
    who = person or ctx.actor
    with ctx.reader() as conn:
        row = planning_views.running_timer(conn, who)
    if row is None:
        return None
    started = _as_datetime(row[4])
    return TimerInfo(row[0], row[1], row[2], row[3], utc_to_local(started),
                     max(0.0, hours_between(started, now_utc(ctx))))


def _as_datetime(value: Any) -> datetime:
    return as_utc(value if isinstance(value, datetime) else datetime.fromisoformat(str(value)))


def _past(ctx: Context, at: datetime) -> datetime:
    """``at`` (naive local time) in UTC, refused when it is after the context's now."""
    if at > local_now(ctx):
        raise InvalidInputError(f"{at:%Y-%m-%d %H:%M} is in the future (now is {local_now(ctx):%Y-%m-%d %H:%M})")
    return local_to_utc(at)


def log_time(ctx: Context, task_id: int, hours: float, *, day: date | None = None, note: str = "",
             at: datetime | None = None) -> TimerInfo:
    """Record work done on a task (today by default: ending now; another day: from 09:00 local).

    ``at`` (naive local time) is when the work started; it must have ended by now.
    """
    if not 0 < hours <= MAX_LOG_HOURS:
        raise InvalidInputError(f"log between 1 minute and {MAX_LOG_HOURS:g} hours at a time, not {hours:g}h")
    if at is not None and day is not None:
        raise InvalidInputError("give --date or --at, not both")
    when = day or ctx.today()
    if when > ctx.today():
        raise InvalidInputError(f"{when} is in the future: log work once it is done")
    if at is not None:
        start = _past(ctx, at)
        end = start + timedelta(hours=hours)
        if end > now_utc(ctx):
            raise InvalidInputError(f"{hours:g}h from {at:%Y-%m-%d %H:%M} ends in the future: "
                                    "log work once it is done")
    elif when == ctx.today():
        end = now_utc(ctx)
        start = max(end - timedelta(hours=hours), local_day_bounds(when)[0])
    else:
        start = local_to_utc(datetime.combine(when, time(9)))
        end = start + timedelta(hours=hours)
    with ctx.uow() as uow:
        lookup.task(uow, task_id)
        entry = uow.add(TimeEntry(task_id=task_id, person=ctx.actor, started_at=start, ended_at=end,
                                  hours=round(hours, 4), note=note))
        info = _info(uow, entry, entry.hours)
        uow.commit()
        return info


@dataclass(slots=True)
class ReportRow:
    """One group of a time report: its key, a label and the hours."""

    key: str
    label: str
    hours: float
    entries: int

    def to_json(self) -> dict[str, Any]:
        """The row as JSON."""
        return {"key": self.key, "label": self.label, "hours": round(self.hours, 4), "entries": self.entries}


@dataclass(slots=True)
class TimeReport:
    """Clocked hours between two local dates (inclusive), grouped one way."""

    start: date
    end: date
    by: str
    rows: list[ReportRow] = field(default_factory=list)

    @property
    def total_hours(self) -> float:
        """Hours over every row."""
        return sum(row.hours for row in self.rows)

    def to_json(self) -> dict[str, Any]:
        """The report as JSON."""
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "by": self.by,
                "rows": [row.to_json() for row in self.rows], "total_hours": round(self.total_hours, 4)}


def week_of(day: date) -> tuple[date, date]:
    """Monday .. Sunday of the week holding ``day``."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def time_report(ctx: Context, *, start: date | None = None, end: date | None = None, by: str = "project",
                person: str | None = None) -> TimeReport:
    """Hours clocked from ``start`` to ``end`` (default: this week), grouped by project, person, task or day."""
    if by not in REPORT_GROUPS:
        raise InvalidInputError(f"group by {by!r} unknown: use {', '.join(REPORT_GROUPS)}")
    week_start, week_end = week_of(ctx.today())
    first, last = start or week_start, end or (week_end if start is None else ctx.today())
    if last < first:
        raise InvalidInputError(f"the report ends ({last}) before it starts ({first})")
    low, high = local_day_bounds(first)[0], local_day_bounds(last)[1]
    now = now_utc(ctx)
    hours: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    labels: dict[str, str] = {}
    with ctx.uow() as uow:
        statement = (select(TimeEntry, Task, Project).join(Task, Task.id == TimeEntry.task_id)
                     .join(Project, Project.id == Task.project_id)
                     .where(TimeEntry.started_at >= low, TimeEntry.started_at < high))
        if person is not None:
            statement = statement.where(TimeEntry.person == person)
        for entry, task, project in uow.session.exec(statement).all():
            spent = entry.hours if entry.ended_at is not None else max(0.0, hours_between(entry.started_at, now))
            key, label = _group(by, entry, task, project)
            hours[key] += spent
            counts[key] += 1
            labels[key] = label
    rows = [ReportRow(key, labels[key], hours[key], counts[key]) for key in hours]
    rows.sort(key=lambda row: row.key if by == "day" else (-row.hours, row.key))
    return TimeReport(first, last, by, rows)


def _group(by: str, entry: TimeEntry, task: Task, project: Project) -> tuple[str, str]:
    if by == "project":
        return project.key, project.name
    if by == "person":
        return entry.person, entry.person
    if by == "task":
        return f"#{task.id}", task.title
    day = utc_to_local(entry.started_at).date().isoformat()
    return day, day
