"""Wall-clock conversions: the store keeps UTC, people see local time.

``zone`` is an IANA name (``"Europe/Berlin"``); None means the system's local
zone. Conversions go through aware datetimes, so days that cross a daylight
saving change (23 or 25 hours long) come out right.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone, tzinfo


def _zone(zone: str | None) -> tzinfo | None:
    if zone is None:
        return None
    from zoneinfo import ZoneInfo

    return ZoneInfo(zone)


def as_utc(value: datetime) -> datetime:
    """An aware UTC datetime; a naive one is taken to be UTC already (as SQLite returns it)."""
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def local_to_utc(local: datetime, zone: str | None = None) -> datetime:
    """A naive local wall time as an aware UTC datetime (as the store keeps it)."""
    if local.tzinfo is not None:
        return local.astimezone(timezone.utc)
    tz = _zone(zone)
    aware = local.replace(tzinfo=tz) if tz is not None else local.astimezone()
    return aware.astimezone(timezone.utc)


def utc_to_local(utc: datetime, zone: str | None = None) -> datetime:
    """A UTC time (naive or aware) as naive local wall time."""
    return as_utc(utc).astimezone(_zone(zone)).replace(tzinfo=None)


def local_day_bounds(day: date, zone: str | None = None) -> tuple[datetime, datetime]:
    """[start, end) of a local calendar day as aware UTC times (23 h or 25 h long on DST days)."""
    start = local_to_utc(datetime.combine(day, time()), zone)
    end = local_to_utc(datetime.combine(day + timedelta(days=1), time()), zone)
    return start, end


def hours_between(start: datetime, end: datetime) -> float:
    """Elapsed hours between two times (naive ones taken as UTC), rounded to the second."""
    return round((as_utc(end) - as_utc(start)).total_seconds()) / 3600.0


def format_hours(hours: float) -> str:
    """1.5 -> '1h30m', 0.25 -> '15m', 2 -> '2h'."""
    minutes = int(round(hours * 60))
    whole, rest = divmod(abs(minutes), 60)
    sign = "-" if minutes < 0 else ""
    if whole and rest:
        return f"{sign}{whole}h{rest:02d}m"
    if whole:
        return f"{sign}{whole}h"
    return f"{sign}{rest}m"


def on_day(now: datetime, today: date) -> datetime:
    """``now``'s time of day on ``today``: a face that pretends another day (``--today``) keeps the clock's hour."""
    return now if now.date() == today else datetime.combine(today, now.time())

