"""Monte Carlo forecast: reproducibility, exact duration distributions, calibration, milestones."""

from __future__ import annotations

import math
import random
from collections import Counter

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from planner.domain.cpm import compile_network, early_finish_times, project_finish
from planner.domain.errors import CycleError, InvalidInputError
from planner.domain.forecast import (
    duration_distribution,
    forecast,
    simulate_finishes,
    three_point_days,
    triangular_cdf,
)
from planner.domain.network import Activity, Link, Network

from .network_strategies import networks
from .test_cpm import LETTER_ID, RELIABLE, reliable_network

# Hillier & Lieberman, "Introduction to Operations Research", the Reliable
# Construction Co. project with PERT three-point estimates (weeks). PERT's
# answer: each mean (o + 4m + p) / 6 is the CPM duration, the mean critical
# path is 44 weeks with variance 9, so P(finish <= 47) ~ Phi(1) = 0.84.
RELIABLE_THREE_POINT = {
    "A": (1, 2, 3), "B": (2, 3.5, 8), "C": (6, 9, 18), "D": (4, 5.5, 10), "E": (1, 4.5, 5), "F": (4, 4, 10),
    "G": (5, 6.5, 11), "H": (5, 8, 17), "I": (3, 7.5, 9), "J": (3, 9, 9), "K": (4, 4, 4), "L": (1, 5.5, 7),
    "M": (1, 2, 3), "N": (5, 5.5, 9),
}  # fmt: skip


def reliable_with_estimates(**network_options) -> Network:
    """Reliable Construction with its three-point estimates."""
    network = reliable_network(**network_options)
    for activity in network.activities:
        letter = next(letter for letter, number in LETTER_ID.items() if number == activity.id)
        activity.optimistic_days, activity.likely_days, activity.pessimistic_days = RELIABLE_THREE_POINT[letter]
    return network


def naive_forecast(network: Network, runs: int, seed: int, ratios: dict[str, list[float]] | None = None) -> list[int]:
    """Project finishes drawn the obvious way: one triangular variate per task per run."""
    compiled = compile_network(network)
    rng = random.Random(seed)
    finishes = []
    for _ in range(runs):
        durations = list(compiled.durations_days)
        for activity in network.activities:
            estimate = three_point_days(activity)
            history = (ratios or {}).get(activity.calibration_key or "")
            if activity.duration_days == 0 or (estimate is None and history is None):
                continue
            low, mode, high = estimate or (activity.duration_days,) * 3
            drawn = rng.triangular(low, high, mode) * (rng.choice(history) if history else 1.0)
            durations[compiled.index_of[activity.id]] = max(1, math.ceil(drawn))
        finishes.append(project_finish(compiled, early_finish_times(compiled, durations)))
    return sorted(finishes)


def test_the_same_seed_gives_the_same_forecast():
    network = reliable_with_estimates()
    first = forecast(network, runs=300, seed=7, milestone_ids=[LETTER_ID["H"]])
    assert first == forecast(network, runs=300, seed=7, milestone_ids=[LETTER_ID["H"]])
    assert first.project.finish_offsets != forecast(network, runs=300, seed=8).project.finish_offsets


def test_point_estimates_give_the_cpm_finish_in_every_run():
    result = forecast(reliable_network(project_deadline=44), runs=50)
    project = result.project
    assert (project.planned_offset, project.p50_offset, project.p85_offset) == (44, 44, 44)
    assert project.on_time_probability == 1.0 and set(project.finish_offsets) == {44}
    assert forecast(reliable_network(), runs=50, project_deadline=43).project.on_time_probability == 0.0


