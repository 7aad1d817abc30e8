"""Whose rows a removal would take with it: the foreign-key dependents of a row and who made them.

Undo, rm and bulk writes call this before deleting anything, so they refuse (naming
who changed what) instead of taking another person's time entries, links or tags along.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select as core_select
from sqlmodel import select

from planner.store.models import ENTITIES, Event
from planner.store.uow import UnitOfWork

#: Table names as a person reads them in messages.
LABELS = {
    "timeentry": "time entry", "tasktag": "tag link", "dependency": "dependency", "dayplan": "day-plan pin",
    "calendarexception": "calendar exception", "teammember": "team membership", "workflowstate": "workflow state",
    "baselinetask": "baseline row", "comment": "annotation",
}
#: Columns that name the person a row belongs to, whoever typed the command.
_OWNER_COLUMNS = ("person", "author")

Row = tuple[str, int]


@dataclass(slots=True, frozen=True)
class ForeignRow:
    """A row that belongs to someone else: what it is, who made or changed it and how."""

    entity: str
    row_id: int
    person: str | None
    action: str

    def describe(self) -> str:
        """E.g. "w2 created time entry #4" (or "someone made ..." when no history names them)."""
        who = self.person or "someone"
        verb = {"created": "created", "updated": "changed"}.get(self.action, "made")
        return f"{who} {verb} {label(self.entity)} #{self.row_id}"


def label(entity: str) -> str:
    """A table name as a person reads it."""
    return LABELS.get(entity, entity)


def _references() -> dict[str, list[tuple[str, str, bool]]]:
    """target table -> (referencing table, column, cascades) for every foreign key between entities."""
    found: dict[str, list[tuple[str, str, bool]]] = defaultdict(list)
    for name, model in ENTITIES.items():
        for key in model.__table__.foreign_keys:  # type: ignore[attr-defined]
            cascades = (key.ondelete or "").upper() == "CASCADE"
            found[key.column.table.name].append((name, key.parent.name, cascades))
    return found


_REFERENCES = _references()


def dependents(uow: UnitOfWork, rows: Iterable[Row], *, skip: frozenset[tuple[str, str]] = frozenset()) -> list[Row]:
    """Rows a delete of ``rows`` would take along (cascades, recursively) or leave dangling.

    ``skip`` names (table, column) references the caller handles itself (e.g. children re-parented).
    """
    found: dict[Row, None] = {}
    pending = list(rows)
    seen = set(pending)
    while pending:
        entity, row_id = pending.pop()
        for table_name, column_name, cascades in _REFERENCES.get(entity, ()):
            if (table_name, column_name) in skip:
                continue
            table = ENTITIES[table_name].__table__  # type: ignore[attr-defined]
            for (child_id,) in uow.session.execute(core_select(table.c.id).where(table.c[column_name] == row_id)):
                row = (table_name, int(child_id))
                if row in seen:
                    continue
                seen.add(row)
                found[row] = None
                if cascades:
                    pending.append(row)
    return list(found)


def foreign_rows(uow: UnitOfWork, rows: Iterable[Row], actor: str, *, strict: bool = False,
                 along_with: Row | None = None) -> list[ForeignRow]:
    """Which of ``rows`` belong to someone other than ``actor``, by owner column or the event log.

    With ``strict``, a row nobody's history accounts for counts as foreign too (undo uses it: such a row
    was not made by the command being undone, so removing it would lose it). Rows written in the same
    command that created ``along_with`` (a spawned recurring instance's tags, say) belong to that row.
    """
    born_with: set[str] = set()
    if along_with is not None:
        born_with = {event.batch for event in uow.all(select(Event).where(
            Event.entity == along_with[0], Event.entity_id == along_with[1], Event.action == "created"))}
    by_entity: dict[str, set[int]] = defaultdict(set)
    for entity, row_id in rows:
        by_entity[entity].add(row_id)
    foreign: list[ForeignRow] = []
    for entity, ids in sorted(by_entity.items()):
        history: dict[int, list[Event]] = defaultdict(list)
        ordered = sorted(ids)
        for start in range(0, len(ordered), 500):
            chunk = ordered[start:start + 500]
            for event in uow.all(select(Event).where(Event.entity == entity, Event.entity_id.in_(chunk),  # type: ignore[union-attr]
                                                     Event.undone == False)  # noqa: E712
                                 .order_by(Event.id)):
                history[event.entity_id].append(event)  # type: ignore[index]
        owners = _owner_values(uow, entity, ordered)
        for row_id in ordered:
            owner = owners.get(row_id)
            if owner and owner.casefold() != actor.casefold():
                foreign.append(ForeignRow(entity, row_id, owner, "created"))
                continue
            others = [event for event in history[row_id]
                      if event.actor.casefold() != actor.casefold() and event.batch not in born_with]
            if others:
                foreign.append(ForeignRow(entity, row_id, others[-1].actor, others[-1].action))
            elif strict and not history[row_id]:
                foreign.append(ForeignRow(entity, row_id, owner, "created"))
    return foreign


def _owner_values(uow: UnitOfWork, entity: str, ids: list[int]) -> dict[int, str]:
    table = ENTITIES[entity].__table__  # type: ignore[attr-defined]
    column = next((table.c[name] for name in _OWNER_COLUMNS if name in table.c), None)
    if column is None:
        return {}
    owners: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        for row_id, owner in uow.session.execute(core_select(table.c.id, column).where(
                table.c.id.in_(ids[start:start + 500]))):
            owners[int(row_id)] = str(owner)
    return owners


def describe_all(foreign: list[ForeignRow], limit: int = 3) -> str:
    """The first few foreign rows in one phrase, with how many more there are."""
    text = ", ".join(row.describe() for row in foreign[:limit])
    if len(foreign) > limit:
        text += f" and {len(foreign) - limit} more"
    return text
