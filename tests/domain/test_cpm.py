"""Critical path method: textbook answers, every link type, progress, summaries, properties."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import HealthCheck, assume, given, settings

from planner.domain.calendar import WorkCalendar
from planner.domain.cpm import (
    compile_network,
    compute_schedule,
    critical_path,
    early_finish_times,
    forward_pass,
)
from planner.domain.errors import CycleError, InvalidInputError
from planner.domain.network import Activity, Link, Network

from .network_strategies import dates, late_dates, leaves_of, link_holds, networks, reference_schedule
from .psplib_data import j30_instances

# -- textbook example 1 ------------------------------------------------------------
# Hillier & Lieberman, "Introduction to Operations Research" (the project-management
# chapter): the Reliable Construction Co. project, durations in weeks. Published
# answer: 44 weeks; critical path START-A-B-C-E-F-J-L-N-FINISH; slack D 4, G 4,
# H 4, I 2, K 1, M 4, all others 0.
RELIABLE = {  # activity: (duration, predecessors)
    "A": (2, ""), "B": (4, "A"), "C": (10, "B"), "D": (6, "C"), "E": (4, "C"),
    "F": (5, "E"), "G": (7, "D"), "H": (9, "EG"), "I": (7, "C"), "J": (8, "FI"),
    "K": (4, "J"), "L": (5, "J"), "M": (2, "H"), "N": (6, "KL"),
}  # fmt: skip
RELIABLE_ES_LS = {
    "A": (0, 0), "B": (2, 2), "C": (6, 6), "D": (16, 20), "E": (16, 16), "F": (20, 20), "G": (22, 26),
    "H": (29, 33), "I": (16, 18), "J": (25, 25), "K": (33, 34), "L": (33, 33), "M": (38, 42), "N": (38, 38),
}  # fmt: skip
LETTER_ID = {letter: number for number, letter in enumerate(RELIABLE, start=1)}
ID_LETTER = {number: letter for letter, number in LETTER_ID.items()}


def reliable_network(**network_options) -> Network:
    """The Reliable Construction network with ids 1 (A) .. 14 (N)."""
    activities = [Activity(LETTER_ID[letter], duration) for letter, (duration, _) in RELIABLE.items()]
    links = [Link(LETTER_ID[pred], LETTER_ID[letter]) for letter, (_, preds) in RELIABLE.items() for pred in preds]
    return Network(activities, links, **network_options)


@pytest.mark.parametrize("letter", list(RELIABLE))
def test_reliable_construction_matches_the_published_early_and_late_starts(letter):
    schedule = compute_schedule(reliable_network())
    record = schedule[LETTER_ID[letter]]
    assert (record.es, record.ls) == RELIABLE_ES_LS[letter]
    assert record.ef == record.es + RELIABLE[letter][0]
    assert record.slack == record.ls - record.es
    assert record.critical == (letter in "ABCEFJLN")


def test_reliable_construction_takes_44_weeks_along_a_b_c_e_f_j_l_n():
    network = reliable_network()
    schedule = compute_schedule(network)
    assert max(record.ef for record in schedule.values()) == 44
    assert [ID_LETTER[i] for i in critical_path(schedule, network)] == list("ABCEFJLN")


def test_a_project_deadline_earlier_than_the_finish_gives_the_critical_path_negative_slack():
    schedule = compute_schedule(reliable_network(project_deadline=40))
    assert {ID_LETTER[i] for i, r in schedule.items() if r.slack == -4} == set("ABCEFJLN")
    assert schedule[LETTER_ID["K"]].slack == -3 and schedule[LETTER_ID["N"]].lf == 40


def test_a_project_deadline_later_than_the_finish_does_not_add_slack():
    # "whichever is earliest": the backward pass starts from the finish (44), not from 50.
    schedule = compute_schedule(reliable_network(project_deadline=50))
    assert schedule[LETTER_ID["N"]].slack == 0 and schedule[LETTER_ID["N"]].lf == 44


# -- textbook example 2: PSPLIB ----------------------------------------------------
# Kolisch & Sprecher, "PSPLIB - a project scheduling problem library", EJOR 96
# (1996). Each instance header states MPM-Time, the critical-path length of the
# precedence network (resources ignored). Instance j301_1 inline; every j30
# instance when the library copy is present.
J301_1_SUCCESSORS = {
    1: (2, 3, 4), 2: (6, 11, 15), 3: (7, 8, 13), 4: (5, 9, 10), 5: (20,), 6: (30,), 7: (27,), 8: (12, 19, 27),
    9: (14,), 10: (16, 25), 11: (20, 26), 12: (14,), 13: (17, 18), 14: (17,), 15: (25,), 16: (21, 22),
    17: (22,), 18: (20, 22), 19: (24, 29), 20: (23, 25), 21: (28,), 22: (23,), 23: (24,), 24: (30,),
    25: (30,), 26: (31,), 27: (28,), 28: (31,), 29: (32,), 30: (32,), 31: (32,), 32: (),
}  # fmt: skip
J301_1_DURATIONS = [0, 8, 4, 6, 3, 8, 5, 9, 2, 7, 9, 2, 6, 3, 9, 10, 6, 5, 3, 7, 2, 7, 2, 3, 3, 7, 8, 3, 7, 2, 2, 0]


def psplib_network(successors: dict[int, tuple[int, ...]], durations: list[int]) -> Network:
    """A PSPLIB instance as a network of FS links (jobs numbered from 1)."""
    activities = [Activity(job, durations[job - 1]) for job in successors]
    links = [Link(job, succ) for job, succs in successors.items() for succ in succs]
    return Network(activities, links)


def parse_psplib(text: str) -> tuple[Network, int]:
    """A ``.sm`` file's precedence network and its stated MPM-Time."""
    lines = text.splitlines()
    info = lines[lines.index(next(line for line in lines if line.startswith("PROJECT INFORMATION"))) + 2]
    mpm_time = int(info.split()[-1])
    successors: dict[int, tuple[int, ...]] = {}
    durations: dict[int, int] = {}
    section = None
    for line in lines:
        if line.startswith("PRECEDENCE RELATIONS"):
            section = "precedence"
        elif line.startswith("REQUESTS/DURATIONS"):
            section = "durations"
        elif line.startswith("*") or not re.match(r"^\s*\d", line):
            section = section if not line.startswith("*") else None
        elif section == "precedence":
            numbers = [int(value) for value in line.split()]
            successors[numbers[0]] = tuple(numbers[3:])
        elif section == "durations":
            numbers = [int(value) for value in line.split()]
            durations[numbers[0]] = numbers[2]
    return psplib_network(successors, [durations[job] for job in sorted(durations)]), mpm_time


