"""The leveler's quality at its default schedule budget on PSPLIB samples, every schedule checked for feasibility.

Samples spread over every parameter set: every 4th j30 instance (120, against the proven optima), every
16th j60 instance (30) and every 21st j120 instance (29), against the critical-path bound (MPM-Time).
bench/psplib_bench.py measures the whole sets; the bounds here are this sample's measured figures plus a
small margin, so a leveler that got worse fails.
"""

from __future__ import annotations

import statistics

import pytest

from planner.domain.leveling import default_iterations, level
from planner.domain.network import Activity, Network
from planner.domain.psplib import parse_result_table, parse_sm
from .psplib_data import DATA, archive_instances, j30_instances
from .test_leveling import assert_psplib_feasible, psplib_network

#: Every 4th j30 instance at the default budget: measured 0.071 % above the optimum.
J30_SAMPLE_BOUND_PERCENT = 0.10
#: Every 16th j60 instance at the default budget: measured 14.79 % above the critical-path bound.
J60_SAMPLE_BOUND_PERCENT = 15.0
#: Every 21st j120 instance at 100 schedules: measured 37.33 % above the critical-path bound.
J120_SAMPLE_BOUND_PERCENT = 38.0


def _level_all(instances: list[tuple[str, str]], iterations: int | None) -> list[tuple[str, int, int]]:
    """(name, makespan, critical-path bound) per instance, each schedule checked against the raw instance."""
    outcomes = []
    for name, text in instances:
        instance = parse_sm(text)
        network, capacities = psplib_network(instance)
        result = level(network, capacities, seed=0, iterations=iterations)
        makespan = assert_psplib_feasible(instance, result.starts)
        assert makespan == result.makespan, name
        assert instance.mpm_time <= result.lower_bound <= makespan, name
        outcomes.append((name, makespan, instance.mpm_time))
    return outcomes


@pytest.mark.slow
def test_j30_sample_at_the_default_budget_is_near_the_optimum() -> None:
    optima = parse_result_table((DATA / "j30opt-all.sm").read_text())
    outcomes = _level_all(list(j30_instances())[::4], None)
    deviations = []
    for name, makespan, _critical in outcomes:
        parameter, number = (int(part) for part in name[3:-3].split("_"))
        optimum = optima[(parameter, number)]
        assert makespan >= optimum, name
        deviations.append(100.0 * (makespan - optimum) / optimum)
    assert len(deviations) == 120
    mean = statistics.fmean(deviations)
    print(f"\nj30 sample at the default budget: {mean:.3f} % above the optimum")
    assert mean <= J30_SAMPLE_BOUND_PERCENT


@pytest.mark.slow
def test_j60_sample_at_the_default_budget_is_near_the_critical_path_bound() -> None:
    outcomes = _level_all(list(archive_instances("j60-sample.tar.xz")), None)
    assert len(outcomes) == 30
    mean = statistics.fmean(100.0 * (makespan - critical) / critical for _name, makespan, critical in outcomes)
    print(f"\nj60 sample at the default budget: {mean:.2f} % above the critical-path bound")
    assert mean <= J60_SAMPLE_BOUND_PERCENT


def test_j120_sample_levels_feasibly_at_a_small_budget() -> None:
    outcomes = _level_all(list(archive_instances("j120-sample.tar.xz")), 100)
    assert len(outcomes) == 29
    mean = statistics.fmean(100.0 * (makespan - critical) / critical for _name, makespan, critical in outcomes)
    print(f"\nj120 sample at 100 schedules: {mean:.2f} % above the critical-path bound")
    assert mean <= J120_SAMPLE_BOUND_PERCENT


def test_a_small_plan_stops_once_its_lists_are_spent() -> None:
    # Three tasks that pairwise share a person: 6 days is optimal, but the bounds only prove 4.
    network = Network([Activity(1, 2, demands=((1, 1.0), (2, 1.0))), Activity(2, 2, demands=((2, 1.0), (3, 1.0))),
                       Activity(3, 2, demands=((1, 1.0), (3, 1.0)))], [])
    result = level(network, {1: 1.0, 2: 1.0, 3: 1.0})
    assert (result.makespan, result.lower_bound) == (6, 4)
    assert 0 < result.schedules < default_iterations(3) // 10
