"""Working calendars: weekdays, holidays, exceptions and offset <-> date conversion."""

from __future__ import annotations

import copy
import pickle
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.domain.calendar import WorkCalendar, every_day_calendar
from planner.domain.errors import InvalidInputError

MONDAY = date(2025, 3, 3)


def _naive_offset(calendar: WorkCalendar, start: date, day: date) -> int:
    """Working days in [start, day) counted one date at a time (negative when reversed)."""
    step = 1 if day >= start else -1
    first, last = (start, day) if step == 1 else (day, start)
    count = sum(calendar.is_working(first + timedelta(days=n)) for n in range((last - first).days))
    return count * step


@pytest.mark.parametrize(
    ("offset", "expected"),
    [(0, MONDAY), (4, date(2025, 3, 7)), (5, date(2025, 3, 10)), (9, date(2025, 3, 14)), (10, date(2025, 3, 17)),
     (-1, date(2025, 2, 28)), (-5, date(2025, 2, 24))],
)  # fmt: skip
def test_date_of_skips_weekends(offset, expected):
    assert WorkCalendar().date_of(MONDAY, offset) == expected


@pytest.mark.parametrize(
    ("day", "offset"),
    [(MONDAY, 0), (date(2025, 3, 7), 4), (date(2025, 3, 8), 5), (date(2025, 3, 9), 5), (date(2025, 3, 10), 5),
     (date(2025, 3, 1), 0), (date(2025, 2, 28), -1)],
)  # fmt: skip
def test_offset_of_counts_working_days_before_the_date(day, offset):
    assert WorkCalendar().offset_of(MONDAY, day) == offset


def test_a_start_on_a_weekend_counts_from_the_next_working_day():
    calendar = WorkCalendar()
    saturday = date(2025, 3, 8)
    assert calendar.date_of(saturday, 0) == date(2025, 3, 10)
    assert calendar.offset_of(saturday, date(2025, 3, 10)) == 0
    assert calendar.add_working_days(saturday, 1) == date(2025, 3, 11)
    assert calendar.add_working_days(saturday, -1) == date(2025, 3, 7)


@pytest.mark.parametrize(
    ("country", "day"),
    [("DE", date(2024, 12, 25)), ("DE", date(2024, 12, 26)), ("DE", date(2025, 1, 1)),
     ("US", date(2025, 7, 4)), ("US", date(2025, 11, 27)), ("fr", date(2025, 7, 14))],
)  # fmt: skip
def test_country_holidays_are_days_off(country, day):
    calendar = WorkCalendar(holiday_country=country)
    assert day.weekday() < 5 and not calendar.is_working(day) and calendar.is_holiday(day)
    assert WorkCalendar().is_working(day)


def test_holiday_subdivision_adds_regional_holidays():
    epiphany = date(2025, 1, 6)  # a Monday; a holiday in Bavaria, not in Berlin
    assert not WorkCalendar(holiday_country="DE", holiday_subdivision="BY").is_working(epiphany)
    assert WorkCalendar(holiday_country="DE", holiday_subdivision="BE").is_working(epiphany)


def test_exceptions_beat_weekdays_and_holidays():
    vacation, working_saturday, christmas = date(2024, 12, 18), date(2024, 12, 21), date(2024, 12, 25)
    calendar = WorkCalendar(
        holiday_country="DE", exceptions={vacation: False, working_saturday: True, christmas: True}
    )
    assert not calendar.is_working(vacation)
    assert calendar.is_working(working_saturday) and calendar.is_working(christmas)
    start = date(2024, 12, 16)
    worked = [calendar.date_of(start, k) for k in range(6)]
    assert worked == [date(2024, 12, d) for d in (16, 17, 19, 20, 21, 23)]
    assert calendar.offset_of(start, date(2024, 12, 27)) == 8  # 16 17 19 20 21 23 24 25


def test_across_christmas_and_new_year_in_germany():
    calendar = WorkCalendar(holiday_country="DE")
    start = date(2024, 12, 20)  # Friday
    assert [calendar.date_of(start, k) for k in range(5)] == [
        date(2024, 12, 20), date(2024, 12, 23), date(2024, 12, 24), date(2024, 12, 27), date(2024, 12, 30)
    ]  # fmt: skip
    assert calendar.working_days_between(start, date(2025, 1, 3)) == 7  # 20 23 24 27 30 31, 2 Jan
    assert calendar.working_dates(date(2024, 12, 24), date(2025, 1, 3)) == [
        date(2024, 12, 24), date(2024, 12, 27), date(2024, 12, 30), date(2024, 12, 31), date(2025, 1, 2)
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("due", "bound"),
    [(date(2025, 3, 7), 5), (date(2025, 3, 8), 5), (date(2025, 3, 10), 6), (MONDAY, 1), (date(2025, 3, 2), 0)],
)
def test_due_offset_is_the_exclusive_finish_bound_of_work_due_that_day(due, bound):
    assert WorkCalendar().due_offset(MONDAY, due) == bound