def test_psplib_j301_1_critical_path_length_is_its_published_mpm_time_38():
    schedule = compute_schedule(psplib_network(J301_1_SUCCESSORS, J301_1_DURATIONS))
    assert schedule[32].ef == 38
    assert schedule[1].critical and schedule[32].critical


def test_every_psplib_j30_instance_has_its_published_mpm_time():
    mismatches, checked = [], 0
    for name, text in j30_instances():
        network, mpm_time = parse_psplib(text)
        finish = max(record.ef for record in compute_schedule(network).values())
        if finish != mpm_time:
            mismatches.append((name, finish, mpm_time))
        checked += 1
    assert checked == 480 and mismatches == []


# -- link types and lags -----------------------------------------------------------
# A (5 days) precedes B (3 days); B's early dates by hand from DESIGN.md's rules.
@pytest.mark.parametrize(
    ("link_type", "lag", "b_start", "b_finish"),
    [
        ("FS", 0, 5, 8), ("FS", 2, 7, 10), ("FS", -2, 3, 6), ("FS", -7, 0, 3),
        ("SS", 0, 0, 3), ("SS", 3, 3, 6), ("SS", -1, 0, 3),
        ("FF", 0, 2, 5), ("FF", 2, 4, 7), ("FF", -4, 0, 3),
        ("SF", 0, 0, 3), ("SF", 6, 3, 6), ("SF", -2, 0, 3),
    ],
)  # fmt: skip
def test_each_link_type_with_lags_and_leads(link_type, lag, b_start, b_finish):
    network = Network([Activity(1, 5), Activity(2, 3)], [Link(1, 2, link_type, lag)])
    schedule = compute_schedule(network)
    assert (schedule[1].es, schedule[1].ef) == (0, 5)
    assert (schedule[2].es, schedule[2].ef) == (b_start, b_finish)
    assert link_holds(network.links[0], dates(schedule[1]), dates(schedule[2]))
    assert link_holds(network.links[0], late_dates(schedule[1]), late_dates(schedule[2]))


