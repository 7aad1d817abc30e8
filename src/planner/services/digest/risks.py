"""The digest's "milestones at risk": late in the plan (negative slack) or likely late (forecast P85).

Each active project is scheduled as of the digest's day and forecast with a
fixed seed, so the same data gives the same digest. A milestone without a due
date of its own answers to the project's deadline. A project whose finish
misses its deadline is reported as a whole only when none of its milestones
already says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from planner.domain.calendar import WorkCalendar
from planner.services.context import Context

#: Monte Carlo runs per project (seeded: the digest is reproducible).
FORECAST_RUNS = 1000
FORECAST_SEED = 0


@dataclass(slots=True)
class RiskLine:
    """A milestone (or a project's finish, ``task_id`` None) that misses or may miss its deadline.

    ``planned_late_days`` counts working days past the deadline in the plan
    (0: on time); ``p85_late_days`` the same for the forecast's P85 date.
    """

    project: str
    task_id: int | None
    title: str
    deadline: date | None
    planned_finish: date
    planned_late_days: int
    p85: date | None
    p85_late_days: int
    on_time_probability: float | None
    date_kind: str = "deadline"  # what the date is: a milestone's deadline, or a task's due date ("due")

    def to_json(self) -> dict[str, Any]:
        """The JSON object of a milestone at risk."""
        return {"project": self.project, "id": self.task_id, "title": self.title,
                "deadline": self.deadline.isoformat() if self.deadline else None,
                "planned_finish": self.planned_finish.isoformat(), "planned_late_days": self.planned_late_days,
                "p85": self.p85.isoformat() if self.p85 else None, "p85_late_days": self.p85_late_days,
                "on_time_probability": self.on_time_probability}


def working_days_late(calendar: WorkCalendar, deadline: date | None, finish: date | None) -> int:
    """Working days in (deadline, finish]: how late ``finish`` is; 0 when on time or unknown."""
    if deadline is None or finish is None or finish <= deadline:
        return 0
    return max(0, calendar.offset_of(deadline + timedelta(days=1), finish + timedelta(days=1)))


def milestones_at_risk(ctx: Context, project_keys: list[str], day: date) -> list[RiskLine]:
    """Milestones and project finishes of these projects that are late or likely late, latest first."""
    from planner.services.planning.plan import forecast_project
    from planner.services.planning.schedule import schedule_project

    lines: list[RiskLine] = []
    for key in project_keys:
        schedule = schedule_project(ctx, key, status_date=day)
        if not schedule.tasks:
            continue
        forecast = forecast_project(ctx, key, runs=FORECAST_RUNS, seed=FORECAST_SEED, schedule=schedule)
        outlooks = {outlook.task_id: outlook for outlook in forecast.milestones}
        calendar = schedule.calendar
        found: list[RiskLine] = []
        for task in schedule.tasks:
            if task.kind != "milestone" or task.done:
                continue
            deadline = task.due or schedule.deadline
            outlook = outlooks.get(task.id)
            p85 = outlook.p85 if outlook else None
            planned_late = max(0, -task.slack) if deadline else 0
            p85_late = working_days_late(calendar, deadline, p85)
            if planned_late or p85_late:
                probability = outlook.on_time_probability if outlook and task.due else None
                found.append(RiskLine(schedule.key, task.id, task.title, deadline, task.finish, planned_late, p85,
                                      p85_late, probability))
        finish = forecast.finish
        if not found and schedule.deadline is not None:
            planned_late = working_days_late(calendar, schedule.deadline, schedule.finish)
            p85_late = working_days_late(calendar, schedule.deadline, finish.p85)
            if planned_late or p85_late:
                found.append(RiskLine(schedule.key, None, schedule.name, schedule.deadline, schedule.finish,
                                      planned_late, finish.p85, p85_late, finish.on_time_probability))
        lines.extend(found)
    lines.sort(key=lambda line: (-line.planned_late_days, -line.p85_late_days, line.project, line.task_id or 0))
    return lines


def commitments_at_risk(ctx: Context, handles: list[str] | None, day: date) -> list[RiskLine]:
    """Open tasks due from ``day`` on whose assignee's leveled plan cannot meet the date (promises.commitments).

    ``handles`` narrows them to these people (None: everyone's).
    """
    from planner.services.planning.promises import commitments

    calendar = WorkCalendar()
    lines = []
    for item in commitments(ctx, status_date=day, handles=handles):
        if not item.at_risk or item.task_id is None or item.due is None or item.due < day:  # overdue is its own section
            continue
        finish = item.earliest_finish or item.due
        late = max(1, working_days_late(calendar, item.due, finish))
        lines.append(RiskLine(item.project or "", item.task_id, f"{item.title} ({item.handle})", item.due, finish,
                              late, None, 0, None, date_kind="due"))
    lines.sort(key=lambda line: (-line.planned_late_days, line.project, line.task_id or 0, line.title))
    return lines
