"""Monte Carlo forecast of finish dates over three-point estimates.

Each unfinished task's duration is drawn from a **triangular** distribution
over (optimistic, likely, pessimistic) working days, multiplied by a ratio
drawn from its person's history of actual ÷ estimate when there is one
(evidence-based scheduling), and rounded up to whole days (at least one for
anything but a milestone). Tasks without a three-point estimate use their
duration as a point value; done tasks are fixed.

Because the rounded draw takes whole-day values only, its distribution is
computed exactly once per task (:func:`duration_distribution`) and sampled
by inverse CDF with ``random.Random(seed).choices``: the same numbers as
drawing triangular variates one by one, reproducible, and cheap. The
forward pass then runs for all runs at once, node by node, with C-level
``map`` over per-run columns; finish columns are dropped as soon as no
successor needs them.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import add, sub

from planner.domain.cpm import (
    DONE,
    FF,
    FS,
    GATE,
    IN_PROGRESS,
    PLANNED,
    SF,
    CompiledNetwork,
    collector_paused,
    compile_network,
    forward_pass,
    project_finish,
)
from planner.domain.errors import InvalidInputError
from planner.domain.network import Activity, Network

P50, P85 = 0.50, 0.85


@dataclass(frozen=True, slots=True)
class FinishForecast:
    """The simulated exclusive finish offsets of the project or of one milestone.

    ``finish_offsets`` is the sorted sample (one value per run);
    ``on_time_probability`` is the share of runs finishing by
    ``deadline_offset`` (an exclusive bound), None without a deadline.
    """

    activity_id: int | None
    planned_offset: int
    p50_offset: int
    p85_offset: int
    deadline_offset: int | None
    on_time_probability: float | None
    finish_offsets: tuple[int, ...] = field(repr=False)

    def percentile_offset(self, fraction: float) -> int:
        """The nearest-rank percentile of the finish sample (``fraction`` in (0, 1])."""
        return _nearest_rank(self.finish_offsets, fraction)


@dataclass(frozen=True, slots=True)
class ForecastResult:
    """Forecasts of the project finish and of each requested milestone."""

    runs: int
    seed: int
    project: FinishForecast
    milestones: dict[int, FinishForecast]


def _nearest_rank(sorted_sample: Sequence[int], fraction: float) -> int:
    """The smallest sample value with at least ``fraction`` of the sample at or below it."""
    if not 0 < fraction <= 1:
        raise InvalidInputError(f"a percentile must be in (0, 1], got {fraction}")
    return sorted_sample[max(math.ceil(fraction * len(sorted_sample)) - 1, 0)]


# -- one task's duration --------------------------------------------------------


def triangular_cdf(value: float, optimistic: float, likely: float, pessimistic: float) -> float:
    """P(X <= value) for X triangular on [optimistic, pessimistic] with mode ``likely``."""
    if value < optimistic:
        return 0.0
    if value >= pessimistic:
        return 1.0
    width = pessimistic - optimistic  # > 0 here, as optimistic <= value < pessimistic
    if value < likely:
        return (value - optimistic) ** 2 / (width * (likely - optimistic))
    return 1.0 - (pessimistic - value) ** 2 / (width * (pessimistic - likely))


def duration_distribution(
    optimistic: float,
    likely: float,
    pessimistic: float,
    ratios: Sequence[float] = (1.0,),
    minimum_days: int = 1,
) -> tuple[list[int], list[float]]:
    """Whole-day outcomes and cumulative probabilities of ``max(minimum, ceil(X * r))``.

    ``X`` is triangular(optimistic, likely, pessimistic); ``r`` is drawn
    uniformly from ``ratios`` (repeats weigh more). The last cumulative
    probability is exactly 1.
    """
    weights = Counter(ratios)
    low = max(minimum_days, math.ceil(optimistic * min(weights)))
    high = max(minimum_days, math.ceil(pessimistic * max(weights)))
    outcomes = list(range(low, high + 1))
    cumulative = [
        sum(count * triangular_cdf(days / ratio, optimistic, likely, pessimistic) for ratio, count in weights.items())
        / len(ratios)
        for days in outcomes
    ]  # fmt: skip
    cumulative[-1] = 1.0
    return outcomes, cumulative


def three_point_days(activity: Activity) -> tuple[float, float, float] | None:
    """An activity's (optimistic, likely, pessimistic) days, or None for a point estimate.

    Missing values default to the likely value, and the likely value to the
    duration. Raise InvalidInputError when they are out of order or negative.
    """
    if activity.optimistic_days is None and activity.likely_days is None and activity.pessimistic_days is None:
        return None
    likely = activity.likely_days if activity.likely_days is not None else float(activity.duration_days)
    optimistic = activity.optimistic_days if activity.optimistic_days is not None else likely
    pessimistic = activity.pessimistic_days if activity.pessimistic_days is not None else likely
    if not 0 <= optimistic <= likely <= pessimistic:
        raise InvalidInputError(
            f"task #{activity.id}: a three-point estimate needs 0 <= optimistic <= likely <= pessimistic, "
            f"got {optimistic:g} / {likely:g} / {pessimistic:g} days"
        )
    return optimistic, likely, pessimistic


def _checked_calibration(calibration: Mapping[str, Sequence[float]] | None) -> dict[str, list[float]]:
    """The non-empty ratio histories, each ratio checked to be a positive finite number."""
    histories: dict[str, list[float]] = {}
    for key, ratios in (calibration or {}).items():
        values = [float(ratio) for ratio in ratios]
        bad = [ratio for ratio in values if not (ratio > 0 and math.isfinite(ratio))]
        if bad:
            raise InvalidInputError(f"calibration of {key!r}: actual/estimate ratios must be positive, got {bad[0]}")
        if values:
            histories[key] = values
    return histories


# -- the simulation -------------------------------------------------------------


def forecast(
    network: Network,
    *,
    runs: int = 1000,
    seed: int = 0,
    milestone_ids: Iterable[int] = (),
    deadlines: Mapping[int, int] | None = None,
    project_deadline: int | None = None,
    calibration: Mapping[str, Sequence[float]] | None = None,
) -> ForecastResult:
    """P50/P85 exclusive finish offsets and on-time probabilities by Monte Carlo.

    ``milestone_ids`` may name any activity (a summary forecasts its last
    leaf). A milestone's deadline comes from ``deadlines`` or else its own
    ``deadline``; the project's from ``project_deadline`` or else the
    network's. ``calibration`` maps a ``calibration_key`` to its history of
    actual ÷ estimate ratios. The same inputs and seed give the same result.
    """
    if runs < 1:
        raise InvalidInputError(f"a forecast needs at least one run, got {runs}")
    milestone_ids = list(dict.fromkeys(milestone_ids))
    histories = _checked_calibration(calibration)
    by_id = {activity.id: activity for activity in network.activities}
    with collector_paused():
        compiled = compile_network(network)
        duration_columns, remaining_columns = _draw_durations(compiled, by_id, histories, runs, random.Random(seed))
        watched = {milestone: compiled.leaf_nodes_of(milestone) for milestone in milestone_ids}
        project_runs, finish_columns = simulate_finishes(
            compiled, duration_columns, remaining_columns, runs, {node for nodes in watched.values() for node in nodes}
        )
        _early_start, planned_finish = forward_pass(compiled)

    deadlines = deadlines or {}
    if project_deadline is None:
        project_deadline = network.project_deadline
    project = _summarise(None, project_finish(compiled, planned_finish), project_runs, project_deadline)
    milestones: dict[int, FinishForecast] = {}
    for milestone, nodes in watched.items():
        columns = [finish_columns[node] for node in nodes]
        finishes = columns[0] if len(columns) == 1 else list(map(max, *columns))
        deadline = deadlines.get(milestone, by_id[milestone].deadline)
        planned = max(planned_finish[node] for node in nodes)
        milestones[milestone] = _summarise(milestone, planned, finishes, deadline)
    return ForecastResult(runs=runs, seed=seed, project=project, milestones=milestones)


def _summarise(activity_id: int | None, planned: int, finishes: list[int], deadline: int | None) -> FinishForecast:
    """Percentiles and on-time probability of one finish sample."""
    ordered = tuple(sorted(finishes))
    on_time = None if deadline is None else sum(1 for finish in ordered if finish <= deadline) / len(ordered)
    return FinishForecast(
        activity_id=activity_id,
        planned_offset=planned,
        p50_offset=_nearest_rank(ordered, P50),
        p85_offset=_nearest_rank(ordered, P85),
        deadline_offset=deadline,
        on_time_probability=on_time,
        finish_offsets=ordered,
    )


Column = int | list[int]


def _draw_durations(
    compiled: CompiledNetwork,
    by_id: dict[int, Activity],
    histories: dict[str, list[float]],
    runs: int,
    rng: random.Random,
) -> tuple[list[Column], list[Column]]:
    """Per node, a constant or a per-run list of durations and of remaining days."""
    durations: list[Column] = list(compiled.durations_days)
    remaining: list[Column] = list(compiled.remaining_days)
    for node in range(compiled.leaf_count):
        kind = compiled.kinds[node]
        activity = by_id[compiled.node_ids[node]]
        planned_days = compiled.durations_days[node]
        if kind not in (PLANNED, IN_PROGRESS) or planned_days == 0:
            continue  # done work is fixed; milestones and empty summaries stay zero-length
        estimate = three_point_days(activity)
        ratios = histories.get(activity.calibration_key) if activity.calibration_key else None
        if estimate is None and ratios is None:
            continue
        optimistic, likely, pessimistic = estimate or (planned_days, planned_days, planned_days)
        outcomes, cumulative = duration_distribution(optimistic, likely, pessimistic, ratios or (1.0,))
        drawn = rng.choices(outcomes, cum_weights=cumulative, k=runs)
        durations[node] = drawn
        if kind == IN_PROGRESS:  # the work left grows or shrinks with the whole
            left = compiled.remaining_days[node]
            remaining[node] = [math.ceil(left * days / planned_days) for days in drawn]
    return durations, remaining


def _as_list(column: Column, runs: int) -> list[int]:
    """A per-run list for a column that may be a constant."""
    return [column] * runs if isinstance(column, int) else column


def _shifted(column: list[int], lag_days: int) -> Iterator[int] | list[int]:
    """The column plus a constant lag (lazily, when the lag is not zero)."""
    return map(add, column, repeat(lag_days)) if lag_days else column


def _column_max(sources: list[Iterable[int]]) -> list[int]:
    """The element-wise maximum of one or more columns."""
    if len(sources) == 1:
        only = sources[0]
        return only if isinstance(only, list) else list(only)
    return list(map(max, *sources))


def _finish_may_be_project_finish(compiled: CompiledNetwork) -> list[bool]:
    """Per leaf, False when a link makes some planned leaf finish no earlier than it."""
    kinds = compiled.kinds
    bound_by_successor = [False] * compiled.leaf_count
    for node in range(compiled.leaf_count):
        for succ in compiled.fs_succs[node]:
            if kinds[succ] == PLANNED:
                bound_by_successor[node] = True
                break
        else:
            for code, succ, lag in compiled.other_succs[node]:
                if lag >= 0 and (
                    (code == FS and kinds[succ] == PLANNED) or (code == FF and kinds[succ] in (PLANNED, IN_PROGRESS))
                ):
                    bound_by_successor[node] = True
                    break
    return [not bound for bound in bound_by_successor]


def simulate_finishes(
    compiled: CompiledNetwork,
    duration_columns: list[Column],
    remaining_columns: list[Column],
    runs: int,
    watched_nodes: set[int],
) -> tuple[list[int], dict[int, list[int]]]:
    """The forward pass for all runs at once: project finish per run, and watched nodes' finishes.

    Columns are per-run lists or constants; the rules are those of
    :func:`planner.domain.cpm.forward_pass`.
    """
    kinds, start_bounds, fixed_finishes = compiled.kinds, compiled.start_bounds, compiled.fixed_finishes
    fs_preds, other_preds = compiled.fs_preds, compiled.other_preds
    status = compiled.status_offset
    uses_left = [len(fs) + len(other) for fs, other in zip(compiled.fs_succs, compiled.other_succs)]
    may_finish_project = _finish_may_be_project_finish(compiled)
    early_start: list[list[int] | None] = [None] * len(kinds)
    early_finish: list[list[int] | None] = [None] * len(kinds)
    project = [0] * runs
    watched: dict[int, list[int]] = {}
    for node in compiled.order:
        kind = kinds[node]
        duration = duration_columns[node]
        if kind == DONE:
            start, finish = [start_bounds[node]] * runs, [fixed_finishes[node]] * runs
        else:
            start_sources: list[Iterable[int]] = []
            finish_sources: list[Iterable[int]] = []
            if kind != IN_PROGRESS:
                start_sources.extend(early_finish[pred] for pred in fs_preds[node])  # type: ignore[misc]
            for code, pred, lag in other_preds[node]:
                if code == FF:
                    finish_sources.append(_shifted(early_finish[pred], lag))  # type: ignore[arg-type]
                elif code == SF:
                    finish_sources.append(_shifted(early_start[pred], lag))  # type: ignore[arg-type]
                elif kind != IN_PROGRESS:
                    source = early_finish[pred] if code == FS else early_start[pred]
                    start_sources.append(_shifted(source, lag))  # type: ignore[arg-type]
            if kind == IN_PROGRESS:
                actual_start = start_bounds[node]
                start = [actual_start] * runs
                finish_sources.append(map(add, repeat(actual_start), _as_list(duration, runs)))
                finish_sources.append(map(add, repeat(status), _as_list(remaining_columns[node], runs)))
                finish = _column_max(finish_sources)
            else:
                if kind != GATE:
                    start_sources.append(repeat(start_bounds[node], runs))
                if finish_sources:  # a finish bound f means a start of at least f - duration
                    start_sources.append(map(sub, _column_max(finish_sources), _as_list(duration, runs)))
                start = _column_max(start_sources)
                if isinstance(duration, int):
                    finish = start if duration == 0 else list(map(add, start, repeat(duration)))
                else:
                    finish = list(map(add, start, duration))
        early_start[node], early_finish[node] = start, finish
        if node < compiled.leaf_count and may_finish_project[node]:
            project = list(map(max, project, finish))
        if node in watched_nodes:
            watched[node] = finish
        for pred in _predecessors(compiled, node):
            uses_left[pred] -= 1
            if not uses_left[pred]:
                early_start[pred] = early_finish[pred] = None
    return project, watched


def _predecessors(compiled: CompiledNetwork, node: int) -> Iterator[int]:
    """Every predecessor index of a node, once per link."""
    yield from compiled.fs_preds[node]
    for _code, pred, _lag in compiled.other_preds[node]:
        yield pred
