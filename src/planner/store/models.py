"""SQLModel tables: the one schema of Planner and its write path.

Alembic migrations under ``store/migrations`` create exactly these tables;
``tests/store/test_migrations.py`` proves the two agree.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any, Optional

from sqlalchemy import JSON, Column, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    """The current time in UTC (the store keeps UTC; faces show local time)."""
    return datetime.now(timezone.utc)


class Calendar(SQLModel, table=True):
    """Working weekdays (0=Mon), hours per day and optional country holidays."""

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    working_weekdays: str = "0,1,2,3,4"
    hours_per_day: float = 8.0
    country: Optional[str] = None


class CalendarException(SQLModel, table=True):
    """A date that is off (holiday, vacation) or on (working Saturday)."""

    __table_args__ = (UniqueConstraint("calendar_id", "day"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    calendar_id: int = Field(foreign_key="calendar.id", index=True, ondelete="CASCADE")
    day: date
    working: bool = False
    note: str = ""


class Workflow(SQLModel, table=True):
    """An ordered set of board states."""

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(unique=True)


class WorkflowState(SQLModel, table=True):
    """One column of a workflow: a key, a category todo|doing|done, a WIP limit."""

    __table_args__ = (UniqueConstraint("workflow_id", "key"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    workflow_id: int = Field(foreign_key="workflow.id", index=True, ondelete="CASCADE")
    key: str
    name: str
    category: str = "todo"
    position: int = 0
    wip_limit: Optional[int] = None


class Project(SQLModel, table=True):
    """A project (plan, Gantt) or a stream (ongoing work)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    key: str = Field(unique=True, index=True)
    name: str
    kind: str = "project"
    start: Optional[date] = None
    deadline: Optional[date] = None
    calendar_id: Optional[int] = Field(default=None, foreign_key="calendar.id")
    workflow_id: Optional[int] = Field(default=None, foreign_key="workflow.id")
    reserve_percent: float = 0.0
    archived: bool = False
    completed_at: Optional[datetime] = None
    external_id: Optional[str] = Field(default=None, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    priority: int = Field(default=0, sa_column_kwargs={"server_default": "0"})  # portfolio order: higher books first


class Sprint(SQLModel, table=True):
    """A time box of a project with the tasks planned into it."""

    __table_args__ = (UniqueConstraint("project_id", "name"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    name: str
    start: date
    end: date


class Recurrence(SQLModel, table=True):
    """A recurring series: an RRULE, a policy and the template its instances copy."""

    id: Optional[int] = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    rrule: str
    policy: str = "fixed"
    dtstart: date
    until: Optional[date] = None
    time_of_day: Optional[str] = None
    timezone: Optional[str] = None
    template: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    skipped: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    next_due: Optional[date] = None
    active: bool = True
    starts_after_project_id: Optional[int] = Field(default=None, foreign_key="project.id")
    created_at: datetime = Field(default_factory=utcnow)


_task_version = Column("version", Integer, nullable=False, default=1)


class Task(SQLModel, table=True):
    """A task or milestone; ``version`` guards every edit (optimistic locking)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True)
    parent_id: Optional[int] = Field(default=None, foreign_key="task.id", index=True)
    title: str
    notes: str = ""
    kind: str = "task"
    status: str = Field(default="todo", index=True)
    priority: int = 0
    estimate_hours: Optional[float] = None
    duration_days: Optional[int] = None
    optimistic_days: Optional[float] = None
    likely_days: Optional[float] = None
    pessimistic_days: Optional[float] = None
    start_no_earlier: Optional[date] = None
    due: Optional[date] = Field(default=None, index=True)
    percent_done: int = 0
    actual_start: Optional[date] = None
    actual_finish: Optional[date] = None
    snoozed_until: Optional[date] = None
    board_rank: float = 0.0
    sprint_id: Optional[int] = Field(default=None, foreign_key="sprint.id", index=True)
    recurrence_id: Optional[int] = Field(default=None, foreign_key="recurrence.id", index=True)
    instance_key: Optional[str] = Field(default=None, unique=True)
    external_id: Optional[str] = Field(default=None, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    completed_at: Optional[datetime] = Field(default=None, index=True)
    version: int = Field(default=1, sa_column=_task_version)

    __mapper_args__ = {"version_id_col": _task_version}


class Dependency(SQLModel, table=True):
    """predecessor -> successor, type FS|SS|FF|SF, lag in working days."""

    __table_args__ = (UniqueConstraint("predecessor_id", "successor_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    predecessor_id: int = Field(foreign_key="task.id", index=True, ondelete="CASCADE")
    successor_id: int = Field(foreign_key="task.id", index=True, ondelete="CASCADE")
    type: str = "FS"
    lag_days: int = 0


class Resource(SQLModel, table=True):
    """A person or a pool, with capacity in units per working day."""

    id: Optional[int] = Field(default=None, primary_key=True)
    handle: str = Field(unique=True, index=True)
    name: str = ""
    email: Optional[str] = None
    kind: str = "person"
    capacity: float = 1.0
    calendar_id: Optional[int] = Field(default=None, foreign_key="calendar.id")
    external_id: Optional[str] = Field(default=None, index=True)


class Assignment(SQLModel, table=True):
    """A resource working on a task with ``units`` per day."""

    __table_args__ = (UniqueConstraint("task_id", "resource_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True, ondelete="CASCADE")
    resource_id: int = Field(foreign_key="resource.id", index=True, ondelete="CASCADE")
    units: float = 1.0


class Team(SQLModel, table=True):
    """A named group of people."""

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(unique=True)


class TeamMember(SQLModel, table=True):
    """A resource in a team."""

    __table_args__ = (UniqueConstraint("team_id", "resource_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="team.id", index=True, ondelete="CASCADE")
    resource_id: int = Field(foreign_key="resource.id", index=True, ondelete="CASCADE")


class Tag(SQLModel, table=True):
    """A label."""

    id: Optional[int] = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)


class TaskTag(SQLModel, table=True):
    """A tag on a task."""

    __table_args__ = (UniqueConstraint("task_id", "tag_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True, ondelete="CASCADE")
    tag_id: int = Field(foreign_key="tag.id", index=True, ondelete="CASCADE")


class Comment(SQLModel, table=True):
    """A note on a task by someone."""

    id: Optional[int] = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True, ondelete="CASCADE")
    author: str
    body: str
    created_at: datetime = Field(default_factory=utcnow)


class TimeEntry(SQLModel, table=True):
    """Clocked work; ``ended_at`` is empty while the timer runs (UTC)."""

    id: Optional[int] = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True, ondelete="CASCADE")
    person: str = Field(index=True)
    started_at: datetime
    ended_at: Optional[datetime] = None
    hours: float = 0.0
    note: str = ""


class Baseline(SQLModel, table=True):
    """A saved copy of a project's schedule."""

    id: Optional[int] = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="project.id", index=True, ondelete="CASCADE")
    name: str
    created_at: datetime = Field(default_factory=utcnow)


class BaselineTask(SQLModel, table=True):
    """One task's dates in a baseline."""

    id: Optional[int] = Field(default=None, primary_key=True)
    baseline_id: int = Field(foreign_key="baseline.id", index=True, ondelete="CASCADE")
    task_id: int = Field(index=True)
    start: date
    finish: date
    es: int
    ef: int
    duration_days: int
    estimate_hours: Optional[float] = None


class DayPlan(SQLModel, table=True):
    """A person's pinned order for one day's queue."""

    __table_args__ = (UniqueConstraint("person", "day", "task_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    person: str = Field(index=True)
    day: date
    task_id: int = Field(foreign_key="task.id", ondelete="CASCADE")
    position: int = 0


class Event(SQLModel, table=True):
    """The append-only activity log: feeds undo, the digest and live refresh."""

    id: Optional[int] = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor: str = Field(index=True)
    batch: str = Field(index=True)
    entity: str
    entity_id: Optional[int] = None
    action: str
    before: Optional[dict[str, Any]] = Field(default=None, sa_column=Column(JSON))
    after: Optional[dict[str, Any]] = Field(default=None, sa_column=Column(JSON))
    undone: bool = False


class DigestLog(SQLModel, table=True):
    """Which digest went to whom for which day."""

    __table_args__ = (UniqueConstraint("recipient", "day", "kind"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    recipient: str
    day: date
    kind: str = "person"
    status: str = "sending"
    attempts: int = 0
    claimed_at: Optional[datetime] = None
    sent_at: Optional[datetime] = None
    error: Optional[str] = None


#: entity name (as written in Event.entity) -> table class, for undo and dumps.
ENTITIES: dict[str, type[SQLModel]] = {
    cls.__tablename__: cls  # type: ignore[misc]
    for cls in (
        Calendar, CalendarException, Workflow, WorkflowState, Project, Sprint, Recurrence,
        Task, Dependency, Resource, Assignment, Team, TeamMember, Tag, TaskTag, Comment,
        TimeEntry, Baseline, BaselineTask, DayPlan,
    )
}



class SyncPairing(SQLModel, table=True):
    """A project paired with a CalDAV calendar collection: where it syncs and how far it got."""

    __table_args__ = (UniqueConstraint("url", "project_id"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    kind: str = "caldav"
    url: str
    username: str = ""
    project_id: int = Field(foreign_key="project.id", index=True)
    uid_prefix: str
    ctag: Optional[str] = None
    last_synced_at: Optional[datetime] = None
    last_report: Optional[dict[str, Any]] = Field(default=None, sa_column=Column(JSON))
    created_at: datetime = Field(default_factory=utcnow)


class SyncItem(SQLModel, table=True):
    """One task and its calendar object as both sides last agreed (``base`` holds the agreed fields)."""

    __table_args__ = (UniqueConstraint("pairing_id", "uid"),)
    id: Optional[int] = Field(default=None, primary_key=True)
    pairing_id: int = Field(foreign_key="syncpairing.id", index=True)
    task_id: Optional[int] = Field(default=None, index=True)
    uid: str
    href: str
    etag: Optional[str] = None
    task_version: int = 0
    base: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))

def table_models() -> dict[str, type[SQLModel]]:
    """Table name -> its SQLModel class, for every table of the schema."""
    return {mapper.class_.__tablename__: mapper.class_ for mapper in SQLModel._sa_registry.mappers}  # type: ignore[attr-defined]


# SQLite reuses the highest id of a deleted row unless the table says AUTOINCREMENT; ids are
# never reused (a task number in someone's shell must not come to mean another task).
for _table in SQLModel.metadata.tables.values():
    _table.dialect_options["sqlite"]["autoincrement"] = True
