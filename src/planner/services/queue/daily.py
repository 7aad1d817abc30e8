"""The daily queue: what each person could work on today, ranked and cut at what fits.

Candidates for a person on a day: open tasks assigned to them, and unassigned
tasks of their streams (streams where they hold work) or of projects nobody
holds work in yet (unowned work is everyone's: a solo user's inbox). Tasks
that are blocked by an unfinished predecessor, snoozed, not yet startable,
milestones, summary tasks and recurring instances not yet due are left out.
Each candidate gets the explainable score of ``domain.ranking`` (weights from
the config's ``[ranking]`` table) with schedule slack from the critical-path
schedule; pinned tasks of the person's day plan come first in their order.
The capacity cut is the person's calendar hours that day × their capacity,
minus what streams reserve of it, minus the time already clocked that day.

This is a hot read command: no ORM on the read path (the day-plan writes
import it lazily).
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from planner.domain.errors import InvalidInputError, NotFoundError
from planner.domain.ranking import QueueCandidate, QueueEntry, RankWeights, rank
from planner.services.context import Context
from planner.store import catalog_views
from planner.store import queue_views as rows
from planner.store.dbapi import ReadConnection


@dataclass(slots=True)
class Capacity:
    """How many hours a person has left for the queue on a day, and how that was reached."""

    calendar_hours: float
    reservations: list[rows.Reservation]
    reserved_hours: float
    clocked_hours: float
    working_day: bool
    hours_per_day: float = 8.0  # of the person's calendar

    @property
    def remaining_hours(self) -> float:
        """Calendar hours minus reservations minus time clocked, never below 0."""
        return max(0.0, self.calendar_hours - self.reserved_hours - self.clocked_hours)

    def to_json(self) -> dict[str, Any]:
        """The capacity as JSON."""
        return {"working_day": self.working_day, "calendar_hours": round(self.calendar_hours, 4),
                "reserved_hours": round(self.reserved_hours, 4),
                "reservations": [{"stream": r.stream, "percent": r.percent} for r in self.reservations],
                "clocked_hours": round(self.clocked_hours, 4), "remaining_hours": round(self.remaining_hours, 4)}


@dataclass(slots=True)
class QueueItem:
    """One ranked entry of a person's queue."""

    person: str
    entry: QueueEntry
    status: str
    project_kind: str

    @property
    def task_id(self) -> int:
        """The task's id."""
        return self.entry.task_id

    def to_json(self) -> dict[str, Any]:
        """The entry as JSON: position, task, score, each factor, the hours so far and whether it fits."""
        scored, candidate = self.entry.scored, self.entry.scored.candidate
        return {
            "position": self.entry.position, "id": candidate.task_id, "title": candidate.title,
            "project": candidate.project_key, "person": self.person, "status": self.status,
            "priority": candidate.priority, "due": candidate.due.isoformat() if candidate.due else None,
            "estimate_hours": candidate.estimate_hours, "today_hours": candidate.today_hours,
            # slack before a dated thing downstream, not the schedule's slack to the project finish
            "deadline_slack_days": candidate.slack_days, "deadline_critical": candidate.critical,
            "score": round(scored.total, 4), "pinned": self.entry.pinned,
            "fits": self.entry.fits, "cumulative_hours": round(self.entry.cumulative_hours, 4),
            "factors": {f.name: {"value": f.raw_value, "weight": f.weight, "points": round(f.contribution, 4),
                                 "reason": f.reason_text} for f in scored.factors},
            "explain": scored.explain(),
        }


@dataclass(slots=True)
class PersonQueue:
    """A person's ranked queue for a day with its capacity; ``total`` counts entries before --limit."""

    person: str
    day: date
    capacity: Capacity
    items: list[QueueItem] = field(default_factory=list)
    total: int = 0
    known_person: bool = True

    @property
    def fitting(self) -> list[QueueItem]:
        """The entries that fit today."""
        return [item for item in self.items if item.entry.fits]

    def to_json(self) -> dict[str, Any]:
        """The queue as JSON."""
        return {"person": self.person, "day": self.day.isoformat(), "capacity": self.capacity.to_json(),
                "total": self.total, "entries": [item.to_json() for item in self.items]}


@dataclass(slots=True)
class DailyQueue:
    """The queues of one person or of every member of a team."""

    day: date
    queues: list[PersonQueue]
    team: str | None = None

    @property
    def items(self) -> list[QueueItem]:
        """Every entry, person by person."""
        return [item for queue in self.queues for item in queue.items]

    def to_json(self) -> dict[str, Any]:
        """One person's queue as JSON; a team's as its members' queues and the entries with their person."""
        if self.team is None and len(self.queues) == 1:
            return self.queues[0].to_json()
        return {"team": self.team, "day": self.day.isoformat(), "people": [q.to_json() for q in self.queues],
                "entries": [item.to_json() for item in self.items]}


