"""The read side's connection: plain DB-API (sqlite3 or psycopg), no ORM.

Hot read commands (``ls``, ``show``, ``queue``) use this module only, so they
pay neither SQLAlchemy's nor SQLModel's import cost. SQL is written with
``?`` placeholders; for PostgreSQL they are rewritten to ``%s``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from planner.domain.errors import PlannerError
from planner.store.location import SCHEMA_HEAD, DatabaseLocation, prepare_sqlite_file
from planner.store.sqlite_tuning import ANALYSIS_LIMIT, BUSY_TIMEOUT_MS, optimize_on_close


class ReadConnection:
    """A thin wrapper over a DB-API connection with dialect-neutral queries."""

    def __init__(self, raw: Any, dialect: str):
        self.raw = raw
        self.dialect = dialect

    def _sql(self, sql: str) -> str:
        if self.dialect == "postgresql":
            return sql.replace("%", "%%").replace("?", "%s")
        return sql

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        """Run a query and return every row as a tuple."""
        cursor = self.raw.cursor()
        cursor.execute(self._sql(sql), tuple(params))
        result = cursor.fetchall()
        cursor.close()
        return result

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple | None:
        """Run a query and return its first row, or None."""
        cursor = self.raw.cursor()
        cursor.execute(self._sql(sql), tuple(params))
        row = cursor.fetchone()
        cursor.close()
        return row

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """Run a query and return the first column of its first row."""
        row = self.one(sql, params)
        return row[0] if row else None

    def close(self) -> None:
        """Close the underlying connection."""
        self.raw.close()


def _connect_raw(location: DatabaseLocation) -> Any:
    if location.dialect == "sqlite":
        import sqlite3

        assert location.sqlite_path is not None
        prepare_sqlite_file(location.sqlite_path)
        raw = sqlite3.connect(location.sqlite_path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        raw.execute("PRAGMA foreign_keys=ON")
        raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        raw.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        return raw
    import psycopg

    try:
        raw = psycopg.connect(location.libpq_conninfo, autocommit=True)
    except psycopg.OperationalError as error:
        raise PlannerError(f"cannot reach the database: {str(error).strip().splitlines()[0]}") from None
    return raw


def schema_revision(conn: ReadConnection) -> str | None:
    """The Alembic revision stamped in the database, or None when unmigrated."""
    if conn.dialect == "sqlite":
        exists = conn.scalar("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'")
    else:
        exists = conn.scalar("SELECT to_regclass('alembic_version') IS NOT NULL")
    if not exists:
        return None
    return conn.scalar("SELECT version_num FROM alembic_version")


def refresh_statistics(conn: ReadConnection) -> None:
    """Bring the query planner's statistics up to date after a bulk change (an import, a restore, a copy).

    Without them SQLite may drive a join from the wrong table (every open task
    probing an id list); PostgreSQL's autovacuum would catch up only later.
    """
    if conn.dialect == "sqlite":
        conn.raw.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
    conn.raw.execute("ANALYZE")


@contextmanager
def read_connection(location: DatabaseLocation) -> Iterator[ReadConnection]:
    """Open a read connection on a database at the current schema (migrating first if needed)."""
    conn = ReadConnection(_connect_raw(location), location.dialect)
    try:
        if schema_revision(conn) != SCHEMA_HEAD:
            conn.close()
            from planner.store.engine import ensure_schema

            ensure_schema(location)
            conn = ReadConnection(_connect_raw(location), location.dialect)
        yield conn
    finally:
        if conn.dialect == "sqlite":
            optimize_on_close(conn.raw)
        conn.close()
