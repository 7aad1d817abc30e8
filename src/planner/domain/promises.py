"""Honest promises: when could a person finish some effort, given the work their plan already holds?

The input is the person's free hours, working day by working day from the
first day the work may start: their capacity that day (calendar, stream
reservations) less what the work ahead of it in the leveled plans books. The
effort fills the free hours in order; it finishes on the day the filled
hours reach it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

#: Below this many free hours a day counts as full (rounding of fractional bookings).
_EPSILON = 1e-6


@dataclass(frozen=True, slots=True)
class Outlook:
    """When effort could start and finish, and the last full day before it could start.

    ``earliest_finish`` is None when the free hours given do not hold the effort.
    """

    earliest_start: date | None
    earliest_finish: date | None
    booked_until: date | None

    def meets(self, due: date) -> bool:
        """Whether the effort can be done by the end of ``due``."""
        return self.earliest_finish is not None and self.earliest_finish <= due


def earliest_finish(free_hours: Iterable[tuple[date, float]], effort_hours: float) -> Outlook:
    """Fill ``effort_hours`` into the free hours of each day in order; ``free_hours`` is (day, hours), ascending."""
    start: date | None = None
    booked_until: date | None = None
    filled = 0.0
    for day, hours in free_hours:
        if hours <= _EPSILON:
            if start is None:
                booked_until = day
            continue
        if start is None:
            start = day
        filled += hours
        if filled >= effort_hours - _EPSILON:
            return Outlook(start, day, booked_until)
    return Outlook(start, None, booked_until)
