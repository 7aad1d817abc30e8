"""Dates and durations as people type them: ``fri``, ``+3d``, ``eow``, ``1h30m``, ``2w``.

Named dates follow Taskwarrior (https://taskwarrior.org/docs/named_dates):

* a weekday (``fri``, ``friday``) is the next such day strictly *after*
  today, so ``fri`` typed on a Friday means a week later; ``next fri`` is
  the same, ``this fri`` allows today, ``last fri`` is the latest one
  strictly before today;
* ``eod``/``sod`` are today; ``eow`` is the coming Sunday (today on a
  Sunday), ``eoww`` the coming Friday, ``eom``/``eoy`` the last day of this
  month / year; ``sow`` (= ``next week``) is the next Monday, ``som`` (=
  ``next month``) the 1st of next month, ``soy`` (= ``next year``) the 1st
  of January next year; ``last week``/``last month``/``last year`` are the
  start of the previous one;
* a day ordinal (``15th``) is the next such day strictly after today, in
  the first month that has it; a month name (``jan``) the next 1st of that
  month; a day and month (``dec 24``, ``24 dec``) that day this year, or
  next year once it has passed (today counts).

Relative dates count from today: ``+3d``, ``-1w``, ``+2m`` (months, clamped
to the month's last day: Jan 31 + 1m = Feb 28), ``+1y``, ``3d`` (no sign
means later), ``in 2 weeks``, ``2 days ago``. In durations, by contrast,
``m`` means minutes (``90m``), as in every time tracker.

Everything here is pure and cheap to import: no third-party module at all.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache

from planner.domain.clock import format_hours
from planner.domain.errors import InvalidInputError

__all__ = [
    "format_hours", "format_relative", "month_and_day", "parse_date", "parse_datetime", "parse_duration_hours",
    "parse_timestamp", "parse_working_days",
]

DATE_HINT = "use YYYY-MM-DD, today, tomorrow, fri, +3d, eow, next month ..."
DURATION_HINT = "use 90m, 3h, 1h30m, 1.5h, 2d (working days) or 1w"
WORKING_DAYS_HINT = "use a whole number of working days: 3, 3d or 2w"
WORKING_DAYS_PER_WEEK = 5
#: The dates Planner accepts: wide enough for any plan, narrow enough that schedules, forecasts and
#: exports can add years of working days to them without leaving Python's date range.
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2199, 12, 31)
DATE_RANGE = f"{EARLIEST_DAY.isoformat()} to {LATEST_DAY.isoformat()}"
#: The most working days a duration, lag or offset may span (about 400 years).
MAX_WORKING_DAYS = 100_000

WEEKDAY_NUMBERS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2, "weds": 2,
    "thursday": 3, "thu": 3, "thur": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5,
    "sunday": 6, "sun": 6,
}
MONTH_NUMBERS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_DATE_UNITS = {
    "d": "d", "day": "d", "days": "d", "w": "w", "wk": "w", "wks": "w", "week": "w", "weeks": "w",
    "m": "m", "mo": "m", "mos": "m", "month": "m", "months": "m", "y": "y", "yr": "y", "yrs": "y", "year": "y",
    "years": "y",
}
_CLOCK_UNITS = {"h": 60, "hr": 60, "hrs": 60, "hour": 60, "hours": 60, "min": 1, "mins": 1, "minute": 1, "minutes": 1}
_DURATION_UNITS_HOURS = {
    "m": 1 / 60, "min": 1 / 60, "mins": 1 / 60, "minute": 1 / 60, "minutes": 1 / 60,
    "h": 1.0, "hr": 1.0, "hrs": 1.0, "hour": 1.0, "hours": 1.0,
}
_DURATION_UNITS_DAYS = {"d": 1, "day": 1, "days": 1, "w": WORKING_DAYS_PER_WEEK, "wk": WORKING_DAYS_PER_WEEK,
                        "wks": WORKING_DAYS_PER_WEEK, "week": WORKING_DAYS_PER_WEEK, "weeks": WORKING_DAYS_PER_WEEK}

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$|^\d{8}$")
_COMPACT_STAMP = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$")
_SIGNED_OFFSET = re.compile(r"^([+-])?\s*(\d{1,6})\s*([a-z]+)$")
_IN_OFFSET = re.compile(r"^in\s+(\d{1,6}|an?)\s+([a-z]+)$")
_AGO_OFFSET = re.compile(r"^(\d{1,6}|an?)\s+([a-z]+)\s+ago$")
_FROM_NOW_OFFSET = re.compile(r"^(\d{1,6}|an?)\s+([a-z]+)\s+from\s+now$")
_DAY_ORDINAL = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)$")
_MONTH_DAY = re.compile(r"^([a-z]+)\s+(\d{1,2})(?:st|nd|rd|th)?$|^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)$")
_CLOCK_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(am|pm|a|p)?|(\d{1,2})\s*(am|pm|a|p)")
_TRAILING_TIME = re.compile(r"^(?P<day>.*?)(?:\s+at\s+|\s+|t)(?P<clock>" + _CLOCK_TIME.pattern + r")$")
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?|\.\d+)\s*([a-z]*)")
_H_MM = re.compile(r"^(\d{1,4}):([0-5]\d)$")


def _normalise(text: str) -> str:
    return " ".join(str(text).strip().lower().split())


def quoted(text: str, limit: int = 40) -> str:
    """``text`` stripped and quoted for an error message, shortened when long."""
    shown = str(text).strip()
    return repr(shown if len(shown) <= limit else shown[: limit - 3] + "...")


def _date_error(text: str) -> InvalidInputError:
    return InvalidInputError(f"cannot read date {quoted(text)}: {DATE_HINT}")


def in_range(day: date, text: str | None = None, *, what: str = "date") -> date:
    """``day`` itself when Planner handles it, else InvalidInputError naming the range."""
    if not EARLIEST_DAY <= (day.date() if isinstance(day, datetime) else day) <= LATEST_DAY:
        shown = quoted(text) if text is not None else day.isoformat()
        raise InvalidInputError(f"{what} {shown} is outside the dates Planner handles ({DATE_RANGE})")
    return day


def days_in_month(year: int, month: int) -> int:
    """How many days ``month`` of ``year`` has (28 .. 31)."""
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, clamped to the target month's last day (Jan 31 + 1 = Feb 28)."""
    month_index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(month_index, 12)
    month += 1
    if not 1 <= year <= 9999:
        raise OverflowError("date out of range")
    return date(year, month, min(day.day, days_in_month(year, month)))


