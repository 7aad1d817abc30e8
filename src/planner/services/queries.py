"""The read side of tasks and projects for every face (no ORM on this path)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from planner.domain.errors import NotFoundError
from planner.services.context import Context
from planner.services.history import Annotation, HistoryEntry, annotations_of, task_history
from planner.store import catalog_views, views
from planner.store.views import ProjectRecord, ResourceRecord, TaskRow

__all__ = ["ProjectRecord", "ResourceRecord", "TaskRow", "TaskList", "TaskDetail", "HistoryEntry", "Annotation",
           "list_tasks", "get_task",
           "task_detail", "list_projects", "get_project", "list_resources", "list_dependencies",
           "last_event_id"]


@dataclass(slots=True)
class TaskList:
    """A page of tasks and how many matched in all."""

    tasks: list[TaskRow]
    total: int


def list_tasks(ctx: Context, terms: list[str] | None = None, *, limit: int | None = None) -> TaskList:
    """Tasks matching a filter (open ones unless the filter asks for done)."""
    from planner.domain.filters import check_statuses, parse_filter
    from planner.store.filter_sql import filter_sql

    parsed = parse_filter(terms or [], me=ctx.actor, today=ctx.today(), parse_date=_parse_date)
    compiled = filter_sql(parsed)
    with ctx.reader() as conn:
        if parsed.statuses:
            check_statuses(parsed, views.status_keys(conn))
        tasks = views.select_tasks(conn, compiled.where, compiled.params, limit=limit)
        total = len(tasks) if not limit or len(tasks) < limit else views.count_tasks(conn, compiled.where,
                                                                                    compiled.params)
    return TaskList(tasks, total)


def _parse_date(text: str, today: date) -> date:
    from planner.domain.dates import parse_date

    return parse_date(text, today)


def get_task(ctx: Context, task_id: int) -> TaskRow:
    """One task, or NotFoundError."""
    with ctx.reader() as conn:
        task = views.task_by_id(conn, task_id)
    if task is None:
        raise NotFoundError(f"no task #{task_id}: `planner ls` lists the open tasks and their ids")
    return task


@dataclass(slots=True)
class TaskDetail:
    """A task with its links, annotations and recent history (each command's changes), for `show`."""

    task: TaskRow
    predecessors: list[views.LinkRecord]
    successors: list[views.LinkRecord]
    history: list[HistoryEntry]
    annotations: list[Annotation] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The task's JSON plus links, annotations and history."""
        data = self.task.to_json()
        data["predecessors"] = [_link_json(link, link.predecessor_id) for link in self.predecessors]
        data["successors"] = [_link_json(link, link.successor_id) for link in self.successors]
        data["annotations"] = [note.to_json() for note in self.annotations]
        data["history"] = [entry.to_json() for entry in self.history]
        return data


def _link_json(link: views.LinkRecord, other_id: int) -> dict[str, Any]:
    return {"task": other_id, "title": link.other_title, "type": link.type, "lag_days": link.lag_days,
            "done": link.other_done}


def task_detail(ctx: Context, task_id: int) -> TaskDetail:
    """A task with predecessors, successors and its recent history."""
    with ctx.reader() as conn:
        task = views.task_by_id(conn, task_id)
        if task is None:
            raise NotFoundError(f"no task #{task_id}: `planner ls` lists the open tasks and their ids")
        predecessors, successors = views.links_of(conn, task_id)
        history = task_history(conn, task_id, task.tags, task.assignees)
        annotations = annotations_of(conn, task_id)
    return TaskDetail(task, predecessors, successors, history, annotations)


def list_projects(ctx: Context, *, include_archived: bool = False) -> list[ProjectRecord]:
    """Projects and streams with task counts."""
    with ctx.reader() as conn:
        return views.select_projects(conn, include_archived=include_archived)


def get_project(ctx: Context, key: str) -> ProjectRecord:
    """One project by key, or NotFoundError."""
    with ctx.reader() as conn:
        found = views.select_projects(conn, include_archived=True, key=key.strip().lower())
        if not found:
            from planner.domain.suggest import no_project

            raise NotFoundError(no_project(key, catalog_views.project_keys(conn)))
    return found[0]


def list_resources(ctx: Context) -> list[ResourceRecord]:
    """People and pools."""
    with ctx.reader() as conn:
        return views.select_resources(conn)


def list_dependencies(ctx: Context, task_id: int | None = None) -> list[views.LinkRecord]:
    """Every dependency (or those touching one task)."""
    with ctx.reader() as conn:
        if task_id is not None:
            predecessors, successors = views.links_of(conn, task_id)
            return predecessors + successors
        rows = catalog_views.dependency_links(conn)
    return [views.LinkRecord(r[0], r[1], r[2], r[3], r[4], r[5], r[6] is not None) for r in rows]


def last_event_id(ctx: Context) -> int:
    """The newest Event id; faces poll it to notice other processes' writes."""
    with ctx.reader() as conn:
        return views.last_event_id(conn)
