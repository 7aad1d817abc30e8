"""Task selections (ids, lists, ranges) and past moments (`--at`): what people type, and clear refusals."""

from __future__ import annotations

from datetime import datetime

import pytest

from planner.domain.dates import parse_past_moment
from planner.domain.errors import InvalidInputError
from planner.domain.selection import MAX_RANGE, looks_like_selection, parse_selection


@pytest.mark.parametrize(("words", "ids"), [
    (["4"], [4]),
    (["2-4"], [2, 3, 4]),
    (["4,7", "9"], [4, 7, 9]),
    (["9", "2-3,7", "3"], [9, 2, 3, 7]),  # order kept, each id once
    (["2 - 4"], [2, 3, 4]),
    (["5-5"], [5]),
])
def test_lists_ranges_and_mixtures(words, ids):
    assert parse_selection(words) == ids


@pytest.mark.parametrize(("words", "message"), [
    (["2-x"], "2-x is not a task id or range (e.g. 4, 4,7 or 2-5)"),
    (["abc"], "abc is not a task id or range"),
    (["4,,7"], "'4,,7' is not a task id or range"),
    (["4,"], "'4,' is not a task id or range"),
    (["5-2"], "5-2 is a reversed range: write 2-5"),
    ([f"1-{MAX_RANGE + 1}"], f"spans {MAX_RANGE + 1:,} ids; a range may span at most {MAX_RANGE:,}"),
    (["0"], "task ids start at 1"),
    (["-3"], "-3 is not a task id or range"),
    (["99999999999999999999"], "is not a task id: ids go up to"),
    ([], "give task ids"),
])
def test_bad_selections_name_the_bad_part(words, message):
    with pytest.raises(InvalidInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_selection(words)


def test_where_the_ids_end():
    assert looks_like_selection("4,7") and looks_like_selection("2-5") and looks_like_selection("9")
    assert not looks_like_selection("home") and not looks_like_selection("-") and not looks_like_selection("")


NOW = datetime(2026, 11, 25, 12, 30)  # a Wednesday


@pytest.mark.parametrize(("text", "moment"), [
    ("yesterday 17:00", datetime(2026, 11, 24, 17, 0)),
    ("2026-11-02", datetime(2026, 11, 2, 0, 0)),
    ("2026-11-02 09:30", datetime(2026, 11, 2, 9, 30)),
    ("mon 9:00", datetime(2026, 11, 23, 9, 0)),  # the latest Monday, not the next one
    ("wed 9:00", datetime(2026, 11, 25, 9, 0)),  # today is a Wednesday and 9:00 has passed
    ("wed 13:00", datetime(2026, 11, 18, 13, 0)),  # today's 13:00 is still to come: last week's
    ("fri", datetime(2026, 11, 20, 0, 0)),
    ("10:15", datetime(2026, 11, 25, 10, 15)),
    ("2 hours ago", datetime(2026, 11, 25, 10, 30)),
])
def test_past_moments(text, moment):
    assert parse_past_moment(text, NOW) == moment


@pytest.mark.parametrize("text", ["tomorrow 9:00", "13:00", "+1h", "2026-12-01"])
def test_a_moment_in_the_future_is_refused(text):
    with pytest.raises(InvalidInputError, match="in the future"):
        parse_past_moment(text, NOW)


def test_an_unreadable_moment_says_how_to_write_one():
    with pytest.raises(InvalidInputError, match="YYYY-MM-DD"):
        parse_past_moment("the day before", NOW)