# A (a days) precedes B (3 days); late starts by hand: B's late finish is the
# project finish, A's is bounded by it and by B's late dates through the link.
@pytest.mark.parametrize(
    ("a_days", "link_type", "lag", "a_late_start", "b_late_start"),
    [
        (5, "FS", 0, 0, 5), (5, "FS", 3, 0, 8), (1, "FS", -1, 0, 0),
        (5, "SS", 1, 0, 2), (1, "SS", 2, 0, 2),
        (5, "FF", -2, 0, 2), (1, "FF", 0, 2, 0),
        (5, "SF", 2, 0, 2), (1, "SF", 4, 0, 1),
    ],
)  # fmt: skip
def test_backward_pass_through_each_link_type(a_days, link_type, lag, a_late_start, b_late_start):
    schedule = compute_schedule(Network([Activity(1, a_days), Activity(2, 3)], [Link(1, 2, link_type, lag)]))
    assert (schedule[1].ls, schedule[2].ls) == (a_late_start, b_late_start)
    assert all(record.ls >= record.es for record in schedule.values())


def test_ss_link_late_start_is_bounded_by_the_successors_late_start():
    # A(2) -SS+1-> B(6): B runs 1..7 and sets the finish, so A may start no later than day 0.
    schedule = compute_schedule(Network([Activity(1, 2), Activity(2, 6)], [Link(1, 2, "SS", 1)]))
    assert (schedule[2].es, schedule[2].ef) == (1, 7)
    assert (schedule[1].ls, schedule[1].lf, schedule[1].critical) == (0, 2, True)


def test_sf_link_late_finish_is_bounded_by_the_successors_late_finish():
    # A(2) -SF+4-> B(1): B finishes at 4 or later (runs 3..4); A may start as late as B's lf - 4 = 0.
    schedule = compute_schedule(Network([Activity(1, 2), Activity(2, 1)], [Link(1, 2, "SF", 4)]))
    assert (schedule[2].es, schedule[2].ef) == (3, 4)
    assert (schedule[1].ls, schedule[1].slack) == (0, 0)


def test_parallel_links_all_apply():
    network = Network(
        [Activity(1, 4), Activity(2, 2), Activity(3, 3)],
        [Link(1, 3, "SS", 2), Link(2, 3, "FF", 4), Link(1, 3, "FS", -3)],
    )
    schedule = compute_schedule(network)
    # SS: >= 2; FF: finish >= 6 -> start >= 3; FS-3: >= 1
    assert (schedule[3].es, schedule[3].ef) == (3, 6)


# -- calendars: weekends and holidays ------------------------------------------------


def test_offsets_become_dates_across_a_weekend_and_christmas_holidays():
    calendar = WorkCalendar(holiday_country="DE")
    start = date(2024, 12, 16)  # a Monday
    network = Network(
        [Activity(1, 5), Activity(2, 3), Activity(3, 0)],
        [Link(1, 2, "FS", 2), Link(2, 3)],
    )
    schedule = compute_schedule(network)
    assert calendar.date_of(start, schedule[2].es) == date(2024, 12, 27)  # 25/26 Dec are holidays
    assert calendar.finish_date(start, schedule[2].ef) == date(2024, 12, 31)
    assert calendar.date_of(start, schedule[3].es) == date(2025, 1, 2)  # New Year's Day is off


def test_start_no_earlier_on_a_weekend_rolls_to_monday():
    calendar = WorkCalendar()
    start = date(2025, 3, 3)  # Monday
    bound = calendar.offset_of(start, date(2025, 3, 8))  # a Saturday
    schedule = compute_schedule(Network([Activity(1, 2, start_no_earlier=bound)]))
    assert calendar.date_of(start, schedule[1].es) == date(2025, 3, 10)


def test_a_due_date_before_the_early_finish_gives_negative_slack():
    calendar = WorkCalendar(holiday_country="US")
    start = date(2025, 6, 30)  # Monday; 4 July 2025 (Friday) is a holiday
    due = calendar.due_offset(start, date(2025, 7, 4))  # end of Friday: Mon..Thu = 4 working days
    assert due == 4
    network = Network([Activity(1, 3), Activity(2, 3, deadline=due)], [Link(1, 2)])
    schedule = compute_schedule(network)
    assert (schedule[2].ef, schedule[2].lf, schedule[2].slack) == (6, 4, -2)
    assert schedule[1].slack == -2 and schedule[1].critical


# -- bounds, deadlines and progress ----------------------------------------------------


