"""Planning an import: match records to stored rows, validate the whole batch, compute the changes.

Nothing here writes. The plan names, for every record, the stored row it
updates (matched by ``external_id``, or by the UUID Planner's own exports
carry) or that it is new, and only the columns that change. Every check
that could refuse the import runs here — unknown dependencies, cycles over
the stored and the imported links together, bad statuses, bad parents — so
the writer never fails halfway.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from planner.domain.capacity import check_units
from planner.domain.dates import MAX_WORKING_DAYS, in_range
from planner.domain.errors import CycleError, InvalidInputError
from planner.domain.graph import find_cycle
from planner.domain.statuses import CATEGORIES
from planner.domain.text import clean_line, clean_text
from planner.interop.records import Document, ExchangeTask
from planner.interop.slugs import bare_uuid, clean_tag
from planner.interop.timestamps import as_utc
from planner.services import lookup
from planner.services.interchange.side_rows import (
    PlannedRow,
    plan_calendars,
    plan_projects,
    plan_resources,
    plan_series,
    project_key,
    scope_ids,
)
from planner.services.interchange.stored_state import StoredState
from planner.services.tasks.rows import default_units

_PLAIN = ("title", "notes", "kind", "priority", "due", "start_no_earlier", "snoozed_until", "estimate_hours",
          "duration_days")

Ref = tuple[str, int]  # ("item", index in the document) or ("task", stored id)


@dataclass(slots=True)
class PlannedTask:
    """One record's fate: the stored task it updates (or None) and what changes."""

    record: ExchangeTask
    task_id: int | None
    project_key: str
    values: dict[str, Any]
    parent: Ref | None = None
    parent_changed: bool = False
    series_key: str | None = None
    tags_add: list[str] = field(default_factory=list)
    tags_remove: list[str] = field(default_factory=list)
    links_add: list[tuple[Ref, str, int]] = field(default_factory=list)
    links_update: list[tuple[int, str, int]] = field(default_factory=list)
    links_remove: list[int] = field(default_factory=list)
    assign_add: list[tuple[str, float]] = field(default_factory=list)
    assign_update: list[tuple[int, float]] = field(default_factory=list)
    assign_remove: list[int] = field(default_factory=list)
    comments: list[tuple[datetime | None, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether anything about a matched task changes."""
        return bool(self.values or self.parent_changed or self.tags_add or self.tags_remove or self.links_add
                    or self.links_update or self.links_remove or self.assign_add or self.assign_update
                    or self.assign_remove or self.comments)


@dataclass(slots=True)
class ImportPlan:
    """Everything an import would write, decided before anything is written."""

    document: Document
    state: StoredState
    tasks: list[PlannedTask] = field(default_factory=list)
    new_projects: dict[str, dict[str, Any]] = field(default_factory=dict)
    project_updates: dict[str, dict[str, Any]] = field(default_factory=dict)
    calendars: dict[str, PlannedRow] = field(default_factory=dict)
    resources: dict[str, PlannedRow] = field(default_factory=dict)
    series: dict[str, PlannedRow] = field(default_factory=dict)
    project_calendar: str | None = None
    main_key: str | None = None
    statuses: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def created(self) -> int:
        """New tasks."""
        return sum(1 for task in self.tasks if task.task_id is None)

    @property
    def updated(self) -> int:
        """Matched tasks that change."""
        return sum(1 for task in self.tasks if task.task_id is not None and task.changed)

    @property
    def unchanged(self) -> int:
        """Matched tasks that stay as they are."""
        return sum(1 for task in self.tasks if task.task_id is not None and not task.changed)


_TASK_DATES = ("due", "start_no_earlier", "snoozed_until", "actual_start", "actual_finish", "completed_at",
               "created_at")


def check_bounds(document: Document) -> None:
    """Refuse a document holding a date or a length Planner cannot handle, naming the item (before any write)."""
    for record in document.tasks:
        where = record.where or record.external_id
        if (record.duration_days or 0) > MAX_WORKING_DAYS or (record.estimate_hours or 0) > MAX_WORKING_DAYS * 24:
            raise InvalidInputError(f"{where}: the task is longer than {MAX_WORKING_DAYS:,} working days")
        for name in _TASK_DATES:
            value = getattr(record, name)
            if value is not None:
                in_range(value, what=f"{where}: {name.replace('_', ' ')}")
        for stamp, _ in record.annotations:
            if stamp is not None:
                in_range(stamp, what=f"{where}: annotation")
    for series in document.series.values():
        for value in (series.dtstart, series.until, *series.skipped, *series.extra_dates):
            if value is not None:
                in_range(value, what=f"series {series.external_id}: date")
    for calendar in document.calendars:
        for day in calendar.exceptions:
            in_range(day, what=f"{calendar.where or calendar.name}: exception")
    if document.project is not None:
        for name in ("start", "finish", "deadline"):
            value = getattr(document.project, name)
            if value is not None:
                in_range(value, what=f"project {name}")


def plan_import(document: Document, state: StoredState, *, project: str | None, now: datetime,
                today: date) -> ImportPlan:
    """Match, validate and diff a document against the store (raises before any write)."""
    check_bounds(document)
    plan = ImportPlan(document, state, warnings=list(document.warnings))
    override = lookup.validate_key(project) if project else None
    scope_ids(document, project_key(None, document, override))
    _check_duplicates(document)
    index_of = {record.external_id: position for position, record in enumerate(document.tasks)}
    matched = [state.match(record.external_id, record.alt_ids) for record in document.tasks]
    state.load_tasks([task_id for task_id in matched if task_id is not None])
    plan.new_projects, plan.project_updates = plan_projects(document, state, override)
    main_key = plan.main_key = project_key(None, document, override)
    plan.calendars = plan_calendars(document, state, main_key)
    plan.resources = plan_resources(document, state)
    for planned_resource in plan.resources.values():
        _check_ref(planned_resource.refs.get("calendar_id"), plan.calendars, "calendar")
    series_projects = {key: project_key(series.project, document, override)
                       for key, series in document.series.items() if series.project}
    for record in document.tasks:
        if record.series:
            series_projects.setdefault(record.series, project_key(record.project, document, override))
    for key in document.series:
        series_projects.setdefault(key, main_key)
    plan.series = plan_series(document, state, series_projects, today)
    if document.project is not None and document.project.calendar:
        _check_ref(document.project.calendar, plan.calendars, "calendar")
        plan.project_calendar = document.project.calendar
    fields = document.fields | ({"project"} if override else set())
    for position, record in enumerate(document.tasks):
        key = project_key(record.project, document, override)
        current = state.tasks.get(matched[position]) if matched[position] is not None else None
        planned = PlannedTask(record, matched[position], key, {})
        planned.values = _values(record, current, fields, plan, key, now, today)
        plan.tasks.append(planned)
    _plan_parents(plan, index_of)
    _plan_tags(plan)
    _plan_links(plan, index_of)
    _plan_assignments(plan)
    _plan_comments(plan)
    # a project only an already-stored task would have gone to (a format without projects) is not made
    needed = {planned.project_key for planned in plan.tasks if planned.task_id is None or "project" in fields}
    needed |= {key for name, key in series_projects.items() if plan.series[name].row_id is None}
    if document.project is not None:
        needed.add(main_key)
    plan.new_projects = {key: row for key, row in plan.new_projects.items() if key in needed}
    return plan


def _check_duplicates(document: Document) -> None:
    seen: dict[str, str] = {}
    for record in document.tasks:
        if not record.title.strip():
            raise InvalidInputError(f"{record.where}: the task has no title")
        if record.external_id in seen:
            raise InvalidInputError(f"{record.where}: the same task ({record.external_id}) appears again "
                                    f"(first at {seen[record.external_id]})")
        seen[record.external_id] = record.where


def _status(plan: ImportPlan, key: str, wanted: str, where: str) -> tuple[str, str]:
    """(state key, category) of a wanted state key or category in the project's workflow."""
    known = plan.statuses.get((key, wanted))
    if known is None:
        known = plan.statuses[(key, wanted)] = _find_status(plan, key, wanted, where)
    return known


def _find_status(plan: ImportPlan, key: str, wanted: str, where: str) -> tuple[str, str]:
    states = plan.state.states_of(plan.state.projects.get(key))
    for state_key, category in states:
        if state_key == wanted:
            return state_key, category
    if wanted in CATEGORIES:
        for state_key, category in states:
            if category == wanted:
                return state_key, category
    raise InvalidInputError(f"{where}: status {wanted!r} is not a state of project {key}'s workflow "
                            f"(use one of {', '.join(k for k, _ in states)})")


def _values(record: ExchangeTask, current: dict[str, Any] | None, fields: frozenset[str] | set[str],
            plan: ImportPlan, key: str, now: datetime, today: date) -> dict[str, Any]:
    """The columns to write: every column for a new task, the changed carried ones for a stored task."""
    new = current is None
    base: dict[str, Any] = dict(current) if current else {}
    wanted: dict[str, Any] = {}
    for name in _PLAIN:
        if new or name in fields:
            wanted[name] = getattr(record, name)
    if isinstance(wanted.get("notes"), str):
        wanted["notes"] = clean_text(wanted["notes"])
    if record.kind not in ("task", "milestone"):
        raise InvalidInputError(f"{record.where}: kind {record.kind!r} is not task or milestone")
    if record.priority not in (0, 1, 2, 3):
        raise InvalidInputError(f"{record.where}: priority {record.priority} is out of range 0-3")
    if wanted.get("kind", base.get("kind")) == "milestone":
        wanted["duration_days"] = 0
    if new or "status" in fields:
        stored_category = None if new else plan.state.category_of(key, base.get("status"))
        wanted_status = record.status
        if wanted_status == "open":  # a format that only knows done / not done
            wanted_status = stored_category if stored_category in ("todo", "doing") else "todo"
        status_key, category = _status(plan, key, wanted_status, record.where)
        if stored_category == category and wanted_status in CATEGORIES:
            status_key = base["status"]  # same category: keep a finer state such as review
        wanted["status"] = status_key
        wanted.update(_status_columns(record, base, category, now, today))
    elif "percent_done" in fields and record.percent_done is not None:
        wanted["percent_done"] = record.percent_done
    if new:
        wanted.update(title=record.title, external_id=record.external_id)
        wanted["created_at"] = as_utc(record.created_at) or now
        wanted.setdefault("percent_done", record.percent_done or 0)
    if "title" in wanted:
        wanted["title"] = clean_line(wanted["title"]).strip()
    if new or "project" in fields:
        wanted["project_id"] = key  # a project key: the writer turns it into an id
    if new or "series" in fields:
        if record.series is not None and record.series not in plan.series:
            raise InvalidInputError(f"{record.where}: its recurring series {record.series} is not in the file")
        wanted["recurrence_id"] = record.series  # a series key: the writer turns it into an id
    if new:
        return wanted
    changed = {}
    for name, value in wanted.items():
        if name == "project_id":
            if plan.state.projects.get(key, {}).get("id") != base.get("project_id"):
                changed[name] = value
        elif name == "recurrence_id":
            target = plan.series[value].row_id if value is not None else None
            if target is None and value is not None or target != base.get("recurrence_id"):
                changed[name] = value
        elif _differs(base.get(name), value):
            changed[name] = value
    return changed


def _status_columns(record: ExchangeTask, base: dict[str, Any], category: str, now: datetime,
                    today: date) -> dict[str, Any]:
    """Dates and percent that a status implies, as ``set_status`` does for a typed command."""
    if category == "done":
        finish = record.actual_finish or base.get("actual_finish") or today
        return {"completed_at": as_utc(record.completed_at) or base.get("completed_at") or now,
                "actual_finish": finish, "actual_start": record.actual_start or base.get("actual_start") or finish,
                "percent_done": 100}
    started = record.actual_start
    if category == "doing" and started is None:
        started = base.get("actual_start") or today
    percent = record.percent_done if record.percent_done is not None else min(base.get("percent_done") or 0, 99)
    return {"completed_at": None, "actual_finish": None, "actual_start": started, "percent_done": min(percent, 99)}


def _differs(stored: Any, wanted: Any) -> bool:
    if isinstance(stored, datetime) and isinstance(wanted, datetime):
        return abs((as_utc(stored) - as_utc(wanted)).total_seconds()) >= 1  # type: ignore[operator]
    if isinstance(stored, float) or isinstance(wanted, float):
        return stored is None or wanted is None or abs(float(stored) - float(wanted)) > 1e-9
    return stored != wanted


def _resolve(plan: ImportPlan, index_of: dict[str, int], ref: str) -> Ref | None:
    """A reference to an item of this file or to a stored task; None when unknown."""
    if ref in index_of:
        return ("item", index_of[ref])
    task_id = plan.state.match(ref, (uuid,) if (uuid := bare_uuid(ref)) else ())
    return ("task", task_id) if task_id is not None else None


def _ref_id(plan: ImportPlan, ref: Ref) -> int | None:
    """The stored id behind a reference, None for a task this import creates."""
    return ref[1] if ref[0] == "task" else plan.tasks[ref[1]].task_id


def _node(plan: ImportPlan, ref: Ref) -> int:
    """A graph node for a reference: stored ids as they are, new items as negative numbers."""
    stored = _ref_id(plan, ref)
    return stored if stored is not None else -(ref[1] + 1)


def _describe(plan: ImportPlan, node: int) -> str:
    if node < 0:
        record = plan.tasks[-node - 1].record
        return f"{record.where} {record.title!r}"
    for planned in plan.tasks:
        if planned.task_id == node:
            return f"{planned.record.where} {planned.record.title!r}"
    return f"#{node}"


def _cycle_text(plan: ImportPlan, cycle: list[int]) -> str:
    """The cycle as file lines and titles, starting from the earliest line of the file."""
    first = min(range(len(cycle)), key=lambda i: (0, -cycle[i]) if cycle[i] < 0 else (1, cycle[i]))
    ordered = cycle[first:] + cycle[:first]
    return " -> ".join(_describe(plan, node) for node in (*ordered, ordered[0]))


def _plan_parents(plan: ImportPlan, index_of: dict[str, int]) -> None:
    edges = []
    for position, planned in enumerate(plan.tasks):
        record = planned.record
        if "parent" not in plan.document.fields and planned.task_id is not None:
            continue
        ref = _resolve(plan, index_of, record.parent) if record.parent else None
        if record.parent and ref is None:
            raise InvalidInputError(f"{record.where}: its parent {record.parent} is neither in the file nor stored")
        planned.parent = ref
        stored_parent = plan.state.tasks.get(planned.task_id, {}).get("parent_id") if planned.task_id else None
        target = _ref_id(plan, ref) if ref else None
        planned.parent_changed = planned.task_id is None and ref is not None or (
            planned.task_id is not None and (target != stored_parent or (ref is not None and target is None)))
        if ref is not None:
            edges.append((_node(plan, ("item", position)), _node(plan, ref)))
    cycle = find_cycle((), edges)
    if cycle:
        raise InvalidInputError(f"parent cycle: {_cycle_text(plan, cycle)}; nothing was imported")


def _plan_tags(plan: ImportPlan) -> None:
    carried = "tags" in plan.document.fields
    for planned in plan.tasks:
        wanted = {clean_tag(tag) for tag in planned.record.tags if clean_tag(tag)}
        for tag in wanted:
            if any(char.isspace() for char in tag):
                raise InvalidInputError(f"{planned.record.where}: tag {tag!r} is not one word")
        if planned.task_id is None:
            planned.tags_add = sorted(wanted)
        elif carried:
            stored = plan.state.task_tags.get(planned.task_id, set())
            planned.tags_add, planned.tags_remove = sorted(wanted - stored), sorted(stored - wanted)


def _plan_links(plan: ImportPlan, index_of: dict[str, int]) -> None:
    document = plan.document
    carried = "links" in document.fields
    typed = "link_types" in document.fields  # Taskwarrior's and todo.txt's links have no type or lag of their own
    replaced: set[int] = set()
    new_edges: list[tuple[int, int]] = []
    any_links = False
    for position, planned in enumerate(plan.tasks):
        if planned.task_id is not None and not carried:
            continue
        wanted: dict[Ref, tuple[str, int]] = {}
        for link in planned.record.links:
            if link.type not in ("FS", "SS", "FF", "SF"):
                raise InvalidInputError(f"{planned.record.where}: dependency type {link.type!r} is not FS, SS, FF or SF")
            ref = _resolve(plan, index_of, link.predecessor)
            if ref is None:
                if link.predecessor in document.dropped:
                    plan.warnings.append(f"{planned.record.where}: its dependency on {link.predecessor} "
                                         "(deleted or skipped) was dropped")
                    continue
                raise InvalidInputError(f"{planned.record.where}: depends on unknown task {link.predecessor}")
            wanted[ref] = (link.type, link.lag_days)
        any_links = any_links or bool(wanted) or planned.task_id is not None
        successor = _node(plan, ("item", position))
        new_edges.extend((_node(plan, ref), successor) for ref in wanted)
        stored_links = plan.state.links_into.get(planned.task_id, {}) if planned.task_id is not None else {}
        if planned.task_id is not None:
            replaced.add(planned.task_id)
        known: set[int] = set()
        for ref, (kind, lag) in wanted.items():
            pred_id = _ref_id(plan, ref)
            if pred_id is not None and pred_id in stored_links:
                known.add(pred_id)
                dep_id, stored_kind, stored_lag = stored_links[pred_id]
                if typed and (stored_kind, stored_lag) != (kind, lag):
                    planned.links_update.append((dep_id, kind, lag))
            else:
                planned.links_add.append((ref, kind, lag))
        planned.links_remove = [dep_id for pred, (dep_id, _, _) in stored_links.items() if pred not in known]
    if not any_links:
        return
    edges = [(pred, succ) for pred, succ in plan.state.all_edges() if succ not in replaced]
    cycle = find_cycle((), edges + new_edges)
    if cycle:
        raise CycleError(cycle, f"dependency cycle: {_cycle_text(plan, cycle)}; nothing was imported")


def _plan_assignments(plan: ImportPlan) -> None:
    carried = "assignments" in plan.document.fields
    for planned in plan.tasks:
        wanted: dict[str, float] = {}
        stored_by: dict[int, str] = {}
        for resource, units in planned.record.assignments:
            if resource not in plan.resources:
                raise InvalidInputError(f"{planned.record.where}: assigned to unknown resource {resource}")
            if units is None:
                units = default_units(_capacity_of(plan, resource))
            else:
                check_units(units, f"{planned.record.where}: ")
            row_id = plan.resources[resource].row_id
            if row_id is not None and stored_by.setdefault(row_id, resource) != resource:
                first, second = (ref.rsplit(":", 1)[-1] for ref in (stored_by[row_id], resource))
                raise InvalidInputError(f"{planned.record.where}: resources {first} and {second} are the same "
                                        "stored person, assigned twice to one task; keep one assignment")
            wanted[resource] = units
        if planned.task_id is None:
            planned.assign_add = list(wanted.items())
            continue
        if not carried:
            continue
        stored = plan.state.assignments.get(planned.task_id, {})
        kept: set[int] = set()
        for resource, units in wanted.items():
            resource_id = plan.resources[resource].row_id
            if resource_id is not None and resource_id in stored:
                kept.add(resource_id)
                row_id, stored_units = stored[resource_id]
                if abs(stored_units - units) > 1e-9:
                    planned.assign_update.append((row_id, units))
            else:
                planned.assign_add.append((resource, units))
        planned.assign_remove = [row_id for resource_id, (row_id, _) in stored.items() if resource_id not in kept]


def _capacity_of(plan: ImportPlan, resource: str) -> float | None:
    """The capacity a resource of the file will have once imported."""
    planned = plan.resources[resource]
    if "capacity" in planned.values or planned.row_id is None:
        return planned.values.get("capacity")
    return plan.state.resources.get(planned.row_id, {}).get("capacity")


def _check_ref(ref: str | None, planned: dict[str, PlannedRow], what: str) -> None:
    if ref is not None and ref not in planned:
        raise InvalidInputError(f"the file refers to {what} {ref}, which it does not define")


def _plan_comments(plan: ImportPlan) -> None:
    for planned in plan.tasks:
        if not planned.record.annotations:
            continue
        stored = plan.state.comment_bodies.get(planned.task_id, set()) if planned.task_id else set()
        notes = plan.state.tasks.get(planned.task_id, {}).get("notes") if planned.task_id else None
        seen = set(stored)
        for stamp, raw in planned.record.annotations:
            body = clean_text(raw)
            if body in seen or body == notes:
                continue
            seen.add(body)
            planned.comments.append((stamp, body))
