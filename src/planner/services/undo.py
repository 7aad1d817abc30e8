"""Undo: revert the last command's changes, using the Event log's snapshots."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import select

from planner.domain.errors import NotFoundError, PlannerError, StaleEditError
from planner.services import ownership
from planner.services.context import Context
from planner.services.undo_words import describe_command
from planner.store.models import ENTITIES, Event
from planner.store.uow import restore_values


@dataclass(slots=True)
class UndoResult:
    """What undo reverted: how many row changes, and the command in words ('edit of #5: title b → a')."""

    changes: int
    summary: str


def undo_last(ctx: Context) -> UndoResult:
    """Revert every change of the acting person's latest command not yet undone.

    Refuses when a later change by anyone touched the same rows (undo never
    silently overwrites someone else's work).
    """
    with ctx.uow() as uow:
        latest = uow.first(select(Event).where(Event.actor == ctx.actor, Event.undone == False,  # noqa: E712
                                               Event.action != "undo").order_by(Event.id.desc()))
        if latest is None:
            raise NotFoundError(f"nothing to undo for {ctx.actor}")
        events = uow.all(select(Event).where(Event.batch == latest.batch).order_by(Event.id.desc()))
        bulk = [e for e in events if e.entity not in ENTITIES]
        if bulk:
            raise PlannerError(
                f"your last command was a bulk {bulk[0].entity} ({bulk[0].action}), which undo cannot revert; "
                "a backup you took before it restores the store (`planner db restore FILE`; `planner db backup` "
                "takes one before the next big change)"
            )
        touched = {(e.entity, e.entity_id) for e in events}
        later = uow.all(select(Event).where(Event.id > events[0].id, Event.undone == False))  # noqa: E712
        clash = [e for e in later if (e.entity, e.entity_id) in touched and e.batch != latest.batch]
        if clash:
            raise StaleEditError(
                f"cannot undo: {clash[0].actor} changed {clash[0].entity} #{clash[0].entity_id} afterwards"
            )
        _refuse_taking_other_rows(uow, ctx.actor, events, touched)
        summary = describe_command(uow, events)
        for event in events:
            _revert(uow, event)
            event.undone = True
            uow.session.add(event)
        uow.flush()
        uow.record("batch", None, "undo", None, {"batch": latest.batch, "changes": len(events)})
        uow.commit()
        return UndoResult(len(events), summary)


def _refuse_taking_other_rows(uow, actor: str, events: list[Event], touched: set) -> None:  # noqa: ANN001
    """Refuse when deleting this command's new rows would cascade into rows it did not make."""
    for event in reversed(events):
        if event.action != "created" or event.entity_id is None or event.entity not in ENTITIES:
            continue
        left = [row for row in ownership.dependents(uow, [(event.entity, event.entity_id)]) if row not in touched]
        if not left:
            continue
        foreign = ownership.foreign_rows(uow, left, actor, strict=True) or [
            ownership.ForeignRow(entity, row_id, actor, "created") for entity, row_id in left]
        raise StaleEditError(
            f"cannot undo: {ownership.describe_all(foreign)} afterwards, and removing the "
            f"{ownership.label(event.entity)} #{event.entity_id} this command created would take it along"
        )


def _revert(uow, event: Event) -> None:  # noqa: ANN001
    model = ENTITIES.get(event.entity)
    if model is None:
        return
    current = uow.get(model, event.entity_id) if event.entity_id is not None else None
    if event.action == "created":
        if current is not None:
            uow.session.delete(current)
            uow.flush()
    elif event.action == "updated" and current is not None and event.before is not None:
        values = restore_values(model, event.before)
        values.pop("id", None)
        values.pop("version", None)
        for key, value in values.items():
            setattr(current, key, value)
        uow.session.add(current)
        uow.flush()
    elif event.action == "deleted" and event.before is not None and current is None:
        uow.session.add(model(**restore_values(model, event.before)))
        uow.flush()

