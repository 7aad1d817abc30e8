"""Recurring work: typed phrases as RFC 5545 RRULEs, the next date by policy, DST-safe times.

A series is a rule (an RRULE without ``DTSTART``, as python-dateutil reads
it) plus a start date and a policy, as Org-mode repeaters have them:

* ``fixed`` (Org ``+``): the next date on the rule after the current due
  date, so a backlog of missed dates stays overdue one at a time;
* ``catch_up`` (Org ``++``): the next date on the rule after today;
* ``after_completion`` (Org ``.+``): the rule restarted on the day the work
  was done (``every 3 days`` = three days after completion).

Month ends are clamped, as Org-mode and Todoist users expect: "every month
on the 31st" falls on the 30th in April and on the 28th/29th in February,
and a yearly Feb 29 falls on Feb 28 in common years. Plain RFC 5545 would
skip those months instead; the rules written here say the clamp explicitly
(``BYMONTHDAY=28,29,30,31;BYSETPOS=-1``), and a bare ``FREQ=MONTHLY`` (or
``YEARLY``) whose start is on the 29th-31st is clamped the same way.

Rules are whole days (``DAILY`` .. ``YEARLY``); a series keeps its time of
day and time zone beside the rule, and :func:`occurrence_datetimes` puts
that wall-clock time on each date, so 09:00 stays 09:00 across DST changes.
python-dateutil is imported only when a rule is checked or evaluated.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timezone
from functools import lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING

from planner.domain.dates import MONTH_NUMBERS, WEEKDAY_NUMBERS, days_in_month, month_and_day, quoted
from planner.domain.errors import InvalidInputError

if TYPE_CHECKING:
    from dateutil.rrule import rrule as RRule

__all__ = [
    "POLICIES", "first_occurrence", "instance_key", "next_occurrence", "occurrence_datetimes",
    "occurrences_between", "parse_org_repeater", "parse_policy", "parse_recurrence", "validate_rrule",
]

POLICIES = ("fixed", "catch_up", "after_completion")
RECURRENCE_HINT = ("try daily, weekdays, weekly, every mon,wed, every 2 weeks, monthly on the 15th, "
                   "last friday of the month, every month on the 31st, yearly on feb 29, 2w, "
                   "or an RRULE such as FREQ=WEEKLY;BYDAY=MO")
POLICY_HINT = "fixed (+), catch_up (++) or after_completion (.+)"

_POLICY_NAMES = {
    "fixed": "fixed", "+": "fixed",
    "catch_up": "catch_up", "catch-up": "catch_up", "catchup": "catch_up", "catch up": "catch_up", "++": "catch_up",
    "after_completion": "after_completion", "after-completion": "after_completion",
    "after completion": "after_completion", "from completion": "after_completion", ".+": "after_completion",
}
_RULE_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_WORKWEEK = "MO,TU,WE,TH,FR"
_PART_ORDER = ("FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST", "BYMONTH", "BYMONTHDAY", "BYDAY", "BYSETPOS")
_FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_MAX_INTERVAL = 999

_UNIT_FREQUENCY = {
    "d": ("DAILY", 1), "day": ("DAILY", 1), "days": ("DAILY", 1),
    "w": ("WEEKLY", 1), "wk": ("WEEKLY", 1), "wks": ("WEEKLY", 1), "week": ("WEEKLY", 1), "weeks": ("WEEKLY", 1),
    "m": ("MONTHLY", 1), "mo": ("MONTHLY", 1), "month": ("MONTHLY", 1), "months": ("MONTHLY", 1),
    "q": ("MONTHLY", 3), "quarter": ("MONTHLY", 3), "quarters": ("MONTHLY", 3),
    "y": ("YEARLY", 1), "yr": ("YEARLY", 1), "year": ("YEARLY", 1), "years": ("YEARLY", 1),
}
_NAMED_PERIODS = {
    "daily": ("DAILY", 1), "every day": ("DAILY", 1),
    "weekly": ("WEEKLY", 1), "every week": ("WEEKLY", 1),
    "biweekly": ("WEEKLY", 2), "fortnightly": ("WEEKLY", 2), "every fortnight": ("WEEKLY", 2),
    "monthly": ("MONTHLY", 1), "every month": ("MONTHLY", 1),
    "quarterly": ("MONTHLY", 3), "every quarter": ("MONTHLY", 3),
    "yearly": ("YEARLY", 1), "annually": ("YEARLY", 1), "every year": ("YEARLY", 1),
}
_NAMED_DAY_SETS = {
    "weekdays": _WORKWEEK, "every weekday": _WORKWEEK, "workdays": _WORKWEEK, "every workday": _WORKWEEK,
    "weekends": "SA,SU", "every weekend": "SA,SU",
}
_WEEKDAY_ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "fifth": 5, "5th": 5,
    "last": -1, "second last": -2, "second to last": -2, "2nd last": -2, "penultimate": -2,
}
_WORKDAY_WORDS = ("weekday", "working day", "workday", "business day")

_EVERY_N = re.compile(r"^(?:every\s+)?\+?(\d{1,4})\s*([a-z]+)$")
_ORG_REPEATER = re.compile(r"^(\.\+|\+\+|\+)(\d{1,4})([a-z])$")
_MONTHDAY = re.compile(r"^(?:day\s+)?(\d{1,2})(?:st|nd|rd|th)?(?:\s+day)?$")
_ORDINAL_WEEKDAY = re.compile(r"^(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last|second last|"
                              r"second to last|2nd last|penultimate)\s+([a-z]+(?: day)?)$")
_UNTIL = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T\d{6}Z?)?$")
_BYDAY_ITEM = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")


def _error(text: str) -> InvalidInputError:
    return InvalidInputError(f"cannot read recurrence {quoted(text)}: {RECURRENCE_HINT}")


def _join(parts: Mapping[str, str]) -> str:
    return ";".join(f"{name}={parts[name]}" for name in _PART_ORDER if name in parts)


def _period_rule(frequency: str, interval: int) -> dict[str, str]:
    if not 1 <= interval <= _MAX_INTERVAL:
        raise InvalidInputError(f"a recurrence repeats every 1 .. {_MAX_INTERVAL} periods, not {interval}")
    return {"FREQ": frequency, **({"INTERVAL": str(interval)} if interval > 1 else {})}


def _clamped_monthday(day_number: int) -> dict[str, str]:
    """The 29th..31st as 'that day or the month's last day, whichever comes first'."""
    if day_number <= 28:
        return {"BYMONTHDAY": str(day_number)}
    return {"BYMONTHDAY": ",".join(str(day) for day in range(28, day_number + 1)), "BYSETPOS": "-1"}