def _shift(today: date, count: int, unit: str) -> date:
    """``today`` moved by ``count`` units of d / w / m / y."""
    if unit == "d":
        return today + timedelta(days=count)
    if unit == "w":
        return today + timedelta(weeks=count)
    if unit == "m":
        return add_months(today, count)
    return add_months(today, 12 * count)


def _count(word: str) -> int:
    return 1 if word in ("a", "an") else int(word)


def _next_weekday(today: date, weekday: int, *, include_today: bool = False) -> date:
    ahead = (weekday - today.weekday()) % 7
    if ahead == 0 and not include_today:
        ahead = 7
    return today + timedelta(days=ahead)


def _previous_weekday(today: date, weekday: int) -> date:
    back = (today.weekday() - weekday) % 7
    return today - timedelta(days=back or 7)


def _start_of_month(day: date) -> date:
    return day.replace(day=1)


def _named_date(word: str, today: date) -> date | None:
    """The single-word phrases: today, eow, som, fri, jan, 15th ..."""
    monday = today - timedelta(days=today.weekday())
    simple = {
        "today": today, "now": today, "sod": today, "eod": today,
        "tomorrow": today + timedelta(days=1), "tmr": today + timedelta(days=1), "yesterday": today - timedelta(days=1),
        "eow": monday + timedelta(days=6), "sow": monday + timedelta(days=7),
        "eom": today.replace(day=days_in_month(today.year, today.month)),
        "som": add_months(_start_of_month(today), 1),
        "eoy": date(today.year, 12, 31), "soy": date(today.year + 1, 1, 1),
    }
    if word in simple:
        return simple[word]
    if word == "eoww":
        return _next_weekday(today, 4, include_today=True)
    if word in WEEKDAY_NUMBERS:
        return _next_weekday(today, WEEKDAY_NUMBERS[word])
    if word in MONTH_NUMBERS:
        month = MONTH_NUMBERS[word]
        year = today.year if month > today.month else today.year + 1
        return date(year, month, 1)
    ordinal = _DAY_ORDINAL.match(word)
    if ordinal:
        wanted = int(ordinal.group(1))
        if not 1 <= wanted <= 31:
            return None
        first = _start_of_month(today)
        for months_ahead in range(13):
            month_start = add_months(first, months_ahead)
            if wanted <= days_in_month(month_start.year, month_start.month):
                candidate = month_start.replace(day=wanted)
                if candidate > today:
                    return candidate
    return None


