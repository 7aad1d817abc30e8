"""Planning the rows around an import's tasks: calendars, resources and recurring series.

Each record is matched to a stored row (a calendar by name, a resource by
external id then handle, a series by the external id kept in its template)
and turned into the values to insert, or the changes to apply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from planner.domain.capacity import check_capacity
from planner.domain.errors import InvalidInputError
from planner.interop.records import Document
from planner.interop.slugs import slug
from planner.services import lookup
from planner.services.interchange.stored_state import StoredState


@dataclass(slots=True)
class PlannedRow:
    """A stored row to update (``row_id``) or a new one (None), with its values or changes."""

    row_id: int | None
    values: dict[str, Any]
    exceptions: dict[date, bool] | None = None
    refs: dict[str, str | None] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        """Whether writing this row changes anything."""
        return self.row_id is None or bool(self.values) or self.exceptions is not None


def project_key(name: str | None, document: Document, override: str | None) -> str:
    """The project a record goes into: the override, its own project, the file's project, or the inbox."""
    if override:
        return override
    if name:
        return slug(name)
    if document.project is not None:
        return document.project.key or slug(document.project.name)
    return lookup.DEFAULT_PROJECT


def plan_projects(document: Document, state: StoredState, override: str | None
                  ) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
    """(new projects by key, changes to stored projects by key) for every project the records name."""
    new_projects: dict[str, dict[str, Any]] = {}
    project_updates: dict[str, dict[str, Any]] = {}
    names: dict[str, str] = {}
    for record in document.tasks:
        key = project_key(record.project, document, override)
        names.setdefault(key, record.project or (document.project.name if document.project else key))
    for record in document.series.values():
        key = project_key(record.project, document, override)
        names.setdefault(key, record.project or key)
    if document.project is not None:
        key = project_key(None, document, override)
        names.setdefault(key, document.project.name)
    prefix = document.prefix or f"{document.format}:"
    for key, name in names.items():
        lookup.validate_key(key)
        wanted: dict[str, Any] = {}
        if document.project is not None and key == project_key(None, document, override):
            wanted = {"name": document.project.name or key, "start": document.project.start,
                      "deadline": document.project.deadline, "external_id": document.project.external_id}
        stored = state.projects.get(key)
        if stored is None:
            new_projects[key] = {"key": key, "name": wanted.get("name") or name,
                                 "kind": "stream" if key == lookup.DEFAULT_PROJECT else "project",
                                 "start": wanted.get("start"), "deadline": wanted.get("deadline"),
                                 "external_id": wanted.get("external_id") or f"{prefix}project:{name}"}
            continue
        changes = {column: value for column, value in wanted.items()
                   if column != "external_id" and value is not None and stored.get(column) != value}
        if changes:
            project_updates[key] = changes
    return new_projects, project_updates


def scope_ids(document: Document, key: str) -> None:
    """Put the project key into ids that are unique only within one project (``mspdi:7`` -> ``mspdi:web:7``)."""
    prefix = document.scope
    if not prefix:
        return

    def scoped(value: str | None) -> str | None:
        return prefix + key + ":" + value[len(prefix):] if value and value.startswith(prefix) else value

    for task in document.tasks:
        task.external_id = scoped(task.external_id)  # type: ignore[assignment]
        task.parent = scoped(task.parent)
        for link in task.links:
            link.predecessor = scoped(link.predecessor)  # type: ignore[assignment]
        task.assignments = [(scoped(resource), units) for resource, units in task.assignments]  # type: ignore[misc]
    for resource in document.resources:
        resource.external_id, resource.calendar = scoped(resource.external_id), scoped(resource.calendar)  # type: ignore[assignment]
    for calendar in document.calendars:
        calendar.external_id, calendar.base = scoped(calendar.external_id), scoped(calendar.base)  # type: ignore[assignment]
    if document.project is not None:
        document.project.calendar = scoped(document.project.calendar)
        document.project.external_id = scoped(document.project.external_id)  # type: ignore[assignment]
    document.dropped = {scoped(item) for item in document.dropped}  # type: ignore[misc]
    document.scope = None


def calendar_name(project_key: str, name: str) -> str:
    """The name an imported calendar gets: scoped by its project, so 'Standard' stays apart from ours."""
    return f"{project_key}:{name}"


def plan_calendars(document: Document, state: StoredState, project_key: str) -> dict[str, PlannedRow]:
    """Calendars by record external id."""
    planned: dict[str, PlannedRow] = {}
    for record in document.calendars:
        if not record.working_weekdays and not any(record.exceptions.values()):
            raise InvalidInputError(f"{record.where}: calendar {record.name!r} has no working day")
        if not 0 < record.hours_per_day <= 24:
            raise InvalidInputError(f"{record.where}: calendar {record.name!r} has {record.hours_per_day} hours a day")
        name = calendar_name(project_key, record.name)
        wanted = {"name": name, "working_weekdays": ",".join(str(day) for day in sorted(record.working_weekdays)),
                  "hours_per_day": float(record.hours_per_day)}
        stored = state.calendars.get(name)
        same = _same_calendar(state, record.name, wanted, record.exceptions) if stored is None else None
        if same is not None:  # e.g. our own 'standard' coming back: use it, do not copy it
            planned[record.external_id] = PlannedRow(same, {})
            continue
        if stored is None:
            planned[record.external_id] = PlannedRow(None, {**wanted, "country": None}, dict(record.exceptions))
            continue
        changes = {key: value for key, value in wanted.items() if stored.get(key) != value}
        stored_exceptions = state.calendar_exceptions(stored["id"])
        exceptions = dict(record.exceptions) if stored_exceptions != record.exceptions else None
        planned[record.external_id] = PlannedRow(stored["id"], changes, exceptions)
    return planned


