"""The service context: which database, who acts, and what day it is."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from planner.config import Settings, load_settings
from planner.store.dbapi import ReadConnection, read_connection
from planner.store.location import DatabaseLocation, file_identity, parse_database_url

if TYPE_CHECKING:
    from planner.store.uow import UnitOfWork


@dataclass(slots=True)
class Context:
    """What every service call needs; built once per process by a face."""

    settings: Settings
    location: DatabaseLocation
    actor: str
    today_override: date | None = None
    now_override: datetime | None = field(default=None)

    @classmethod
    def from_settings(cls, settings: Settings, *, today: date | None = None) -> Context:
        """A context over the settings' database, acting as the settings' user."""
        from dataclasses import replace

        from planner.config import default_database_url

        location = parse_database_url(settings.database_url)
        if settings.database_url == default_database_url():
            location = replace(location, create_folder=True)  # the default store's folder may be created
        return cls(settings, location, settings.user, today)

    @classmethod
    def load(cls, *, database: str | None = None, user: str | None = None) -> Context:
        """A context from the config file, environment and the given flags."""
        return cls.from_settings(load_settings(database=database, user=user))

    def today(self) -> date:
        """The day the services treat as today."""
        return self.today_override or date.today()

    def now(self) -> datetime:
        """The current local time (naive)."""
        return self.now_override or datetime.now()

    def child_database(self) -> tuple[list[str], dict[str, str]]:
        """How a child planner reaches this database: (``--db URL`` words, extra environment).

        A URL with a password goes in the environment: a command line is visible to every user in ``ps``.
        """
        if self.location.password is None:
            return ["--db", self.location.url], {}
        return [], {"PLANNER_DATABASE_URL": self.location.url}

    def uow(self) -> UnitOfWork:
        """A new unit of work (one write transaction) on this database."""
        from planner.store.engine import ensure_schema
        from planner.store.uow import UnitOfWork

        _ensure_schema_once(self.location, ensure_schema)
        return UnitOfWork(self.location, self.actor)

    @contextmanager
    def reader(self) -> Iterator[ReadConnection]:
        """A plain DB-API connection for the read side."""
        with read_connection(self.location) as conn:
            yield conn


_migrated: set[tuple[str, tuple[int, int] | None]] = set()


def _ensure_schema_once(location: DatabaseLocation, ensure_schema) -> None:  # noqa: ANN001
    # Keyed by the file's identity too: a SQLite file replaced under a running process is checked again.
    key = (location.url, file_identity(location))
    if key not in _migrated:
        ensure_schema(location)
        _migrated.add((location.url, file_identity(location)))
