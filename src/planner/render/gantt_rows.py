"""Display rows of the interactive Gantt chart, built from a schedule (no Textual import).

A :class:`GanttRow` holds calendar dates only: where the bar starts and ends
(exclusive), where its slack ends, its baseline ghost and forecast marker. The
chart widget turns dates into cells; nothing here decides a schedule, it only
lays out what ``schedule_project``, ``diff_baseline`` and ``forecast_project``
returned, in work-breakdown order (a summary task followed by its children).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

ONE_DAY = timedelta(days=1)


@dataclass(slots=True)
class GanttRow:
    """One task of the chart, in calendar dates (``end`` and ``late_end`` exclusive)."""

    task_id: int
    title: str
    depth: int
    kind: str  # task | milestone | summary
    start: date
    end: date
    late_end: date
    slack_days: int
    critical: bool
    done: bool
    percent_done: int = 0
    due: date | None = None
    assignees: tuple[str, ...] = ()
    baseline_start: date | None = None
    baseline_end: date | None = None
    baseline_slip_days: int | None = None
    p85: date | None = None
    on_time_probability: float | None = None
    start_no_earlier: date | None = None

    @property
    def late(self) -> bool:
        """A due date or deadline downstream will be missed (negative slack)."""
        return self.slack_days < 0 and not self.done


@dataclass(slots=True)
class GanttModel:
    """Everything the chart draws: rows in display order, links and the project's frame."""

    rows: list[GanttRow]
    predecessors: dict[int, tuple[int, ...]] = field(default_factory=dict)
    successors: dict[int, tuple[int, ...]] = field(default_factory=dict)
    first_day: date = date(2000, 1, 1)
    last_day: date = date(2000, 1, 1)
    deadline: date | None = None
    non_working: Any = None  # callable(date) -> bool, the project's calendar
    forecast: dict[int, tuple[date, float | None]] = field(default_factory=dict)  # milestone -> (P85, P(on time))
    link_kinds: dict[tuple[int, int], str] = field(default_factory=dict)  # (pred, succ) -> FS | SS | FF | SF

    def index_of(self, task_id: int) -> int | None:
        """The display position of a task, or None."""
        for index, row in enumerate(self.rows):
            if row.task_id == task_id:
                return index
        return None


def _wbs_order(tasks: list[Any]) -> list[tuple[Any, int]]:
    """Tasks with their depth: each summary followed by its children, siblings in schedule order."""
    ids = {task.id for task in tasks}
    children: dict[int | None, list[Any]] = defaultdict(list)
    for task in tasks:  # schedule order (es, ef, id) is kept among siblings
        children[task.parent_id if task.parent_id in ids else None].append(task)
    ordered: list[tuple[Any, int]] = []
    stack: list[tuple[Any, int]] = [(task, 0) for task in reversed(children[None])]
    while stack:
        task, depth = stack.pop()
        ordered.append((task, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(task.id, ())))
    return ordered


def build_model(schedule: Any, *, slips: Iterable[Any] = (), forecast: Any = None,
                today: date | None = None) -> GanttModel:
    """Rows for a ``ProjectSchedule`` with optional baseline slips and a forecast's milestones."""
    calendar, origin = schedule.calendar, schedule.start
    baseline = {slip.task_id: slip for slip in slips if slip.baseline_start is not None}
    outlook = {m.task_id: m for m in forecast.milestones} if forecast is not None else {}
    rows: list[GanttRow] = []
    forecast_marks: dict[int, tuple[date, float | None]] = {}
    last = schedule.finish
    for task, depth in _wbs_order(schedule.tasks):
        kind = "summary" if task.is_summary else task.kind
        late_finish = calendar.finish_date(origin, task.lf) if task.lf > task.ef and not task.done else task.finish
        row = GanttRow(task.id, task.title, depth, kind, task.start, task.finish + ONE_DAY, late_finish + ONE_DAY,
                       task.slack, task.critical, task.done, task.percent_done, task.due, tuple(task.assignees),
                       start_no_earlier=getattr(task, "start_no_earlier", None))
        slip = baseline.get(task.id)
        if slip is not None and slip.baseline_finish is not None:
            row.baseline_start, row.baseline_end = slip.baseline_start, slip.baseline_finish + ONE_DAY
            row.baseline_slip_days = slip.finish_slip_days
            last = max(last, slip.baseline_finish)
        milestone = outlook.get(task.id)
        if milestone is not None:
            row.p85, row.on_time_probability = milestone.p85, milestone.on_time_probability
            last = max(last, milestone.p85)
            forecast_marks[task.id] = (milestone.p85, milestone.on_time_probability)
        last = max(last, late_finish)
        rows.append(row)
    predecessors: dict[int, list[int]] = defaultdict(list)
    successors: dict[int, list[int]] = defaultdict(list)
    link_kinds: dict[tuple[int, int], str] = {}
    for link in schedule.network.links if schedule.network is not None else ():
        predecessors[link.succ].append(link.pred)
        successors[link.pred].append(link.succ)
        link_kinds[(link.pred, link.succ)] = link.type
    if schedule.deadline:
        last = max(last, schedule.deadline)
    if today is not None and origin - timedelta(days=60) <= today <= last + timedelta(days=60):
        first = min(origin, today)
        last = max(last, today)
    else:
        first = origin
    return GanttModel(rows, {k: tuple(v) for k, v in predecessors.items()},
                      {k: tuple(v) for k, v in successors.items()}, first, last, schedule.deadline,
                      _non_working(calendar), forecast_marks, link_kinds)


def _non_working(calendar: Any):  # noqa: ANN202 - a small memoized predicate
    cache: dict[date, bool] = {}

    def non_working(day: date) -> bool:
        found = cache.get(day)
        if found is None:
            found = cache[day] = not calendar.is_working(day)
        return found

    return non_working


def shifted_preview(model: GanttModel, task_id: int, working_days: int) -> None:
    """Slide one row's bar by working days at once, before the rescheduled plan arrives.

    Only the drawing moves; the schedule service has the last word on where the
    task and its successors land.
    """
    index = model.index_of(task_id)
    if index is None or working_days == 0:
        return
    row = model.rows[index]
    step = ONE_DAY if working_days > 0 else -ONE_DAY
    start = row.start
    for _ in range(abs(working_days)):
        start += step
        while model.non_working is not None and model.non_working(start):
            start += step
    delta = start - row.start
    row.start, row.end, row.late_end = start, row.end + delta, max(row.late_end, row.end + delta)
