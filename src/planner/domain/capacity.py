"""How much of a day people give: the bounds every capacity and assignment keeps to."""

from __future__ import annotations

from planner.domain.errors import InvalidInputError

#: The smallest share of a day a person or an assignment can give (an hour every two weeks at 8 h a day):
#: below it, a plan runs for centuries.
MIN_UNITS = 0.01
#: A pool of people gives at most this many units a day.
MAX_CAPACITY = 1000.0


def check_units(units: float, where: str = "") -> None:
    """Refuse assignment units below :data:`MIN_UNITS` (and NaN)."""
    if not MIN_UNITS <= units:
        raise InvalidInputError(f"{where}assignment units must be at least {MIN_UNITS:g}, not {units:g}")


def check_capacity(capacity: float, where: str = "") -> None:
    """Refuse a capacity below the smallest assignment or beyond any team (and NaN)."""
    if not MIN_UNITS <= capacity <= MAX_CAPACITY:
        raise InvalidInputError(f"{where}capacity must be from {MIN_UNITS:g} to {MAX_CAPACITY:g} units per day "
                                f"(1 is full time), not {capacity:g}")
