"""Plain records the write use cases hand back to the faces: a row as the write left it, detached from the session.

A face never holds an ORM object: it reads these fields, and anything more
through the read side (`queries`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, TypeVar

Record = TypeVar("Record")


def detached(record: type[Record], row: Any) -> Record:
    """``record`` filled field by field from ``row`` (an ORM object still in its session)."""
    return record(**{item.name: getattr(row, item.name) for item in fields(record)})  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class TaskState:
    """A task after a write."""

    id: int
    title: str
    project_id: int
    kind: str
    status: str
    priority: int
    due: date | None
    start_no_earlier: date | None
    snoozed_until: date | None
    estimate_hours: float | None
    duration_days: int | None
    percent_done: int
    actual_start: date | None
    actual_finish: date | None
    completed_at: datetime | None
    recurrence_id: int | None
    version: int


@dataclass(frozen=True, slots=True)
class ProjectState:
    """A project or stream after a write."""

    id: int
    key: str
    name: str
    kind: str
    start: date | None
    deadline: date | None
    archived: bool


@dataclass(frozen=True, slots=True)
class ResourceState:
    """A person or pool after a write."""

    id: int
    handle: str
    name: str
    email: str | None
    kind: str
    capacity: float


@dataclass(frozen=True, slots=True)
class CalendarState:
    """A calendar after a write."""

    id: int
    name: str
    working_weekdays: str
    hours_per_day: float
    country: str | None


@dataclass(frozen=True, slots=True)
class BaselineState:
    """A saved baseline."""

    id: int
    project_id: int
    name: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class LinkState:
    """A dependency after a write."""

    id: int
    predecessor_id: int
    successor_id: int
    type: str
    lag_days: int
