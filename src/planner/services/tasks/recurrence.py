"""Recurring series: creating, spawning, editing, ending and skipping instances.

A series (``Recurrence``) holds an RRULE, a policy and the template its
instances copy. It keeps one open instance at a time: finishing it spawns the
next, in the same transaction, on the date the policy gives (``fixed``: the
next date of the rule after the finished one, so a backlog stays overdue;
``catch_up``: the next date after today; ``after_completion``: counted from
the day it was done).

Every instance carries ``instance_key`` = series + date, UNIQUE in the
database. Instances are inserted with ``INSERT ... ON CONFLICT DO NOTHING`` on
that key, so cron, the TUI and a teammate spawning the same instance at once
end up with exactly one row and no error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlmodel import select

from planner.domain import recurrence as rules
from planner.domain.errors import InvalidInputError, NotFoundError
from planner.services import lookup
from planner.services.context import Context
from planner.services.records import TaskState, detached
from planner.services.tasks.rows import assign_resource, delete_rows, tag_task
from planner.store.models import Project, Recurrence, Task, utcnow
from planner.store.uow import UnitOfWork, snapshot

#: Template keys an instance copies onto its Task row.
TEMPLATE_FIELDS = ("title", "notes", "priority", "estimate_hours", "duration_days", "kind")


@dataclass(slots=True)
class SeriesInfo:
    """A series as listed: its rule, policy, template title and open instance."""

    id: int
    project: str
    title: str
    rule: str
    policy: str
    active: bool
    until: date | None
    next_due: date | None
    open_task_id: int | None
    skipped: list[str]
    starts_after: str | None = None
    time_of_day: str | None = None
    zone: str | None = None
    next_at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        """The series as JSON (``next_at`` in the series' zone, ``next_at_utc`` as stored times are)."""
        return {"id": self.id, "project": self.project, "title": self.title, "rrule": self.rule,
                "policy": self.policy, "active": self.active, "until": _iso(self.until),
                "next_due": _iso(self.next_due), "open_task": self.open_task_id, "skipped": self.skipped,
                "starts_after": self.starts_after, "time_of_day": self.time_of_day, "timezone": self.zone,
                "next_at": self.next_at.isoformat() if self.next_at else None,
                "next_at_utc": self.next_at.astimezone(timezone.utc).isoformat() if self.next_at else None}


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def parse_rule(text: str) -> str:
    """An RRULE from what people type (``every friday``, ``weekdays``) or RRULE text."""
    return rules.parse_recurrence(text)


def parse_policy(text: str | None) -> str:
    """``fixed`` / ``catch_up`` / ``after_completion`` from their names or Org-mode marks (+, ++, .+)."""
    return rules.parse_policy(text or "fixed")


def local_zone() -> str:
    """The IANA name of this machine's time zone ($TZ, /etc/timezone, /etc/localtime), else UTC."""
    import os
    from pathlib import Path

    named = os.environ.get("TZ", "").lstrip(":")
    if named and "/" in named:
        return named
    try:
        return Path("/etc/timezone").read_text(encoding="utf-8").strip() or "UTC"
    except OSError:
        pass
    target = str(Path("/etc/localtime").resolve())
    return target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else "UTC"


def _wall_clock(start: date, time_of_day: str | None, zone: str | None) -> tuple[str | None, str | None]:
    """A checked ``HH:MM`` and zone for a series that happens at a time of day (the local zone by default)."""
    if time_of_day is None:
        if zone is not None:
            raise InvalidInputError("a time zone goes with a time of day: add --at HH:MM")
        return None, None
    chosen = zone or local_zone()
    hours, colon, minutes = time_of_day.strip().partition(":")
    text = f"{hours.zfill(2)}:{minutes}" if colon and hours.isdigit() else time_of_day
    probe = rules.occurrence_datetimes("FREQ=DAILY", start, start, start, time_of_day=text, zone=chosen)
    return probe[0].strftime("%H:%M"), chosen  # occurrence_datetimes refused a bad time or zone


def next_time(series: Recurrence, day: date | None) -> datetime | None:
    """When the instance due on ``day`` happens: that day's wall-clock time in the series' zone (DST-safe)."""
    if day is None or series.time_of_day is None or series.timezone is None:
        return None
    found = rules.occurrence_datetimes(series.rrule, series.dtstart, day, day, time_of_day=series.time_of_day,
                                       zone=series.timezone)
    return found[0] if found else None


def _org_policy(rule_text: str) -> str:
    try:
        return rules.parse_org_repeater(rule_text)[1]
    except InvalidInputError:
        return "fixed"


def template_of(draft: Any) -> dict[str, Any]:
    """The template an instance copies, from a TaskDraft."""
    return {"title": draft.title.strip(), "notes": draft.notes, "priority": draft.priority,
            "estimate_hours": draft.estimate_hours, "duration_days": draft.duration_days,
            "kind": "milestone" if draft.milestone else "task", "tags": list(draft.tags),
            "assignees": list(draft.assignees)}


def create_series(uow: UnitOfWork, ctx: Context, project: Project, rule_text: str, policy: str | None,
                  template: dict[str, Any], *, first_due: date | None = None, until: date | None = None,
                  starts_after: Project | None = None, time_of_day: str | None = None,
                  zone: str | None = None) -> tuple[Recurrence, Task | None]:
    """Add a series and (unless it waits for a project to end) its first instance, inside ``uow``.

    Without a policy, an Org repeater's mark decides (``++1w`` is catch_up), else ``fixed``.
    """
    rule = parse_rule(rule_text)
    policy = parse_policy(policy) if policy else _org_policy(rule_text)
    start = first_due or ctx.today()
    if until is not None and until < start:
        raise InvalidInputError(f"the series ends ({until}) before it starts ({start})")
    time_of_day, zone = _wall_clock(start, time_of_day, zone)
    series = uow.add(Recurrence(project_id=project.id, rrule=rule, policy=policy, dtstart=start, until=until,
                                time_of_day=time_of_day, timezone=zone,
                                template=template, skipped=[], active=starts_after is None,
                                starts_after_project_id=starts_after.id if starts_after else None))
    if starts_after is not None:
        return series, None
    return series, start_series(uow, series, ctx, not_before=start)


def start_series(uow: UnitOfWork, series: Recurrence, ctx: Context, *, not_before: date | None = None) -> Task | None:
    """Activate a series and create its first instance on or after its start and ``not_before`` (default today).

    A series added with a past due date starts there (a fixed backlog is then overdue from day one).
    """
    first = first_date(series, not_before or ctx.today())
    if first is None:
        uow.update(series, active=False, next_due=None)
        return None
    uow.update(series, active=True, next_due=first)
    return ensure_instance(uow, series, first)


def _skipped(series: Recurrence) -> frozenset[date]:
    return frozenset(date.fromisoformat(day) for day in series.skipped or [])


def first_date(series: Recurrence, today: date) -> date | None:
    """The first date of the rule on or after both the series' start and ``today`` (None if there is none)."""
    if today <= series.dtstart:
        return rules.first_occurrence(series.rrule, series.dtstart, until=series.until, skipped=_skipped(series))
    return rules.next_occurrence(series.rrule, "fixed", dtstart=series.dtstart, current_due=today - timedelta(days=1),
                                 today=today, until=series.until, skipped=_skipped(series))


def next_date(series: Recurrence, finished_due: date, completed_on: date | None, today: date) -> date | None:
    """The date of the instance after the one due on ``finished_due`` (None when the series is over)."""
    return rules.next_occurrence(series.rrule, series.policy, dtstart=series.dtstart, current_due=finished_due,
                                 completed_on=completed_on or today, today=today, skipped=_skipped(series),
                                 until=series.until)


def upcoming_dates(ctx: Context, series_id: int, *, after: date, until: date) -> list[date]:
    """The series' dates after ``after`` up to ``until`` (the agenda's coming instances), none once it ended."""
    with ctx.uow() as uow:
        series = uow.get(Recurrence, series_id)
        if series is None or not series.active:
            return []
        end = min(until, series.until) if series.until else until
        if end <= after:
            return []
        return [day for day in rules.occurrences_between(series.rrule, series.dtstart, after + timedelta(days=1), end,
                                                         skipped=_skipped(series))]


def ensure_instance(uow: UnitOfWork, series: Recurrence, day: date) -> Task:
    """The instance of ``series`` on ``day``: inserted unless some process already did (ON CONFLICT DO NOTHING)."""
    key = rules.instance_key(series.id, day)
    existing = uow.first(select(Task).where(Task.instance_key == key))
    if existing is not None:
        return existing
    project = uow.get(Project, series.project_id)
    template = series.template or {}
    status = lookup.first_state(lookup.workflow_states(uow, project), "todo").key
    now = utcnow()
    row = Task(project_id=series.project_id, recurrence_id=series.id, instance_key=key, due=day, status=status,
               created_at=now, updated_at=now, version=1,
               **{name: template[name] for name in TEMPLATE_FIELDS if template.get(name) is not None})
    if row.kind == "milestone":
        row.duration_days = 0
    values = {column.key: getattr(row, column.key) for column in Task.__table__.columns if column.key != "id"}  # type: ignore[attr-defined]
    uow.flush()
    inserted = uow.session.execute(_insert_ignoring_duplicates(uow, values)).first() is not None
    task = uow.first(select(Task).where(Task.instance_key == key))
    if task is None:  # the other writer rolled back after we waited: nothing to see, try once more
        return ensure_instance(uow, series, day)
    if inserted:
        uow.record("task", task.id, "created", None, snapshot(task))
        for name in template.get("tags") or ():
            tag_task(uow, task, name)
        for handle in template.get("assignees") or ():
            assign_resource(uow, task, handle, create=True)  # the series' people, checked when it began
    return task


def _insert_ignoring_duplicates(uow: UnitOfWork, values: dict[str, Any]) -> Any:
    if uow.location.dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    table = Task.__table__  # type: ignore[attr-defined]
    return insert(table).values(**values).on_conflict_do_nothing(index_elements=["instance_key"]).returning(table.c.id)


def spawn_next_instance(uow: UnitOfWork, task: Task, ctx: Context) -> Task | None:
    """After an instance is finished: create the next one (inside the completing transaction)."""
    series = uow.get(Recurrence, task.recurrence_id) if task.recurrence_id else None
    if series is None or not series.active:
        return None
    if _open_instance(uow, series, excluding=task.id) is not None:
        return None
    finished_due = task.due or ctx.today()
    upcoming = next_date(series, finished_due, task.actual_finish, ctx.today())
    if upcoming is None:
        uow.update(series, active=False, next_due=None)
        return None
    uow.update(series, next_due=upcoming)
    return ensure_instance(uow, series, upcoming)


def _open_instance(uow: UnitOfWork, series: Recurrence, excluding: int | None = None) -> Task | None:
    statement = select(Task).where(Task.recurrence_id == series.id, Task.completed_at.is_(None))  # type: ignore[union-attr]
    if excluding is not None:
        statement = statement.where(Task.id != excluding)
    return uow.first(statement.order_by(Task.due))


def _series(uow: UnitOfWork, series_id: int) -> Recurrence:
    found = uow.get(Recurrence, series_id)
    if found is None:
        raise NotFoundError(f"no recurring series #{series_id}: `planner recur ls` lists them")
    return found


def materialize(ctx: Context, series_id: int | None = None) -> list[int]:
    """Give every active series (or one) its open instance if it has none; returns the instances' ids.

    Safe to run from several processes at once (cron, the TUI): the instance key is unique.
    """
    with ctx.uow() as uow:
        statement = select(Recurrence).where(Recurrence.active == True)  # noqa: E712
        if series_id is not None:
            statement = statement.where(Recurrence.id == series_id)
        ids = []
        for series in uow.all(statement.order_by(Recurrence.id)):
            if _open_instance(uow, series) is not None:
                continue
            day = series.next_due or first_date(series, ctx.today())
            if day is None:
                continue
            ids.append(ensure_instance(uow, series, day).id)
        uow.commit()
        return ids


def edit_series(ctx: Context, series_id: int, *, rule: str | None = None, policy: str | None = None,
                until: Any = ..., template: dict[str, Any] | None = None) -> SeriesInfo:
    """Change a series' rule, policy, end or template; the open instance takes the template's new values."""
    with ctx.uow() as uow:
        series = _series(uow, series_id)
        changes: dict[str, Any] = {}
        if rule is not None:
            changes["rrule"] = parse_rule(rule)
        if policy is not None:
            changes["policy"] = parse_policy(policy)
        if until is not ...:
            changes["until"] = until
        if template:
            changes["template"] = {**(series.template or {}), **template}
        if changes:
            uow.update(series, **changes)
        current = _open_instance(uow, series)
        if current is not None and template:
            uow.update(current, **{k: v for k, v in template.items() if k in TEMPLATE_FIELDS})
        info = _info(uow, series)
        uow.commit()
        return info


def end_series(ctx: Context, series_id: int, *, drop_open: bool = False) -> SeriesInfo:
    """Stop a series: no more instances (the open one stays unless ``drop_open``)."""
    with ctx.uow() as uow:
        series = _series(uow, series_id)
        uow.update(series, active=False, until=min(series.until or ctx.today(), ctx.today()))
        current = _open_instance(uow, series)
        if drop_open and current is not None:
            delete_rows(uow, current)
        info = _info(uow, series)
        uow.commit()
        return info


def skip_instance(ctx: Context, task_id: int) -> TaskState | None:
    """Skip one instance: it is removed, its date never comes back, and the next one is created."""
    with ctx.uow() as uow:
        task = lookup.task(uow, task_id)
        if task.recurrence_id is None:
            raise InvalidInputError(f"task #{task_id} is not part of a recurring series")
        if task.completed_at is not None:
            raise InvalidInputError(f"task #{task_id} is done already; nothing to skip")
        series = _series(uow, task.recurrence_id)
        day = task.due or ctx.today()
        uow.update(series, skipped=sorted({*series.skipped, day.isoformat()}))
        upcoming = next_date(series, day, None, ctx.today()) if series.active else None
        following = None
        if upcoming is not None:  # the next one first, so it never takes the skipped one's id
            uow.update(series, next_due=upcoming)
            following = ensure_instance(uow, series, upcoming)
        elif series.active:
            uow.update(series, active=False, next_due=None)
        delete_rows(uow, task)
        uow.commit()
        return detached(TaskState, following) if following is not None else None


def _info(uow: UnitOfWork, series: Recurrence) -> SeriesInfo:
    project = uow.get(Project, series.project_id)
    after = uow.get(Project, series.starts_after_project_id) if series.starts_after_project_id else None
    current = _open_instance(uow, series)
    due = current.due if current else None
    return SeriesInfo(series.id, project.key if project else "?", str((series.template or {}).get("title", "")),
                      series.rrule, series.policy, series.active, series.until, due or series.next_due,
                      current.id if current else None, list(series.skipped or []), after.key if after else None,
                      series.time_of_day, series.timezone, next_time(series, due))


def list_series(ctx: Context, *, include_ended: bool = False) -> list[SeriesInfo]:
    """Recurring series, with their open instance."""
    with ctx.uow() as uow:
        statement = select(Recurrence).order_by(Recurrence.id)
        found = [_info(uow, s) for s in uow.all(statement)]
    return [s for s in found if include_ended or s.active or s.starts_after]


def series_of(ctx: Context, series_id: int) -> SeriesInfo:
    """One series."""
    with ctx.uow() as uow:
        return _info(uow, _series(uow, series_id))
