"""Cumulative flow of a project: tasks per workflow state at the end of each day, replayed from the event log."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from statistics import median
from typing import Any

from sqlmodel import select

from planner.domain.clock import utc_to_local
from planner.domain.errors import InvalidInputError
from planner.services import lookup
from planner.services.context import Context
from planner.store.models import Event, Task

#: How far back the report looks when no --from is given.
DEFAULT_SPAN_DAYS = 28


@dataclass(slots=True)
class FlowState:
    """One workflow state as a band of the chart."""

    key: str
    name: str
    category: str
    wip_limit: int | None

    def to_json(self) -> dict[str, Any]:
        """The state as JSON."""
        return {"key": self.key, "name": self.name, "category": self.category, "wip_limit": self.wip_limit}


@dataclass(slots=True)
class FlowDay:
    """How many of the project's tasks sat in each state at the end of one day."""

    day: date
    counts: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        """The day as JSON."""
        return {"day": self.day.isoformat(), "counts": dict(self.counts)}


@dataclass(slots=True)
class FlowReport:
    """Cumulative flow of a project with its WIP and lead-time figures."""

    project: str
    start: date
    end: date
    states: list[FlowState]
    days: list[FlowDay] = field(default_factory=list)
    lead_times_days: list[float] = field(default_factory=list)

    @property
    def wip_now(self) -> int:
        """Tasks in a ``doing`` state at the end of the last day."""
        if not self.days:
            return 0
        doing = {s.key for s in self.states if s.category == "doing"}
        return sum(count for key, count in self.days[-1].counts.items() if key in doing)

    @property
    def average_wip(self) -> float:
        """Tasks in a ``doing`` state, averaged over the days."""
        doing = {s.key for s in self.states if s.category == "doing"}
        if not self.days:
            return 0.0
        return sum(sum(c for k, c in d.counts.items() if k in doing) for d in self.days) / len(self.days)

    @property
    def finished(self) -> int:
        """Tasks finished within the period (the throughput)."""
        return len(self.lead_times_days)

    @property
    def median_lead_time_days(self) -> float | None:
        """Median days from creation to completion of the tasks finished in the period."""
        return median(self.lead_times_days) if self.lead_times_days else None

    @property
    def p85_lead_time_days(self) -> float | None:
        """The lead time 85% of the finished tasks stayed within (nearest rank)."""
        if not self.lead_times_days:
            return None
        ordered = sorted(self.lead_times_days)
        return ordered[max(0, -(-85 * len(ordered) // 100) - 1)]

    def to_json(self) -> dict[str, Any]:
        """The report as JSON."""
        def rounded(value: float | None) -> float | None:
            return None if value is None else round(value, 2)

        return {"project": self.project, "from": self.start.isoformat(), "to": self.end.isoformat(),
                "states": [s.to_json() for s in self.states], "days": [d.to_json() for d in self.days],
                "wip_now": self.wip_now, "average_wip": round(self.average_wip, 2), "finished": self.finished,
                "median_lead_time_days": rounded(self.median_lead_time_days),
                "p85_lead_time_days": rounded(self.p85_lead_time_days)}


def _local_day(moment: Any) -> date:
    return utc_to_local(moment).date()


def cumulative_flow(ctx: Context, project_key: str, *, start: date | None = None) -> FlowReport:
    """Per day from ``start`` (default four weeks ago) to today: the project's tasks in each workflow state."""
    today = ctx.today()
    first = start or today - timedelta(days=DEFAULT_SPAN_DAYS)
    if first > today:
        raise InvalidInputError(f"--from {first} is after today ({today}): the flow is drawn up to today")
    with ctx.uow() as uow:
        project = lookup.project(uow, project_key)
        states = [FlowState(s.key, s.name, s.category, s.wip_limit) for s in lookup.workflow_states(uow, project)]
        events = [(e.at, e.entity_id, e.action, e.after) for e in uow.all(
            select(Event).where(Event.entity == "task", Event.undone == False).order_by(Event.id))]  # noqa: E712
        finished = [(t.created_at, t.completed_at) for t in uow.all(
            select(Task).where(Task.project_id == project.id, Task.completed_at != None))]  # noqa: E711
        project_id, key = project.id, project.key
    report = FlowReport(key, first, today, states)
    known = [s.key for s in states]
    # Replay: each task's (project, status) after every event, sampled at the end of each day.
    where: dict[int, tuple[int | None, str | None]] = {}
    index = 0
    day = first
    while day <= today:
        while index < len(events) and _local_day(events[index][0]) <= day:
            _at, task_id, action, after = events[index]
            index += 1
            if task_id is None:
                continue
            if action == "deleted" or after is None:
                where.pop(task_id, None)
            else:
                where[task_id] = (after.get("project_id"), after.get("status"))
        counts = dict.fromkeys(known, 0)
        for owner, status in where.values():
            if owner == project_id and status in counts:
                counts[status] += 1
        report.days.append(FlowDay(day, counts))
        day += timedelta(days=1)
    for created_at, completed_at in finished:
        if first <= _local_day(completed_at) <= today:
            report.lead_times_days.append(max(0.0, (completed_at - created_at).total_seconds() / 86400))
    return report
