"""Dependency use cases: link and unlink tasks (cycles refused, naming the tasks)."""

from __future__ import annotations

from sqlmodel import select

from planner.domain.errors import NotFoundError
from planner.services import lookup
from planner.services.context import Context
from planner.services.records import LinkState, detached
from planner.services.tasks.rows import link_tasks
from planner.store.models import Dependency, utcnow


def add_dependency(ctx: Context, predecessor_id: int, successor_id: int, *, type: str = "FS",
                   lag_days: int = 0) -> LinkState:
    """``successor`` waits for ``predecessor`` (FS/SS/FF/SF, lag in working days; negative = lead)."""
    with ctx.uow() as uow:
        link = link_tasks(uow, predecessor_id, successor_id, type=type, lag_days=lag_days)
        successor = lookup.task(uow, successor_id)
        uow.update(successor, updated_at=utcnow())
        uow.commit()
        return detached(LinkState, link)


def remove_dependency(ctx: Context, predecessor_id: int, successor_id: int) -> None:
    """Remove the link ``predecessor -> successor``."""
    with ctx.uow() as uow:
        link = uow.first(select(Dependency).where(Dependency.predecessor_id == predecessor_id,
                                                  Dependency.successor_id == successor_id))
        if link is None:
            raise NotFoundError(f"#{successor_id} does not depend on #{predecessor_id}: `planner dep ls` lists links")
        uow.delete(link)
        successor = lookup.task(uow, successor_id)
        uow.update(successor, updated_at=utcnow())
        uow.commit()