def test_start_no_earlier_delays_a_task_and_its_successors():
    network = Network([Activity(1, 2), Activity(2, 3, start_no_earlier=4), Activity(3, 1)], [Link(1, 2), Link(2, 3)])
    schedule = compute_schedule(network)
    assert [dates(schedule[i]) for i in (1, 2, 3)] == [(0, 2), (4, 7), (7, 8)]
    assert schedule[1].slack == 2 and schedule[2].slack == 0


def test_own_deadline_tighter_than_the_project_finish_only_affects_its_chain():
    network = Network([Activity(1, 5), Activity(2, 2, deadline=1), Activity(3, 8)], [Link(1, 3)])
    schedule = compute_schedule(network)
    assert schedule[2].slack == -1 and schedule[2].critical
    assert schedule[1].slack == 0 and schedule[3].slack == 0


def test_done_task_is_fixed_at_its_actual_dates_and_not_critical():
    network = Network(
        [Activity(1, 5, done=True, actual_start=1, actual_finish=3), Activity(2, 2)],
        [Link(1, 2)],
        status_offset=3,
    )
    schedule = compute_schedule(network)
    assert dates(schedule[1]) == (1, 3) and late_dates(schedule[1]) == (1, 3)
    assert schedule[1].slack == 0 and not schedule[1].critical
    assert dates(schedule[2]) == (3, 5) and schedule[2].critical


@pytest.mark.parametrize(
    ("actual_start", "duration", "remaining", "status", "finish"),
    [
        (0, 5, None, 2, 7),  # remaining defaults to the duration, counted from the status date
        (0, 5, 1, 2, 5),  # little left: the planned finish still holds
        (1, 4, 3, 4, 7),  # late: finish = status + remaining
        (0, 4, 0, 6, 6),  # nothing left yet not done: it finishes at the status date
    ],
)  # fmt: skip
def test_in_progress_task_keeps_its_start_and_schedules_the_remaining_work(
    actual_start, duration, remaining, status, finish
):
    network = Network(
        [Activity(1, duration, actual_start=actual_start, remaining_days=remaining), Activity(2, 1)],
        [Link(1, 2)],
        status_offset=status,
    )
    schedule = compute_schedule(network)
    assert dates(schedule[1]) == (actual_start, finish)
    assert schedule[2].es == max(finish, status)


def test_unstarted_work_is_never_scheduled_before_the_status_date():
    activities = [Activity(1, 2), Activity(2, 3, start_no_earlier=1), Activity(3, 1)]
    network = Network(activities, [Link(1, 3)], status_offset=4)
    schedule = compute_schedule(network)
    assert [schedule[i].es for i in (1, 2, 3)] == [4, 4, 6]


def test_a_project_starting_in_the_future_is_untouched_by_the_status_date():
    schedule = compute_schedule(Network([Activity(1, 2)], status_offset=-10))
    assert dates(schedule[1]) == (0, 2)


def test_in_progress_task_ignores_start_links_but_honours_finish_links():
    network = Network(
        [Activity(1, 6), Activity(2, 2, actual_start=0), Activity(3, 6)],
        [Link(1, 2, "FS"), Link(3, 2, "FF", 1)],
        status_offset=1,
    )
    schedule = compute_schedule(network)
    assert dates(schedule[2]) == (0, 8)  # 3 runs 1..7 from the status date; FF+1; the FS link is history


def test_done_task_without_dates_is_placed_by_its_links_before_the_status_date():
    network = Network([Activity(1, 2), Activity(2, 1, done=True), Activity(3, 1)], [Link(1, 2)], status_offset=5)
    schedule = compute_schedule(network)
    assert dates(schedule[2]) == (7, 8)  # after its (unfinished) predecessor, which the status date moved
    assert not schedule[2].critical


# -- milestones and summaries --------------------------------------------------------


def test_milestone_has_zero_duration_and_sits_at_its_predecessors_finish():
    network = Network([Activity(1, 3), Activity(2, 4), Activity(9, 0)], [Link(1, 9), Link(2, 9)])
    schedule = compute_schedule(network)
    assert dates(schedule[9]) == (4, 4) and schedule[9].critical
    assert schedule[1].slack == 1


def _phased_network() -> Network:
    """Design (10) = {spec 11 (3d) -> review 12 (2d)}; Build (20) = {code 21 (4d), docs 22 (1d)}; Design -> Build."""
    return Network(
        [
            Activity(10, duration_days=99, is_summary=True), Activity(11, 3, parent=10), Activity(12, 2, parent=10),
            Activity(20, duration_days=99), Activity(21, 4, parent=20), Activity(22, 1, parent=20),
            Activity(30, 0),
        ],  # fmt: skip
        [Link(11, 12), Link(10, 20), Link(20, 30)],
    )


