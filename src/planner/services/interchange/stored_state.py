"""What the store already holds, as far as an import needs it (read inside the import's transaction).

Loads plain dicts and tuples through SQLAlchemy Core on the unit of work's
connection — no ORM objects — and only for the tasks an import matches, in
chunks, so re-importing 100k tasks stays a handful of queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Connection, select

from planner.interop.slugs import bare_uuid, planner_uuid
from planner.store.columns import TASK
from planner.store.models import (
    Assignment, Calendar, CalendarException, Comment, Dependency, Project, Recurrence, Resource, Tag, Task, TaskTag, Workflow,
    WorkflowState,
)

CHUNK = 500
_TASK_FIELDS = TASK.pick("id", "parent_id", "title", "notes", "kind", "status", "priority", "due", "start_no_earlier",
                         "snoozed_until", "actual_start", "actual_finish", "completed_at", "estimate_hours",
                         "duration_days", "percent_done", "project_id", "recurrence_id", "external_id")


def table(model: Any) -> Any:
    """The Core table of a model."""
    return model.__table__


def chunks(values: list[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    """Consecutive slices of at most ``size`` values (for IN lists)."""
    for first in range(0, len(values), size):
        yield values[first:first + size]


class StoredState:
    """Projects, workflows, tags, resources, calendars and the matched tasks of the store."""

    def __init__(self, conn: Connection):
        self.conn = conn
        project = table(Project)
        self.projects: dict[str, dict[str, Any]] = {
            row.key: dict(row._mapping) for row in conn.execute(select(
                project.c.id, project.c.key, project.c.name, project.c.kind, project.c.start, project.c.deadline,
                project.c.workflow_id, project.c.calendar_id, project.c.external_id))}
        state = table(WorkflowState)
        self._states: dict[int, list[tuple[str, str]]] = {}
        for row in conn.execute(select(state.c.workflow_id, state.c.key, state.c.category)
                                .order_by(state.c.workflow_id, state.c.position)):
            self._states.setdefault(row.workflow_id, []).append((row.key, row.category))
        workflow = table(Workflow)
        self.default_workflow_id = conn.execute(select(workflow.c.id).where(workflow.c.name == "default")).scalar()
        tag = table(Tag)
        self.tag_ids: dict[str, int] = {row.name: row.id for row in conn.execute(select(tag.c.id, tag.c.name))}
        resource = table(Resource)
        self.resources: dict[int, dict[str, Any]] = {
            row.id: dict(row._mapping) for row in conn.execute(select(
                resource.c.id, resource.c.handle, resource.c.name, resource.c.email, resource.c.kind,
                resource.c.capacity, resource.c.calendar_id, resource.c.external_id))}
        calendar = table(Calendar)
        self.calendars: dict[str, dict[str, Any]] = {
            row.name: dict(row._mapping) for row in conn.execute(select(
                calendar.c.id, calendar.c.name, calendar.c.working_weekdays, calendar.c.hours_per_day))}
        recurrence = table(Recurrence)
        self.series: dict[str, dict[str, Any]] = {}
        for row in conn.execute(select(recurrence.c.id, recurrence.c.rrule, recurrence.c.policy, recurrence.c.dtstart,
                                       recurrence.c.until, recurrence.c.template, recurrence.c.skipped,
                                       recurrence.c.project_id, recurrence.c.next_due)):
            key = (row.template or {}).get("external_id")
            if key:
                self.series[key] = dict(row._mapping)
        task = table(Task)
        self.by_external: dict[str, int] = {}
        for task_id, external_id in conn.execute(select(task.c.id, task.c.external_id)
                                                 .where(task.c.external_id.is_not(None)).order_by(task.c.id)):
            self.by_external.setdefault(external_id, task_id)
        self._by_uuid: dict[str, int] | None = None
        self.tasks: dict[int, dict[str, Any]] = {}
        self.task_tags: dict[int, set[str]] = {}
        self.links_into: dict[int, dict[int, tuple[int, str, int]]] = {}
        self.assignments: dict[int, dict[int, tuple[int, float]]] = {}
        self.comment_bodies: dict[int, set[str]] = {}
        self._edges: list[tuple[int, int]] | None = None

    def match(self, external_id: str, alt_ids: Iterable[str] = ()) -> int | None:
        """The stored task with this external id, or carrying one of these UUIDs; None when new."""
        found = self.by_external.get(external_id)
        if found is not None:
            return found
        for alt in alt_ids:
            found = self._uuid_index().get(alt.lower())
            if found is not None:
                return found
        return None

    def _uuid_index(self) -> dict[str, int]:
        """UUID -> task: the UUID inside each external id, and the one Planner's exports derive."""
        if self._by_uuid is None:
            task = table(Task)
            index: dict[str, int] = {}
            for task_id, external_id, created_at in self.conn.execute(
                    select(task.c.id, task.c.external_id, task.c.created_at).order_by(task.c.id)):
                index.setdefault(planner_uuid(task_id, created_at), task_id)
                if external_id and (uuid := bare_uuid(external_id)):
                    index.setdefault(uuid, task_id)
            self._by_uuid = index
        return self._by_uuid

    def load_tasks(self, task_ids: list[int]) -> None:
        """Load the columns, tags, incoming links, assignments and comments of matched tasks.

        A few ids are fetched with IN lists; for many, one scan per table beats thousands of IN queries.
        """
        task, task_tag, tag = table(Task), table(TaskTag), table(Tag)
        dependency, assignment, comment = table(Dependency), table(Assignment), table(Comment)
        ids = sorted(set(task_ids))
        wanted = set(ids)
        queries = [
            (select(*(task.c[name] for name in _TASK_FIELDS)), task.c.id, self._add_task),
            (select(task_tag.c.task_id, tag.c.name).join(tag, tag.c.id == task_tag.c.tag_id), task_tag.c.task_id,
             self._add_tag),
            (select(dependency.c.successor_id, dependency.c.id, dependency.c.predecessor_id, dependency.c.type,
                    dependency.c.lag_days), dependency.c.successor_id, self._add_link),
            (select(assignment.c.task_id, assignment.c.id, assignment.c.resource_id, assignment.c.units),
             assignment.c.task_id, self._add_assignment),
            (select(comment.c.task_id, comment.c.body), comment.c.task_id, self._add_comment),
        ]
        for statement, column, add in queries:
            if len(ids) > 4 * CHUNK:
                for row in self.conn.execute(statement):
                    if row[0] in wanted:
                        add(row)
                continue
            for chunk in chunks(ids):
                for row in self.conn.execute(statement.where(column.in_(chunk))):
                    add(row)

    def _add_task(self, row: Any) -> None:
        self.tasks[row.id] = dict(row._mapping)

    def _add_tag(self, row: Any) -> None:
        self.task_tags.setdefault(row[0], set()).add(row[1])

    def _add_link(self, row: Any) -> None:
        self.links_into.setdefault(row[0], {})[row[2]] = (row[1], row[3], row[4])

    def _add_assignment(self, row: Any) -> None:
        self.assignments.setdefault(row[0], {})[row[2]] = (row[1], row[3])

    def _add_comment(self, row: Any) -> None:
        self.comment_bodies.setdefault(row[0], set()).add(row[1])

    def all_edges(self) -> list[tuple[int, int]]:
        """Every stored dependency as (predecessor, successor)."""
        if self._edges is None:
            dependency = table(Dependency)
            self._edges = [(int(p), int(s)) for p, s in self.conn.execute(
                select(dependency.c.predecessor_id, dependency.c.successor_id))]
        return self._edges

    def states_of(self, project: dict[str, Any] | None) -> list[tuple[str, str]]:
        """(state key, category) of a project's workflow, in board order (the default workflow when unset)."""
        workflow_id = (project or {}).get("workflow_id") or self.default_workflow_id
        return self._states.get(workflow_id, [])

    def category_of(self, project_key: str, status: str | None) -> str | None:
        """The category of a state key in a project's workflow."""
        for key, category in self.states_of(self.projects.get(project_key)):
            if key == status:
                return category
        return None

    def resource_key(self, resource_id: int) -> str:
        """How an import names a stored resource: its external id, else ``handle:<handle>``."""
        row = self.resources.get(resource_id, {})
        return row.get("external_id") or f"handle:{row.get('handle')}"

    def calendar_exceptions(self, calendar_id: int) -> dict:
        """A stored calendar's exceptions: date -> working."""
        exception = table(CalendarException)
        return {row.day: bool(row.working) for row in self.conn.execute(
            select(exception.c.day, exception.c.working).where(exception.c.calendar_id == calendar_id))}
