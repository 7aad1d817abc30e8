"""Read side of the daily queue: candidates, capacity inputs and day plans, as plain rows.

``planner queue`` is a hot read command: this module runs SQL on the DB-API
connection (``?`` placeholders) and builds no ORM objects. Dates go in as ISO
text so SQLite's text dates and PostgreSQL's dates compare alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from planner.store.dbapi import ReadConnection
from planner.store.columns import TASK, as_datetime, row_query
from planner.store.filter_sql import BLOCKED, UNASSIGNED

_CHUNK = 500


@dataclass(slots=True)
class CandidateRow:
    """An open task someone could work on today, with what ranking needs."""

    id: int
    title: str
    project: str
    project_kind: str
    status: str
    category: str
    priority: int
    due: date | None
    estimate_hours: float | None
    actual_start: date | None
    created_at: datetime | None
    recurrence_id: int | None
    project_id: int
    percent_done: int = 0
    duration_days: float | None = None
    my_units: float | None = None  # the person's units on the task (None: not assigned to them)
    total_units: float | None = None  # everyone's units on it


@dataclass(slots=True)
class PersonRow:
    """A person's capacity inputs: units per day and the calendar they work by."""

    id: int | None
    handle: str
    capacity: float
    calendar_id: int | None


@dataclass(slots=True)
class Reservation:
    """A stream's share of a person's capacity."""

    stream: str
    percent: float


_CANDIDATE_ROW = row_query(CandidateRow, TASK, "t", {
    "project": ("p.key", "str"), "project_kind": ("p.kind", "str"),
    "category": ("COALESCE(ws.category, 'todo')", "str"),
    "my_units": ("(SELECT SUM(a.units) FROM assignment a WHERE a.task_id = t.id AND a.resource_id = ?)", "float"),
    "total_units": ("(SELECT SUM(a.units) FROM assignment a WHERE a.task_id = t.id)", "float"),
})
_CANDIDATE_SQL = (
    f"SELECT {_CANDIDATE_ROW.select} "
    "FROM task t JOIN project p ON p.id = t.project_id "
    "LEFT JOIN workflowstate ws ON ws.workflow_id = COALESCE(p.workflow_id, ?) AND ws.key = t.status "
    "WHERE {who} AND t.completed_at IS NULL AND p.archived = ? AND t.kind <> 'milestone' "
    "AND (t.snoozed_until IS NULL OR t.snoozed_until <= ?) "
    "AND (t.start_no_earlier IS NULL OR t.start_no_earlier <= ?) "
    "AND (t.recurrence_id IS NULL OR t.due IS NULL OR t.due <= ?) "
    "AND NOT EXISTS (SELECT 1 FROM task c WHERE c.parent_id = t.id) "
    f"AND NOT {BLOCKED}"
)


def default_workflow_id(conn: ReadConnection) -> int:
    """The id of the default workflow (1 on a fresh database)."""
    return int(conn.scalar("SELECT id FROM workflow WHERE name = 'default'") or 1)


def person(conn: ReadConnection, handle: str) -> PersonRow:
    """The resource behind a handle; someone without one counts as a full-time person on the standard calendar."""
    row = conn.one("SELECT id, handle, capacity, calendar_id FROM resource WHERE handle = ?", [handle])
    if row is None:
        return PersonRow(None, handle, 1.0, None)
    return PersonRow(row[0], row[1], float(row[2]), row[3])


def shared_projects(conn: ReadConnection, who: PersonRow) -> list[int]:
    """Projects whose unassigned tasks are this person's to take: their streams and unowned work.

    Their streams are the streams where they hold any task; unowned projects are those where nobody holds one.
    """
    ids = {int(r[0]) for r in conn.rows(
        "SELECT p.id FROM project p WHERE p.archived = ? AND NOT EXISTS (SELECT 1 FROM task st "
        "JOIN assignment sa ON sa.task_id = st.id WHERE st.project_id = p.id)", [False])}
    if who.id is not None:
        ids.update(int(r[0]) for r in conn.rows(
            "SELECT DISTINCT t.project_id FROM assignment a JOIN task t ON t.id = a.task_id "
            "JOIN project p ON p.id = t.project_id WHERE a.resource_id = ? AND p.kind = 'stream'", [who.id]))
    return sorted(ids)


