"""Portfolio rules: the order projects book shared people in, and capacity less earlier bookings.

Projects are taken by priority (higher first), then by key; a project whose
tasks wait for another project's tasks comes after that project. A person's
capacity for a project is what their calendar and stream reservations leave,
minus the units the plans of the projects before it already book that date.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from planner.domain.errors import InvalidInputError


def portfolio_order(projects: Iterable[tuple[int, str, int]], waits: Iterable[tuple[int, int]]) -> list[int]:
    """Project ids of ``(id, key, priority)`` in portfolio order; ``waits`` are (predecessor, successor) ids.

    Raises InvalidInputError naming the projects when some wait for each other round a circle.
    """
    by_id = {project_id: (-priority, key) for project_id, key, priority in projects}
    waits_for: dict[int, set[int]] = defaultdict(set)
    for predecessor, successor in waits:
        if predecessor in by_id and successor in by_id and predecessor != successor:
            waits_for[successor].add(predecessor)
    blocking = {project_id: len(waits_for[project_id]) for project_id in by_id}
    unblocks: dict[int, list[int]] = defaultdict(list)
    for successor, predecessors in waits_for.items():
        for predecessor in predecessors:
            unblocks[predecessor].append(successor)
    ready = [(*by_id[project_id], project_id) for project_id, count in blocking.items() if count == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        project_id = heapq.heappop(ready)[2]
        order.append(project_id)
        for successor in unblocks[project_id]:
            blocking[successor] -= 1
            if blocking[successor] == 0:
                heapq.heappush(ready, (*by_id[successor], successor))
    if len(order) < len(by_id):
        stuck = sorted(by_id[project_id][1] for project_id, count in blocking.items() if count > 0)
        raise InvalidInputError(f"projects {', '.join(stuck)} wait for each other through cross-project links; "
                                "`planner dep ls` lists the links, `planner dep rm` removes one")
    return order


@dataclass(slots=True)
class LessBooked:
    """A person's capacity on a project day minus what earlier projects' plans book that day."""

    base: float | Callable[[int], float]
    booked: dict[int, float]  # project day offset -> units

    def __call__(self, offset: int) -> float:
        base = self.base(offset) if callable(self.base) else self.base
        return max(0.0, base - self.booked.get(offset, 0.0))


def less_booked(capacities: dict[int, Any], bookings: dict[int, dict[date, float]],
                project_days: list[date]) -> dict[int, Any]:
    """Each resource's capacity less its bookings (unchanged for a resource nobody booked yet).

    ``project_days`` are the project's working dates by offset (day 0 first), as far as any booking reaches.
    """
    offsets = {day: offset for offset, day in enumerate(project_days)}
    limits: dict[int, Any] = {}
    for resource, base in capacities.items():
        booked = {offsets[day]: units for day, units in bookings.get(resource, {}).items() if day in offsets}
        limits[resource] = LessBooked(base, booked) if booked else base
    return limits


def add_bookings(bookings: dict[int, dict[date, float]], days: Iterable[date],
                 demands: Iterable[tuple[int, float]]) -> None:
    """Book each (resource, units) of ``demands`` on each of ``days``."""
    demands = list(demands)
    for day in days:
        for resource, units in demands:
            booked = bookings.setdefault(resource, {})
            booked[day] = booked.get(day, 0.0) + units
