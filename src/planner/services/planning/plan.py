"""Plan use cases beyond the schedule itself: baselines, forecasts and progress."""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import select

from planner.domain.errors import ConflictError, NotFoundError
from planner.services import lookup
from planner.services.context import Context
from planner.services.planning.schedule import ProjectSchedule, schedule_project
from planner.services.records import BaselineState, detached
from planner.store import planning_views
from planner.store.models import Baseline, BaselineTask


def save_baseline(ctx: Context, key: str, *, name: str | None = None) -> BaselineState:
    """Store the current schedule of a project as a baseline (all rows in one transaction)."""
    schedule = schedule_project(ctx, key)
    with ctx.uow() as uow:
        project = lookup.project(uow, key)
        taken = {b.name for b in uow.all(select(Baseline).where(Baseline.project_id == project.id))}
        if name is not None and name in taken:
            raise ConflictError(f"{key} already has a baseline named {name!r}: pick another --name, or "
                                f"`planner baseline rm {key} {shlex.quote(name)}` first")
        count = len(taken) + 1
        while name is None and f"baseline {count}" in taken:
            count += 1
        baseline = uow.add(Baseline(project_id=project.id, name=name or f"baseline {count}"))
        uow.session.add_all([
            BaselineTask(baseline_id=baseline.id, task_id=task.id, start=task.start, finish=task.finish, es=task.es,
                         ef=task.ef, duration_days=task.duration_days)
            for task in schedule.tasks
        ])
        uow.commit()
        return detached(BaselineState, baseline)


@dataclass(slots=True)
class Slip:
    """One task against the baseline: positive ``finish_slip_days`` = later than planned."""

    task_id: int
    title: str
    kind: str
    baseline_start: date | None
    baseline_finish: date | None
    start: date
    finish: date
    start_slip_days: int | None
    finish_slip_days: int | None

    def to_json(self) -> dict[str, Any]:
        """The JSON object of a slip."""
        return {"id": self.task_id, "title": self.title, "kind": self.kind,
                "baseline_start": _iso(self.baseline_start), "baseline_finish": _iso(self.baseline_finish),
                "start": self.start.isoformat(), "finish": self.finish.isoformat(),
                "start_slip_days": self.start_slip_days, "finish_slip_days": self.finish_slip_days}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass(slots=True)
class BaselineDiff:
    """A schedule compared with a saved baseline."""

    baseline: str
    saved_at: str
    slips: list[Slip]
    project_finish_slip_days: int | None

    def to_json(self) -> dict[str, Any]:
        """The JSON object of a baseline comparison."""
        return {"baseline": self.baseline, "saved_at": self.saved_at,
                "project_finish_slip_days": self.project_finish_slip_days,
                "tasks": [slip.to_json() for slip in self.slips]}


def _baseline_rows(ctx: Context, key: str, name: str | None) -> tuple[str, str, dict[int, tuple]]:
    with ctx.reader() as conn:
        row = planning_views.latest_baseline(conn, key.strip().lower(), name)
        if row is None:
            raise NotFoundError(f"no baseline{' ' + repr(name) if name else ''} for {key}: "
                                f"`planner baseline save {key}` saves one")
        tasks = planning_views.baseline_tasks(conn, row[0])
    return row[1], str(row[2])[:16], tasks


def diff_baseline(ctx: Context, key: str, *, name: str | None = None, schedule: ProjectSchedule | None = None) -> BaselineDiff:
    """Slip of every task and milestone (in working days) against the latest (or named) baseline."""
    from planner.store.views import as_date

    baseline_name, saved_at, saved = _baseline_rows(ctx, key, name)
    current = schedule or schedule_project(ctx, key)
    calendar = current.calendar
    slips = []
    for task in current.tasks:
        if task.is_summary:
            continue
        before = saved.get(task.id)
        if before is None:
            slips.append(Slip(task.id, task.title, task.kind, None, None, task.start, task.finish, None, None))
            continue
        base_start, base_finish = as_date(before[0]), as_date(before[1])
        slips.append(Slip(task.id, task.title, task.kind, base_start, base_finish, task.start, task.finish,
                          calendar.offset_of(base_start, task.start), calendar.offset_of(base_finish, task.finish)))
    finishes = [as_date(values[1]) for values in saved.values()]
    project_slip = calendar.offset_of(max(finishes), current.finish) if finishes else None
    return BaselineDiff(baseline_name, saved_at, slips, project_slip)