def _relative_phrase(phrase: str, today: date) -> date | None:
    """Two-word phrases: next week, next month, last friday, this fri ..."""
    words = phrase.split()
    if len(words) != 2:
        return None
    which, what = words
    if which in ("next", "this", "last") and what in WEEKDAY_NUMBERS:
        weekday = WEEKDAY_NUMBERS[what]
        if which == "last":
            return _previous_weekday(today, weekday)
        return _next_weekday(today, weekday, include_today=which == "this")
    monday = today - timedelta(days=today.weekday())
    starts = {
        ("next", "week"): monday + timedelta(days=7), ("last", "week"): monday - timedelta(days=7),
        ("this", "week"): monday,
        ("next", "month"): add_months(_start_of_month(today), 1),
        ("last", "month"): add_months(_start_of_month(today), -1), ("this", "month"): _start_of_month(today),
        ("next", "year"): date(today.year + 1, 1, 1), ("last", "year"): date(today.year - 1, 1, 1),
        ("this", "year"): date(today.year, 1, 1),
    }
    return starts.get((which, what))


def is_forward_offset(text: str) -> bool:
    """Whether ``text`` is a forward offset (``+2w``, ``2 weeks``, ``in 10 days``) rather than a day."""
    phrase = _normalise(text)
    signed = _SIGNED_OFFSET.match(phrase)
    if signed:
        return signed.group(1) != "-" and signed.group(3) in _DATE_UNITS
    match = _IN_OFFSET.match(phrase) or _FROM_NOW_OFFSET.match(phrase)
    return bool(match and match.group(2) in _DATE_UNITS)


def _offset_phrase(text: str, today: date) -> date | None:
    """+3d, -1w, 3 days, in 2 weeks, 2 days ago, a week from now."""
    signed = _SIGNED_OFFSET.match(text)
    if signed and signed.group(3) in _DATE_UNITS:
        count = int(signed.group(2))
        return _shift(today, -count if signed.group(1) == "-" else count, _DATE_UNITS[signed.group(3)])
    for pattern, direction in ((_IN_OFFSET, 1), (_FROM_NOW_OFFSET, 1), (_AGO_OFFSET, -1)):
        match = pattern.match(text)
        if match and match.group(2) in _DATE_UNITS:
            return _shift(today, direction * _count(match.group(1)), _DATE_UNITS[match.group(2)])
    return None


def month_and_day(text: str) -> tuple[str, int, int] | None:
    """``dec 24`` / ``24th dec`` as (month word, month, day number), or None; the day is not checked yet."""
    match = _MONTH_DAY.match(text)
    if not match:
        return None
    month_word, day_text = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
    if month_word not in MONTH_NUMBERS:
        return None
    return month_word, MONTH_NUMBERS[month_word], int(day_text)


@lru_cache(maxsize=65536)
def parse_timestamp(text: str) -> datetime | None:
    """A machine timestamp: ISO 8601 (date or date-time, ``Z`` or an offset) or compact ``20261125T100000Z``.

    Naive results are local time, aware ones keep their offset; None when the text is not one
    (cached: file exports repeat the same stamps).
    """
    match = _COMPACT_STAMP.match(text)
    try:
        if match:
            year, month, day, hour, minute, second, zulu = match.groups()
            stamp = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
            return stamp.replace(tzinfo=timezone.utc) if zulu else stamp
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, OverflowError):
        return None


def _month_day(text: str, today: date) -> date | None:
    """``dec 24`` / ``24 dec``: that day this year, or next year once it has passed."""
    parts = month_and_day(text)
    if parts is None:
        return None
    _, month, day_number = parts
    if not 1 <= day_number <= days_in_month(2000, month):
        return None
    for year in range(today.year, today.year + 9):
        if day_number <= days_in_month(year, month) and date(year, month, day_number) >= today:
            return date(year, month, day_number)
    return None