def test_summary_spans_its_children_and_links_apply_to_every_leaf():
    schedule = compute_schedule(_phased_network())
    assert dates(schedule[10]) == (0, 5)
    assert dates(schedule[21]) == (5, 9) and dates(schedule[22]) == (5, 6)
    assert dates(schedule[20]) == (5, 9) and dates(schedule[30]) == (9, 9)
    assert schedule[22].slack == 3 and schedule[20].slack == 0 and schedule[20].critical
    assert critical_path(schedule, _phased_network()) == [11, 12, 21, 30]


def test_summary_start_no_earlier_and_deadline_reach_its_leaves():
    network = _phased_network()
    network.activities[3].start_no_earlier = 7  # Build may not start before day 7
    network.activities[0].deadline = 4  # Design is due at 4
    schedule = compute_schedule(network)
    assert schedule[21].es == 7 and schedule[22].es == 7
    assert schedule[12].lf == 4 and schedule[12].slack == -1 and schedule[10].slack == -1


def test_links_out_of_a_summary_use_all_its_leaves_for_ss_and_ff():
    network = Network(
        [Activity(1, is_summary=True), Activity(2, 2, parent=1), Activity(3, 4, parent=1, start_no_earlier=1),
         Activity(4, 1), Activity(5, 1)],
        [Link(1, 4, "SS", 1), Link(1, 5, "FF", 0)],
    )  # fmt: skip
    schedule = compute_schedule(network)
    assert schedule[4].es == 2  # after every leaf started (the latest start is 1) + 1
    assert schedule[5].ef == 5  # finishes with the last leaf


def test_nested_summaries_roll_up():
    network = Network(
        [Activity(1), Activity(2, parent=1), Activity(3, 2, parent=2), Activity(4, 5, parent=1), Activity(5, 1)],
        [Link(5, 2)],
    )
    schedule = compute_schedule(network)
    assert dates(schedule[3]) == (1, 3) and dates(schedule[2]) == (1, 3) and dates(schedule[1]) == (0, 5)


def test_empty_summary_is_a_zero_length_marker():
    schedule = compute_schedule(Network([Activity(1, 3), Activity(2, 7, is_summary=True)], [Link(1, 2)]))
    assert dates(schedule[2]) == (3, 3)


def test_linking_a_summary_to_its_own_subtask_is_refused():
    network = _phased_network()
    network.links.append(Link(12, 10, "FS"))
    with pytest.raises(CycleError, match="#10 cannot be linked to its own subtask #12"):
        compute_schedule(network)


def test_summaries_containing_each_other_are_refused():
    with pytest.raises(CycleError, match="contain each other"):
        compute_schedule(Network([Activity(1, parent=2), Activity(2, parent=1), Activity(3, parent=1)]))


def test_done_summary_children_are_not_critical_and_do_not_set_summary_slack():
    network = Network(
        [Activity(1), Activity(2, 2, parent=1, done=True, actual_start=0, actual_finish=2), Activity(3, 3, parent=1)],
        [Link(2, 3)],
    )
    schedule = compute_schedule(network)
    assert not schedule[2].critical and schedule[1].critical and schedule[1].slack == 0


# -- errors -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("links", "cycle"),
    [
        ([Link(1, 2), Link(2, 3), Link(3, 1)], (1, 2, 3)),
        ([Link(1, 2), Link(2, 3, "SS", 2), Link(3, 2, "FF", -1)], (2, 3)),
        ([Link(3, 3, "SF")], (3,)),
        ([Link(3, 3)], (3,)),
    ],
)
def test_a_cycle_raises_cycle_error_naming_its_tasks(links, cycle):
    with pytest.raises(CycleError) as raised:
        compute_schedule(Network([Activity(1), Activity(2), Activity(3)], links))
    assert raised.value.cycle == cycle
    assert "#" + str(cycle[0]) in str(raised.value)


def test_a_cycle_through_a_summary_names_the_summary():
    network = Network([Activity(1), Activity(2, parent=1), Activity(3)], [Link(1, 3), Link(3, 2)])
    with pytest.raises(CycleError) as raised:
        compute_schedule(network)
    assert raised.value.cycle == (1, 3, 2)  # 2 ends summary 1, which precedes 3, which precedes 2