@dataclass(slots=True)
class FinishOutlook:
    """P50 / P85 finish dates of a milestone or the project, and the chance of meeting its deadline."""

    task_id: int | None
    title: str
    planned_finish: date
    p50: date
    p85: date
    deadline: date | None
    on_time_probability: float | None
    #: The simulated finish dates (one per run, ascending): the distribution the percentiles come from.
    finish_dates: list[date] = field(default_factory=list, repr=False)

    def to_json(self) -> dict[str, Any]:
        """The JSON object of a finish outlook."""
        return {"id": self.task_id, "title": self.title, "planned_finish": self.planned_finish.isoformat(),
                "p50": self.p50.isoformat(), "p85": self.p85.isoformat(), "deadline": _iso(self.deadline),
                "on_time_probability": self.on_time_probability}


@dataclass(slots=True)
class Forecast:
    """A Monte Carlo forecast of a project."""

    project: str
    runs: int
    seed: int
    finish: FinishOutlook
    milestones: list[FinishOutlook] = field(default_factory=list)
    calibrated_people: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The JSON object of a forecast."""
        return {"project": self.project, "runs": self.runs, "seed": self.seed, "finish": self.finish.to_json(),
                "milestones": [m.to_json() for m in self.milestones], "calibrated_people": self.calibrated_people}


def estimate_history(ctx: Context) -> dict[str, list[float]]:
    """Per person: actual ÷ estimate of finished tasks with clocked time (evidence-based scheduling)."""
    with ctx.reader() as conn:
        rows = planning_views.estimate_actuals(conn)
    history: dict[str, list[float]] = {}
    for person, _task_id, estimate, actual in rows:
        if actual and actual > 0:
            history.setdefault(person, []).append(float(actual) / float(estimate))
    return history


def forecast_project(ctx: Context, key: str, *, runs: int = 1000, seed: int = 0,
                     schedule: ProjectSchedule | None = None) -> Forecast:
    """P50 / P85 dates of the project and its milestones, and the chance of meeting each deadline."""
    from planner.domain.errors import InvalidInputError
    from planner.domain.forecast import forecast

    if runs < 1 or runs > 1_000_000:
        raise InvalidInputError(f"--runs must be between 1 and 1000000, not {runs}")
    current = schedule or schedule_project(ctx, key)
    network = current.network
    assert network is not None
    history = estimate_history(ctx)
    people = {task.id: task.assignees for task in current.tasks}
    for activity in network.activities:
        assigned = [person for person in people.get(activity.id, []) if person in history]
        activity.calibration_key = assigned[0] if assigned else None
    milestones = [task for task in current.tasks if task.kind == "milestone"]
    result = forecast(network, runs=runs, seed=seed, milestone_ids=[m.id for m in milestones],
                      project_deadline=network.project_deadline, calibration=history or None)

    def outlook(task_id: int | None, title: str, item: Any, deadline: date | None) -> FinishOutlook:
        calendar, start = current.calendar, current.start
        dates_by_offset = {offset: calendar.finish_date(start, offset) for offset in set(item.finish_offsets)}
        return FinishOutlook(task_id, title, calendar.finish_date(start, item.planned_offset),
                             calendar.finish_date(start, item.p50_offset), calendar.finish_date(start, item.p85_offset),
                             deadline, item.on_time_probability,
                             [dates_by_offset[offset] for offset in item.finish_offsets])

    by_id = {task.id: task for task in current.tasks}
    return Forecast(
        current.key, runs, seed, outlook(None, current.name, result.project, current.deadline),
        [outlook(task_id, by_id[task_id].title, item, by_id[task_id].due) for task_id, item in result.milestones.items()],
        sorted({a.calibration_key for a in network.activities if a.calibration_key}),
    )