def test_reliable_construction_forecast_matches_drawing_each_task_one_by_one():
    network = reliable_with_estimates()
    result = forecast(network, runs=4000, seed=1, project_deadline=47)
    reference = naive_forecast(network, runs=4000, seed=2)
    assert result.project.planned_offset == 44  # the PERT means are the CPM durations
    assert abs(result.project.p50_offset - reference[1999]) <= 1
    assert abs(result.project.p85_offset - reference[3399]) <= 1
    reference_on_time = sum(finish <= 47 for finish in reference) / len(reference)
    assert abs(result.project.on_time_probability - reference_on_time) < 0.04
    # Right-skewed triangular draws, merge bias and whole-week rounding all push
    # past PERT's 44 weeks and its 0.84 chance of making week 47.
    assert result.project.p50_offset > 44 and result.project.on_time_probability < 0.84


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, 0.0), (2, 0.0), (3, 0.125), (4, 0.5), (5, 0.875), (6, 1.0), (9, 1.0)],
)
def test_triangular_cdf(value, expected):
    # triangular on [2, 6] with mode 4: F(x) = (x - 2)^2 / 8 up to the mode, F(mode) = (4 - 2) / (6 - 2)
    assert triangular_cdf(value, 2, 4, 6) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("low", "mode", "high", "ratios"),
    [(2, 4, 6, (1.0,)), (1, 1, 5, (1.0,)), (3, 7, 7, (1.0,)), (2.5, 2.5, 2.5, (1.0,)), (0, 1, 2, (1.0,)),
     (2, 3, 5, (0.8, 1.0, 1.5, 1.5)), (4, 4, 4, (0.5, 2.0))],
)  # fmt: skip
def test_duration_distribution_matches_drawing_and_rounding_up(low, mode, high, ratios):
    outcomes, cumulative = duration_distribution(low, mode, high, ratios)
    assert cumulative[-1] == 1.0 and all(a <= b for a, b in zip(cumulative, cumulative[1:]))
    assert outcomes == list(range(outcomes[0], outcomes[-1] + 1)) and outcomes[0] >= 1
    rng = random.Random(3)
    draws = 100_000
    counts = Counter(
        max(1, math.ceil(rng.triangular(low, high, mode) * rng.choice(ratios))) for _ in range(draws)
    )
    previous = 0.0
    for days, upto in zip(outcomes, cumulative):
        assert counts[days] / draws == pytest.approx(upto - previous, abs=0.006)
        previous = upto
    assert set(counts) <= set(outcomes)


def test_calibration_multiplies_each_persons_draws_by_their_history():
    network = Network(
        [
            Activity(1, 3, calibration_key="ana"),
            Activity(2, 3, calibration_key="ana"),
            Activity(3, 2, calibration_key="bo"),
        ],
        [Link(1, 2), Link(2, 3)],
    )
    doubled = forecast(network, runs=200, calibration={"ana": [2.0]})
    assert set(doubled.project.finish_offsets) == {6 + 6 + 2}
    unchanged = forecast(network, runs=200, calibration={"carla": [3.0], "ana": []})
    assert set(unchanged.project.finish_offsets) == {8}


def test_calibration_with_mixed_history_spreads_the_finish():
    network = Network([Activity(1, 4, calibration_key="ana")])
    result = forecast(network, runs=2000, seed=5, calibration={"ana": [1.0, 2.0]}, project_deadline=4)
    assert set(result.project.finish_offsets) == {4, 8}
    assert result.project.on_time_probability == pytest.approx(0.5, abs=0.05)
    assert (result.project.p50_offset, result.project.p85_offset) in {(4, 8), (8, 8)}


def test_calibrated_three_point_estimates_match_drawing_one_by_one():
    network = reliable_with_estimates()
    for activity in network.activities:
        activity.calibration_key = "ana" if activity.id % 2 else None
    history = {"ana": [0.9, 1.0, 1.3, 1.8]}
    result = forecast(network, runs=4000, seed=11, calibration=history)
    reference = naive_forecast(network, runs=4000, seed=12, ratios=history)
    assert abs(result.project.p50_offset - reference[1999]) <= 1
    assert abs(result.project.p85_offset - reference[3399]) <= 1


def test_done_tasks_are_fixed_and_milestones_stay_zero_length():
    network = Network(
        [
            Activity(
                1, 3, done=True, actual_start=0, actual_finish=4, optimistic_days=1, likely_days=3, pessimistic_days=20
            ),
            Activity(2, 0, optimistic_days=1, likely_days=2, pessimistic_days=3),
        ],
        [Link(1, 2)],
    )
    assert set(forecast(network, runs=100).project.finish_offsets) == {4}