def candidates(conn: ReadConnection, who: PersonRow, day: date) -> list[CandidateRow]:
    """Open, unblocked, unsnoozed tasks that have started: assigned to the person, or unassigned in
    :func:`shared_projects`. Milestones and summary tasks are not work; a recurring instance joins on its due date.
    """
    iso = day.isoformat()
    common = [-1 if who.id is None else who.id, default_workflow_id(conn)]  # my_units's ?, then the workflow's
    tail = [False, iso, iso, iso]
    found: list[tuple] = []
    if who.id is not None:
        found += conn.rows(_CANDIDATE_SQL.format(
            who="t.id IN (SELECT a.task_id FROM assignment a WHERE a.resource_id = ?)"), [*common, who.id, *tail])
    shared = shared_projects(conn, who)
    for first in range(0, len(shared), _CHUNK):
        chunk = shared[first:first + _CHUNK]
        found += conn.rows(_CANDIDATE_SQL.format(
            who=f"t.project_id IN ({', '.join('?' for _ in chunk)}) AND {UNASSIGNED}"), [*common, *chunk, *tail])
    return [_CANDIDATE_ROW.build(row) for row in found]


#: Links whose successor is unfinished. The link table drives (EXISTS probes the task by its primary key), so the
#: cost is one pass over the links whatever the statistics; joining ``task`` let SQLite start from every open task
#: and probe the id list for each, quadratic on a store with many open tasks.
_OPEN_SUCCESSOR_LINKS = (
    "SELECT d.predecessor_id, count(*) FROM dependency d "
    "WHERE EXISTS (SELECT 1 FROM task s WHERE s.id = d.successor_id AND s.completed_at IS NULL){ids} "
    "GROUP BY d.predecessor_id"
)


def open_successor_counts(conn: ReadConnection, task_ids: Sequence[int]) -> dict[int, int]:
    """For each task, how many unfinished tasks wait on it directly."""
    ids = sorted(set(task_ids))
    if not ids:
        return {}
    if len(ids) > _CHUNK:  # one pass over every link beats many id lists
        wanted = set(ids)
        return {int(predecessor): int(count) for predecessor, count in conn.rows(_OPEN_SUCCESSOR_LINKS.format(ids=""))
                if predecessor in wanted}
    marks = ", ".join("?" for _ in ids)
    return {int(predecessor): int(count) for predecessor, count in conn.rows(
        _OPEN_SUCCESSOR_LINKS.format(ids=f" AND d.predecessor_id IN ({marks})"), ids)}


def reservations(conn: ReadConnection, who: PersonRow) -> list[Reservation]:
    """Streams reserving a share of this person (those where they hold open work), as leveling counts them."""
    if who.id is None:
        return []
    rows = conn.rows(
        "SELECT DISTINCT p.key, p.reserve_percent FROM assignment a JOIN task t ON t.id = a.task_id "
        "JOIN project p ON p.id = t.project_id WHERE a.resource_id = ? AND p.kind = 'stream' "
        "AND p.reserve_percent > 0 AND p.archived = ? AND t.completed_at IS NULL ORDER BY p.key",
        [who.id, False])
    return [Reservation(key, float(percent)) for key, percent in rows]


def clocked_hours(conn: ReadConnection, handle: str, start_utc: datetime, end_utc: datetime,
                  now_utc: datetime) -> float:
    """Hours a person clocked in [start, end) (aware UTC), a running timer counted up to ``now_utc``."""
    total = 0.0
    for started, ended, hours in conn.rows(
        "SELECT started_at, ended_at, hours FROM timeentry WHERE person = ? AND started_at < ? "
        "AND (ended_at IS NULL OR ended_at > ?)",
        [handle, _db_time(conn, end_utc), _db_time(conn, start_utc)],
    ):
        begin, finish = _utc(started), _utc(ended)
        if finish is not None and begin >= start_utc and finish <= end_utc:
            total += float(hours or 0.0)  # wholly inside the day: the entry's hours are what counts
            continue
        finish = finish if finish is not None else max(begin, min(now_utc, end_utc))
        total += max(0.0, (min(finish, end_utc) - max(begin, start_utc)).total_seconds()) / 3600.0
    return total


