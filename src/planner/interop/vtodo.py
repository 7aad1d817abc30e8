"""One task as one VTODO (RFC 5545), the unit a CalDAV calendar collection holds.

What syncs is :class:`TodoFields`: the fields a phone's task app shows and
edits. Priorities map Planner's 0–3 onto iCalendar's 0–9 (3 → 1 high,
2 → 5 medium, 1 → 9 low, 0 → undefined) and back by band; a dependency is a
``RELATED-TO;RELTYPE=DEPENDS-ON`` naming the predecessor's UID (RFC 9253).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from typing import Any

#: The fields two sides compare and merge one by one.
SYNCED = ("title", "notes", "due", "start", "priority", "state", "completed_at", "percent", "tags", "depends_on")


@dataclass(frozen=True, slots=True)
class TodoFields:
    """What one task and its VTODO agree on; ``state`` is ``todo`` | ``doing`` | ``done``."""

    title: str
    notes: str = ""
    due: date | None = None
    start: date | None = None
    priority: int = 0
    state: str = "todo"
    completed_at: datetime | None = None
    percent: int = 0
    tags: tuple[str, ...] = ()
    depends_on: tuple[str, ...] = ()
    rrule: str | None = None
    last_modified: datetime | None = field(default=None, compare=False)

    def to_json(self) -> dict[str, Any]:
        """The synced values as JSON (what the sync remembers of the last agreement)."""
        return {name: _json_value(getattr(self, name)) for name in SYNCED}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TodoFields:
        """Back from :meth:`to_json`."""
        return cls(
            title=data["title"], notes=data.get("notes") or "",
            due=date.fromisoformat(data["due"]) if data.get("due") else None,
            start=date.fromisoformat(data["start"]) if data.get("start") else None,
            priority=int(data.get("priority") or 0), state=data.get("state") or "todo",
            completed_at=datetime.fromisoformat(data["completed_at"]) if data.get("completed_at") else None,
            percent=int(data.get("percent") or 0), tags=tuple(data.get("tags") or ()),
            depends_on=tuple(data.get("depends_on") or ()),
        )

    def merged(self, **values: Any) -> TodoFields:
        """A copy with some fields replaced."""
        return replace(self, **values)


def _json_value(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def to_ical_priority(priority: int) -> int:
    """Planner 0–3 → iCalendar 0–9."""
    return {3: 1, 2: 5, 1: 9}.get(priority, 0)


def from_ical_priority(value: int) -> int:
    """iCalendar 0–9 → Planner 0–3 (1–4 high, 5 medium, 6–9 low)."""
    if value <= 0:
        return 0
    return 3 if value <= 4 else 2 if value == 5 else 1


def to_vtodo(uid: str, fields: TodoFields, *, stamp: datetime) -> str:
    """A VCALENDAR holding one VTODO for ``fields``."""
    from icalendar import Calendar, Todo, vRecur

    todo = Todo()
    todo.add("uid", uid)
    todo.add("dtstamp", stamp)
    todo.add("last-modified", fields.last_modified or stamp)
    todo.add("summary", fields.title)
    if fields.notes:
        todo.add("description", fields.notes)
    if fields.start:
        todo.add("dtstart", fields.start)
    if fields.due:
        todo.add("due", fields.due)
    if fields.priority:
        todo.add("priority", to_ical_priority(fields.priority))
    todo.add("status", {"done": "COMPLETED", "doing": "IN-PROCESS"}.get(fields.state, "NEEDS-ACTION"))
    if fields.state == "done":
        todo.add("completed", (fields.completed_at or stamp).astimezone(timezone.utc))
    if fields.percent:
        todo.add("percent-complete", fields.percent)
    if fields.tags:
        todo.add("categories", list(fields.tags))
    for predecessor in fields.depends_on:
        todo.add("related-to", predecessor, parameters={"RELTYPE": "DEPENDS-ON"})
    if fields.rrule:
        todo.add("rrule", vRecur.from_ical(fields.rrule))
    calendar = Calendar()
    calendar.add("prodid", "-//Planner//CalDAV sync//EN")
    calendar.add("version", "2.0")
    calendar.add_component(todo)
    return calendar.to_ical().decode()


def from_vtodo(text: str | bytes) -> tuple[str, TodoFields] | None:
    """The UID and fields of the first VTODO in a calendar object (None when it holds none)."""
    from icalendar import Calendar

    calendar = Calendar.from_ical(text)
    for component in calendar.walk("VTODO"):
        uid = str(component.get("uid") or "").strip()
        if not uid:
            return None
        status = str(component.get("status") or "NEEDS-ACTION").upper()
        completed = _moment(component.get("completed"))
        state = "done" if status == "COMPLETED" or completed else "doing" if status == "IN-PROCESS" else "todo"
        percent = _int(component.get("percent-complete"))
        related = component.get("related-to")
        related = related if isinstance(related, list) else [related] if related is not None else []
        depends = tuple(str(r) for r in related
                        if str(getattr(r, "params", {}).get("RELTYPE", "PARENT")).upper() == "DEPENDS-ON")
        return uid, TodoFields(
            title=str(component.get("summary") or "").strip() or "(untitled)",
            notes=str(component.get("description") or ""),
            due=_day(component.get("due")), start=_day(component.get("dtstart")),
            priority=from_ical_priority(_int(component.get("priority"))), state=state,
            completed_at=completed if state == "done" else None,
            percent=100 if state == "done" else max(0, min(percent, 99)),
            tags=_categories(component.get("categories")), depends_on=depends,
            rrule=component.get("rrule").to_ical().decode() if component.get("rrule") is not None else None,
            last_modified=_moment(component.get("last-modified")),
        )
    return None


def _day(prop: Any) -> date | None:
    if prop is None:
        return None
    value = prop.dt
    return value.date() if isinstance(value, datetime) else value


def _moment(prop: Any) -> datetime | None:
    if prop is None:
        return None
    value = prop.dt
    if not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day, tzinfo=timezone.utc)
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def _int(prop: Any) -> int:
    try:
        return int(str(prop)) if prop is not None else 0
    except ValueError:
        return 0


def _categories(prop: Any) -> tuple[str, ...]:
    if prop is None:
        return ()
    props = prop if isinstance(prop, list) else [prop]
    names: list[str] = []
    for item in props:
        for category in getattr(item, "cats", None) or [str(item)]:
            name = str(category).strip()
            if name and name not in names:
                names.append(name)
    return tuple(sorted(names))
