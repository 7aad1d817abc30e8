"""Dates and durations as people type them, read against a fixed today (Wednesday 2026-11-25)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.domain.dates import (
    add_months, format_hours, format_relative, parse_date, parse_datetime, parse_duration_hours, parse_working_days,
)
from planner.domain.errors import InvalidInputError, PlannerError

TODAY = date(2026, 11, 25)  # a Wednesday
NOW = datetime(2026, 11, 25, 10, 7, 33)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("2026-12-01", date(2026, 12, 1)), ("20261201", date(2026, 12, 1)), ("  2026-12-01 ", date(2026, 12, 1)),
        ("today", TODAY), ("TODAY", TODAY), ("tomorrow", date(2026, 11, 26)), ("yesterday", date(2026, 11, 24)),
        ("eod", TODAY), ("sod", TODAY),
        # weekdays: the next one strictly after today (Taskwarrior), so "wed" on a Wednesday is a week on
        ("fri", date(2026, 11, 27)), ("Friday", date(2026, 11, 27)), ("mon", date(2026, 11, 30)),
        ("wed", date(2026, 12, 2)), ("tue", date(2026, 12, 1)), ("sun", date(2026, 11, 29)),
        ("next monday", date(2026, 11, 30)), ("next wed", date(2026, 12, 2)), ("this wed", TODAY),
        ("this fri", date(2026, 11, 27)), ("last friday", date(2026, 11, 20)), ("last wed", date(2026, 11, 18)),
        ("+3d", date(2026, 11, 28)), ("-1w", date(2026, 11, 18)), ("+2m", date(2027, 1, 25)),
        ("+1y", date(2027, 11, 25)), ("3d", date(2026, 11, 28)), ("+ 3 days", date(2026, 11, 28)),
        ("in 2 weeks", date(2026, 12, 9)), ("in 3 days", date(2026, 11, 28)), ("in a week", date(2026, 12, 2)),
        ("2 days ago", date(2026, 11, 23)), ("a month ago", date(2026, 10, 25)),
        ("2 weeks from now", date(2026, 12, 9)),
        ("eow", date(2026, 11, 29)), ("end of week", date(2026, 11, 29)), ("eoww", date(2026, 11, 27)),
        ("eom", date(2026, 11, 30)), ("eoy", date(2026, 12, 31)),
        ("sow", date(2026, 11, 30)), ("som", date(2026, 12, 1)), ("soy", date(2027, 1, 1)),
        ("next week", date(2026, 11, 30)), ("next month", date(2026, 12, 1)), ("next year", date(2027, 1, 1)),
        ("last week", date(2026, 11, 16)), ("last month", date(2026, 10, 1)),
        ("15th", date(2026, 12, 15)), ("25th", date(2026, 12, 25)), ("30th", date(2026, 11, 30)),
        ("jan", date(2027, 1, 1)), ("december", date(2026, 12, 1)), ("nov", date(2027, 11, 1)),
        ("dec 24", date(2026, 12, 24)), ("24 dec", date(2026, 12, 24)), ("nov 25", TODAY),
        ("nov 24", date(2027, 11, 24)), ("feb 29", date(2028, 2, 29)),
    ],
)  # fmt: skip
def test_parse_date_reads_phrases(phrase, expected):
    assert parse_date(phrase, TODAY) == expected


@pytest.mark.parametrize(
    ("today", "phrase", "expected"),
    [
        (date(2026, 11, 27), "fri", date(2026, 12, 4)),  # a Friday: the next Friday, a week on
        (date(2026, 11, 29), "eow", date(2026, 11, 29)),  # a Sunday: eow is today
        (date(2026, 11, 30), "sow", date(2026, 12, 7)),  # a Monday: sow is next week's Monday
        (date(2026, 11, 28), "eoww", date(2026, 12, 4)),  # a Saturday: next Friday
        (date(2027, 1, 31), "+1m", date(2027, 2, 28)),  # clamped to the month's last day
        (date(2028, 1, 31), "+1m", date(2028, 2, 29)),
        (date(2028, 2, 29), "+1y", date(2029, 2, 28)),
        (date(2026, 12, 15), "som", date(2027, 1, 1)),
        (date(2027, 2, 20), "31st", date(2027, 3, 31)),  # the first month that has a 31st
    ],
)  # fmt: skip
def test_parse_date_edges_of_weeks_and_months(today, phrase, expected):
    assert parse_date(phrase, today) == expected


@pytest.mark.parametrize("junk", ["xyz", "someday-ish", "", "   ", "+3", "fri fri", "2026-02-30", "2026-13-01",
                                  "+99999999d", "+999999y", "in many days", "32nd", "feb 30", "next decade"])
def test_parse_date_refuses_junk_with_examples(junk):
    with pytest.raises(InvalidInputError, match="cannot read date") as caught:
        parse_date(junk, TODAY)
    assert "YYYY-MM-DD" in str(caught.value) or "no such day" in str(caught.value)


def test_a_long_unreadable_date_is_shortened_in_the_message():
    with pytest.raises(InvalidInputError) as caught:
        parse_date("x" * 500, TODAY)
    assert len(str(caught.value)) < 200


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("2026-12-01 14:30", datetime(2026, 12, 1, 14, 30)), ("2026-12-01T14:30", datetime(2026, 12, 1, 14, 30)),
        ("2026-12-01 14:30:15", datetime(2026, 12, 1, 14, 30, 15)), ("today 9:00", datetime(2026, 11, 25, 9)),
        ("14:30", datetime(2026, 11, 25, 14, 30)), ("tomorrow 08:15", datetime(2026, 11, 26, 8, 15)),
        ("fri at 5pm", datetime(2026, 11, 27, 17)), ("fri 12am", datetime(2026, 11, 27, 0)),
        ("12pm", datetime(2026, 11, 25, 12)), ("next monday 9:15", datetime(2026, 11, 30, 9, 15)),
        ("tomorrow", datetime(2026, 11, 26)), ("2026-12-01", datetime(2026, 12, 1)),
        ("now", datetime(2026, 11, 25, 10, 7, 33)), ("+3h", datetime(2026, 11, 25, 13, 7, 33)),
        ("in 90 minutes", datetime(2026, 11, 25, 11, 37, 33)), ("30 min ago", datetime(2026, 11, 25, 9, 37, 33)),
    ],
)  # fmt: skip
def test_parse_datetime_reads_dates_with_times(phrase, expected):
    assert parse_datetime(phrase, NOW) == expected


@pytest.mark.parametrize("junk", ["25:00", "today 9:75", "13pm", "tomorrow at", "xyz 10:00", "2026-12-01 14:30Z"])
def test_parse_datetime_refuses_junk(junk):
    with pytest.raises(InvalidInputError, match="cannot read date"):
        parse_datetime(junk, NOW)


@pytest.mark.parametrize(
    ("day", "expected"),
    [(TODAY, "today"), (date(2026, 11, 26), "tomorrow"), (date(2026, 11, 24), "yesterday"),
     (date(2026, 11, 28), "in 3d"), (date(2026, 11, 23), "2d ago"), (date(2026, 12, 16), "in 3w"),
     (date(2027, 3, 1), "in 3mo"), (date(2028, 12, 1), "in 2y"), (date(2026, 10, 1), "7w ago"),
     (date(2026, 9, 1), "2mo ago")],
)  # fmt: skip
def test_format_relative(day, expected):
    assert format_relative(day, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "hours"),
    [("90m", 1.5), ("3h", 3.0), ("1h30m", 1.5), ("1h 30m", 1.5), ("1.5h", 1.5), (".5h", 0.5), ("2d", 16.0),
     ("1w", 40.0), ("3", 3.0), ("2.25", 2.25), ("1:30", 1.5), ("90min", 1.5), ("2 hours 30 minutes", 2.5),
     ("1d4h", 12.0), ("0", 0.0), ("+3h", 3.0), (" 3H ", 3.0)],
)  # fmt: skip
def test_parse_duration_hours(text, hours):
    assert parse_duration_hours(text) == pytest.approx(hours)


def test_duration_days_follow_the_hours_per_day():
    assert parse_duration_hours("2d", hours_per_day=7.5) == 15.0
    assert parse_duration_hours("1w", hours_per_day=6) == 30.0


@pytest.mark.parametrize("junk", ["-1h", "-3", "lots", "", "h", "1h30", "3x", "1e5", "1" * 400, "nan", "inf"])
def test_parse_duration_hours_refuses_negatives_and_junk(junk):
    with pytest.raises(InvalidInputError, match="duration"):
        parse_duration_hours(junk)


def test_hours_per_day_must_be_positive():
    with pytest.raises(InvalidInputError):
        parse_duration_hours("1d", hours_per_day=0)


@pytest.mark.parametrize(("text", "days"), [("3", 3), ("3d", 3), ("3 days", 3), ("2w", 10), ("1w2d", 7), ("0", 0)])
def test_parse_working_days(text, days):
    assert parse_working_days(text) == days


@pytest.mark.parametrize("junk", ["-2", "1.5", "1.5d", "3h", "soon", ""])
def test_parse_working_days_refuses_fractions_hours_and_junk(junk):
    with pytest.raises(InvalidInputError, match="duration"):
        parse_working_days(junk)


@pytest.mark.parametrize(("hours", "text"), [(1.5, "1h30m"), (0.75, "45m"), (3, "3h"), (0, "0m")])
def test_format_hours(hours, text):
    assert format_hours(hours) == text


def test_add_months_clamps_to_the_last_day():
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert add_months(date(2026, 12, 31), 2) == date(2027, 2, 28)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=40))
def test_random_text_is_a_date_or_a_planner_error(text):
    try:
        assert isinstance(parse_date(text, TODAY), date)
    except PlannerError:
        pass
    try:
        assert isinstance(parse_datetime(text, NOW), datetime)
    except PlannerError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"[+-]?\s?\d{0,9}\s?(d|w|m|y|days|weeks)?|in \d{1,7} (days|weeks|months|years)|\d{1,7} years ago",
                     fullmatch=True))
def test_offset_shaped_text_is_a_date_or_a_planner_error(text):
    try:
        parse_date(text, TODAY)
    except PlannerError:
        pass


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=30), st.from_regex(r"[\d.:]{0,12}\s?(h|m|d|w|min|hours)?(\d{0,4}m)?",
                                                      fullmatch=True)))
def test_random_text_is_a_duration_or_a_planner_error(text):
    try:
        hours = parse_duration_hours(text)
        assert hours >= 0
    except PlannerError:
        pass
    try:
        assert parse_working_days(text) >= 0
    except PlannerError:
        pass


@pytest.mark.parametrize("text", ["9999-12-31", "0001-01-01", "1899-12-31", "2200-01-01", "+200y", "-2000m"])
def test_dates_outside_the_supported_range_are_refused_naming_it(text):
    with pytest.raises(InvalidInputError, match="outside the dates Planner handles .1900-01-01 to 2199-12-31."):
        parse_date(text, TODAY)
    with pytest.raises(InvalidInputError, match="outside the dates"):
        parse_datetime(f"{text} 10:00" if "-" in text[1:] else text, NOW)


def test_the_ends_of_the_range_are_accepted_and_lengths_are_bounded():
    assert parse_date("1900-01-01", TODAY) == date(1900, 1, 1)
    assert parse_date("2199-12-31", TODAY) == date(2199, 12, 31)
    assert parse_working_days("100000") == 100000
    with pytest.raises(InvalidInputError, match="too long"):
        parse_working_days("100001")
    with pytest.raises(InvalidInputError, match="too large"):
        parse_duration_hours("99999999h")