def _utc(value: Any) -> datetime | None:
    """A stored time as aware UTC (SQLite gives naive UTC text, PostgreSQL an aware timestamp)."""
    parsed = as_datetime(value)
    if parsed is None:
        return None
    return parsed.replace(tzinfo=timezone.utc) if parsed.tzinfo is None else parsed.astimezone(timezone.utc)


def _db_time(conn: ReadConnection, value: datetime) -> Any:
    """An aware UTC time as the column compares (naive UTC text on SQLite, a timestamptz on PostgreSQL)."""
    if conn.dialect == "sqlite":
        return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def day_plan(conn: ReadConnection, handle: str, day: date) -> list[int]:
    """The task ids a person pinned for a day, in their order."""
    return [int(r[0]) for r in conn.rows(
        "SELECT task_id FROM dayplan WHERE person = ? AND day = ? ORDER BY position, id", [handle, day.isoformat()])]


#: What the slack cache's validity rests on besides the event log: counts, newest ids and update stamps.
_STORE_STATE_SQL = (
    "SELECT (SELECT max(id) FROM event), (SELECT count(*) FROM task), (SELECT max(id) FROM task), "
    "(SELECT max(updated_at) FROM task), (SELECT count(*) FROM dependency), (SELECT max(id) FROM dependency), "
    "(SELECT count(*) FROM assignment), (SELECT max(id) FROM assignment), (SELECT max(updated_at) FROM project), "
    "(SELECT count(*) FROM calendarexception), (SELECT max(id) FROM calendarexception), "
    "(SELECT count(*) FROM calendar)"
)


def store_state(conn: ReadConnection) -> tuple:
    """(newest event id, then the fingerprint of the tables a schedule reads)."""
    return conn.one(_STORE_STATE_SQL) or (None,)


def event_count_between(conn: ReadConnection, after_event: int, up_to_event: int) -> int:
    """How many events lie in (after, up_to]."""
    return int(conn.scalar("SELECT count(*) FROM event WHERE id > ? AND id <= ?", [after_event, up_to_event]) or 0)


def events_between(conn: ReadConnection, after_event: int, up_to_event: int) -> list[tuple]:
    """(entity, entity id, before, after) of the events in (after, up_to]."""
    return conn.rows("SELECT entity, entity_id, before, after FROM event WHERE id > ? AND id <= ?",
                     [after_event, up_to_event])


def projects_of_tasks(conn: ReadConnection, task_ids: Sequence[int]) -> set[int]:
    """The projects holding these tasks."""
    ids = sorted(set(task_ids))
    projects: set[int] = set()
    for first in range(0, len(ids), _CHUNK):
        chunk = ids[first:first + _CHUNK]
        projects.update(int(r[0]) for r in conn.rows(
            f"SELECT DISTINCT project_id FROM task WHERE id IN ({', '.join('?' for _ in chunk)})", chunk))
    return projects


def open_task_projects(conn: ReadConnection, project_ids: Sequence[int] | None = None) -> dict[int, int]:
    """``{open task id: its project id}``, of every project or of the given ones."""
    if project_ids is None:
        rows = conn.rows("SELECT id, project_id FROM task WHERE completed_at IS NULL")
    else:
        ids = list(project_ids)
        if not ids:
            return {}
        rows = conn.rows(f"SELECT id, project_id FROM task WHERE project_id IN ({', '.join('?' for _ in ids)}) "
                         "AND completed_at IS NULL", ids)
    return {int(task_id): int(project_id) for task_id, project_id in rows}
