"""Working calendars: which dates are working days, and date <-> day-offset maps.

Scheduling counts time in working days from a project's start (see
``network.py``). A :class:`WorkCalendar` converts between those offsets and
real dates. It keeps a sorted list of the ordinals of working dates over a
horizon that grows on demand, so every conversion is a binary search.

Offsets follow one convention throughout: ``offset_of(start, d)`` is the
number of working days in ``[start, d)`` and ``date_of(start, k)`` is the
working day with that offset, so the two are inverse on working days.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from types import MappingProxyType

from planner.domain.errors import InvalidInputError

ALL_WEEKDAYS = frozenset(range(7))
MONDAY_TO_FRIDAY = frozenset(range(5))

_MIN_ORDINAL = date.min.toordinal()
_MAX_ORDINAL = date.max.toordinal() + 1
_HORIZON_MARGIN_DAYS = 366


@lru_cache(maxsize=512)
def _holiday_ordinals(country: str, subdivision: str | None, year: int) -> frozenset[int]:
    """The ordinals of the public holidays of one country (and subdivision) in one year."""
    import holidays  # heavy (~80 ms): imported only when a calendar has a country

    dates = holidays.country_holidays(country, subdiv=subdivision, years=year)
    return frozenset(day.toordinal() for day in dates)


def _check_country(country: str, subdivision: str | None) -> None:
    """Raise InvalidInputError unless the holidays package knows the country/subdivision."""
    import holidays

    try:
        holidays.country_holidays(country, subdiv=subdivision)
    except NotImplementedError as error:
        where = f"{country}-{subdivision}" if subdivision else country
        raise InvalidInputError(
            f"unknown holiday country {where!r}: use an ISO 3166 code such as DE, US or FR ({error})"
        ) from None


@dataclass(slots=True)
class _WorkingDayIndex:
    """The sorted ordinals of working dates in ``[first_ordinal, end_ordinal)``."""

    first_ordinal: int
    end_ordinal: int
    ordinals: list[int]


@dataclass(frozen=True, slots=True)
class WorkCalendar:
    """Working weekdays (Mon=0 .. Sun=6), hours per day, holidays and exceptions.

    ``exceptions`` maps a date to ``False`` (a day off: vacation, company
    holiday) or ``True`` (a working day: a working Saturday); an exception
    beats both the weekday rule and the country holidays.
    ``holiday_country`` is an ISO code understood by the ``holidays`` package
    (``"DE"``, ``"US"``), optionally narrowed by ``holiday_subdivision``
    (``"BY"``, ``"CA"``).
    """

    working_weekdays: frozenset[int] = MONDAY_TO_FRIDAY
    hours_per_day: float = 8.0
    holiday_country: str | None = None
    holiday_subdivision: str | None = None
    exceptions: Mapping[date, bool] = field(default_factory=dict, hash=False)
    _index: _WorkingDayIndex | None = field(
        default=None, init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        """Normalise the fields and reject a calendar that cannot be used."""
        weekdays = frozenset(self.working_weekdays)
        if not weekdays:
            raise InvalidInputError("a calendar needs at least one working weekday")
        if not weekdays <= ALL_WEEKDAYS:
            raise InvalidInputError(
                f"working weekdays must be 0 (Monday) .. 6 (Sunday), got {sorted(weekdays)}"
            )
        if not 0 < self.hours_per_day <= 24:
            raise InvalidInputError(
                f"hours per day must be more than 0 and at most 24, got {self.hours_per_day}"
            )
        object.__setattr__(self, "working_weekdays", weekdays)
        exceptions = {
            (day.date() if isinstance(day, datetime) else day): bool(working)
            for day, working in self.exceptions.items()
        }
        object.__setattr__(self, "exceptions", MappingProxyType(exceptions))
        if self.holiday_subdivision and not self.holiday_country:
            raise InvalidInputError("a holiday subdivision needs a holiday country")
        if self.holiday_country:
            country = self.holiday_country.strip().upper()
            subdivision = self.holiday_subdivision.strip().upper() if self.holiday_subdivision else None
            _check_country(country, subdivision)
            object.__setattr__(self, "holiday_country", country)
            object.__setattr__(self, "holiday_subdivision", subdivision)

    def __reduce__(self) -> tuple:
        """Pickle (and deep-copy) by the constructor's arguments, leaving the cache behind."""
        arguments = (
            self.working_weekdays, self.hours_per_day, self.holiday_country,
            self.holiday_subdivision, dict(self.exceptions),
        )  # fmt: skip
        return (type(self), arguments)

    # -- single dates -----------------------------------------------------

    def is_working(self, day: date) -> bool:
        """Whether ``day`` is a working day of this calendar."""
        exception = self.exceptions.get(day)
        if exception is not None:
            return exception
        if day.weekday() not in self.working_weekdays:
            return False
        if self.holiday_country:
            holidays_of_year = _holiday_ordinals(self.holiday_country, self.holiday_subdivision, day.year)
            return day.toordinal() not in holidays_of_year
        return True

    def is_holiday(self, day: date) -> bool:
        """Whether ``day`` is a public holiday of the calendar's country (exceptions aside)."""
        if not self.holiday_country:
            return False
        return day.toordinal() in _holiday_ordinals(
            self.holiday_country, self.holiday_subdivision, day.year
        )

    # -- offsets ----------------------------------------------------------

    def offset_of(self, start: date, day: date) -> int:
        """The number of working days in ``[start, day)`` (negative if ``day < start``).

        A working ``day`` gets its index counted from ``start``; a non-working
        one gets the offset of the next working day.
        """
        index = self._covering(min(start, day).toordinal(), max(start, day).toordinal())
        ordinals = index.ordinals
        return bisect_left(ordinals, day.toordinal()) - bisect_left(ordinals, start.toordinal())

    def date_of(self, start: date, offset: int) -> date:
        """The working day with ``offset``: offset 0 is the first working day on/after ``start``.

        Negative offsets count backwards: -1 is the last working day before
        the first working day on/after ``start``.
        """
        start_ordinal = start.toordinal()
        index = self._covering(start_ordinal, start_ordinal)
        while True:
            position = bisect_left(index.ordinals, start_ordinal) + offset
            if 0 <= position < len(index.ordinals):
                return date.fromordinal(index.ordinals[position])
            index = self._grow_towards(index, position)

    def finish_date(self, start: date, exclusive_finish_offset: int) -> date:
        """The last working day occupied by work whose exclusive finish is the offset.

        That is ``date_of(start, exclusive_finish_offset - 1)``, clamped so a
        zero-length item at offset 0 shows on the first working day.
        """
        return self.date_of(start, max(exclusive_finish_offset - 1, 0))

    def due_offset(self, start: date, due: date) -> int:
        """The exclusive finish bound of work due at the end of ``due``.

        Equal to the number of working days in ``[start, due]``: work that
        finishes (exclusively) at or before this offset is done by ``due``.
        """
        return self.offset_of(start, due + timedelta(days=1))

    def add_working_days(self, day: date, working_days: int) -> date:
        """``day`` moved by ``working_days`` working days.

        A non-working ``day`` first rolls forward to the next working day (as
        numpy's ``busday_offset(roll="forward")``); 0 returns that day.
        """
        return self.date_of(day, working_days)

    def working_days_between(self, first: date, last_exclusive: date) -> int:
        """The number of working days in ``[first, last_exclusive)``; negative if reversed."""
        return self.offset_of(first, last_exclusive)

    def working_dates(self, first: date, last_exclusive: date) -> list[date]:
        """The working dates in ``[first, last_exclusive)``, in order."""
        first_ordinal, end_ordinal = first.toordinal(), last_exclusive.toordinal()
        if end_ordinal <= first_ordinal:
            return []
        ordinals = self._covering(first_ordinal, end_ordinal).ordinals
        low, high = bisect_left(ordinals, first_ordinal), bisect_left(ordinals, end_ordinal)
        return [date.fromordinal(ordinal) for ordinal in ordinals[low:high]]

    # -- the working-day index ------------------------------------------------

    def _covering(self, first_ordinal: int, last_ordinal: int) -> _WorkingDayIndex:
        """An index whose range holds ``[first_ordinal, last_ordinal]`` (built on demand)."""
        index = self._index
        if index is not None and index.first_ordinal <= first_ordinal and last_ordinal < index.end_ordinal:
            return index
        low = first_ordinal - _HORIZON_MARGIN_DAYS
        high = last_ordinal + 1 + 4 * _HORIZON_MARGIN_DAYS
        if index is not None:
            low, high = min(low, index.first_ordinal), max(high, index.end_ordinal)
        return self._rebuild(low, high)

    def _grow_towards(self, index: _WorkingDayIndex, position: int) -> _WorkingDayIndex:
        """A larger index that may contain list ``position`` (negative: before the start)."""
        if position < 0 and index.first_ordinal <= _MIN_ORDINAL:
            raise InvalidInputError("working-day offset reaches before year 1")
        if position >= 0 and index.end_ordinal >= _MAX_ORDINAL:
            raise InvalidInputError("working-day offset reaches past year 9999")
        missing_days = abs(position) + 1 if position < 0 else position - len(index.ordinals) + 1
        span_days = 2 * missing_days * 7 // len(self.working_weekdays) + _HORIZON_MARGIN_DAYS
        if position < 0:
            return self._rebuild(index.first_ordinal - span_days, index.end_ordinal)
        return self._rebuild(index.first_ordinal, index.end_ordinal + span_days)

    def _rebuild(self, first_ordinal: int, end_ordinal: int) -> _WorkingDayIndex:
        """Compute the working ordinals of ``[first_ordinal, end_ordinal)`` and keep them."""
        first_ordinal = max(first_ordinal, _MIN_ORDINAL)
        end_ordinal = min(end_ordinal, _MAX_ORDINAL)
        ordinals = list(self._working_ordinals(first_ordinal, end_ordinal))
        index = _WorkingDayIndex(first_ordinal, end_ordinal, ordinals)
        object.__setattr__(self, "_index", index)  # one assignment: safe for concurrent readers
        return index

    def _working_ordinals(self, first_ordinal: int, end_ordinal: int) -> Iterable[int]:
        """Yield the working ordinals of ``[first_ordinal, end_ordinal)`` in order."""
        # date.weekday() is (ordinal + 6) % 7; holidays are looked up per year.
        weekdays = self.working_weekdays
        off_days: set[int] = set()
        if self.holiday_country:
            first_year = date.fromordinal(first_ordinal).year
            last_year = date.fromordinal(end_ordinal - 1).year
            for year in range(first_year, last_year + 1):
                off_days |= _holiday_ordinals(self.holiday_country, self.holiday_subdivision, year)
        forced: dict[int, bool] = {}
        for day, working in self.exceptions.items():
            ordinal = day.toordinal()
            if first_ordinal <= ordinal < end_ordinal:
                forced[ordinal] = working
        for ordinal in range(first_ordinal, end_ordinal):
            working = forced.get(ordinal)
            if working is None:
                working = (ordinal + 6) % 7 in weekdays and ordinal not in off_days
            if working:
                yield ordinal


def every_day_calendar() -> WorkCalendar:
    """A calendar where all seven days work and nothing is a holiday (PSPLIB imports)."""
    return WorkCalendar(working_weekdays=ALL_WEEKDAYS)
