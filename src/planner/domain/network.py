"""Plain records of a project network, shared by CPM, leveling and forecasting.

Every time value is an integer offset in working days from the project's
start (day 0). A task starting on day ``s`` with duration ``d`` occupies days
``s .. s+d-1``; its exclusive finish is ``s + d``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LINK_TYPES = ("FS", "SS", "FF", "SF")


@dataclass(slots=True, frozen=True)
class Link:
    """A dependency ``pred -> succ`` of type FS|SS|FF|SF with a lag in working days."""

    pred: int
    succ: int
    type: str = "FS"
    lag_days: int = 0


@dataclass(slots=True)
class Activity:
    """One schedulable task as the domain sees it (no ORM object).

    ``duration_days`` is the (total) duration; 0 for milestones.
    ``start_no_earlier`` bounds the start from below.
    ``deadline`` is an exclusive finish bound (the task's own due date).
    ``done`` tasks are fixed at ``actual_start``/``actual_finish``; a task with
    an ``actual_start`` that is not done is in progress: it keeps its actual
    start and schedules its remaining duration (``remaining_days``) from the
    status date. ``demands`` are (resource id, units per working day).
    ``parent`` is the summary task it rolls up into (summary tasks span
    their children).
    """

    id: int
    duration_days: int = 1
    start_no_earlier: int | None = None
    deadline: int | None = None
    done: bool = False
    actual_start: int | None = None
    actual_finish: int | None = None
    remaining_days: int | None = None
    demands: tuple[tuple[int, float], ...] = ()
    parent: int | None = None
    optimistic_days: float | None = None
    likely_days: float | None = None
    pessimistic_days: float | None = None
    calibration_key: str | None = None
    is_summary: bool = False


@dataclass(slots=True)
class Scheduled:
    """The schedule of one activity: early/late start and finish, slack."""

    id: int
    es: int
    ef: int
    ls: int
    lf: int
    slack: int
    critical: bool


@dataclass(slots=True)
class Network:
    """Activities and links of one project, plus project-level bounds."""

    activities: list[Activity]
    links: list[Link] = field(default_factory=list)
    status_offset: int = 0
    project_deadline: int | None = None