def parse_date(text: str, today: date) -> date:
    """The date a person meant by ``text`` (ISO or a phrase), counted from ``today``.

    Case and surrounding whitespace are ignored. See the module docstring for
    every phrase; anything else raises InvalidInputError with examples.
    """
    phrase = _normalise(text)
    try:
        if _ISO_DATE.match(phrase):
            stamp = parse_timestamp(phrase)
            if stamp is None:
                raise InvalidInputError(f"cannot read date {quoted(text)}: there is no such day")
            return in_range(stamp.date(), text)
        if phrase.startswith("end of ") and phrase[7:] in ("day", "week", "month", "year"):
            phrase = "eo" + phrase[7]
        for reader in (_named_date, _relative_phrase, _offset_phrase, _month_day):
            found = reader(phrase, today)
            if found is not None:
                return in_range(found, text)
    except (ValueError, OverflowError):
        pass
    raise _date_error(text)


def _clock_time(match: re.Match[str]) -> time:
    """The wall time in a _CLOCK_TIME match (24 h, or 12 h with am/pm)."""
    if match.group(1) is not None:
        hour, minute, second = int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
        meridiem = match.group(4)
    else:
        hour, minute, second, meridiem = int(match.group(5)), 0, 0, match.group(6)
    if meridiem:
        if not 1 <= hour <= 12:
            raise ValueError("12-hour clock")
        hour = hour % 12 + (12 if meridiem.startswith("p") else 0)
    return time(hour, minute, second)


def parse_datetime(text: str, now: datetime) -> datetime:
    """A naive local date and time: any :func:`parse_date` phrase plus an optional time.

    ``2026-12-01 14:30``, ``2026-12-01T14:30``, ``today 9:00``, ``fri at 5pm``;
    a time alone (``14:30``) is today at that time. ``now``, ``+3h``,
    ``in 90 minutes`` and ``30 min ago`` count from ``now``; a date without a
    time means the start of that day (00:00).
    """
    phrase = _normalise(text)
    if phrase == "now":
        return now.replace(microsecond=0)
    try:
        clock_offset = _clock_offset(phrase)
        if clock_offset is not None:
            return in_range((now + clock_offset).replace(microsecond=0), text)
        only_time = re.fullmatch(_CLOCK_TIME.pattern, phrase)
        if only_time:
            return datetime.combine(now.date(), _clock_time(only_time))
        with_time = _TRAILING_TIME.match(phrase)
        if with_time and with_time.group("day"):
            clock = _clock_time(re.fullmatch(_CLOCK_TIME.pattern, with_time.group("clock")))  # type: ignore[arg-type]
            return datetime.combine(parse_date(with_time.group("day"), now.date()), clock)
    except InvalidInputError as error:
        raise error if "outside the dates" in str(error) else _date_error(text) from None
    except (ValueError, OverflowError):
        raise _date_error(text) from None
    return datetime.combine(parse_date(text, now.date()), time())


def parse_past_moment(text: str, now: datetime) -> datetime:
    """When something already happened: a :func:`parse_datetime` phrase, with weekday names counted backwards.

    ``mon 9:00`` is the latest Monday (today included) at 9:00 and ``yesterday 17:00`` what it says;
    a moment after ``now`` raises InvalidInputError (nothing can be done in the future).
    """
    moment = parse_datetime(text, now)
    day_words = _TRAILING_TIME.match(_normalise(text))
    day_phrase = day_words.group("day") if day_words and day_words.group("day") else _normalise(text)
    while moment > now and day_phrase in WEEKDAY_NUMBERS:
        moment -= timedelta(days=7)
    if moment > now:
        raise InvalidInputError(f"{quoted(text)} is {moment:%Y-%m-%d %H:%M}, in the future: "
                                f"give a time up to now ({now:%Y-%m-%d %H:%M})")
    return moment


def _clock_offset(phrase: str) -> timedelta | None:
    """+3h, -30min, in 2 hours, 90 minutes ago (hours and minutes only)."""
    signed = _SIGNED_OFFSET.match(phrase)
    if signed and signed.group(3) in _CLOCK_UNITS:
        minutes = int(signed.group(2)) * _CLOCK_UNITS[signed.group(3)]
        return timedelta(minutes=-minutes if signed.group(1) == "-" else minutes)
    for pattern, direction in ((_IN_OFFSET, 1), (_FROM_NOW_OFFSET, 1), (_AGO_OFFSET, -1)):
        match = pattern.match(phrase)
        if match and match.group(2) in _CLOCK_UNITS:
            return timedelta(minutes=direction * _count(match.group(1)) * _CLOCK_UNITS[match.group(2)])
    return None


