"""Schedule slack for the daily queue, kept in a cache file and brought up to date project by project.

Slack needs every project's critical-path schedule: seconds at 100k tasks,
far too slow for a command people run many times a day. The result of
``open_task_slack`` is therefore cached in ``$PLANNER_CACHE_DIR`` (default:
the user cache dir), per project, with the newest Event id it reflects and a
fingerprint of the tables a schedule reads (row counts, newest ids and update
stamps), the status date and the Planner version.

On the next run:

* nothing changed: the cache is used as it is;
* only service writes happened (every one logs an Event): the events since
  the cached id name the projects they touched (a task's project, a link's or
  assignment's tasks' projects, the project itself); only those projects are
  scheduled again — a project's schedule never depends on another's;
* anything the events cannot place (a calendar edit, an undo, an import, rows
  written behind Planner's back, another day, another version): everything is
  scheduled again.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
from datetime import date
from pathlib import Path
from collections.abc import Iterable
from typing import Any

from planner.services.context import Context
from planner.store import queue_views
from planner.store.dbapi import ReadConnection

_FORMAT = 3
#: Entities whose events never change a schedule.
_IRRELEVANT = frozenset({"tag", "tasktag", "comment", "timeentry", "dayplan", "team", "teammember", "sprint",
                         "baseline", "baselinetask", "workflow", "workflowstate", "recurrence", "digestlog",
                         "resource"})
#: Past this many projects touched, scheduling everything again is as quick.
_MAX_INCREMENTAL_PROJECTS = 40
_MAX_INCREMENTAL_EVENTS = 20_000

Slack = dict[int, tuple[int | None, bool]]


def cache_dir() -> Path:
    """Where slack caches live: $PLANNER_CACHE_DIR, else the user cache dir."""
    given = os.environ.get("PLANNER_CACHE_DIR")
    if given:
        return Path(given)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("planner", appauthor=False))


def _cache_file(url: str) -> Path:
    return cache_dir() / f"slack-{hashlib.sha256(url.encode()).hexdigest()[:20]}.bin"


def _state(conn: ReadConnection, today: date) -> tuple[str, int, str]:
    """(what must match exactly, the newest Event id, what only Events may explain)."""
    from planner import __version__

    values = queue_views.store_state(conn)
    static = json.dumps([_FORMAT, __version__, today.isoformat()])
    return static, int(values[0] or 0), json.dumps([str(value) for value in values[1:]])


#: (static key, event id, others, slack per project, the projects computed: None when all were)
Cached = tuple[str, int, str, dict[int, Slack], frozenset[int] | None]


def _read(path: Path) -> Cached | None:
    """The cache, or None if absent or unreadable."""
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not isinstance(data, tuple) or len(data) != 5 or not isinstance(data[3], dict):
        return None
    return data


def _write(path: Path, data: Cached) -> None:
    """Write atomically (temp file + rename), readable by the owner only; failures only cost speed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(marshal.dumps(data))
        os.replace(temporary, path)
    except OSError:
        return


def _json(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return {}
    return value if isinstance(value, dict) else {}


def touched_projects(conn: ReadConnection, after_event: int, up_to_event: int) -> set[int] | None:
    """Projects whose schedule the events in (after, up_to] may have changed; None when they cannot say."""
    if queue_views.event_count_between(conn, after_event, up_to_event) > _MAX_INCREMENTAL_EVENTS:
        return None
    projects: set[int] = set()
    task_ids: set[int] = set()
    for entity, entity_id, before, after in queue_views.events_between(conn, after_event, up_to_event):
        if entity in _IRRELEVANT:
            continue
        snapshots = (_json(before), _json(after))
        if entity == "task":
            projects.update(int(s["project_id"]) for s in snapshots if s.get("project_id") is not None)
        elif entity == "project" and entity_id is not None:
            projects.add(int(entity_id))
        elif entity == "dependency":
            task_ids.update(int(s[k]) for s in snapshots for k in ("predecessor_id", "successor_id") if s.get(k))
        elif entity == "assignment":
            task_ids.update(int(s["task_id"]) for s in snapshots if s.get("task_id"))
        else:
            return None
    projects.update(queue_views.projects_of_tasks(conn, sorted(task_ids)))
    return projects


def _schedule_all(ctx: Context, conn: ReadConnection) -> dict[int, Slack]:
    from planner.services.planning.schedule import open_task_slack

    computed = open_task_slack(ctx)
    project_of = queue_views.open_task_projects(conn)
    per_project: dict[int, Slack] = {}
    for task_id, info in computed.items():
        if info.slack_days is not None or info.critical:
            per_project.setdefault(int(project_of.get(task_id, 0)), {})[task_id] = (info.slack_days, bool(info.critical))
    return per_project


def _schedule_projects(ctx: Context, conn: ReadConnection, projects: set[int], per_project: dict[int, Slack]) -> None:
    """Schedule the given projects again (in one pass), replacing their entries in ``per_project``."""
    from planner.services.planning.schedule import open_task_slack

    ids = sorted(projects)
    for project_id in ids:
        per_project.pop(project_id, None)
    if not ids:
        return
    project_of = queue_views.open_task_projects(conn, ids)
    any_task = {}
    for task_id, project_id in project_of.items():
        any_task.setdefault(project_id, task_id)
    for task_id, info in open_task_slack(ctx, sorted(any_task.values())).items():
        if info.slack_days is not None or info.critical:
            per_project.setdefault(project_of[task_id], {})[task_id] = (info.slack_days, bool(info.critical))


def queue_slack(ctx: Context, conn: ReadConnection, projects: Iterable[int] | None = None) -> Slack:
    """``{task id: (slack days, critical)}`` for the open tasks under schedule pressure in active projects.

    With ``projects`` only those need to be known: a first queue of a large
    store schedules the projects holding the person's candidates, not all.
    """
    wanted = None if projects is None else set(projects)
    static, event_id, others = _state(conn, ctx.today())
    path = _cache_file(ctx.location.url)
    cached = _read(path)
    per_project: dict[int, Slack] | None = None
    computed: set[int] | None = None
    changed = True
    if cached is not None and cached[0] == static:
        _, cached_event, cached_others, cached_slack, cached_computed = cached
        if cached_event == event_id and cached_others == others:
            per_project, computed, changed = cached_slack, None if cached_computed is None else set(cached_computed), False
        elif cached_event < event_id:
            touched = touched_projects(conn, cached_event, event_id)
            if touched is not None and len(touched) <= _MAX_INCREMENTAL_PROJECTS:
                per_project = dict(cached_slack)
                computed = None if cached_computed is None else set(cached_computed) | touched
                if touched:
                    _schedule_projects(ctx, conn, touched, per_project)
    if per_project is None:
        per_project, computed = {}, set()
    if computed is None:  # every project is known
        missing: set[int] = set()
    else:
        missing = wanted - computed if wanted is not None else {-1}  # -1: all of them
    if missing:
        changed = True
        if wanted is None or len(computed | missing) > _MAX_INCREMENTAL_PROJECTS:  # type: ignore[operator]
            per_project, computed = _schedule_all(ctx, conn), None
        else:
            _schedule_projects(ctx, conn, missing, per_project)
            computed |= missing  # type: ignore[operator]
    if changed:
        _write(path, (static, event_id, others, per_project, None if computed is None else frozenset(computed)))
    return _merged(per_project)


def _merged(per_project: dict[int, Slack]) -> Slack:
    merged: Slack = {}
    for slack in per_project.values():
        merged.update(slack)
    return merged
