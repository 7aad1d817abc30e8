"""People and pools: who does the work and how much of it a day."""

from __future__ import annotations

from sqlmodel import select

from planner.domain.capacity import check_capacity
from planner.domain.errors import ConflictError, InvalidInputError
from planner.services import lookup
from planner.services.context import Context
from planner.services.records import ResourceState, detached
from planner.store.models import Resource


def add_resource(ctx: Context, handle: str, *, name: str | None = None, email: str | None = None,
                 capacity: float = 1.0, kind: str = "person") -> ResourceState:
    """Create a person (or a pool with ``kind='pool'``) with a capacity in units per day."""
    normalized = lookup.validate_key(handle, "handle")
    check_capacity(capacity)
    if kind not in ("person", "pool"):
        raise InvalidInputError(f"resource kind {kind!r} unknown: use person or pool")
    if email is not None and "@" not in email:
        raise InvalidInputError(f"{email!r} is not an email address")
    with ctx.uow() as uow:
        existing = uow.first(select(Resource).where(Resource.handle == normalized))
        if existing is not None:
            raise ConflictError(f"{normalized!r} already exists: `planner resource edit {normalized} --name ... "
                                "--email ... --capacity ...` changes them")
        resource = uow.add(Resource(handle=normalized, name=name or normalized, email=email,
                                    capacity=capacity, kind=kind))
        uow.commit()
        return detached(ResourceState, resource)


def edit_resource(ctx: Context, handle: str, **changes: object) -> ResourceState:
    """Change a resource's name, email, capacity or calendar."""
    allowed = {"name", "email", "capacity", "calendar_id", "kind"}
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInputError(f"cannot edit {', '.join(sorted(unknown))} of a resource")
    capacity = changes.get("capacity")
    if capacity is not None:
        check_capacity(capacity)  # type: ignore[arg-type]
    with ctx.uow() as uow:
        resource = lookup.resource(uow, handle)
        uow.update(resource, **changes)
        uow.commit()
        return detached(ResourceState, resource)