def test_milestones_get_their_own_forecast_and_deadlines():
    network = Network(
        [
            Activity(1, 5, optimistic_days=4, likely_days=5, pessimistic_days=9),
            Activity(2, 0, deadline=5),
            Activity(3, 10),
            Activity(4, is_summary=True), Activity(5, 2, parent=4), Activity(6, 1, parent=4),
        ],  # fmt: skip
        [Link(1, 2), Link(2, 5), Link(5, 6)],
    )
    result = forecast(network, runs=500, seed=2, milestone_ids=[2, 4, 2], deadlines={4: 12})
    assert list(result.milestones) == [2, 4]
    gate, phase = result.milestones[2], result.milestones[4]
    assert gate.deadline_offset == 5 and gate.planned_offset == 5 and 4 <= gate.p50_offset <= gate.p85_offset <= 9
    assert gate.on_time_probability == sum(f <= 5 for f in gate.finish_offsets) / 500
    assert phase.planned_offset == 8 and phase.deadline_offset == 12
    assert all(p - g == 3 for p, g in zip(phase.finish_offsets, gate.finish_offsets))
    assert result.project.planned_offset == 10 and result.project.deadline_offset is None


def test_in_progress_work_left_scales_with_the_draw():
    network = Network(
        [Activity(1, 4, actual_start=0, remaining_days=2, optimistic_days=4, likely_days=4, pessimistic_days=8)],
        status_offset=3,
    )
    result = forecast(network, runs=500, seed=4)
    # D = ceil(triangular(4, 4, 8)) is 5..8; finish = max(actual start + D, status + ceil(2 * D / 4))
    assert set(result.project.finish_offsets) == {max(d, 3 + math.ceil(2 * d / 4)) for d in range(5, 9)} == {6, 7, 8}
    assert result.project.planned_offset == 5  # with the planned 4 days: status 3 + 2 left


def test_percentile_offset_uses_the_nearest_rank():
    result = forecast(Network([Activity(1, 5, calibration_key="x")]), runs=10, calibration={"x": [1.0, 2.0]})
    offsets = result.project.finish_offsets
    assert result.project.percentile_offset(1.0) == offsets[-1]
    assert result.project.percentile_offset(0.1) == offsets[0]
    with pytest.raises(InvalidInputError):
        result.project.percentile_offset(0)


@pytest.mark.parametrize(
    ("network", "options", "message"),
    [
        (Network([Activity(1)]), {"runs": 0}, "at least one run"),
        (Network([Activity(1, 2, optimistic_days=3, likely_days=2)]), {}, "optimistic <= likely <= pessimistic"),
        (Network([Activity(1, 2, pessimistic_days=-1, likely_days=-2)]), {}, "0 <= optimistic"),
        (Network([Activity(1)]), {"milestone_ids": [9]}, "#9 is not part of this network"),
        (Network([Activity(1)]), {"calibration": {"ana": [1.0, -0.5]}}, "must be positive"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(network, options, message):
    with pytest.raises(InvalidInputError, match=message):
        forecast(network, **options)


def test_forecast_of_a_cyclic_network_raises_cycle_error():
    with pytest.raises(CycleError):
        forecast(Network([Activity(1), Activity(2)], [Link(1, 2), Link(2, 1)]))


def test_reliable_construction_has_fourteen_activities():
    assert len(RELIABLE) == len(RELIABLE_THREE_POINT) == 14


@settings(max_examples=200, deadline=None)
@given(
    networks(with_progress=True, with_summaries=True, with_deadlines=True),
    st.lists(st.lists(st.integers(0, 9), min_size=40, max_size=40), min_size=1, max_size=4),
)
def test_all_runs_at_once_equal_one_forward_pass_per_run(network, duration_rows):
    try:
        compiled = compile_network(network)
    except CycleError:
        assume(False)
        return
    runs = len(duration_rows)
    leaves = range(compiled.leaf_count)
    columns: list = list(compiled.durations_days)
    remaining: list = list(compiled.remaining_days)
    for node in leaves:
        columns[node] = [row[node % 40] for row in duration_rows]
        remaining[node] = [row[(node + 7) % 40] for row in duration_rows]
    project, watched = simulate_finishes(compiled, columns, remaining, runs, set(leaves))
    for run in range(runs):
        durations = [column[run] if isinstance(column, list) else column for column in columns]
        left = [column[run] if isinstance(column, list) else column for column in remaining]
        finishes = early_finish_times(compiled, durations, left)
        assert project[run] == project_finish(compiled, finishes)
        assert all(watched[node][run] == finishes[node] for node in leaves)