# ---------------------------------------------------------------- policies


def parse_policy(text: str) -> str:
    """``fixed`` / ``catch_up`` / ``after_completion`` from a name or an Org token (``+``, ``++``, ``.+``)."""
    policy = _POLICY_NAMES.get(" ".join(str(text).strip().lower().split()))
    if policy is None:
        raise InvalidInputError(f"unknown recurrence policy {quoted(text)}: use {POLICY_HINT}")
    return policy


def parse_org_repeater(text: str) -> tuple[str, str]:
    """An Org-mode repeater (``+1w``, ``++1d``, ``.+2m``, ``+1y``) as (rule, policy)."""
    match = _ORG_REPEATER.match(str(text).strip().lower())
    if not match or match.group(3) not in "dwmy":
        raise InvalidInputError(f"cannot read repeater {quoted(text)}: use +1w (fixed), ++1d (catch_up) "
                                f"or .+2m (after_completion); units d, w, m, y")
    frequency, _ = _UNIT_FREQUENCY[match.group(3)]
    return _join(_period_rule(frequency, int(match.group(2)))), parse_policy(match.group(1))


# ---------------------------------------------------------------- phrases


def _normalise_phrase(text: str) -> str:
    phrase = " ".join(str(text).strip().lower().split())
    phrase = re.sub(r"\s*(?:,|&|\band\b)\s*", ",", phrase).strip(",")
    phrase = " ".join(word for word in phrase.split(" ") if word != "the")
    phrase = re.sub(r"\beach\b", "every", phrase)
    phrase = re.sub(r"\bevery other\b", "every 2", phrase)
    return re.sub(r"\bof (?:every|a) month\b", "of month", phrase)


