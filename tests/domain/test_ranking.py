"""The daily queue's ranking: schedule pressure over loudness, overdue growth, pins and the capacity cut."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from planner.domain.errors import InvalidInputError
from planner.domain.ranking import QueueCandidate, RankWeights, rank, score

TODAY = date(2026, 11, 25)
WEIGHTS = RankWeights()


def _task(task_id: int, **fields) -> QueueCandidate:
    fields.setdefault("created", TODAY)
    return QueueCandidate(task_id=task_id, title=f"task {task_id}", project_key="web", **fields)


def _order(candidates, **kwargs) -> list[int]:
    kwargs.setdefault("capacity_hours", 8.0)
    return [entry.task_id for entry in rank(candidates, WEIGHTS, TODAY, **kwargs)]


def test_a_critical_task_outranks_a_loud_task_with_ample_slack():
    critical = _task(1, slack_days=0, critical=True)
    loud = _task(2, priority=3, slack_days=10, created=TODAY - timedelta(days=400))
    assert score(critical, WEIGHTS, TODAY).total > score(loud, WEIGHTS, TODAY).total
    assert _order([loud, critical]) == [1, 2]


def test_less_slack_presses_harder_and_negative_slack_hardest():
    totals = [score(_task(1, slack_days=slack), WEIGHTS, TODAY).total for slack in (12, 8, 3, 0, -2, -30)]
    assert totals == sorted(totals)
    assert totals[0] == 0  # beyond the horizon: no pressure
    assert totals[-1] == score(_task(1, slack_days=-500), WEIGHTS, TODAY).total  # capped
    assert score(_task(1, slack_days=None), WEIGHTS, TODAY).total == 0  # nothing dated downstream


def test_overdue_grows_with_days_overdue_up_to_a_cap():
    totals = [score(_task(1, due=TODAY - timedelta(days=days)), WEIGHTS, TODAY).total for days in (0, 1, 5, 14)]
    assert totals == sorted(totals) and len(set(totals)) == 4
    capped = score(_task(1, due=TODAY - timedelta(days=90)), WEIGHTS, TODAY).total
    assert capped == totals[-1]
    assert _order([_task(1, due=TODAY - timedelta(days=1)), _task(2, due=TODAY - timedelta(days=6)),
                   _task(3, due=TODAY)]) == [2, 1, 3]


def test_due_proximity_fades_but_never_below_a_floor():
    soon, later, far = (score(_task(1, due=TODAY + timedelta(days=d)), WEIGHTS, TODAY).total for d in (1, 7, 60))
    assert soon > later > far > 0


def test_ties_break_by_due_then_id():
    same = [_task(5), _task(3), _task(4, due=TODAY + timedelta(days=40)), _task(2, due=TODAY + timedelta(days=30))]
    # 30 and 40 days out both sit on the due floor: equal scores, so the earlier due comes first
    assert _order(same) == [2, 4, 3, 5]


def test_pinned_tasks_come_first_in_the_given_order():
    candidates = [_task(1, due=TODAY), _task(2), _task(3, priority=3), _task(4)]
    entries = rank(candidates, WEIGHTS, TODAY, pinned_order=[4, 2, 99, 4], capacity_hours=8)
    assert [e.task_id for e in entries] == [4, 2, 1, 3]
    assert [e.pinned for e in entries] == [True, True, False, False]
    assert [e.position for e in entries] == [1, 2, 3, 4]


def test_the_capacity_cut_moves_when_capacity_shrinks():
    candidates = [_task(1, due=TODAY, estimate_hours=3), _task(2, priority=3, estimate_hours=2),
                  _task(3, priority=2), _task(4, priority=1, estimate_hours=4)]

    def fitting(capacity: float) -> list[int]:
        return [e.task_id for e in rank(candidates, WEIGHTS, TODAY, capacity_hours=capacity) if e.fits]

    assert fitting(10) == [1, 2, 3, 4]
    assert fitting(8) == [1, 2, 3]  # the unestimated task counts the default 1h
    assert fitting(5) == [1, 2]
    assert fitting(2) == []
    assert [e.cumulative_hours for e in rank(candidates, WEIGHTS, TODAY, capacity_hours=8)] == [3, 5, 6, 10]


def test_nothing_fits_after_the_first_task_past_the_cut():
    candidates = [_task(1, due=TODAY, estimate_hours=1), _task(2, priority=3, estimate_hours=6),
                  _task(3, priority=2, estimate_hours=0.5)]
    assert [e.fits for e in rank(candidates, WEIGHTS, TODAY, capacity_hours=4)] == [True, False, False]


def test_the_default_estimate_is_configurable():
    candidates = [_task(1, due=TODAY), _task(2)]
    weights = RankWeights(default_estimate_hours=3)
    assert [e.fits for e in rank(candidates, weights, TODAY, capacity_hours=4)] == [True, False]


def test_every_factor_explains_itself():
    candidate = _task(1, due=TODAY + timedelta(days=2), slack_days=0, critical=True, unblocks=3, priority=2,
                      in_progress=True, created=TODAY - timedelta(days=10))
    scored = score(candidate, WEIGHTS, TODAY)
    reasons = {factor.name: factor.reason_text for factor in scored.factors}
    assert reasons == {
        "due": "due in 2 days", "slack": "no slack: a due date or deadline downstream moves if it slips", "priority": "priority 2 (medium)",
        "unblocks": "unblocks 3 tasks", "in_progress": "already in progress", "age": "waiting 10 days",
    }
    assert scored.total == pytest.approx(sum(factor.contribution for factor in scored.factors))
    assert all(factor.contribution > 0 for factor in scored.factors)
    assert "no slack" in scored.explain()


def test_explanations_for_missing_values():
    scored = score(_task(1, slack_days=-3), WEIGHTS, TODAY)
    reasons = {factor.name: factor.reason_text for factor in scored.factors}
    assert reasons["due"] == "no due date"
    assert "3 working days behind" in reasons["slack"]
    assert reasons["unblocks"] == "blocks nothing"
    overdue = score(_task(2, due=TODAY - timedelta(days=1)), WEIGHTS, TODAY)
    assert overdue.factors[0].reason_text == "overdue by 1 day" and overdue.factors[0].raw_value == -1


def test_weights_from_the_config_mapping():
    weights = RankWeights.from_mapping({"priority": 10, "due-horizon-days": "7", "default_estimate_hours": 0.5})
    assert (weights.priority, weights.due_horizon_days, weights.default_estimate_hours) == (10, 7.0, 0.5)
    assert RankWeights.from_mapping({}) == RankWeights() == RankWeights.from_mapping(None)


@pytest.mark.parametrize(
    ("mapping", "message"),
    [({"urgency": 1}, "unknown ranking weight 'urgency'"), ({"priority": "high"}, "must be a number"),
     ({"due_horizon_days": 0}, "greater than 0"), ({"default_estimate_hours": -1}, "0 or more"),
     ({"priority": float("nan")}, "must be a number"), ({"priority": True}, "must be a number")],
)  # fmt: skip
def test_bad_weights_are_refused(mapping, message):
    with pytest.raises(InvalidInputError, match=message):
        RankWeights.from_mapping(mapping)


def test_a_zero_weight_switches_a_factor_off():
    weights = RankWeights(priority=0)
    assert score(_task(1, priority=3), weights, TODAY).total == 0