def weights(ctx: Context) -> RankWeights:
    """Ranking weights from the config's [ranking] table; the default estimate from the settings."""
    configured = ctx.settings.ranking or {}
    base = RankWeights.from_mapping(configured)
    if "default_estimate_hours" not in configured:
        base = dataclasses.replace(base, default_estimate_hours=ctx.settings.default_estimate_hours)
    return base


def daily_queue(ctx: Context, *, person: str | None = None, team: str | None = None, day: date | None = None,
                limit: int | None = None) -> DailyQueue:
    """The ranked queue of a person (default: whoever acts) or of each member of a team, on ``day``."""
    if person and team:
        raise InvalidInputError("give --user or --team, not both")
    if limit is not None and limit < 0:
        raise InvalidInputError(f"--limit is a number of entries, not {limit}")
    on = day or ctx.today()
    rank_weights = weights(ctx)
    handles = _team_handles(ctx, team) if team else [(person or ctx.actor).strip().lower()]
    with ctx.reader() as conn:
        people = [rows.person(conn, handle) for handle in handles]
        # Your own queue works before you are a resource (a solo user); someone else must be one.
        if person and people[0].id is None and handles[0] != ctx.actor.strip().lower():
            from difflib import get_close_matches

            close = get_close_matches(handles[0], catalog_views.resource_handles(conn), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise NotFoundError(f"no person {person!r}: {hint}`planner resource ls` lists people")
        candidates = {who.handle: rows.candidates(conn, who, on) for who in people}
        all_ids = sorted({c.id for found in candidates.values() for c in found})
        successors = rows.open_successor_counts(conn, all_ids)
        held = {c.project_id for found in candidates.values() for c in found}
        slack = _slack(ctx, conn, held) if all_ids else {}
        queues = [_person_queue(ctx, conn, who, on, candidates[who.handle], successors, slack, rank_weights, limit)
                  for who in people]
    return DailyQueue(on, queues, team)


def _team_handles(ctx: Context, team: str) -> list[str]:
    from planner.services.people.teams import team_members

    handles = team_members(ctx, team)
    if not handles:
        raise InvalidInputError(f"team {team!r} has no members: `planner team add {team} HANDLE...` adds them")
    return handles


def _slack(ctx: Context, conn: ReadConnection, projects: set[int]) -> dict[int, tuple[int | None, bool]]:
    from planner.services.queue.slack import queue_slack

    return queue_slack(ctx, conn, projects)


def _person_queue(ctx: Context, conn: ReadConnection, who: rows.PersonRow, on: date,
                  found: list[rows.CandidateRow], successors: dict[int, int],
                  slack: dict[int, tuple[int | None, bool]],
                  rank_weights: RankWeights, limit: int | None) -> PersonQueue:
    capacity = _capacity(ctx, conn, who, on)
    by_id = {row.id: row for row in found}
    candidates = []
    for row in found:
        slack_days, critical = slack.get(row.id, (None, False))
        estimate = row.estimate_hours
        if estimate is not None and row.percent_done:
            estimate = estimate * (100 - min(row.percent_done, 100)) / 100
        candidates.append(QueueCandidate(
            task_id=row.id, title=row.title, project_key=row.project, priority=row.priority, due=row.due,
            slack_days=slack_days, critical=critical,
            unblocks=successors.get(row.id, 0),
            in_progress=row.category == "doing" or row.actual_start is not None,
            created=row.created_at.date() if row.created_at else None, estimate_hours=estimate,
            assignee=who.handle, today_hours=todays_share(row, estimate, capacity.hours_per_day)))
    shown = rank(candidates, rank_weights, on, pinned_order=rows.day_plan(conn, who.handle, on),
                 capacity_hours=capacity.remaining_hours, limit=limit)
    items = [QueueItem(who.handle, entry, by_id[entry.task_id].status, by_id[entry.task_id].project_kind)
             for entry in shown]
    return PersonQueue(who.handle, on, capacity, items, len(by_id), who.id is not None)


def todays_share(row: rows.CandidateRow, remaining_estimate: float | None, hours_per_day: float) -> float | None:
    """The hours of a task's remaining estimate that fall on one day of its remaining duration, for this person.

    The duration is the task's own, else its estimate spread at the assigned units (as the schedule does);
    a started task spreads what is left over what is left of its duration. None without an estimate.
    """
    if remaining_estimate is None:
        return None
    total_units = row.total_units or 1.0
    days = row.duration_days
    if days is None:
        days = math.ceil((row.estimate_hours or 0.0) / (hours_per_day * total_units) - 1e-9)
    if row.percent_done and days:
        days = math.ceil(days * (100 - min(row.percent_done, 99)) / 100)
    share = remaining_estimate / max(1, days)
    if row.my_units is not None and row.total_units:
        share *= row.my_units / row.total_units  # several people share the day's effort
    return share


def _capacity(ctx: Context, conn: ReadConnection, who: rows.PersonRow, on: date) -> Capacity:
    from planner.domain.calendar import WorkCalendar
    from planner.domain.clock import local_day_bounds, local_to_utc, on_day
    from planner.store.schedule_views import load_calendar

    stored = load_calendar(conn, who.calendar_id)
    calendar = WorkCalendar(working_weekdays=stored.working_weekdays, hours_per_day=stored.hours_per_day,
                            holiday_country=stored.country, exceptions=stored.exceptions)
    working = calendar.is_working(on)
    hours = calendar.hours_per_day * who.capacity if working else 0.0
    reservations = rows.reservations(conn, who)
    reserved_share = min(1.0, sum(r.percent for r in reservations) / 100.0)
    clocked = 0.0
    if on <= ctx.today():
        start, end = local_day_bounds(on)
        now = ctx.now() if ctx.now_override is not None else on_day(ctx.now(), ctx.today())
        clocked = rows.clocked_hours(conn, who.handle, start, end, local_to_utc(now))
    return Capacity(hours, reservations, hours * reserved_share, clocked, working, calendar.hours_per_day)


# ---------------------------------------------------------------- day plans (writes)


def _plan_rows(uow: Any, person: str, day: date) -> list[Any]:
    from sqlmodel import select

    from planner.store.models import DayPlan

    return uow.all(select(DayPlan).where(DayPlan.person == person, DayPlan.day == day)
                   .order_by(DayPlan.position, DayPlan.id))


def _write_plan(ctx: Context, task_ids: list[int], *, day: date | None, person: str | None,
                replace: bool) -> list[int]:
    from planner.services import lookup
    from planner.store.models import DayPlan

    who, on = (person or ctx.actor).strip().lower(), day or ctx.today()
    if len(set(task_ids)) != len(task_ids):
        raise InvalidInputError("each task appears once in a day plan")
    with ctx.uow() as uow:
        for task_id in task_ids:
            if lookup.task(uow, task_id).completed_at is not None:
                raise InvalidInputError(f"task #{task_id} is done: there is nothing to plan")
        existing = _plan_rows(uow, who, on)
        kept = [] if replace else [row.task_id for row in existing if row.task_id not in task_ids]
        wanted = [*task_ids, *kept] if not replace else list(task_ids)
        by_task = {row.task_id: row for row in existing}
        for row in existing:
            if row.task_id not in wanted:
                uow.delete(row)
        for position, task_id in enumerate(wanted):
            row = by_task.get(task_id)
            if row is None:
                uow.add(DayPlan(person=who, day=on, task_id=task_id, position=position))
            elif row.position != position:
                uow.update(row, position=position)
        uow.commit()
        return wanted


def pin(ctx: Context, task_ids: list[int], *, day: date | None = None, person: str | None = None) -> list[int]:
    """Put tasks at the top of a person's queue for the day (before earlier pins); returns the pinned order."""
    return _write_plan(ctx, task_ids, day=day, person=person, replace=False)


def order(ctx: Context, task_ids: list[int], *, day: date | None = None, person: str | None = None) -> list[int]:
    """Make these tasks, in this order, the top of the day's queue (replacing the earlier plan)."""
    if not task_ids:
        raise InvalidInputError("give the task ids in the order you want them, e.g. planner plan order 7 3 9")
    return _write_plan(ctx, task_ids, day=day, person=person, replace=True)


def unpin(ctx: Context, task_ids: list[int], *, day: date | None = None, person: str | None = None) -> list[int]:
    """Take tasks out of the day plan; returns what stays pinned."""
    who, on = (person or ctx.actor).strip().lower(), day or ctx.today()
    with ctx.uow() as uow:
        kept = []
        for row in _plan_rows(uow, who, on):
            if row.task_id in task_ids:
                uow.delete(row)
            else:
                kept.append(row.task_id)
        uow.commit()
        return kept


def clear(ctx: Context, *, day: date | None = None, person: str | None = None) -> int:
    """Forget the day plan (the queue goes back to pure ranking); returns how many pins were dropped."""
    who, on = (person or ctx.actor).strip().lower(), day or ctx.today()
    with ctx.uow() as uow:
        found = _plan_rows(uow, who, on)
        for row in found:
            uow.delete(row)
        uow.commit()
        return len(found)