def _weekday_list(text: str) -> str | None:
    """``mon,wed`` / ``mondays,fridays`` / ``mo,we`` as ``MO,WE``; None unless every item is a weekday."""
    numbers: set[int] = set()
    for item in text.split(","):
        word = item.strip()
        word = word[:-1] if word.endswith("s") and word[:-1] in WEEKDAY_NUMBERS else word
        if word in WEEKDAY_NUMBERS:
            numbers.add(WEEKDAY_NUMBERS[word])
        elif word.upper() in _RULE_DAYS:
            numbers.add(_RULE_DAYS.index(word.upper()))
        else:
            return None
    return ",".join(_RULE_DAYS[number] for number in sorted(numbers)) if numbers else None


def _ordinal_weekday(text: str) -> dict[str, str] | None:
    """``last friday`` -> BYDAY=-1FR; ``first working day`` -> BYDAY=MO..FR;BYSETPOS=1."""
    match = _ORDINAL_WEEKDAY.match(text)
    if not match:
        return None
    position, what = _WEEKDAY_ORDINALS[match.group(1)], match.group(2)
    if what in _WORKDAY_WORDS:
        return {"BYDAY": _WORKWEEK, "BYSETPOS": str(position)}
    if what == "day":
        return {"BYMONTHDAY": str(position)}
    if what in WEEKDAY_NUMBERS:
        return {"BYDAY": f"{position}{_RULE_DAYS[WEEKDAY_NUMBERS[what]]}"}
    return None


def _monthday(text: str) -> dict[str, str] | None:
    """``15th`` / ``15`` / ``31st`` (clamped) / ``last day`` / ``last friday`` within a month."""
    match = _MONTHDAY.match(text)
    if match:
        day_number = int(match.group(1))
        return _clamped_monthday(day_number) if 1 <= day_number <= 31 else None
    return _ordinal_weekday(text)


def _yearly_day(text: str) -> dict[str, str] | None:
    """``feb 29`` / ``29 feb`` / ``last monday of may`` within a year (Feb 29 clamped to Feb 28)."""
    if " of " in text:
        which, _, month_word = text.rpartition(" of ")
        inner = _ordinal_weekday(which)
        if inner is None or month_word not in MONTH_NUMBERS:
            return None
        return {"BYMONTH": str(MONTH_NUMBERS[month_word]), **inner}
    parts = month_and_day(text)
    if parts is None:
        return None
    month_word, month, day_number = parts
    if not 1 <= day_number <= days_in_month(2000, month):
        raise InvalidInputError(f"cannot read recurrence: there is no {month_word} {day_number}")
    if day_number > days_in_month(2001, month):
        return {"BYMONTH": str(month), "BYMONTHDAY": "28,29", "BYSETPOS": "-1"}
    return {"BYMONTH": str(month), "BYMONTHDAY": str(day_number)}


def _period(head: str) -> dict[str, str] | None:
    """``weekly`` / ``every 2 weeks`` / ``3d`` / ``+1m`` as FREQ (and INTERVAL)."""
    if head in _NAMED_PERIODS:
        return _period_rule(*_NAMED_PERIODS[head])
    match = _EVERY_N.match(head)
    if match and match.group(2) in _UNIT_FREQUENCY:
        frequency, per_unit = _UNIT_FREQUENCY[match.group(2)]
        return _period_rule(frequency, int(match.group(1)) * per_unit)
    return None


def _narrowing(frequency: str, tail: str) -> dict[str, str] | None:
    """What follows ``on`` in ``weekly on mon,thu`` / ``monthly on the 15th`` / ``yearly on feb 29``."""
    if frequency == "WEEKLY":
        days = _weekday_list(tail)
        return {"BYDAY": days} if days else None
    if frequency == "MONTHLY":
        return _monthday(tail)
    if frequency == "YEARLY":
        return _yearly_day(tail)
    return None


