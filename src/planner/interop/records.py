"""The plain records every format reads into and writes from: no database, no I/O.

A format module turns a file into a :class:`Document` (and an :class:`ExportData` back into a
file); the interchange service resolves the records against the store. Ids: every imported
record carries ``external_id`` ("tw:<uuid>", "mspdi:<UID>", ...); ``alt_ids`` are bare ids (a
UUID, an iCalendar UID) by which a task exported by Planner itself is recognised when it comes back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(slots=True)
class LinkRecord:
    """A dependency on ``predecessor`` (an external id of the same file or store)."""

    predecessor: str
    type: str = "FS"
    lag_days: int = 0


@dataclass(slots=True)
class SeriesRecord:
    """A recurring series: an RFC 5545 RRULE, a policy and exceptions."""

    external_id: str
    rrule: str
    policy: str = "fixed"
    dtstart: date | None = None
    until: date | None = None
    skipped: list[date] = field(default_factory=list)
    extra_dates: list[date] = field(default_factory=list)
    template: dict[str, Any] = field(default_factory=dict)
    project: str | None = None


@dataclass(slots=True)
class ExchangeTask:
    """A task or milestone as a file describes it (dates are calendar dates)."""

    external_id: str
    title: str
    where: str = ""
    project: str | None = None
    notes: str = ""
    kind: str = "task"
    status: str = "todo"
    priority: int = 0
    due: date | None = None
    start_no_earlier: date | None = None
    snoozed_until: date | None = None
    actual_start: date | None = None
    actual_finish: date | None = None
    completed_at: datetime | None = None
    created_at: datetime | None = None
    estimate_hours: float | None = None
    duration_days: int | None = None
    percent_done: int | None = None
    tags: list[str] = field(default_factory=list)
    links: list[LinkRecord] = field(default_factory=list)
    parent: str | None = None
    assignments: list[tuple[str, float | None]] = field(default_factory=list)  # None: the person's default units
    series: str | None = None
    annotations: list[tuple[datetime | None, str]] = field(default_factory=list)
    alt_ids: tuple[str, ...] = ()
    # export only: the scheduled dates and the Planner id
    start: date | None = None
    finish: date | None = None
    critical: bool = False
    planner_id: int | None = None


@dataclass(slots=True)
class ResourceRecord:
    """A person or a pool (``kind``) with a capacity in units per working day."""

    external_id: str
    name: str
    where: str = ""
    handle: str | None = None
    email: str | None = None
    kind: str = "person"
    capacity: float | None = 1.0  # None: the file does not say (a stored person keeps theirs)
    calendar: str | None = None
    describes: bool = True  # False: the file only names the person (a stored one is linked, never rewritten)


@dataclass(slots=True)
class CalendarRecord:
    """Working weekdays (0=Mon), hours per day and dated exceptions (True = working)."""

    external_id: str
    name: str
    where: str = ""
    working_weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)
    hours_per_day: float = 8.0
    exceptions: dict[date, bool] = field(default_factory=dict)
    base: str | None = None
    weekdays_given: bool = True


@dataclass(slots=True)
class ProjectRecord:
    """A project as a scheduling file describes it."""

    external_id: str
    name: str
    start: date | None = None
    finish: date | None = None
    deadline: date | None = None
    calendar: str | None = None
    key: str | None = None


@dataclass(slots=True)
class Document:
    """Everything one file holds, as plain records.

    ``fields`` names the task fields the format carries: on re-import only
    those are compared and updated, the rest of a task is left as it was.
    ``tags``/``links``/``assignments`` are replaced on matched tasks only when
    the format carries them (listed in ``fields`` too). ``prefix`` starts the
    format's external ids (``tw:``). ``scope`` is the id
    prefix of formats whose ids are only unique within one project (MSPDI
    UIDs): the import puts the project key after it.
    """

    format: str
    tasks: list[ExchangeTask] = field(default_factory=list)
    series: dict[str, SeriesRecord] = field(default_factory=dict)
    resources: list[ResourceRecord] = field(default_factory=list)
    calendars: list[CalendarRecord] = field(default_factory=list)
    project: ProjectRecord | None = None
    fields: frozenset[str] = frozenset()
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)
    dropped: set[str] = field(default_factory=set)
    scope: str | None = None
    prefix: str = ""


@dataclass(slots=True)
class ExportData:
    """Tasks (in id order) with their series, people, calendars and, for one project, the project.

    ``schedule`` is the project's schedule, filled for formats that draw one (Mermaid).
    """

    tasks: list[ExchangeTask] = field(default_factory=list)
    series: dict[str, SeriesRecord] = field(default_factory=dict)
    resources: list[ResourceRecord] = field(default_factory=list)
    calendars: list[CalendarRecord] = field(default_factory=list)
    project: ProjectRecord | None = None
    categories: dict[str, str] = field(default_factory=dict)
    schedule: Any = None


def identify(data: ExportData, name_of: Callable[[ExchangeTask], str]) -> None:
    """Name every task for one format and point links and parents at those names."""
    names = {str(task.planner_id): name_of(task) for task in data.tasks}
    for task in data.tasks:
        task.links = [LinkRecord(names[link.predecessor], link.type, link.lag_days) for link in task.links]
        task.parent = names.get(task.parent) if task.parent else None
    for task in data.tasks:
        task.external_id = names[str(task.planner_id)]


def source_or_uuid(prefix: str) -> Callable[[ExchangeTask], str]:
    """A namer: the task's own id in this format (``prefix:<id>``), else its export UUID."""

    def name_of(task: ExchangeTask) -> str:
        if task.external_id.startswith(prefix):
            return task.external_id[len(prefix):]
        return task.alt_ids[0]

    return name_of
