"""The unit of work: one transaction per use case, with its Event rows.

Services own the transaction (``with ctx.uow() as uow: ...; uow.commit()``);
every change they make through ``add`` / ``update`` / ``delete`` is logged as
an Event carrying a before/after snapshot, so ``undo`` can revert a whole
command and the digest and TUI can see what changed.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, SQLModel, select

from planner.domain.errors import ConflictError, PlannerError, StaleEditError
from planner.store.engine import make_engine
from planner.store.failures import is_store_failure, store_error
from planner.store.location import DatabaseLocation
from planner.store.models import Event

Model = TypeVar("Model", bound=SQLModel)


def snapshot(row: SQLModel) -> dict[str, Any]:
    """The row's column values as JSON-friendly data (dates as ISO text)."""
    values: dict[str, Any] = {}
    for column in row.__table__.columns:  # type: ignore[attr-defined]
        value = getattr(row, column.key)
        if isinstance(value, (date, datetime)):
            value = value.isoformat()
        values[column.key] = value
    return values


def restore_values(model: type[SQLModel], data: dict[str, Any]) -> dict[str, Any]:
    """Convert a snapshot back into column values of ``model``."""
    columns = {column.key: column for column in model.__table__.columns}  # type: ignore[attr-defined]
    values: dict[str, Any] = {}
    for key, value in data.items():
        column = columns.get(key)
        if column is None:
            continue
        if isinstance(value, str):
            python_type = _python_type(column)
            if python_type is datetime:
                value = datetime.fromisoformat(value)
            elif python_type is date:
                value = date.fromisoformat(value)
        values[key] = value
    return values


class UnitOfWork:
    """A session, a batch id for its events, and translation of store errors."""

    def __init__(self, location: DatabaseLocation, actor: str):
        self.location = location
        self.actor = actor
        self.batch = uuid.uuid4().hex
        self.session: Session

    def __enter__(self) -> UnitOfWork:
        self.session = Session(make_engine(self.location), expire_on_commit=False, autoflush=False)
        return self

    def __exit__(self, exc_type, exc, tb) -> None:  # noqa: ANN001
        try:
            self.session.rollback()
            self.session.close()
        except Exception as error:
            if exc is None and is_store_failure(error):
                raise store_error(self.location, error) from None
            if exc is None:
                raise
        if exc is not None and not isinstance(exc, PlannerError) and is_store_failure(exc):
            raise store_error(self.location, exc) from None

    def get(self, model: type[Model], row_id: int) -> Model | None:
        """A row by primary key, or None."""
        return self.session.get(model, row_id)

    def first(self, statement: Any) -> Any:
        """The first result of a select statement, or None."""
        return self.session.exec(statement).first()

    def all(self, statement: Any) -> list[Any]:
        """Every result of a select statement."""
        return list(self.session.exec(statement).all())

    def add(self, row: Model) -> Model:
        """Insert a row and log its creation."""
        self.session.add(row)
        self.flush()
        self.record(row.__tablename__, row.id, "created", None, snapshot(row))  # type: ignore[attr-defined]
        return row

    def update(self, row: Model, **changes: Any) -> Model:
        """Apply changes to a row and log before/after (no event when nothing changed)."""
        before = snapshot(row)
        for key, value in changes.items():
            setattr(row, key, value)
        if hasattr(row, "updated_at") and any(before.get(k) != _plain(v) for k, v in changes.items()):
            from planner.store.models import utcnow

            row.updated_at = utcnow()  # type: ignore[attr-defined]
        self.session.add(row)
        self.flush()
        after = snapshot(row)
        if after != before:
            self.record(row.__tablename__, row.id, "updated", before, after)  # type: ignore[attr-defined]
        return row

    def delete(self, row: SQLModel) -> None:
        """Delete a row and log what it was."""
        before = snapshot(row)
        self.session.delete(row)
        self.flush()
        self.record(row.__tablename__, before.get("id"), "deleted", before, None)  # type: ignore[attr-defined]

    def record(self, entity: str, entity_id: int | None, action: str,
               before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
        """Append one Event to this batch."""
        self.session.add(Event(actor=self.actor, batch=self.batch, entity=entity, entity_id=entity_id,
                               action=action, before=before, after=after))

    def flush(self) -> None:
        """Send pending changes, translating races and constraint failures."""
        try:
            self.session.flush()
        except StaleDataError:
            self.session.rollback()
            raise StaleEditError(
                "someone changed this task while you were editing it; reload it and try again"
            ) from None
        except IntegrityError as error:
            self.session.rollback()
            raise ConflictError(_integrity_message(error)) from None
        except OperationalError as error:
            self.session.rollback()
            raise _operational(error, self.location) from None

    def commit(self) -> None:
        """Commit the transaction."""
        self.flush()
        try:
            self.session.commit()
        except OperationalError as error:
            self.session.rollback()
            raise _operational(error, self.location) from None

    def events_since(self, event_id: int) -> list[Event]:
        """Events after ``event_id`` (for digests and refresh)."""
        return self.all(select(Event).where(Event.id > event_id).order_by(Event.id))


def _python_type(column: Any) -> type | None:
    column_type = getattr(column.type, "impl", column.type)
    try:
        return column_type.python_type
    except NotImplementedError:
        return None


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (date, datetime)) else value


def _integrity_message(error: IntegrityError) -> str:
    detail = str(error.orig).strip().splitlines()[0]
    return f"the change conflicts with existing data ({detail})"


def _operational(error: OperationalError, location: DatabaseLocation) -> PlannerError:
    return store_error(location, error)