def format_relative(day: date, today: date) -> str:
    """A short distance for the UI: today, tomorrow, yesterday, in 3d, 2d ago, in 3w, 2mo ago, in 1y."""
    days = (day - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    distance = abs(days)
    if distance < 14:
        amount = f"{distance}d"
    elif distance < 60:
        amount = f"{distance // 7}w"
    elif distance < 365:
        amount = f"{distance // 30}mo"
    else:
        amount = f"{distance // 365}y"
    return f"in {amount}" if days > 0 else f"{amount} ago"


def _duration_parts(phrase: str) -> list[tuple[float, str]] | None:
    """``1h 30m`` -> [(1.0, 'h'), (30.0, 'm')]; None unless the whole text is such parts."""
    compact = phrase.replace(" ", "")
    parts: list[tuple[float, str]] = []
    position = 0
    while position < len(compact):
        match = _DURATION_PART.match(compact, position)
        if not match:
            return None
        parts.append((float(match.group(1)), match.group(2)))
        position = match.end()
    return parts or None


def parse_duration_hours(text: str, hours_per_day: float = 8.0) -> float:
    """Effort in hours: ``90m``, ``3h``, ``1h30m``, ``1:30``, ``1.5h``, ``2d``, ``1w``; a bare number is hours.

    A day is ``hours_per_day`` working hours and a week five working days.
    Negative amounts and anything unreadable raise InvalidInputError.
    """
    phrase = _normalise(text)
    if phrase.startswith("-"):
        raise InvalidInputError(f"duration {quoted(text)} is negative: an effort is 0 or more ({DURATION_HINT})")
    if not (hours_per_day > 0 and math.isfinite(hours_per_day)):
        raise InvalidInputError(f"hours per day must be a positive number, not {hours_per_day!r}")
    phrase = phrase.removeprefix("+").strip()
    clock = _H_MM.match(phrase)
    if clock:
        return int(clock.group(1)) + int(clock.group(2)) / 60
    parts = _duration_parts(phrase)
    if parts is None or (len(parts) > 1 and any(not unit for _, unit in parts)):
        raise InvalidInputError(f"cannot read duration {quoted(text)}: {DURATION_HINT}")
    hours = 0.0
    for amount, unit in parts:
        if not unit or unit in _DURATION_UNITS_HOURS:
            hours += amount * _DURATION_UNITS_HOURS.get(unit, 1.0)
        elif unit in _DURATION_UNITS_DAYS:
            hours += amount * _DURATION_UNITS_DAYS[unit] * hours_per_day
        else:
            raise InvalidInputError(
                f"cannot read duration {quoted(text)}: unknown unit {quoted(unit, 12)}; {DURATION_HINT}")
    if not math.isfinite(hours) or hours > MAX_WORKING_DAYS * 24:
        raise InvalidInputError(f"duration {quoted(text)} is too large: at most {MAX_WORKING_DAYS * 24:,} hours")
    return hours


def parse_working_days(text: str) -> int:
    """A duration in whole working days: ``3``, ``3d``, ``3 days``, ``2w`` (= 10), ``1w2d`` (= 7)."""
    phrase = _normalise(text)
    if phrase.startswith("-"):
        raise InvalidInputError(f"duration {quoted(text)} is negative: {WORKING_DAYS_HINT}")
    parts = _duration_parts(phrase.removeprefix("+").strip())
    if parts is None or (len(parts) > 1 and any(not unit for _, unit in parts)):
        raise InvalidInputError(f"cannot read duration {quoted(text)}: {WORKING_DAYS_HINT}")
    days = 0.0
    for amount, unit in parts:
        if unit and unit not in _DURATION_UNITS_DAYS:
            raise InvalidInputError(f"cannot read duration {quoted(text)}: {WORKING_DAYS_HINT}")
        days += amount * _DURATION_UNITS_DAYS.get(unit, 1)
    if not math.isfinite(days) or days != int(days):
        raise InvalidInputError(f"duration {quoted(text)} is not a whole number of working days: "
                                f"{WORKING_DAYS_HINT} (use --estimate for hours)")
    if days > MAX_WORKING_DAYS:
        raise InvalidInputError(f"duration {quoted(text)} is too long: at most {MAX_WORKING_DAYS:,} working days")
    return int(days)
