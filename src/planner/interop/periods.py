"""Recurrence periods as Taskwarrior and todo.txt write them (``weekly``, ``2w``, ``P1M``) and as RRULEs."""

from __future__ import annotations

import re

from planner.domain.errors import InvalidInputError

#: RRULE FREQ/INTERVAL pairs that read as a word, both ways.
_RECUR_WORDS = {
    "daily": ("DAILY", 1), "day": ("DAILY", 1), "weekly": ("WEEKLY", 1), "week": ("WEEKLY", 1),
    "biweekly": ("WEEKLY", 2), "fortnight": ("WEEKLY", 2), "monthly": ("MONTHLY", 1), "month": ("MONTHLY", 1),
    "quarterly": ("MONTHLY", 3), "semiannual": ("MONTHLY", 6), "annual": ("YEARLY", 1), "yearly": ("YEARLY", 1),
    "year": ("YEARLY", 1), "biannual": ("YEARLY", 2), "biyearly": ("YEARLY", 2),
}
_RECUR_UNITS = {"d": "DAILY", "day": "DAILY", "days": "DAILY", "w": "WEEKLY", "wk": "WEEKLY", "wks": "WEEKLY",
                "week": "WEEKLY", "weeks": "WEEKLY", "m": "MONTHLY", "mo": "MONTHLY", "mos": "MONTHLY",
                "month": "MONTHLY", "months": "MONTHLY", "q": "QUARTERLY", "qtr": "QUARTERLY", "y": "YEARLY",
                "yr": "YEARLY", "yrs": "YEARLY", "year": "YEARLY", "years": "YEARLY", "b": "WEEKDAYS"}
_PERIOD = re.compile(r"^(\d*)\s*([a-z]+)$")
_ISO_PERIOD = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$")


def recur_to_rrule(text: str, where: str) -> str:
    """A Taskwarrior / todo.txt period (``weekly``, ``2w``, ``P1M``, ``weekdays``) as an RRULE."""
    value = text.strip().lower().lstrip("+")
    if value == "weekdays":
        return "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
    if value in _RECUR_WORDS:
        freq, interval = _RECUR_WORDS[value]
        return _rule(freq, interval)
    iso = _ISO_PERIOD.match(value.upper())
    if iso and any(iso.groups()):
        years, months, weeks, days = (int(part) if part else 0 for part in iso.groups())
        for freq, count in (("YEARLY", years), ("MONTHLY", months), ("WEEKLY", weeks), ("DAILY", days)):
            if count and sum(1 for part in iso.groups() if part) == 1:
                return _rule(freq, count)
    match = _PERIOD.match(value)
    if match and match.group(2) in _RECUR_UNITS:
        count = int(match.group(1) or 1)
        unit = _RECUR_UNITS[match.group(2)]
        if count <= 0:
            raise InvalidInputError(f"{where}: recurrence {text!r} needs a positive period")
        if unit == "QUARTERLY":
            return _rule("MONTHLY", 3 * count)
        if unit == "WEEKDAYS":
            return "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
        return _rule(unit, count)
    raise InvalidInputError(f"{where}: recurrence {text!r} not understood (use e.g. daily, weekly, 2w, monthly)")


def _rule(freq: str, interval: int) -> str:
    return f"FREQ={freq}" if interval == 1 else f"FREQ={freq};INTERVAL={interval}"


def rrule_to_recur(rrule: str) -> str:
    """An RRULE as the nearest Taskwarrior period (FREQ and INTERVAL; other parts are approximated)."""
    parts = dict(part.split("=", 1) for part in rrule.upper().removeprefix("RRULE:").split(";") if "=" in part)
    freq, interval = parts.get("FREQ", "DAILY"), int(parts.get("INTERVAL", "1") or 1)
    if freq == "WEEKLY" and parts.get("BYDAY") == "MO,TU,WE,TH,FR":
        return "weekdays"
    for word, pair in (("daily", ("DAILY", 1)), ("weekly", ("WEEKLY", 1)), ("biweekly", ("WEEKLY", 2)),
                       ("monthly", ("MONTHLY", 1)), ("quarterly", ("MONTHLY", 3)), ("yearly", ("YEARLY", 1))):
        if (freq, interval) == pair:
            return word
    unit = {"DAILY": "d", "WEEKLY": "w", "MONTHLY": "mo", "YEARLY": "y"}.get(freq, "d")
    return f"{interval}{unit}"
