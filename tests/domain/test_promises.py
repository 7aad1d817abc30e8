"""The earliest finish of effort in a person's free hours, against a brute-force oracle."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.domain.promises import earliest_finish

MONDAY = date(2030, 1, 7)


def _oracle(free: list[float], effort: float) -> tuple[int | None, int | None, int | None]:
    """(start, finish, last full day before the start) by trying every finish day in turn."""
    start = next((index for index, hours in enumerate(free) if hours > 0), None)
    finish = next((day for day in range(len(free)) if sum(free[:day + 1]) >= effort - 1e-9 and start is not None
                   and day >= start), None)
    full_before = [index for index in range(start if start is not None else len(free)) if free[index] == 0]
    return start, finish, full_before[-1] if full_before else None


@settings(max_examples=400)
@given(st.lists(st.sampled_from([0.0, 0.0, 2.0, 4.0, 6.0, 8.0]), max_size=25),
       st.sampled_from([0.5, 1.0, 4.0, 6.0, 8.0, 12.0, 30.0, 60.0]))
def test_earliest_finish_matches_brute_force(free, effort):
    days = [MONDAY + timedelta(days=index) for index in range(len(free))]
    outlook = earliest_finish(zip(days, free), effort)
    start, finish, booked_until = _oracle(free, effort)
    assert outlook.earliest_start == (days[start] if start is not None else None)
    assert outlook.earliest_finish == (days[finish] if finish is not None else None)
    assert outlook.booked_until == (days[booked_until] if booked_until is not None else None)
    if finish is not None:
        assert outlook.meets(days[finish]) and not outlook.meets(days[finish] - timedelta(days=1))
