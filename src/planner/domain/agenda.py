"""A week's agenda, day by day, as Org-mode's agenda shows it: dated items, and deadlines announced ahead.

Items carry their own date; :func:`lay_out` puts each on its day and, on the
first day, announces what is due soon after it ("in 3 d.") or was due before
it and is still open ("2 d. ago"), as Org's deadline warnings do.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

#: Kinds with a deadline's weight: announced ahead on the first day.
DEADLINE_KINDS = frozenset({"due", "milestone", "deadline"})
#: The order of kinds within a day.
KIND_ORDER = ("holiday", "vacation", "deadline", "milestone", "due", "recurring", "start", "scheduled")


@dataclass(frozen=True, slots=True)
class AgendaItem:
    """One dated thing: a task due or starting, a milestone, a deadline, a chore, a day off."""

    kind: str
    title: str
    day: date
    task_id: int | None = None
    project: str | None = None
    people: tuple[str, ...] = ()
    warning: str | None = None

    def to_json(self) -> dict[str, Any]:
        """As JSON."""
        data: dict[str, Any] = {"id": self.task_id, "title": self.title, "kind": self.kind,
                                "date": self.day.isoformat(), "project": self.project, "people": list(self.people)}
        if self.warning:
            data["warning"] = self.warning
        return data


@dataclass(slots=True)
class AgendaDay:
    """One day and what it holds."""

    day: date
    items: list[AgendaItem] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """As JSON."""
        return {"date": self.day.isoformat(), "weekday": self.day.strftime("%a"),
                "items": [item.to_json() for item in self.items]}


def lay_out(first: date, days: int, items: list[AgendaItem], *, warning_days: int = 14,
            open_late: list[AgendaItem] | None = None) -> list[AgendaDay]:
    """``days`` days from ``first``, each with its items; warnings ahead and behind on the first day."""
    if days < 1:
        raise ValueError("an agenda shows at least one day")
    last = first + timedelta(days=days - 1)
    by_day = {first + timedelta(days=offset): AgendaDay(first + timedelta(days=offset)) for offset in range(days)}
    for item in items:
        if first <= item.day <= last:
            by_day[item.day].items.append(item)
        elif item.kind in DEADLINE_KINDS and last < item.day <= first + timedelta(days=warning_days):
            by_day[first].items.append(replace(item, warning=f"in {(item.day - first).days} d."))
    for item in open_late or ():
        if item.day < first:
            by_day[first].items.append(replace(item, warning=f"{(first - item.day).days} d. ago"))
    for agenda_day in by_day.values():
        agenda_day.items.sort(key=lambda i: (i.warning is not None, KIND_ORDER.index(i.kind)
                                             if i.kind in KIND_ORDER else len(KIND_ORDER), i.day, i.title))
    return [by_day[day] for day in sorted(by_day)]
