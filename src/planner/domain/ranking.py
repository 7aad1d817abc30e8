"""The daily queue's ranking: an explainable score per candidate and the capacity cut.

As Taskwarrior's urgency, a score is a sum of weighted factors, and each
factor says why it counts (``due in 2 days``, ``on the critical path, 0 days
slack``, ``unblocks 3 tasks``), which is what ``planner queue --explain``
shows. The coefficients live in :class:`RankWeights`; the ``[ranking]``
table of the config file overrides them by name.

The defaults are chosen so schedule pressure wins over loudness: a task on
the critical path (slack 0) outranks a priority-3 task with ten days of slack
and no due date, negative slack (a deadline that will be missed) pushes
harder still, and an overdue task grows more urgent with each day overdue up
to a cap.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date

from planner.domain.errors import InvalidInputError

__all__ = ["Factor", "QueueCandidate", "QueueEntry", "RankWeights", "Scored", "factors", "rank", "score"]

_PRIORITY_NAMES = {0: "none", 1: "low", 2: "medium", 3: "high"}
_FIT_TOLERANCE_HOURS = 1e-9


@dataclass(frozen=True, slots=True)
class RankWeights:
    """The coefficients of the daily-queue score (Taskwarrior's urgency coefficients, for the queue).

    Weights are the points a factor adds at full strength (negative ones
    push a task down); the ``*_days``/``*_cap`` fields shape the factors and
    ``default_estimate_hours`` is what a task without an estimate counts for
    at the capacity cut.
    """

    due: float = 12.0  # due today (or earlier); fades to 20% of this at due_horizon_days
    due_horizon_days: float = 14.0
    overdue_per_day: float = 1.0  # on top of ``due``, per day overdue ...
    overdue_cap_days: float = 14.0  # ... counted up to this many days
    priority: float = 6.0  # priority 3; 2 and 1 get 2/3 and 1/3 of it
    slack: float = 16.0  # on the critical path (slack <= 0); fades to 0 at slack_horizon_days
    slack_horizon_days: float = 10.0
    behind_per_day: float = 1.0  # per working day of negative slack ...
    behind_cap_days: float = 10.0  # ... counted up to this many days
    unblocks: float = 2.0  # per task waiting on this one ...
    unblocks_cap: float = 4.0  # ... counted up to this many tasks
    in_progress: float = 4.0
    age: float = 2.0  # at age_max_days old or older
    age_max_days: float = 365.0
    default_estimate_hours: float = 1.0

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise InvalidInputError(f"ranking weight {field.name} must be a number, not {value!r}")
        for name in ("due_horizon_days", "overdue_cap_days", "slack_horizon_days", "behind_cap_days",
                     "unblocks_cap", "age_max_days"):
            if getattr(self, name) <= 0:
                raise InvalidInputError(f"ranking setting {name} must be greater than 0")
        if self.default_estimate_hours < 0:
            raise InvalidInputError("ranking setting default_estimate_hours must be 0 or more")

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """Every setting's name, as the config file's ``[ranking]`` table spells it."""
        return tuple(field.name for field in fields(cls))

    @classmethod
    def from_mapping(cls, values: Mapping[str, object] | None) -> RankWeights:
        """Defaults overridden by ``values`` (say the config's ``[ranking]`` table); unknown names are refused."""
        overrides: dict[str, float] = {}
        known = cls.names()
        for raw_name, value in (values or {}).items():
            name = str(raw_name).strip().lower().replace("-", "_")
            if name not in known:
                raise InvalidInputError(f"unknown ranking weight {raw_name!r}: use one of {', '.join(known)}")
            if isinstance(value, str):
                try:
                    value = float(value)
                except ValueError:
                    raise InvalidInputError(f"ranking weight {name} must be a number, not {value!r}") from None
            overrides[name] = value  # type: ignore[assignment]  # checked in __post_init__
        return cls(**overrides)


@dataclass(slots=True)
class QueueCandidate:
    """One task a person could work on today, as the queue sees it.

    ``slack_days`` is how many working days the task can slip before a due
    date or deadline downstream of it is missed (negative: it will be
    missed); None means nothing downstream is dated. ``unblocks`` counts the
    open tasks waiting on it.
    """

    task_id: int
    title: str
    project_key: str
    priority: int = 0
    due: date | None = None
    slack_days: int | None = None
    critical: bool = False
    unblocks: int = 0
    in_progress: bool = False
    created: date | None = None
    estimate_hours: float | None = None
    assignee: str | None = None
    today_hours: float | None = None  # the share of the estimate that falls on today (a multi-day task's)


@dataclass(frozen=True, slots=True)
class Factor:
    """One term of a score: what was measured, its weight, the points it adds and why, in words.

    ``raw_value`` is the measurement in its own unit (days until due, negative
    when overdue; working days of slack; priority level; tasks unblocked; 1 if
    in progress; age in days), None when it does not apply (no due date).
    """

    name: str
    raw_value: float | None
    weight: float
    contribution: float
    reason_text: str


@dataclass(frozen=True, slots=True)
class Scored:
    """A candidate with its total score; ``factors`` says what makes it up (built when asked, from the same sums)."""

    candidate: QueueCandidate
    total: float
    weights: RankWeights
    today: date

    @property
    def factors(self) -> tuple[Factor, ...]:
        """Every factor of the score with its reason in words."""
        return factors(self.candidate, self.weights, self.today)

    def explain(self) -> str:
        """The factors that count, strongest first: ``due in 2 days (+9.6); priority high (+6.0)``."""
        counted = sorted((f for f in self.factors if f.contribution), key=lambda f: -abs(f.contribution))
        return "; ".join(f"{f.reason_text} ({f.contribution:+.1f})" for f in counted) or "nothing presses"


@dataclass(frozen=True, slots=True)
class QueueEntry:
    """A place in today's queue: ``fits`` is False from the first task past the capacity cut on."""

    scored: Scored
    position: int
    fits: bool
    cumulative_hours: float
    pinned: bool = False

    @property
    def task_id(self) -> int:
        """The task's id."""
        return self.scored.candidate.task_id


def _days(count: int, unit: str = "day") -> str:
    return f"{count} {unit}{'' if abs(count) == 1 else 's'}"


def _due_points(due: date | None, weights: RankWeights, today: date) -> tuple[int | None, float]:
    """(days until due, points): full weight when due today, fading to 20% at the horizon; more per day overdue."""
    if due is None:
        return None, 0.0
    days_left = (due - today).days
    if days_left < 0:
        return days_left, weights.due + min(-days_left, weights.overdue_cap_days) * weights.overdue_per_day
    return days_left, weights.due * max(0.2, 1.0 - 0.8 * days_left / weights.due_horizon_days)


def _slack_points(candidate: QueueCandidate, weights: RankWeights) -> tuple[int | None, float]:
    """(slack days, points): full weight with no slack before a downstream due date, more when behind, fading to 0."""
    slack = candidate.slack_days
    if slack is None and candidate.critical:
        slack = 0
    if slack is None:
        return None, 0.0
    if slack < 0:
        return slack, weights.slack + min(-slack, weights.behind_cap_days) * weights.behind_per_day
    return slack, weights.slack * max(0.0, 1.0 - slack / weights.slack_horizon_days)


def _other_points(candidate: QueueCandidate, weights: RankWeights,
                  today: date) -> tuple[int, int, int, float, float, float, float]:
    """(priority, tasks unblocked, age in days, then the points of priority, unblocking, progress and age)."""
    priority = max(0, min(3, int(candidate.priority or 0)))
    unblocks = max(0, int(candidate.unblocks or 0))
    age_days = max(0, (today - candidate.created).days) if candidate.created else 0
    return (priority, unblocks, age_days, weights.priority * priority / 3,
            weights.unblocks * min(unblocks, weights.unblocks_cap),
            weights.in_progress if candidate.in_progress else 0.0,
            weights.age * min(age_days / weights.age_max_days, 1.0))


def _total(candidate: QueueCandidate, weights: RankWeights, today: date) -> float:
    """The score without its explanation (what ranking needs for every candidate)."""
    _, _, _, priority_points, unblock_points, progress_points, age_points = _other_points(candidate, weights, today)
    return round(_due_points(candidate.due, weights, today)[1] + _slack_points(candidate, weights)[1]
                 + priority_points + unblock_points + progress_points + age_points, 6)


def _measures(candidate: QueueCandidate, weights: RankWeights, today: date) -> tuple[tuple, ...]:
    """Each factor's (name, raw value, weight, points rounded to 6 places)."""
    priority, unblocks, age_days, priority_points, unblock_points, progress_points, age_points = _other_points(
        candidate, weights, today)
    days_left, due_points = _due_points(candidate.due, weights, today)
    slack, slack_points = _slack_points(candidate, weights)
    return (
        ("due", days_left, weights.due, round(due_points, 6)),
        ("slack", slack, weights.slack, round(slack_points, 6)),
        ("priority", priority, weights.priority, round(priority_points, 6)),
        ("unblocks", unblocks, weights.unblocks, round(unblock_points, 6)),
        ("in_progress", int(candidate.in_progress), weights.in_progress, round(progress_points, 6)),
        ("age", age_days, weights.age, round(age_points, 6)),
    )


def _reason(name: str, raw: int | None, candidate: QueueCandidate) -> str:
    """Why a factor counts, in words."""
    if name == "due":
        if raw is None:
            return "no due date"
        if raw < 0:
            return f"overdue by {_days(-raw)}"
        return {0: "due today", 1: "due tomorrow"}.get(raw, f"due in {_days(raw)}")
    if name == "slack":
        if raw is None:
            return "nothing dated downstream"
        if raw < 0:
            return f"{_days(-raw, 'working day')} behind: a due date or deadline downstream will be missed"
        if raw == 0 or candidate.critical:
            return "no slack: a due date or deadline downstream moves if it slips"
        return f"{_days(raw, 'working day')} of slack before a downstream due date"
    if name == "priority":
        return f"priority {raw} ({_PRIORITY_NAMES[raw]})"
    if name == "unblocks":
        return f"unblocks {_days(raw, 'task')}" if raw else "blocks nothing"
    if name == "in_progress":
        return "already in progress" if raw else "not started"
    return f"waiting {_days(raw)}" if raw else "new today"


def factors(candidate: QueueCandidate, weights: RankWeights, today: date) -> tuple[Factor, ...]:
    """The candidate's factors on ``today``, each with its points and reason."""
    return tuple(Factor(name, raw, weight, points, _reason(name, raw, candidate))
                 for name, raw, weight, points in _measures(candidate, weights, today))


def score(candidate: QueueCandidate, weights: RankWeights, today: date) -> Scored:
    """The candidate's score on ``today``: the sum of its factors (their reasons are built only when asked)."""
    return Scored(candidate, _total(candidate, weights, today), weights, today)


def _order_key(total: float, candidate: QueueCandidate) -> tuple[float, bool, date, int]:
    """Highest score first; ties: earlier due (undated last), then lower id."""
    due = candidate.due
    return (-total, due is None, due or date.max, candidate.task_id)


def rank(candidates: Iterable[QueueCandidate], weights: RankWeights, today: date, *,
         pinned_order: Sequence[int] = (), capacity_hours: float, limit: int | None = None) -> list[QueueEntry]:
    """Today's queue: pinned tasks first in the order given, then the rest by score; the capacity cut.

    Entries fit while the running total of their hours today (``today_hours``,
    else the estimate; a missing estimate counts
    ``weights.default_estimate_hours``) stays within
    ``capacity_hours``; the first one past it and every one after it do not.
    Pinned ids that are not candidates are ignored. With ``limit`` only the
    first that many entries are returned (every candidate is still scored).
    """
    by_id = {candidate.task_id: candidate for candidate in candidates}
    totals = {task_id: _total(candidate, weights, today) for task_id, candidate in by_id.items()}
    pinned_ids = list(dict.fromkeys(task_id for task_id in pinned_order if task_id in by_id))
    pinned_set = set(pinned_ids)
    rest = sorted((task_id for task_id in by_id if task_id not in pinned_set),
                  key=lambda task_id: _order_key(totals[task_id], by_id[task_id]))
    ordered = pinned_ids + rest
    if limit is not None:
        ordered = ordered[:limit]
    entries: list[QueueEntry] = []
    cumulative_hours = 0.0
    still_fits = True
    for position, task_id in enumerate(ordered, start=1):
        candidate = by_id[task_id]
        estimate = candidate.today_hours if candidate.today_hours is not None else candidate.estimate_hours
        cumulative_hours += weights.default_estimate_hours if estimate is None else max(0.0, estimate)
        still_fits = still_fits and cumulative_hours <= capacity_hours + _FIT_TOLERANCE_HOURS
        entries.append(QueueEntry(Scored(candidate, totals[task_id], weights, today), position, still_fits,
                                  round(cumulative_hours, 6), task_id in pinned_set))
    return entries