def _phrase_rule(phrase: str) -> dict[str, str] | None:
    """The rule parts a normalised phrase names, or None."""
    if phrase in _NAMED_DAY_SETS:
        return {"FREQ": "WEEKLY", "BYDAY": _NAMED_DAY_SETS[phrase]}
    if phrase in ("end of month", "every end of month", "month end", "every month end"):
        return {"FREQ": "MONTHLY", "BYMONTHDAY": "-1"}
    head, on, tail = phrase.partition(" on ")
    period = _period(head)
    if period is not None:
        if not on:
            return period
        narrowed = _narrowing(period["FREQ"], tail)
        return {**period, **narrowed} if narrowed else None
    if phrase.endswith(" of month"):
        within = _monthday(phrase.removesuffix(" of month").removeprefix("every ").strip())
        return {"FREQ": "MONTHLY", **within} if within else None
    if phrase.startswith("every "):
        rest = phrase.removeprefix("every ")
        days = _weekday_list(rest)
        if days:
            return {"FREQ": "WEEKLY", "BYDAY": days}
        if rest.startswith(("first ", "last ")) or _MONTHDAY.match(rest) and not rest.isdigit():
            within = _monthday(rest)
            return {"FREQ": "MONTHLY", **within} if within else None
        yearly = _yearly_day(rest)
        return {"FREQ": "YEARLY", **yearly} if yearly else None
    return None


def parse_recurrence(text: str) -> str:
    """The RRULE (``FREQ=...``, no ``RRULE:`` prefix) for what a person typed.

    Phrases: ``daily``, ``weekdays``, ``weekly``, ``every monday``, ``every
    mon,wed``, ``every 2 weeks``, ``every 3 days``, ``every other week``,
    ``weekly on mon and thu``, ``monthly``, ``monthly on the 15th``, ``every
    month on the 31st`` (clamped to short months), ``last friday of the
    month``, ``monthly on the last working day``, ``quarterly``, ``yearly``,
    ``every year on feb 29`` (Feb 28 in common years), ``every dec 24``;
    periods ``2w``, ``3d``, ``1m``, ``1y`` and Org repeaters ``+1w`` /
    ``++1w`` / ``.+1w`` (their policy is given by :func:`parse_org_repeater`);
    and raw ``RRULE:``/``FREQ=`` strings, checked by :func:`validate_rrule`.
    """
    raw = str(text).strip()
    if raw.upper().startswith(("RRULE:", "FREQ=")) or "FREQ=" in raw.upper():
        return validate_rrule(raw)
    phrase = _normalise_phrase(raw)
    org = _ORG_REPEATER.match(phrase)
    if org and org.group(3) in "dwmy":
        return parse_org_repeater(phrase)[0]
    parts = _phrase_rule(phrase)
    if parts is None:
        raise _error(text)
    return validate_rrule(_join(parts))


# ---------------------------------------------------------------- raw rules


def _int_list(name: str, value: str, low: int, high: int, *, signed: bool) -> str:
    numbers = []
    for item in value.split(","):
        number = int(item)
        if not (low <= abs(number) <= high) or (number < 0 and not signed):
            raise InvalidInputError(f"{name}={value} is out of range ({'-' if signed else ''}{low} .. {high})")
        numbers.append(str(number))
    return ",".join(numbers)