@pytest.mark.parametrize(
    ("network", "message"),
    [
        (Network([Activity(1)], [Link(1, 7)]), "#7, which is not in the network"),
        (Network([Activity(1), Activity(2)], [Link(1, 2, "XX")]), "unknown link type 'XX'"),
        (Network([Activity(1), Activity(1)]), "#1 appears twice"),
        (Network([Activity(1, -2)]), "negative duration"),
        (Network([Activity(1, 2, done=True, actual_start=5, actual_finish=3)]), "finishes .* before it starts"),
    ],
)
def test_malformed_networks_are_refused_with_a_clear_message(network, message):
    with pytest.raises(InvalidInputError, match=message):
        compute_schedule(network)


def test_empty_network_has_an_empty_schedule():
    assert compute_schedule(Network([])) == {}
    assert critical_path({}, Network([])) == []


# -- the compiled forward pass -------------------------------------------------------


def test_forward_pass_with_other_durations_reuses_the_compiled_network():
    compiled = compile_network(reliable_network())
    planned = early_finish_times(compiled, compiled.durations_days)
    assert max(planned) == 44
    longer = list(compiled.durations_days)
    longer[compiled.index_of[LETTER_ID["I"]]] += 3  # I had 2 weeks of slack
    assert max(early_finish_times(compiled, longer)) == 45
    assert forward_pass(compiled)[1] == planned


# -- properties ---------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(networks())
def test_every_link_and_bound_holds_in_the_early_and_late_schedules(network):
    schedule = compute_schedule(network)
    finish = max(record.ef for record in schedule.values())
    for link in network.links:
        assert link_holds(link, dates(schedule[link.pred]), dates(schedule[link.succ])), link
        assert link_holds(link, late_dates(schedule[link.pred]), late_dates(schedule[link.succ])), link
    for activity in network.activities:
        record = schedule[activity.id]
        assert record.es >= max(0, activity.start_no_earlier or 0)
        assert record.ef - record.es == activity.duration_days == record.lf - record.ls
        # no deadline is tighter than the project finish here, so nothing is late
        assert record.ls >= record.es and record.lf <= finish and record.slack >= 0


@settings(max_examples=300, deadline=None)
@given(networks(with_progress=True, with_deadlines=True))
def test_schedule_equals_a_plain_fixed_point_relaxation(network):
    schedule = compute_schedule(network)
    reference = reference_schedule(network)
    for activity_id, early in reference.early.items():
        assert dates(schedule[activity_id]) == early
        assert late_dates(schedule[activity_id]) == reference.late[activity_id]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(networks(with_summaries=True, with_deadlines=True, with_progress=True))
def test_summary_links_schedule_like_links_to_every_leaf(network):
    try:
        schedule = compute_schedule(network)
    except CycleError:
        assume(False)
        return
    reference = reference_schedule(network)
    for activity_id, early in reference.early.items():
        assert dates(schedule[activity_id]) == early
        assert late_dates(schedule[activity_id]) == reference.late[activity_id]
    leaves = leaves_of(network)
    for activity in network.activities:
        if leaves[activity.id] != [activity.id]:
            parts = [schedule[leaf] for leaf in leaves[activity.id]]
            assert schedule[activity.id].es == min(part.es for part in parts)
            assert schedule[activity.id].ef == max(part.ef for part in parts)


@settings(max_examples=300, deadline=None)
@given(networks())
def test_the_critical_path_runs_from_a_start_to_the_finish_along_driving_links(network):
    schedule = compute_schedule(network)
    path = critical_path(schedule, network)
    finish = max(record.ef for record in schedule.values())
    assert path, "a network with unfinished work has a critical path"
    assert schedule[path[-1]].ef == finish
    assert all(schedule[activity_id].critical for activity_id in path)
    by_id = {activity.id: activity for activity in network.activities}
    first = by_id[path[0]]
    assert schedule[first.id].es == max(0, first.start_no_earlier or 0) or not any(
        link.succ == first.id and _drives(link, schedule) for link in network.links
    )
    for pred, succ in zip(path, path[1:]):
        assert any(link.pred == pred and link.succ == succ and _drives(link, schedule) for link in network.links)


def _drives(link: Link, schedule) -> bool:
    """Whether the link holds with equality in the early schedule."""
    pred, succ = schedule[link.pred], schedule[link.succ]
    value = {"FS": pred.ef, "SS": pred.es, "FF": pred.ef, "SF": pred.es}[link.type] + link.lag_days
    return value == (succ.es if link.type in ("FS", "SS") else succ.ef)
