"""Dates and timestamps as files write them: ISO 8601, Taskwarrior's compact ``20261125T100000Z``.

The text itself is read by :func:`planner.domain.dates.parse_timestamp`, the one reader of machine
timestamps; this module turns it into the calendar dates and aware UTC stamps records carry.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache

from planner.domain.dates import in_range, parse_timestamp, quoted
from planner.domain.errors import InvalidInputError


def parse_datetime(text: str, where: str, what: str = "date") -> datetime:
    """A timestamp in ISO 8601 or Taskwarrior's compact ``20261125T100000Z``.

    Naive results are local time; aware ones keep their offset.
    """
    stamp = parse_timestamp(str(text).strip())
    if stamp is None:
        raise InvalidInputError(f"{where}: {what} {quoted(str(text))} is not a date (use YYYY-MM-DD)")
    return in_range(stamp, str(text), what=f"{where}: {what}")


def parse_day(text: str | None, where: str, what: str = "date") -> date | None:
    """A calendar date from an ISO date, an ISO timestamp or a compact stamp (UTC stamps become local dates)."""
    if text is None or str(text).strip() == "":
        return None
    stamp = parse_datetime(str(text), where, what)  # one clear error for a non-date or a date out of range
    day = _local_day(str(text).strip())
    return day if day is not None else stamp.date()


@lru_cache(maxsize=65536)
def _local_day(value: str) -> date | None:
    stamp = parse_timestamp(value)
    if stamp is None:
        return None
    try:
        return (stamp.astimezone() if stamp.tzinfo is not None else stamp).date()
    except (ValueError, OverflowError):
        return None


def local_midnight_utc(day: date) -> datetime:
    """Local midnight of ``day`` in UTC (how Taskwarrior stores a due date typed as a date)."""
    return datetime(day.year, day.month, day.day).astimezone().astimezone(timezone.utc)


def compact_utc(stamp: datetime | date) -> str:
    """A date (local midnight) or a timestamp as ``YYYYMMDDTHHMMSSZ``."""
    if not isinstance(stamp, datetime):
        stamp = local_midnight_utc(stamp)
    elif stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=timezone.utc)
    return stamp.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def as_utc(stamp: datetime | None) -> datetime | None:
    """A timestamp as the aware UTC the store keeps (naive input is taken as local time)."""
    if stamp is None:
        return None
    if stamp.tzinfo is None:
        stamp = stamp.astimezone()
    return stamp.astimezone(timezone.utc)


def day_range(first: date, last: date) -> Iterator[date]:
    """Every date from ``first`` to ``last`` inclusive."""
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)