def _check_parts(parts: dict[str, str]) -> Mapping[str, str]:
    """The parts with every value checked and normalised; raises InvalidInputError naming the bad one."""
    unknown = sorted(set(parts) - set(_PART_ORDER))
    if unknown:
        what = ", ".join(unknown)
        if any(name in ("BYHOUR", "BYMINUTE", "BYSECOND") for name in unknown):
            raise InvalidInputError(f"{what}: a series keeps its time of day beside the rule, not in it")
        raise InvalidInputError(f"RRULE part {what} is not supported (use {', '.join(_PART_ORDER)})")
    frequency = parts.get("FREQ")
    if frequency not in _FREQUENCIES:
        raise InvalidInputError(f"an RRULE needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY, not {frequency or 'nothing'}")
    checked = {"FREQ": frequency}
    if "INTERVAL" in parts:
        checked["INTERVAL"] = _int_list("INTERVAL", parts["INTERVAL"], 1, _MAX_INTERVAL, signed=False)
    if "COUNT" in parts and "UNTIL" in parts:
        raise InvalidInputError("an RRULE has COUNT or UNTIL, not both")
    if "COUNT" in parts:
        checked["COUNT"] = _int_list("COUNT", parts["COUNT"], 1, 100_000, signed=False)
    if "UNTIL" in parts:
        until = _UNTIL.match(parts["UNTIL"])
        if not until:
            raise InvalidInputError(f"UNTIL={parts['UNTIL']} is not a date (use UNTIL=YYYYMMDD)")
        date(*(int(piece) for piece in until.groups()))
        checked["UNTIL"] = "".join(until.groups())
    if "WKST" in parts:
        if parts["WKST"] not in _RULE_DAYS:
            raise InvalidInputError(f"WKST={parts['WKST']} is not a weekday (MO .. SU)")
        checked["WKST"] = parts["WKST"]
    if "BYMONTH" in parts:
        checked["BYMONTH"] = _int_list("BYMONTH", parts["BYMONTH"], 1, 12, signed=False)
    if "BYMONTHDAY" in parts:
        if frequency == "WEEKLY":
            raise InvalidInputError("BYMONTHDAY does not go with FREQ=WEEKLY")
        checked["BYMONTHDAY"] = _int_list("BYMONTHDAY", parts["BYMONTHDAY"], 1, 31, signed=True)
    if "BYDAY" in parts:
        checked["BYDAY"] = _check_byday(parts["BYDAY"], frequency, "BYMONTH" in parts)
    if "BYSETPOS" in parts:
        if not any(name in parts for name in ("BYMONTH", "BYMONTHDAY", "BYDAY")):
            raise InvalidInputError("BYSETPOS needs another BY... part to choose from")
        checked["BYSETPOS"] = _int_list("BYSETPOS", parts["BYSETPOS"], 1, 366, signed=True)
    _check_month_days(checked)
    return MappingProxyType(checked)


def _check_byday(value: str, frequency: str, has_bymonth: bool) -> str:
    items = []
    limit = 5 if frequency == "MONTHLY" or has_bymonth else 53
    for item in value.split(","):
        match = _BYDAY_ITEM.match(item)
        if not match:
            raise InvalidInputError(f"BYDAY item {item!r} is not a weekday such as MO, 2TU or -1FR")
        if match.group(1):
            position = int(match.group(1))
            if frequency in ("DAILY", "WEEKLY"):
                raise InvalidInputError(f"BYDAY={value}: numbered weekdays need FREQ=MONTHLY or YEARLY")
            if not 1 <= abs(position) <= limit:
                raise InvalidInputError(f"BYDAY={value}: position {position} is out of range (1 .. {limit})")
            items.append(f"{position}{match.group(2)}")
        else:
            items.append(match.group(2))
    return ",".join(items)


def _check_month_days(parts: Mapping[str, str]) -> None:
    """Refuse BYMONTH/BYMONTHDAY pairs that never meet (``BYMONTH=2;BYMONTHDAY=30``)."""
    if "BYMONTH" not in parts or "BYMONTHDAY" not in parts:
        return
    months = [int(month) for month in parts["BYMONTH"].split(",")]
    days = [abs(int(day)) for day in parts["BYMONTHDAY"].split(",")]
    if not any(day <= days_in_month(2000, month) for month in months for day in days):
        raise InvalidInputError(f"BYMONTH={parts['BYMONTH']};BYMONTHDAY={parts['BYMONTHDAY']} never occurs")


