"""Resource leveling (RCPSP): feasibility checked independently of the leveler, PSPLIB optima, properties."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.domain.errors import CycleError, InvalidInputError
from planner.domain.leveling import Capacity, LevelResult, default_iterations, level, leveled_schedule
from planner.domain.network import Activity, Link, Network, Scheduled
from planner.domain.psplib import PsplibInstance, parse_result_table, parse_sm

DATA = Path(__file__).resolve().parent.parent / "data" / "psplib"
EPS = 1e-9


# -- an independent checker ----------------------------------------------------------------


def _capacity_on(capacities: Mapping[int, float | Callable[[int], float]], resource: int, day: int) -> float:
    value = capacities[resource]
    return value(day) if callable(value) else float(value)


def _remaining(activity: Activity) -> int:
    return activity.duration_days if activity.remaining_days is None else max(0, activity.remaining_days)


def _busy_days(activity: Activity, start: int, finish: int) -> range:
    """The days an activity uses its resources, by the documented semantics."""
    if activity.done:
        if activity.actual_start is None and activity.actual_finish is None:
            return range(0)
        return range(start, finish)
    if activity.actual_start is not None:
        return range(finish - _remaining(activity), finish)
    return range(start, start + activity.duration_days)


def _leaves_of(network: Network, activity_id: int) -> list[int]:
    children: dict[int, list[int]] = defaultdict(list)
    for activity in network.activities:
        if activity.parent is not None:
            children[activity.parent].append(activity.id)
    stack, leaves = [activity_id], []
    while stack:
        current = stack.pop()
        if children.get(current):
            stack.extend(children[current])
        else:
            leaves.append(current)
    return leaves


def assert_feasible(network: Network, capacities: Mapping, result: LevelResult) -> None:
    """No day overloaded by unfinished work, every link and floor respected, finishes consistent."""
    by_id = {activity.id: activity for activity in network.activities}
    summaries = {activity.parent for activity in network.activities if activity.parent is not None}
    leaves = [activity for activity in network.activities if activity.id not in summaries]
    usage: dict[tuple[int, int], float] = defaultdict(float)
    open_usage: dict[tuple[int, int], float] = defaultdict(float)
    for activity in leaves:
        start, finish = result.starts[activity.id], result.finishes[activity.id]
        assert finish >= start
        days = _busy_days(activity, start, finish)
        for resource, units in activity.demands:
            if resource not in capacities or units <= 0:
                continue
            for day in days:
                usage[(resource, day)] += units
                if not activity.done:
                    open_usage[(resource, day)] += units
    for (resource, day), units in open_usage.items():
        assert day >= 0
        if units > 0:
            assert usage[(resource, day)] <= _capacity_on(capacities, resource, day) + EPS, (
                f"resource {resource} overloaded on day {day}: {usage[(resource, day)]} > "
                f"{_capacity_on(capacities, resource, day)}"
            )
    status = max(0, network.status_offset)
    for activity in leaves:
        start, finish = result.starts[activity.id], result.finishes[activity.id]
        if activity.done:
            if activity.actual_start is not None:
                assert start == activity.actual_start
            if activity.actual_finish is not None:
                assert finish == activity.actual_finish
            continue
        if activity.actual_start is not None:
            assert start == activity.actual_start
            assert finish >= activity.actual_start + activity.duration_days
            assert finish >= status + _remaining(activity)
        else:
            assert finish == start + activity.duration_days
            assert start >= max(0, status, activity.start_no_earlier or 0)
    for link in network.links:
        for pred_id in _leaves_of(network, link.pred):
            for succ_id in _leaves_of(network, link.succ):
                succ = by_id[succ_id]
                if succ.done:
                    continue
                in_progress = succ.actual_start is not None
                pred_start, pred_finish = result.starts[pred_id], result.finishes[pred_id]
                succ_start, succ_finish = result.starts[succ_id], result.finishes[succ_id]
                if link.type == "FS" and not in_progress:
                    assert succ_start >= pred_finish + link.lag_days, link
                elif link.type == "SS" and not in_progress:
                    assert succ_start >= pred_start + link.lag_days, link
                elif link.type == "FF":
                    assert succ_finish >= pred_finish + link.lag_days, link
                elif link.type == "SF":
                    assert succ_finish >= pred_start + link.lag_days, link
    assert result.makespan == max((result.finishes[a.id] for a in leaves), default=0)


def unleveled_finish(network: Network) -> int:
    """The critical-path makespan by plain relaxation of the same rules (no resources)."""
    summaries = {activity.parent for activity in network.activities if activity.parent is not None}
    leaves = [activity for activity in network.activities if activity.id not in summaries]
    status = max(0, network.status_offset)
    start: dict[int, int] = {}
    finish: dict[int, int] = {}
    for activity in leaves:
        if activity.done and (activity.actual_start is not None or activity.actual_finish is not None):
            first = activity.actual_start if activity.actual_start is not None else activity.actual_finish - activity.duration_days
            start[activity.id] = first
            finish[activity.id] = activity.actual_finish if activity.actual_finish is not None else first + activity.duration_days
        elif activity.done:
            start[activity.id] = max(0, activity.start_no_earlier or 0)
            finish[activity.id] = start[activity.id] + activity.duration_days
        elif activity.actual_start is not None:
            start[activity.id] = activity.actual_start
            finish[activity.id] = max(activity.actual_start + activity.duration_days, status + _remaining(activity))
        else:
            start[activity.id] = max(0, status, activity.start_no_earlier or 0)
            finish[activity.id] = start[activity.id] + activity.duration_days
    by_id = {activity.id: activity for activity in leaves}
    changed = True
    while changed:
        changed = False
        for link in network.links:
            for pred in _leaves_of(network, link.pred):
                for succ in _leaves_of(network, link.succ):
                    activity = by_id[succ]
                    if activity.done and (activity.actual_start is not None or activity.actual_finish is not None):
                        continue
                    in_progress = activity.actual_start is not None and not activity.done
                    length = finish[succ] - start[succ]
                    if link.type in ("FS", "SS"):
                        if in_progress:
                            continue
                        bound = (finish[pred] if link.type == "FS" else start[pred]) + link.lag_days
                        if bound > start[succ]:
                            start[succ], finish[succ] = bound, bound + length
                            changed = True
                    else:
                        bound = (finish[pred] if link.type == "FF" else start[pred]) + link.lag_days
                        if bound > finish[succ]:
                            if in_progress:
                                finish[succ] = bound
                            else:
                                start[succ], finish[succ] = bound - length, bound
                            changed = True
    return max(finish.values(), default=0)


# -- small examples ------------------------------------------------------------------------


def test_two_tasks_of_one_person_run_one_after_the_other() -> None:
    network = Network([Activity(1, 3, demands=((7, 1.0),)), Activity(2, 2, demands=((7, 1.0),))])
    result = level(network, {7: 1.0})
    assert result.makespan == 5
    assert sorted((result.starts[1], result.starts[2])) in ([0, 3], [0, 2])
    assert_feasible(network, {7: 1.0}, result)


def test_without_conflicts_leveling_keeps_the_early_dates() -> None:
    network = Network(
        [Activity(1, 3, demands=((1, 1.0),)), Activity(2, 2, demands=((2, 1.0),)), Activity(3, 1, demands=((1, 1.0),))],
        [Link(1, 3), Link(2, 3, "SS", 1)],
    )
    result = level(network, {1: 1.0, 2: 1.0})
    assert result.starts == {1: 0, 2: 0, 3: 3}
    assert result.makespan == 4 == result.lower_bound


def test_a_vacation_day_is_respected() -> None:
    network = Network([Activity(1, 3, demands=((5, 1.0),))])
    capacities = {5: Capacity(1.0, {2: 0.0, 3: 0.0})}
    result = level(network, capacities)
    assert result.starts[1] == 4  # days 0-1 are too short a window, 2-3 are off
    assert_feasible(network, capacities, result)


def test_a_callable_capacity_per_day_is_respected() -> None:
    network = Network([Activity(n, 1, demands=((1, 1.0),)) for n in range(1, 7)])
    capacities = {1: lambda day: 2.0 if day % 2 == 0 else 0.0}  # two people, working every other day
    result = level(network, capacities)
    assert_feasible(network, capacities, result)
    assert sorted(result.starts.values()) == [0, 0, 2, 2, 4, 4]
    assert result.makespan == 5


def test_a_reservation_leaves_a_fraction_of_capacity() -> None:
    network = Network([Activity(1, 2, demands=((1, 0.5),)), Activity(2, 2, demands=((1, 0.5),)),
                       Activity(3, 2, demands=((1, 0.3),))])
    capacities = {1: 0.8}  # 20 % kept for a stream
    result = level(network, capacities)
    assert_feasible(network, capacities, result)
    assert result.makespan == 4


def test_fractional_units_that_exactly_fill_a_day_fit_together() -> None:
    network = Network([Activity(n, 2, demands=((1, 0.25),)) for n in range(1, 5)])
    result = level(network, {1: 1.0})
    assert result.makespan == 2


def test_done_tasks_keep_their_dates_and_use_capacity_where_they_lie() -> None:
    network = Network(
        [Activity(1, 4, done=True, actual_start=0, actual_finish=4, demands=((1, 1.0),)),
         Activity(2, 2, demands=((1, 1.0),))],
        status_offset=0,
    )
    result = level(network, {1: 1.0})
    assert (result.starts[1], result.finishes[1]) == (0, 4)
    assert result.starts[2] == 4
    assert_feasible(network, {1: 1.0}, result)


def test_work_in_progress_keeps_its_start_and_levels_its_remaining_days() -> None:
    network = Network(
        [Activity(1, 5, actual_start=1, remaining_days=2, demands=((1, 1.0),)),
         Activity(2, 3, demands=((1, 1.0),)),
         Activity(3, 1)],
        [Link(1, 3)],
        status_offset=4,
    )
    result = level(network, {1: 1.0})
    assert result.starts[1] == 1
    assert_feasible(network, {1: 1.0}, result)
    assert result.makespan == 9  # 2 remaining + 3 of task 2 from day 4 on


def test_a_milestone_demands_nothing() -> None:
    network = Network([Activity(1, 2, demands=((1, 1.0),)), Activity(2, 0, demands=((1, 5.0),))], [Link(1, 2)])
    result = level(network, {1: 1.0})
    assert (result.starts[2], result.finishes[2]) == (2, 2)


def test_start_no_earlier_and_status_are_floors() -> None:
    network = Network([Activity(1, 2, start_no_earlier=6, demands=((1, 1.0),)), Activity(2, 2, demands=((1, 1.0),))],
                      status_offset=3)
    result = level(network, {1: 1.0})
    assert result.starts[1] >= 6 and result.starts[2] >= 3
    assert_feasible(network, {1: 1.0}, result)


def test_links_into_a_summary_bind_all_its_leaves() -> None:
    network = Network(
        [Activity(10, 0, is_summary=True), Activity(1, 3, parent=10, demands=((1, 1.0),)),
         Activity(2, 2, parent=10, demands=((1, 1.0),)), Activity(3, 2, demands=((1, 1.0),)), Activity(4, 1)],
        [Link(10, 4), Link(3, 10, "SS", 1)],
    )
    result = level(network, {1: 1.0})
    assert_feasible(network, {1: 1.0}, result)
    assert result.starts[10] == min(result.starts[1], result.starts[2])
    assert result.finishes[10] == max(result.finishes[1], result.finishes[2])
    assert result.starts[4] >= result.finishes[10]


def test_generalised_links_and_lags_hold() -> None:
    network = Network(
        [Activity(1, 4, demands=((1, 1.0),)), Activity(2, 2, demands=((1, 1.0),)), Activity(3, 3, demands=((1, 1.0),)),
         Activity(4, 2, demands=((1, 1.0),))],
        [Link(1, 2, "FF", 1), Link(1, 3, "SF", 2), Link(2, 4, "SS", -1), Link(3, 4, "FS", -2)],
    )
    result = level(network, {1: 1.0})
    assert_feasible(network, {1: 1.0}, result)
    assert result.makespan == 11


def test_resources_without_a_capacity_are_not_constrained() -> None:
    network = Network([Activity(1, 3, demands=((9, 4.0),)), Activity(2, 3, demands=((9, 4.0),))])
    assert level(network, {}).makespan == 3


def test_the_same_seed_gives_the_same_schedule() -> None:
    instance = parse_sm((DATA / "j3013_1.sm").read_text())
    network, capacities = psplib_network(instance)
    first = level(network, capacities, seed=7, iterations=400)
    second = level(network, capacities, seed=7, iterations=400)
    assert first == second


def test_a_zero_time_budget_still_gives_a_feasible_schedule() -> None:
    instance = parse_sm((DATA / "j3045_2.sm").read_text())
    network, capacities = psplib_network(instance)
    result = level(network, capacities, time_budget_s=0.0)
    assert 1 <= result.schedules < 20  # the first list and its forward-backward improvement
    assert_psplib_feasible(instance, result.starts)


def test_an_iteration_budget_is_kept() -> None:
    instance = parse_sm((DATA / "j3013_1.sm").read_text())
    network, capacities = psplib_network(instance)
    assert level(network, capacities, iterations=1).schedules == 1
    assert level(network, capacities, iterations=250).schedules <= 250


def test_an_empty_network_levels_to_nothing() -> None:
    result = level(Network([]), {})
    assert (result.starts, result.finishes, result.makespan) == ({}, {}, 0)


def test_default_budget_shrinks_for_large_networks() -> None:
    assert default_iterations(30) >= default_iterations(60) >= default_iterations(1000) >= default_iterations(100_000) > 0


# -- refusals --------------------------------------------------------------------------------


def test_a_demand_above_a_constant_capacity_names_task_and_resource() -> None:
    network = Network([Activity(1, 1), Activity(42, 2, demands=((3, 2.0),))])
    with pytest.raises(InvalidInputError, match=r"task #42 needs 2 units of resource #3 per day, but its capacity is 1"):
        level(network, {3: 1.0})


def test_a_demand_that_never_fits_a_daily_capacity_is_refused_not_looped() -> None:
    network = Network([Activity(5, 2, demands=((8, 1.0),))])
    with pytest.raises(InvalidInputError, match=r"task #5 needs 1 units of resource #8 per day for 2 consecutive days"):
        level(network, {8: lambda day: 1.0 if day % 2 else 0.0})  # never two days in a row


def test_a_resource_on_leave_forever_is_refused() -> None:
    network = Network([Activity(5, 1, demands=((8, 1.0),))])
    with pytest.raises(InvalidInputError, match=r"task #5 .*resource #8"):
        level(network, {8: Capacity(1.0, {day: 0.0 for day in range(0, 100_000)})})


def test_a_dependency_cycle_is_refused() -> None:
    network = Network([Activity(1, 1), Activity(2, 1)], [Link(1, 2), Link(2, 1)])
    with pytest.raises(CycleError):
        level(network, {})


def test_an_unknown_link_type_is_refused() -> None:
    network = Network([Activity(1, 1), Activity(2, 1)], [Link(1, 2, "XX")])
    with pytest.raises(InvalidInputError, match="unknown link type"):
        level(network, {})


# -- resource-aware late dates ----------------------------------------------------------------


def test_leveled_schedule_marks_the_resource_chain_critical() -> None:
    network = Network([Activity(1, 3, demands=((1, 1.0),)), Activity(2, 2, demands=((1, 1.0),)), Activity(3, 1)])
    schedule = leveled_schedule(network, None, {1: 1.0})
    assert max(item.ef for item in schedule.values()) == 5
    assert schedule[1].critical and schedule[2].critical
    assert schedule[1].slack == schedule[2].slack == 0
    assert schedule[3].slack == 4 and not schedule[3].critical
    for item in schedule.values():
        assert item.ls - item.es == item.slack == item.lf - item.ef


def test_leveled_schedule_shows_negative_slack_against_a_deadline() -> None:
    network = Network([Activity(1, 3, demands=((1, 1.0),)), Activity(2, 2, demands=((1, 1.0),))], project_deadline=4)
    schedule = leveled_schedule(network, None, {1: 1.0})
    assert min(item.slack for item in schedule.values()) == -1


def test_leveled_schedule_without_constrained_resources_is_the_given_cpm_schedule() -> None:
    network = Network([Activity(1, 2), Activity(2, 3)], [Link(1, 2)])
    computed = {1: Scheduled(1, 0, 2, 0, 2, 0, True), 2: Scheduled(2, 2, 5, 2, 5, 0, True)}
    assert leveled_schedule(network, computed, {}) == computed


def test_leveled_schedule_rolls_up_summaries_and_keeps_done_work_fixed() -> None:
    network = Network(
        [Activity(9, 0, is_summary=True), Activity(1, 2, parent=9, demands=((1, 1.0),)),
         Activity(2, 2, parent=9, demands=((1, 1.0),)), Activity(3, 3, done=True, actual_start=0, actual_finish=3,
                                                                 demands=((1, 1.0),)),
         Activity(4, 1, demands=((2, 1.0),))],
        [Link(9, 4)],
    )
    schedule = leveled_schedule(network, None, {1: 1.0, 2: 1.0})
    assert (schedule[3].es, schedule[3].ef, schedule[3].slack, schedule[3].critical) == (0, 3, 0, False)
    assert schedule[9].es == min(schedule[1].es, schedule[2].es) == 3
    assert schedule[9].ef == max(schedule[1].ef, schedule[2].ef) == 7
    assert schedule[4].es == 7 and schedule[4].critical
    assert schedule[9].critical and schedule[9].slack == 0


# -- PSPLIB instances ----------------------------------------------------------------------------


def psplib_network(instance: PsplibInstance) -> tuple[Network, dict[int, float]]:
    """The instance as a network (dummy source and sink dropped) and its capacities."""
    sink = len(instance.jobs)
    jobs = instance.jobs[1:-1]
    activities = [Activity(job.number, job.duration,
                           demands=tuple((r, float(q)) for r, q in enumerate(job.demands) if q)) for job in jobs]
    links = [Link(job.number, successor) for job in jobs for successor in job.successors if successor != sink]
    return Network(activities, links), {r: float(c) for r, c in enumerate(instance.capacities)}


def assert_psplib_feasible(instance: PsplibInstance, starts: dict[int, int]) -> int:
    """Check a schedule against the raw instance; return its makespan."""
    jobs = {job.number: job for job in instance.jobs[1:-1]}
    use = defaultdict(int)
    for number, job in jobs.items():
        for day in range(starts[number], starts[number] + job.duration):
            for resource, units in enumerate(job.demands):
                use[(resource, day)] += units
    for (resource, day), units in use.items():
        assert units <= instance.capacities[resource], (resource, day)
    for number, job in jobs.items():
        assert starts[number] >= 0
        for successor in job.successors:
            if successor in jobs:
                assert starts[successor] >= starts[number] + job.duration
    return max(starts[number] + job.duration for number, job in jobs.items())


OPTIMA = parse_result_table((DATA / "j30opt.sm").read_text())


@pytest.mark.parametrize("name", ["j301_1.sm", "j3013_1.sm", "j3045_2.sm", "j305_3.sm"])
def test_psplib_j30_schedules_are_feasible_and_near_the_optimum(name: str) -> None:
    instance = parse_sm((DATA / name).read_text())
    parameter, number = name[3:-3].split("_")
    optimum = OPTIMA[(int(parameter), int(number))]
    network, capacities = psplib_network(instance)
    result = level(network, capacities)
    makespan = assert_psplib_feasible(instance, result.starts)
    assert makespan == result.makespan
    assert_feasible(network, capacities, result)
    assert instance.mpm_time <= result.lower_bound <= optimum <= makespan
    assert makespan <= optimum * 1.05


# -- properties ----------------------------------------------------------------------------------


@st.composite
def leveling_cases(draw: st.DrawFn, *, with_progress: bool = False, with_summaries: bool = False) -> tuple[Network, dict]:
    """A random acyclic network with demands on two resources, one with days off (and a summary task)."""
    size = draw(st.integers(1, 8))
    ids = draw(st.lists(st.integers(1, 500), min_size=size, max_size=size, unique=True))
    status = draw(st.integers(0, 3)) if with_progress else 0
    activities = []
    for activity_id in ids:
        demands = draw(st.lists(st.tuples(st.sampled_from([1, 2]), st.sampled_from([0.5, 1.0, 2.0])),
                                max_size=2, unique_by=lambda pair: pair[0]))
        activity = Activity(activity_id, draw(st.integers(0, 5)), start_no_earlier=draw(st.none() | st.integers(0, 6)),
                            demands=tuple(demands))
        if with_progress:
            state = draw(st.sampled_from(["planned", "planned", "in_progress", "done", "done_undated"]))
            if state == "done":
                activity.done = True
                activity.actual_start = draw(st.integers(0, 4))
                activity.actual_finish = activity.actual_start + draw(st.integers(0, 4))
            elif state == "done_undated":
                activity.done = True
            elif state == "in_progress":
                activity.actual_start = draw(st.integers(0, 4))
                activity.remaining_days = draw(st.none() | st.integers(0, 4))
        activities.append(activity)
    pairs = draw(st.lists(st.tuples(st.integers(0, size - 1), st.integers(0, size - 1)), max_size=2 * size))
    links = {}
    for first, second in pairs:
        if first < second:
            links[(ids[first], ids[second])] = Link(ids[first], ids[second], draw(st.sampled_from(["FS", "FS", "SS", "FF", "SF"])),
                                                    draw(st.integers(-2, 3)))
    if with_summaries and size >= 2:
        first = draw(st.integers(0, size - 2))
        last = draw(st.integers(first + 1, size - 1))
        summary_id = 1000
        for position in range(first, last + 1):
            activities[position].parent = summary_id
        activities.append(Activity(summary_id, 0, is_summary=True))
        for position in draw(st.lists(st.integers(0, size - 1), max_size=3)):
            kind, lag = draw(st.sampled_from(["FS", "SS", "FF", "SF"])), draw(st.integers(-2, 3))
            if position > last:
                links[(summary_id, ids[position])] = Link(summary_id, ids[position], kind, lag)
            elif position < first:
                links[(ids[position], summary_id)] = Link(ids[position], summary_id, kind, lag)
    days_off = draw(st.sets(st.integers(0, 30), max_size=8))
    capacities = {1: 2.0, 2: Capacity(2.0, {day: draw(st.sampled_from([0.0, 1.0])) for day in sorted(days_off)})}
    return Network(activities, list(links.values()), status_offset=status), capacities


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(leveling_cases(), st.integers(0, 3))
def test_leveling_never_overloads_and_keeps_precedence(case: tuple[Network, dict], seed: int) -> None:
    network, capacities = case
    result = level(network, capacities, seed=seed, iterations=60)
    assert_feasible(network, capacities, result)
    assert result.makespan >= unleveled_finish(network)
    assert result.makespan >= result.lower_bound


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(leveling_cases(with_progress=True, with_summaries=True))
def test_leveling_with_progress_keeps_history_and_floors(case: tuple[Network, dict]) -> None:
    network, capacities = case
    result = level(network, capacities, iterations=40)
    assert_feasible(network, capacities, result)
    assert result.makespan >= unleveled_finish(network)


@settings(max_examples=100, deadline=None)
@given(leveling_cases(with_progress=True, with_summaries=True))
def test_without_capacities_leveling_is_the_critical_path(case: tuple[Network, dict]) -> None:
    network, _capacities = case
    result = level(network, {}, iterations=20)
    assert result.makespan == unleveled_finish(network)


@settings(max_examples=100, deadline=None)
@given(leveling_cases())
def test_leveled_late_dates_never_precede_early_dates_without_deadlines(case: tuple[Network, dict]) -> None:
    network, capacities = case
    schedule = leveled_schedule(network, None, capacities, iterations=30)
    finish = max((item.ef for item in schedule.values()), default=0)
    for item in schedule.values():
        assert item.slack >= 0
        assert item.lf <= finish
