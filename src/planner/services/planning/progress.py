"""Where a plan stands: percent complete by effort, earned value, slip, critical path, forecast."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from planner.domain.errors import NotFoundError
from planner.services.context import Context
from planner.services.planning.schedule import ProjectSchedule, ScheduledTask, schedule_project
from planner.store import planning_views


@dataclass(slots=True)
class MilestoneProgress:
    """Percent complete over the tasks that lead to a milestone."""

    id: int
    title: str
    finish: date
    slack: int
    percent_complete: float

    def to_json(self) -> dict[str, Any]:
        """The JSON object of a milestone's progress."""
        return {"id": self.id, "title": self.title, "finish": self.finish.isoformat(), "slack": self.slack,
                "percent_complete": self.percent_complete}


@dataclass(slots=True)
class ProjectProgress:
    """A project's standing at a date."""

    schedule: ProjectSchedule
    at: date
    percent_complete: float
    planned_value_hours: float
    earned_value_hours: float
    schedule_performance_index: float | None
    milestones: list[MilestoneProgress] = field(default_factory=list)
    finish_slip_days: int | None = None
    baseline: str | None = None
    forecast: Any = None
    #: Effort (hours) of each leaf task and the window its planned value is spread over: what charts reuse.
    efforts: dict[int, float] = field(default_factory=dict, repr=False)
    planned_windows: dict[int, tuple[date | None, date | None]] = field(default_factory=dict, repr=False)

    def to_json(self) -> dict[str, Any]:
        """The JSON object of `planner project show`."""
        return {
            "project": self.schedule.key, "name": self.schedule.name, "at": self.at.isoformat(),
            "start": self.schedule.start.isoformat(), "finish": self.schedule.finish.isoformat(),
            "deadline": self.schedule.deadline.isoformat() if self.schedule.deadline else None,
            "percent_complete": self.percent_complete,
            "earned_value": {"planned_value_hours": self.planned_value_hours,
                             "earned_value_hours": self.earned_value_hours,
                             "schedule_performance_index": self.schedule_performance_index},
            "baseline": self.baseline, "finish_slip_days": self.finish_slip_days,
            "milestones": [m.to_json() for m in self.milestones],
            "critical_path": self.schedule.critical_path,
            "forecast": self.forecast.to_json() if self.forecast else None,
        }


def budget_hours(task: ScheduledTask, estimate: float | None, planned_days: float | None, units: float,
                 hours_per_day: float) -> float:
    """A task's budget: its estimate, else its planned duration × hours per day × assigned units.

    The planned duration, not the schedule's: a task finished early or late
    still earns what it was budgeted.
    """
    if estimate:
        return float(estimate)
    if task.kind == "milestone":
        return 0.0
    days = planned_days if planned_days is not None else 1
    return float(days) * hours_per_day * (units or 1.0)


def _percent(tasks: list[ScheduledTask], efforts: dict[int, float]) -> float:
    total = sum(efforts[t.id] for t in tasks)
    if total == 0:
        return 100.0 if tasks and all(t.done for t in tasks) else 0.0
    earned = sum(efforts[t.id] * (100 if t.done else t.percent_done) / 100 for t in tasks)
    return round(100 * earned / total, 1)


def planned_value_at(schedule: ProjectSchedule, efforts: dict[int, float],
                     planned_windows: dict[int, tuple[date | None, date | None]], when: date) -> float:
    """Planned value (hours) at ``when``: each task's effort spread over its baseline (else scheduled) working days."""
    calendar = schedule.calendar
    planned_value = 0.0
    for task in schedule.tasks:
        if task.is_summary or task.id not in efforts:
            continue
        start, finish = planned_windows.get(task.id) or (task.start, task.finish)
        if start is None or finish is None:
            start, finish = task.start, task.finish
        span = max(1, calendar.offset_of(start, finish) + 1)
        elapsed = min(max(calendar.offset_of(start, when) + (1 if calendar.is_working(when) else 0), 0), span)
        planned_value += efforts[task.id] * elapsed / span
    return planned_value


def project_progress(ctx: Context, key: str, *, at: date | None = None, runs: int = 500, seed: int = 0) -> ProjectProgress:
    """Percent complete, earned value (PV, EV, SPI) at ``at``, baseline slip, milestones and forecast."""
    from planner.services.planning.plan import diff_baseline, forecast_project

    schedule = schedule_project(ctx, key)
    when = at or ctx.today()
    with ctx.reader() as conn:
        planned = planning_views.planned_work(conn, schedule.key)
    units: dict[int, float] = defaultdict(float)
    for activity in (schedule.network.activities if schedule.network else ()):
        units[activity.id] = sum(demand for _resource, demand in activity.demands)
    leaves = [t for t in schedule.tasks if not t.is_summary]
    efforts = {t.id: budget_hours(t, *planned.get(t.id, (None, None)), units.get(t.id, 0.0),
                                  schedule.calendar.hours_per_day) for t in leaves}
    try:
        diff = diff_baseline(ctx, key, schedule=schedule)
    except NotFoundError:
        diff = None
    planned_windows = {slip.task_id: (slip.baseline_start, slip.baseline_finish) for slip in diff.slips} if diff else {}
    planned_value = planned_value_at(schedule, efforts, planned_windows, when)
    earned_value = sum(efforts[t.id] * (100 if t.done else t.percent_done) / 100 for t in leaves)
    predecessors: dict[int, list[int]] = defaultdict(list)
    for link in (schedule.network.links if schedule.network else []):
        predecessors[link.succ].append(link.pred)
    by_id = {t.id: t for t in leaves}
    milestones = []
    for milestone in (t for t in leaves if t.kind == "milestone"):
        upstream, stack = set(), [milestone.id]
        while stack:
            for pred in predecessors.get(stack.pop(), ()):
                if pred not in upstream and pred in by_id:
                    upstream.add(pred)
                    stack.append(pred)
        milestones.append(MilestoneProgress(milestone.id, milestone.title, milestone.finish, milestone.slack,
                                            _percent([*(by_id[i] for i in upstream), milestone], efforts)))
    forecast = forecast_project(ctx, key, runs=runs, seed=seed, schedule=schedule) if leaves else None
    return ProjectProgress(
        schedule, when, _percent(leaves, efforts), round(planned_value, 1), round(earned_value, 1),
        round(earned_value / planned_value, 2) if planned_value else None, milestones,
        diff.project_finish_slip_days if diff else None, diff.baseline if diff else None, forecast,
        efforts, planned_windows,
    )