@lru_cache(maxsize=512)
def _checked(rule: str) -> Mapping[str, str]:
    """A stored or typed RRULE split into checked parts (cached: series are evaluated often)."""
    body = str(rule).strip().upper()
    body = body[len("RRULE:"):] if body.startswith("RRULE:") else body
    if not body or ":" in body or "\n" in body:
        raise InvalidInputError(f"cannot read RRULE {quoted(rule)}: give one rule such as FREQ=WEEKLY;BYDAY=MO "
                                f"(the start date is kept beside it)")
    parts: dict[str, str] = {}
    for piece in body.split(";"):
        name, equals, value = (side.strip() for side in piece.partition("="))
        if not piece.strip():
            continue
        if not equals or not name or not value:
            raise InvalidInputError(f"cannot read RRULE {quoted(rule)}: {piece.strip()!r} is not NAME=VALUE")
        if name in parts:
            raise InvalidInputError(f"cannot read RRULE {quoted(rule)}: {name} appears twice")
        parts[name] = value.replace(" ", "")
    try:
        return _check_parts(parts)
    except ValueError:
        raise InvalidInputError(f"cannot read RRULE {quoted(rule)}: a number or date in it is not valid") from None


def validate_rrule(rule: str) -> str:
    """A raw RRULE (``RRULE:FREQ=...`` or ``FREQ=...``) checked and normalised, or InvalidInputError.

    Only whole-day rules are accepted (DAILY .. YEARLY; no BYHOUR), and a
    rule must produce dates: one that never does (``BYMONTH=2;BYMONTHDAY=30``,
    a BYSETPOS past the end of every set) is refused.
    """
    parts = _checked(rule)
    normalised = _join(parts)
    from dateutil.rrule import rrulestr

    probe_parts = {name: value for name, value in parts.items() if name not in ("COUNT", "UNTIL")}
    try:
        rrulestr(normalised, dtstart=datetime(2000, 1, 1))
        # 9600 repeats 2000's calendar; the window to year 9999 covers the 400-year Gregorian cycle.
        probe = rrulestr(_join(probe_parts), dtstart=datetime(9600, 1, 1))
        produces_dates = probe.after(datetime(9600, 1, 1), inc=True) is not None
    except (ValueError, TypeError, OverflowError, KeyError, IndexError) as error:
        raise InvalidInputError(f"cannot read RRULE {quoted(rule)}: {error}") from None
    if not produces_dates:
        raise InvalidInputError(f"RRULE {quoted(rule)} never produces a date")
    return normalised


# ---------------------------------------------------------------- evaluation


def _with_month_end_clamp(parts: Mapping[str, str], dtstart: date) -> Mapping[str, str]:
    """Clamp a bare MONTHLY/YEARLY rule that starts on the 29th-31st to short months (see module doc)."""
    if any(name in parts for name in ("BYMONTHDAY", "BYDAY", "BYSETPOS")):
        return parts
    if parts["FREQ"] == "MONTHLY" and dtstart.day > 28:
        return {**parts, **_clamped_monthday(dtstart.day)}
    if parts["FREQ"] == "YEARLY" and "," not in parts.get("BYMONTH", ""):
        month = int(parts.get("BYMONTH", dtstart.month))
        if dtstart.day > 28:
            day_number = min(dtstart.day, days_in_month(2000, month))
            return {**parts, "BYMONTH": str(month), **_clamped_monthday(day_number)}
    return parts


@lru_cache(maxsize=512)
def _compiled(rule: str, dtstart: date, drop_count: bool = False) -> RRule:
    """The dateutil rule anchored at ``dtstart`` (month ends clamped)."""
    from dateutil.rrule import rrulestr

    parts = _with_month_end_clamp(_checked(rule), dtstart)
    if drop_count:
        parts = {name: value for name, value in parts.items() if name != "COUNT"}
    return rrulestr(_join(parts), dtstart=datetime.combine(dtstart, time()))


def _skip_set(skipped: Iterable[date | str]) -> frozenset[date]:
    return frozenset(day if isinstance(day, date) else date.fromisoformat(str(day)) for day in skipped)


