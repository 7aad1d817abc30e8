"""The errors a person sees: every user-facing failure is a PlannerError."""

from __future__ import annotations


class PlannerError(Exception):
    """A failure with a message a person can act on (the CLI prints it, exits 1)."""


class NotFoundError(PlannerError):
    """An id, key or handle that does not exist."""


class InvalidInputError(PlannerError):
    """Malformed input: a date, a duration, a filter, a file."""


class OverCapacityError(InvalidInputError):
    """Tasks that demand more of a resource per day than it ever has: ``(task id, resource id, units, capacity)``."""

    def __init__(self, demands: list[tuple[int, int, float, float]], message: str):
        super().__init__(message)
        self.demands = demands


class NoRoomError(InvalidInputError):
    """A task whose resources never have its units free on enough working days in a row.

    ``blocking`` lists ``(resource id, units per day)``; ``days`` is the run of working days it needs.
    """

    def __init__(self, task_id: int, blocking: list[tuple[int, float]], days: int, message: str):
        super().__init__(message)
        self.task_id, self.blocking, self.days = task_id, blocking, days


class CycleError(PlannerError):
    """A dependency that would close a cycle; names the tasks in it."""

    def __init__(self, cycle: list[int] | tuple[int, ...], message: str | None = None):
        self.cycle = tuple(cycle)
        path = " -> ".join(f"#{task_id}" for task_id in (*self.cycle, self.cycle[0]))
        super().__init__(message or f"dependency cycle: {path}; remove one of these links first")


class StaleEditError(PlannerError):
    """An edit based on an old version of a record; someone changed it meanwhile."""


class ConflictError(PlannerError):
    """A rule refused the change (WIP limit, duplicate key, running timer ...)."""