@pytest.mark.parametrize(
    ("exclusive_finish", "shown"),
    [(1, MONDAY), (5, date(2025, 3, 7)), (6, date(2025, 3, 10)), (0, MONDAY)],
)
def test_finish_date_is_the_last_working_day_occupied(exclusive_finish, shown):
    assert WorkCalendar().finish_date(MONDAY, exclusive_finish) == shown


def test_add_working_days_and_working_days_between_are_inverse():
    calendar = WorkCalendar(holiday_country="US")
    day = date(2025, 6, 30)
    for count in (0, 1, 4, 5, 30, -3):
        moved = calendar.add_working_days(day, count)
        assert calendar.working_days_between(day, moved) == count


def test_every_day_calendar_counts_calendar_days():
    calendar = every_day_calendar()
    assert calendar.date_of(date(2025, 3, 8), 10) == date(2025, 3, 18)
    assert calendar.offset_of(date(2025, 1, 1), date(2026, 1, 1)) == 365
    assert calendar.is_working(date(2025, 12, 25))


def test_far_offsets_extend_the_horizon_in_both_directions():
    calendar = WorkCalendar(holiday_country="DE")
    far = calendar.date_of(MONDAY, 20_000)
    assert calendar.offset_of(MONDAY, far) == 20_000 and calendar.is_working(far)
    past = calendar.date_of(MONDAY, -5_000)
    assert calendar.offset_of(MONDAY, past) == -5_000 and past.year < 2007
    assert calendar.offset_of(MONDAY, date(2025, 4, 1)) == _naive_offset(calendar, MONDAY, date(2025, 4, 1))


def test_thousands_of_conversions_are_fast():
    import time

    calendar = WorkCalendar(holiday_country="US")
    began = time.perf_counter()
    for offset in range(20_000):
        calendar.offset_of(MONDAY, calendar.date_of(MONDAY, offset % 2_000))
    assert time.perf_counter() - began < 1.0


def test_calendars_compare_and_hash_by_value():
    first = WorkCalendar(working_weekdays={0, 1, 2, 3}, holiday_country="de")
    second = WorkCalendar(working_weekdays=[3, 2, 1, 0], holiday_country="DE")
    assert first == second and hash(first) == hash(second)
    assert first.holiday_country == "DE" and first.working_weekdays == frozenset({0, 1, 2, 3})
    with pytest.raises(AttributeError):
        first.hours_per_day = 4  # type: ignore[misc]


def test_calendars_survive_pickling_and_deep_copies():
    calendar = WorkCalendar(holiday_country="DE", exceptions={date(2025, 3, 8): True})
    calendar.date_of(MONDAY, 10)  # builds the cache
    for copy_of in (pickle.loads(pickle.dumps(calendar)), copy.deepcopy(calendar)):
        assert copy_of == calendar and copy_of.is_working(date(2025, 3, 8))
        assert copy_of.date_of(MONDAY, 10) == calendar.date_of(MONDAY, 10)


def test_exception_keys_given_as_datetimes_count_as_dates():
    calendar = WorkCalendar(exceptions={datetime(2025, 3, 4, 9, 30): False})
    assert not calendar.is_working(date(2025, 3, 4))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"working_weekdays": set()}, "at least one working weekday"),
        ({"working_weekdays": {0, 7}}, r"0 \(Monday\) .. 6 \(Sunday\)"),
        ({"hours_per_day": 0}, "hours per day"),
        ({"hours_per_day": -3}, "hours per day"),
        ({"hours_per_day": 25}, "hours per day"),
        ({"holiday_country": "XX"}, "unknown holiday country 'XX'"),
        ({"holiday_country": "DE", "holiday_subdivision": "ZZ"}, "unknown holiday country 'DE-ZZ'"),
        ({"holiday_subdivision": "BY"}, "needs a holiday country"),
    ],
)
def test_invalid_calendars_are_refused_with_a_clear_message(options, message):
    with pytest.raises(InvalidInputError, match=message):
        WorkCalendar(**options)


calendars = st.builds(
    WorkCalendar,
    working_weekdays=st.frozensets(st.integers(0, 6), min_size=1),
    exceptions=st.dictionaries(st.dates(date(2024, 1, 1), date(2026, 12, 31)), st.booleans(), max_size=15),
    holiday_country=st.sampled_from([None, "DE", "US"]),
)
dates_near = st.dates(date(2024, 1, 1), date(2026, 12, 31))


@settings(max_examples=200, deadline=None)
@given(calendars, dates_near, dates_near)
def test_offset_of_agrees_with_counting_day_by_day(calendar, start, day):
    assert calendar.offset_of(start, day) == _naive_offset(calendar, start, day)


@settings(max_examples=200, deadline=None)
@given(calendars, dates_near, st.integers(-400, 400))
def test_date_of_and_offset_of_are_inverse(calendar, start, offset):
    day = calendar.date_of(start, offset)
    assert calendar.is_working(day)
    assert calendar.offset_of(start, day) == offset
    assert calendar.due_offset(start, day) == offset + 1