def _first_after(compiled: RRule, after: date, *, inclusive: bool, until: date | None,
                 skipped: Iterable[date | str]) -> date | None:
    skip = _skip_set(skipped)
    try:
        for moment in compiled.xafter(datetime.combine(after, time()), inc=inclusive):
            day = moment.date()
            if until is not None and day > until:
                return None
            if day not in skip:
                return day
    except (ValueError, OverflowError):  # past year 9999
        return None
    return None


def first_occurrence(rrule: str, dtstart: date, *, until: date | None = None,
                     skipped: Iterable[date | str] = ()) -> date | None:
    """The first date on the rule on or after ``dtstart`` (the first instance's due date); None if none."""
    return _first_after(_compiled(rrule, dtstart), dtstart, inclusive=True, until=until, skipped=skipped)


def next_occurrence(rrule: str, policy: str, *, dtstart: date, current_due: date, completed_on: date | None = None,
                    today: date, until: date | None = None, skipped: Iterable[date | str] = ()) -> date | None:
    """The due date of the instance that follows one due on ``current_due``; None once the series ended.

    ``fixed``: the next date on the rule strictly after ``current_due`` (it may
    still be in the past: a backlog stays overdue). ``catch_up``: the next date
    strictly after both today and ``current_due``. ``after_completion``: the
    rule restarted on ``completed_on`` (today if not given); its next date
    strictly after that day; COUNT is not carried over, UNTIL is. ``skipped``
    dates (exceptions) are passed over; nothing after ``until`` is returned.
    """
    chosen = parse_policy(policy)
    if chosen == "after_completion":
        anchor = completed_on or today
        compiled = _compiled(rrule, anchor, drop_count=True)
        return _first_after(compiled, anchor, inclusive=False, until=until, skipped=skipped)
    after = current_due if chosen == "fixed" else max(current_due, today)
    return _first_after(_compiled(rrule, dtstart), after, inclusive=False, until=until, skipped=skipped)


def occurrences_between(rrule: str, dtstart: date, start: date, end: date, *, until: date | None = None,
                        skipped: Iterable[date | str] = ()) -> list[date]:
    """The dates on the rule in ``[start, end]`` (both included), without ``skipped`` ones or any after ``until``."""
    last = min(end, until) if until is not None else end
    if last < start:
        return []
    skip = _skip_set(skipped)
    moments = _compiled(rrule, dtstart).between(datetime.combine(start, time()), datetime.combine(last, time()),
                                                inc=True)
    return [moment.date() for moment in moments if moment.date() not in skip]


def _time_of_day(value: time | str) -> time:
    if isinstance(value, time):
        return value
    try:
        return time.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInputError(f"time of day {quoted(str(value))} is not HH:MM") from None


def occurrence_datetimes(rrule: str, dtstart: date, start: date, end: date, *, time_of_day: time | str, zone: str,
                         until: date | None = None, skipped: Iterable[date | str] = ()) -> list[datetime]:
    """The occurrences in ``[start, end]`` as aware datetimes at ``time_of_day`` wall-clock time in ``zone``.

    The wall-clock time is kept across DST changes (09:00 stays 09:00 local,
    so its UTC time moves by an hour). As RFC 5545 says, a time that falls
    twice (the autumn change) means the first of the two, and one that does
    not exist (the spring gap) is read with the offset before the gap, so
    02:30 becomes 03:30. ``.astimezone(timezone.utc)`` gives the UTC times.
    """
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInputError(f"unknown time zone {quoted(zone)}: use an IANA name such as Europe/Berlin") from None
    clock = _time_of_day(time_of_day).replace(tzinfo=None)
    moments = []
    for day in occurrences_between(rrule, dtstart, start, end, until=until, skipped=skipped):
        local = datetime.combine(day, clock, tzinfo=tz)  # fold=0: the first of a repeated hour
        moments.append(local.astimezone(timezone.utc).astimezone(tz))
    return moments


def instance_key(series_id: int, on: date) -> str:
    """The unique key of a series' instance on a date (``s12:2026-12-04``): it can be created only once."""
    return f"s{int(series_id)}:{on.isoformat()}"

