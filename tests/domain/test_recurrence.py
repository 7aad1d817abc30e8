"""Recurrence: phrases to RRULEs, the three policies, month ends, leap days and DST."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.domain.errors import InvalidInputError, PlannerError
from planner.domain.recurrence import (
    first_occurrence, instance_key, next_occurrence, occurrence_datetimes, occurrences_between, parse_org_repeater,
    parse_policy, parse_recurrence, validate_rrule,
)

TODAY = date(2026, 11, 25)  # a Wednesday
EVERY_MONDAY = "FREQ=WEEKLY;BYDAY=MO"


@pytest.mark.parametrize(
    ("phrase", "rule"),
    [
        ("daily", "FREQ=DAILY"), ("every day", "FREQ=DAILY"), ("Weekdays", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"),
        ("every weekday", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"), ("weekly", "FREQ=WEEKLY"),
        ("every monday", "FREQ=WEEKLY;BYDAY=MO"), ("every mon,wed", "FREQ=WEEKLY;BYDAY=MO,WE"),
        ("every wed, mon", "FREQ=WEEKLY;BYDAY=MO,WE"), ("every Monday and Friday", "FREQ=WEEKLY;BYDAY=MO,FR"),
        ("every 2 weeks", "FREQ=WEEKLY;INTERVAL=2"), ("every other week", "FREQ=WEEKLY;INTERVAL=2"),
        ("biweekly", "FREQ=WEEKLY;INTERVAL=2"), ("every 3 days", "FREQ=DAILY;INTERVAL=3"),
        ("weekly on mon and thu", "FREQ=WEEKLY;BYDAY=MO,TH"),
        ("every 2 weeks on fri", "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"),
        ("monthly", "FREQ=MONTHLY"), ("monthly on the 1st", "FREQ=MONTHLY;BYMONTHDAY=1"),
        ("monthly on the 15th", "FREQ=MONTHLY;BYMONTHDAY=15"), ("15th of every month", "FREQ=MONTHLY;BYMONTHDAY=15"),
        ("every 15th", "FREQ=MONTHLY;BYMONTHDAY=15"),
        ("every month on the 31st", "FREQ=MONTHLY;BYMONTHDAY=28,29,30,31;BYSETPOS=-1"),
        ("monthly on the 30th", "FREQ=MONTHLY;BYMONTHDAY=28,29,30;BYSETPOS=-1"),
        ("last friday of the month", "FREQ=MONTHLY;BYDAY=-1FR"),
        ("first monday of each month", "FREQ=MONTHLY;BYDAY=1MO"),
        ("monthly on the second tuesday", "FREQ=MONTHLY;BYDAY=2TU"), ("every last friday", "FREQ=MONTHLY;BYDAY=-1FR"),
        ("the last day of the month", "FREQ=MONTHLY;BYMONTHDAY=-1"), ("end of month", "FREQ=MONTHLY;BYMONTHDAY=-1"),
        ("last working day of the month", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1"),
        ("quarterly", "FREQ=MONTHLY;INTERVAL=3"), ("every 2 months on the 31st",
                                                   "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=28,29,30,31;BYSETPOS=-1"),
        ("yearly", "FREQ=YEARLY"), ("annually", "FREQ=YEARLY"),
        ("every year on feb 29", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=28,29;BYSETPOS=-1"),
        ("yearly on dec 25", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=25"),
        ("every 24 dec", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=24"),
        ("yearly on the last monday of may", "FREQ=YEARLY;BYMONTH=5;BYDAY=-1MO"),
        ("2w", "FREQ=WEEKLY;INTERVAL=2"), ("3d", "FREQ=DAILY;INTERVAL=3"), ("1m", "FREQ=MONTHLY"),
        ("1y", "FREQ=YEARLY"),
        ("+1w", "FREQ=WEEKLY"), ("++1d", "FREQ=DAILY"), (".+2m", "FREQ=MONTHLY;INTERVAL=2"),
        ("RRULE:FREQ=WEEKLY;BYDAY=MO,WE", "FREQ=WEEKLY;BYDAY=MO,WE"),
        ("freq=monthly;bymonthday=-1", "FREQ=MONTHLY;BYMONTHDAY=-1"),
        ("FREQ=DAILY;UNTIL=20271231T000000Z", "FREQ=DAILY;UNTIL=20271231"),
        ("BYDAY=MO;FREQ=WEEKLY;INTERVAL=2;", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"),
    ],
)  # fmt: skip
def test_parse_recurrence_phrases(phrase, rule):
    assert parse_recurrence(phrase) == rule


@pytest.mark.parametrize(
    "junk",
    ["xyz", "", "every", "every 0 days", "monthly on mon", "every year on feb 30", "daily on mon", "every 2nd tuesday",
     "FREQ=HOURLY", "FREQ=DAILY;BYHOUR=9", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "FREQ=WEEKLY;BYDAY=MO;BYSETPOS=3",
     "FREQ=DAILY;COUNT=3;UNTIL=20270101", "DTSTART:20260101\nRRULE:FREQ=DAILY", "FREQ=WEEKLY;BYDAY=XX",
     "FREQ=WEEKLY;BYDAY=2MO", "FREQ=MONTHLY;BYMONTHDAY=0", "FREQ=DAILY;INTERVAL=abc", "FREQ=DAILY;FREQ=DAILY",
     "FREQ=DAILY;UNTIL=20270230", "every 5000 days"],
)  # fmt: skip
def test_parse_recurrence_refuses_junk(junk):
    with pytest.raises(InvalidInputError):
        parse_recurrence(junk)


def test_the_junk_message_shows_accepted_phrases():
    with pytest.raises(InvalidInputError, match="every mon,wed.*monthly on the 15th.*FREQ=WEEKLY"):
        parse_recurrence("whenever I feel like it")


@pytest.mark.parametrize(
    ("text", "policy"),
    [("fixed", "fixed"), ("+", "fixed"), ("catch_up", "catch_up"), ("catch-up", "catch_up"), ("++", "catch_up"),
     ("after_completion", "after_completion"), ("after completion", "after_completion"), (".+", "after_completion"),
     (" Fixed ", "fixed")],
)  # fmt: skip
def test_parse_policy_reads_names_and_org_tokens(text, policy):
    assert parse_policy(text) == policy


def test_unknown_policy_is_refused():
    with pytest.raises(InvalidInputError, match="fixed"):
        parse_policy("sometimes")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("+1w", ("FREQ=WEEKLY", "fixed")), ("++1d", ("FREQ=DAILY", "catch_up")),
     (".+2m", ("FREQ=MONTHLY;INTERVAL=2", "after_completion")), ("+1y", ("FREQ=YEARLY", "fixed"))],
)  # fmt: skip
def test_parse_org_repeater(text, expected):
    assert parse_org_repeater(text) == expected


@pytest.mark.parametrize("junk", ["1w", "+1h", "+w", "..+1d", "+0d"])
def test_parse_org_repeater_refuses_junk(junk):
    with pytest.raises(InvalidInputError):
        parse_org_repeater(junk)


# ---------------------------------------------------------------- policies


def _next(rule: str, policy: str, *, current_due: date, completed_on: date | None = TODAY,
          dtstart: date = date(2026, 11, 2), **kwargs) -> date | None:
    return next_occurrence(rule, policy, dtstart=dtstart, current_due=current_due, completed_on=completed_on,
                           today=TODAY, **kwargs)


def test_fixed_takes_the_next_date_after_the_due_date_so_a_backlog_stays_overdue():
    assert _next(EVERY_MONDAY, "fixed", current_due=date(2026, 11, 9)) == date(2026, 11, 16)


def test_catch_up_takes_the_next_date_after_today():
    assert _next(EVERY_MONDAY, "catch_up", current_due=date(2026, 11, 9)) == date(2026, 11, 30)
    assert _next(EVERY_MONDAY, "++", current_due=date(2026, 12, 7)) == date(2026, 12, 14)  # not due yet: after due


def test_catch_up_done_on_its_day_moves_past_today():
    daily = "FREQ=DAILY"
    assert _next(daily, "catch_up", current_due=TODAY) == date(2026, 11, 26)


def test_after_completion_counts_from_the_day_it_was_done():
    assert _next("FREQ=DAILY;INTERVAL=3", "after_completion", current_due=date(2026, 11, 10)) == date(2026, 11, 28)
    every_two_weeks = parse_recurrence("every 2 weeks")
    assert _next(every_two_weeks, ".+", current_due=date(2026, 11, 2)) == date(2026, 12, 9)
    assert _next(EVERY_MONDAY, "after_completion", current_due=date(2026, 11, 9)) == date(2026, 11, 30)


def test_after_completion_without_a_completion_date_counts_from_today():
    next_due = _next("FREQ=WEEKLY", "after_completion", current_due=date(2026, 11, 2), completed_on=None)
    assert next_due == date(2026, 12, 2)


def test_after_completion_early_can_come_before_the_old_due_date():
    done_early = date(2026, 11, 20)
    assert _next("FREQ=DAILY;INTERVAL=3", ".+", current_due=TODAY, completed_on=done_early) == date(2026, 11, 23)


def test_next_occurrence_passes_over_skipped_dates_and_stops_after_until():
    for skipped in ([date(2026, 11, 16)], ["2026-11-16"]):
        assert _next(EVERY_MONDAY, "fixed", current_due=date(2026, 11, 9), skipped=skipped) == date(2026, 11, 23)
    assert _next(EVERY_MONDAY, "fixed", current_due=date(2026, 11, 9), until=date(2026, 11, 15)) is None


def test_a_counted_series_ends():
    rule = "FREQ=WEEKLY;BYDAY=MO;COUNT=2"
    assert _next(rule, "fixed", current_due=date(2026, 11, 2)) == date(2026, 11, 9)
    assert _next(rule, "fixed", current_due=date(2026, 11, 9)) is None


def test_a_stored_rule_with_a_prefix_is_read():
    assert _next("RRULE:FREQ=WEEKLY;BYDAY=MO", "fixed", current_due=date(2026, 11, 9)) == date(2026, 11, 16)


def test_a_broken_stored_rule_is_a_planner_error():
    with pytest.raises(InvalidInputError):
        _next("FREQ=SOMETIMES", "fixed", current_due=date(2026, 11, 9))
    with pytest.raises(InvalidInputError):
        _next(EVERY_MONDAY, "whenever", current_due=date(2026, 11, 9))


def test_first_occurrence_is_on_or_after_the_start():
    assert first_occurrence(EVERY_MONDAY, date(2026, 11, 25)) == date(2026, 11, 30)
    assert first_occurrence(EVERY_MONDAY, date(2026, 11, 30)) == date(2026, 11, 30)
    assert first_occurrence("FREQ=DAILY", TODAY, skipped=[TODAY]) == date(2026, 11, 26)


# ---------------------------------------------------------------- month ends and leap days


def test_the_31st_is_clamped_to_short_months():
    rule = parse_recurrence("every month on the 31st")
    days = occurrences_between(rule, date(2027, 1, 1), date(2027, 1, 1), date(2027, 6, 30))
    assert days == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30), date(2027, 5, 31),
                    date(2027, 6, 30)]
    assert occurrences_between(rule, date(2028, 1, 1), date(2028, 2, 1), date(2028, 2, 29)) == [date(2028, 2, 29)]


def test_a_bare_monthly_rule_starting_on_the_31st_is_clamped_too():
    start = date(2027, 1, 31)
    days = occurrences_between("FREQ=MONTHLY", start, start, date(2027, 4, 30))
    assert days == [date(2027, 1, 31), date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]
    after_february = next_occurrence("FREQ=MONTHLY", "fixed", dtstart=start, current_due=date(2027, 2, 28),
                                     today=date(2027, 3, 1))
    assert after_february == date(2027, 3, 31)  # back to the 31st, no drift to the 28th


def test_after_completion_on_the_31st_lands_on_the_last_day_of_a_short_month():
    assert next_occurrence("FREQ=MONTHLY", "after_completion", dtstart=date(2026, 1, 1), current_due=date(2027, 1, 31),
                           completed_on=date(2027, 1, 31), today=date(2027, 1, 31)) == date(2027, 2, 28)


@pytest.mark.parametrize("rule", [parse_recurrence("every year on feb 29"), "FREQ=YEARLY"])
def test_feb_29_falls_on_feb_28_in_common_years(rule):
    start = date(2028, 2, 29)
    days = occurrences_between(rule, start, start, date(2033, 12, 31))
    assert days == [date(2028, 2, 29), date(2029, 2, 28), date(2030, 2, 28), date(2031, 2, 28), date(2032, 2, 29),
                    date(2033, 2, 28)]


def test_feb_29_series_started_in_a_common_year_waits_for_feb():
    rule = parse_recurrence("every year on feb 29")
    assert first_occurrence(rule, date(2026, 11, 25)) == date(2027, 2, 28)
    assert next_occurrence(rule, "fixed", dtstart=date(2026, 11, 25), current_due=date(2027, 2, 28),
                           today=TODAY) == date(2028, 2, 29)


def test_last_friday_and_last_working_day():
    fridays = occurrences_between(parse_recurrence("last friday of the month"), TODAY, TODAY, date(2027, 2, 28))
    assert fridays == [date(2026, 11, 27), date(2026, 12, 25), date(2027, 1, 29), date(2027, 2, 26)]
    workdays = occurrences_between(parse_recurrence("last working day of the month"), TODAY, TODAY, date(2027, 2, 28))
    assert workdays == [date(2026, 11, 30), date(2026, 12, 31), date(2027, 1, 29), date(2027, 2, 26)]


def test_occurrences_between_skips_exceptions_and_respects_until():
    days = occurrences_between("FREQ=DAILY", TODAY, TODAY, date(2026, 12, 1), skipped=[date(2026, 11, 27)],
                               until=date(2026, 11, 29))
    assert days == [date(2026, 11, 25), date(2026, 11, 26), date(2026, 11, 28), date(2026, 11, 29)]
    assert occurrences_between("FREQ=DAILY", TODAY, date(2026, 12, 2), date(2026, 12, 1)) == []


def test_instance_key_is_series_and_date():
    assert instance_key(12, date(2026, 12, 4)) == "s12:2026-12-04"
    assert instance_key(12, date(2026, 12, 4)) != instance_key(12, date(2026, 12, 5))


# ---------------------------------------------------------------- wall-clock times across DST


def test_nine_oclock_stays_nine_across_the_berlin_spring_change():
    moments = occurrence_datetimes("FREQ=DAILY", date(2026, 3, 27), date(2026, 3, 27), date(2026, 3, 31),
                                   time_of_day="09:00", zone="Europe/Berlin")
    assert [(m.hour, m.minute) for m in moments] == [(9, 0)] * 5
    assert [m.astimezone(timezone.utc).hour for m in moments] == [8, 8, 7, 7, 7]  # CET +1, then CEST +2 from Mar 29
    assert moments[2].utcoffset() == timedelta(hours=2)


def test_nine_oclock_stays_nine_across_the_berlin_autumn_change():
    moments = occurrence_datetimes("FREQ=DAILY", date(2026, 10, 24), date(2026, 10, 24), date(2026, 10, 26),
                                   time_of_day=time(9), zone="Europe/Berlin")
    assert [m.astimezone(timezone.utc).replace(tzinfo=None) for m in moments] == [
        datetime(2026, 10, 24, 7), datetime(2026, 10, 25, 8), datetime(2026, 10, 26, 8)]


def test_weekly_meeting_keeps_new_york_wall_time_across_both_changes():
    spring = occurrence_datetimes(EVERY_MONDAY, date(2026, 3, 2), date(2026, 3, 2), date(2026, 3, 9),
                                  time_of_day="09:00", zone="America/New_York")
    autumn = occurrence_datetimes(EVERY_MONDAY, date(2026, 10, 26), date(2026, 10, 26), date(2026, 11, 2),
                                  time_of_day="09:00", zone="America/New_York")
    assert [m.hour for m in spring + autumn] == [9, 9, 9, 9]
    assert [m.astimezone(timezone.utc).hour for m in spring] == [14, 13]  # EST -5, then EDT -4 from Mar 8
    assert [m.astimezone(timezone.utc).hour for m in autumn] == [13, 14]  # EDT, then EST from Nov 1


def test_a_time_in_the_spring_gap_moves_forward_and_a_repeated_time_means_the_first():
    gap = occurrence_datetimes("FREQ=DAILY", date(2026, 3, 29), date(2026, 3, 29), date(2026, 3, 29),
                               time_of_day="02:30", zone="Europe/Berlin")
    assert (gap[0].hour, gap[0].minute) == (3, 30)
    assert gap[0].astimezone(timezone.utc) == datetime(2026, 3, 29, 1, 30, tzinfo=timezone.utc)
    repeated = occurrence_datetimes("FREQ=DAILY", date(2026, 10, 25), date(2026, 10, 25), date(2026, 10, 25),
                                    time_of_day="02:30", zone="Europe/Berlin")
    assert repeated[0].astimezone(timezone.utc) == datetime(2026, 10, 25, 0, 30, tzinfo=timezone.utc)


def test_unknown_zone_and_bad_time_are_planner_errors():
    with pytest.raises(InvalidInputError, match="time zone"):
        occurrence_datetimes("FREQ=DAILY", TODAY, TODAY, TODAY, time_of_day="09:00", zone="Mars/Olympus")
    with pytest.raises(InvalidInputError, match="time of day"):
        occurrence_datetimes("FREQ=DAILY", TODAY, TODAY, TODAY, time_of_day="nine", zone="Europe/Berlin")


# ---------------------------------------------------------------- fuzzing

_PHRASE_WORDS = st.sampled_from([
    "every", "other", "on", "the", "of", "month", "months", "week", "weeks", "day", "days", "year", "mon", "fri",
    "monday", "last", "first", "15th", "31st", "29", "feb", "dec", "and", ",", "daily", "weekly", "monthly", "yearly",
    "weekdays", "working", "2", "0", "9999", "+", "++", ".+", "1w", "d", "m", "quarter", "each",
])


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=40), st.lists(_PHRASE_WORDS, max_size=6).map(" ".join)))
def test_random_text_is_a_rule_or_a_planner_error(text):
    try:
        rule = parse_recurrence(text)
    except PlannerError:
        return
    assert rule.startswith("FREQ=")
    days = occurrences_between(rule, TODAY, TODAY, TODAY + timedelta(days=800))
    assert days == sorted(days) and all(day >= TODAY for day in days)


_RAW_PARTS = st.sampled_from([
    "INTERVAL=2", "INTERVAL=0", "COUNT=3", "UNTIL=20300101", "WKST=SU", "BYMONTH=2", "BYMONTH=4,6", "BYMONTHDAY=31",
    "BYMONTHDAY=-1", "BYMONTHDAY=15", "BYDAY=MO", "BYDAY=-1FR", "BYDAY=2TU", "BYSETPOS=-1", "BYSETPOS=2",
    "BYHOUR=9", "BYYEARDAY=100", "X=1", "BYDAY=", "=",
])


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY", "HOURLY"]), st.lists(_RAW_PARTS, max_size=3))
def test_random_raw_rules_are_valid_or_a_planner_error(frequency, parts):
    text = ";".join([f"FREQ={frequency}", *parts])
    try:
        rule = validate_rrule(text)
    except PlannerError:
        return
    assert validate_rrule(rule) == rule
    assert first_occurrence(rule, TODAY) is None or first_occurrence(rule, TODAY) >= TODAY