def _same_calendar(state: StoredState, name: str, wanted: dict[str, Any], exceptions: dict[date, bool]) -> int | None:
    """A stored calendar of this name with the same weekdays, hours and exceptions."""
    for stored in state.calendars.values():
        if stored["name"].lower() == name.lower() and stored["working_weekdays"] == wanted["working_weekdays"] \
                and float(stored["hours_per_day"]) == wanted["hours_per_day"] \
                and state.calendar_exceptions(stored["id"]) == exceptions:
            return stored["id"]
    return None


def plan_resources(document: Document, state: StoredState) -> dict[str, PlannedRow]:
    """Resources by record external id (matched by external id, then by mail address, then by handle).

    A file that only refers to people (an iCalendar attendee, a CSV assignee:
    ``describes`` is False) links the stored person and leaves them as they
    are, so an attendee list cannot rename or re-address the store's people.
    """
    by_external = {row["external_id"]: row for row in state.resources.values() if row.get("external_id")}
    by_email = {row["email"].lower(): row for row in state.resources.values() if row.get("email")}
    by_handle = {row["handle"]: row for row in state.resources.values()}
    planned: dict[str, PlannedRow] = {}
    taken: set[str] = set()
    for record in document.resources:
        if record.kind not in ("person", "pool"):
            raise InvalidInputError(f"{record.where}: resource kind {record.kind!r} is not person or pool")
        if record.capacity is not None:
            check_capacity(record.capacity, f"{record.where}: {record.name!r}: ")
        stored = by_external.get(record.external_id)
        if stored is None and record.email:
            stored = by_email.get(record.email.lower())
        handle = stored["handle"] if stored else lookup.validate_key(record.handle or slug(record.name, "person"),
                                                                        "handle")
        if stored is None:
            stored = by_handle.get(handle)
        if stored is None and handle in taken:
            handle = lookup.validate_key(f"{handle[:30]}-{len(taken)}", "handle")
        taken.add(handle)
        wanted = {"handle": handle, "name": record.name or handle, "email": record.email, "kind": record.kind,
                  "capacity": float(record.capacity) if record.capacity is not None else None,
                  "external_id": record.external_id}
        refs = {"calendar_id": record.calendar}
        if stored is None:
            wanted["capacity"] = 1.0 if wanted["capacity"] is None else wanted["capacity"]
            planned[record.external_id] = PlannedRow(None, wanted, refs=refs)
            continue
        if not record.describes:
            planned[record.external_id] = PlannedRow(stored["id"], {}, refs={})
            continue
        changes = {key: value for key, value in wanted.items()
                   if key not in ("handle", "external_id") and value is not None and stored.get(key) != value}
        planned[record.external_id] = PlannedRow(stored["id"], changes, refs=refs)
    return planned


def plan_series(document: Document, state: StoredState, project_of: dict[str, str], today: date
                ) -> dict[str, PlannedRow]:
    """Recurring series by external id; ``project_of`` gives each series' project key.

    A series starts on its own start date, else on its first instance's due
    date (else today); ``next_due`` is the due date of its earliest open instance.
    """
    instances: dict[str, list[tuple[date | None, bool]]] = {}
    for task in document.tasks:
        if task.series:
            instances.setdefault(task.series, []).append((task.due or task.start_no_earlier, task.status == "done"))
    planned: dict[str, PlannedRow] = {}
    for key, record in document.series.items():
        rule = _checked_rule(record.rrule, f"series {key}")
        template = {**record.template, "external_id": key}
        if record.extra_dates:
            template["rdates"] = [day.isoformat() for day in sorted(record.extra_dates)]
        dates = [day for day, _ in instances.get(key, []) if day is not None]
        open_dates = [day for day, done in instances.get(key, []) if day is not None and not done]
        wanted = {"rrule": rule, "policy": record.policy, "dtstart": record.dtstart or min(dates, default=today),
                  "until": record.until, "template": template, "next_due": min(open_dates, default=None),
                  "skipped": sorted(day.isoformat() for day in record.skipped)}
        refs = {"project_id": project_of.get(key)}
        stored = state.series.get(key)
        if stored is None:
            planned[key] = PlannedRow(None, wanted, refs=refs)
            continue
        changes = {name: value for name, value in wanted.items() if stored.get(name) != value}
        planned[key] = PlannedRow(stored["id"], changes, refs=refs)
    return planned


def _checked_rule(rrule: str, where: str) -> str:
    """The rule normalised as the recurrence service stores it, or InvalidInputError naming the series."""
    from planner.domain.recurrence import validate_rrule

    try:
        return validate_rrule(rrule)
    except InvalidInputError as error:
        raise InvalidInputError(f"{where}: {error}") from None
