"""Driver errors that are the database's state, not a bug: one line a person can act on, never a password."""

from __future__ import annotations

from planner.domain.errors import PlannerError
from planner.store.location import DatabaseLocation


class StoreUnavailableError(PlannerError):
    """The database cannot be used: unreachable, damaged, read-only or not a database."""


def store_error(location: DatabaseLocation, error: BaseException) -> StoreUnavailableError:
    """One actionable line for a driver error that is not a bug in a query (no password in it)."""
    orig = getattr(error, "orig", None) or error
    detail = (str(orig).strip().splitlines() or [type(orig).__name__])[0]
    if location.password:
        detail = detail.replace(location.password, "***")
    where = location.shown
    lowered = detail.lower()
    if location.dialect == "sqlite":
        if "not a database" in lowered or "malformed" in lowered or "corrupt" in lowered:
            return StoreUnavailableError(f"{where} is damaged or not a Planner database ({detail}): "
                                         "`planner db restore BACKUP` replaces it")
        if "readonly" in lowered or "read-only" in lowered:
            return StoreUnavailableError(f"{where} is read-only ({detail}): Planner writes to its database")
        if "locked" in lowered or "busy" in lowered:
            return StoreUnavailableError("the database stayed busy for 30 s (another planner is writing); try again")
        return StoreUnavailableError(f"cannot use the database {where}: {detail}")
    return StoreUnavailableError(f"cannot reach the database {where}: {detail}")


def is_store_failure(error: BaseException) -> bool:
    """Whether a DB-API error is the database's state (unreachable, damaged, read-only), not a query's bug."""
    kind = type(getattr(error, "orig", None) or error)
    names = {cls.__name__ for cls in kind.__mro__}
    return bool(names & {"OperationalError", "InterfaceError"}) or kind.__name__ == "DatabaseError"
