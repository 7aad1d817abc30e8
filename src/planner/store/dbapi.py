"""The read side's connection: plain DB-API (sqlite3 or psycopg), no ORM.

Hot read commands (``ls``, ``show``, ``queue``) use this module only, so they
pay neither SQLAlchemy's nor SQLModel's import cost. SQL is written with
``?`` placeholders; for PostgreSQL they are rewritten to ``%s``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from planner.store.failures import is_store_failure, store_error
from planner.store.location import SCHEMA_HEAD, DatabaseLocation
from planner.store.paths import check_store_file
from planner.store.sqlite_tuning import ANALYSIS_LIMIT, BUSY_TIMEOUT_MS, optimize_on_close


class ReadConnection:
    """A thin wrapper over a DB-API connection with dialect-neutral queries."""

    def __init__(self, raw: Any, dialect: str, location: DatabaseLocation | None = None):
        self.raw = raw
        self.dialect = dialect
        self.location = location

    def _sql(self, sql: str) -> str:
        if self.dialect == "postgresql":
            return sql.replace("%", "%%").replace("?", "%s")
        return sql

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        """Run a query and return every row as a tuple."""
        return self._run(sql, params, all_rows=True)

    def one(self, sql: str, params: Sequence[Any] = ()) -> tuple | None:
        """Run a query and return its first row, or None."""
        return self._run(sql, params, all_rows=False)

    def _run(self, sql: str, params: Sequence[Any], *, all_rows: bool) -> Any:
        try:
            cursor = self.raw.cursor()
            cursor.execute(self._sql(sql), tuple(params))
            result = cursor.fetchall() if all_rows else cursor.fetchone()
            cursor.close()
        except Exception as error:
            if self.location is not None and is_store_failure(error):
                raise store_error(self.location, error) from None
            raise
        return result

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
        check_store_file(location.sqlite_path, create_folder=location.create_folder)
        try:
            raw = sqlite3.connect(location.sqlite_path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            raw.execute("PRAGMA foreign_keys=ON")
            raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            raw.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        except sqlite3.Error as error:
            raise store_error(location, error) from None
        return raw
    import psycopg

    try:
        raw = psycopg.connect(location.libpq_conninfo, autocommit=True)
    except psycopg.OperationalError as error:
        raise store_error(location, error) from None
    return raw


def damage(location: DatabaseLocation) -> str | None:
    """SQLite's quick_check of the file before anything migrates it (None when sound, or on PostgreSQL)."""
    if location.dialect != "sqlite":
        return None
    conn = ReadConnection(_connect_raw(location), location.dialect, location)
    try:
        lines = [row[0] for row in conn.rows("PRAGMA quick_check")]
    finally:
        conn.close()
    return None if lines == ["ok"] else lines[0]


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
    conn = ReadConnection(_connect_raw(location), location.dialect, location)
    try:
        if schema_revision(conn) != SCHEMA_HEAD:
            conn.close()
            from planner.store.engine import ensure_schema

            ensure_schema(location)
            conn = ReadConnection(_connect_raw(location), location.dialect, location)
        yield conn
    finally:
        if conn.dialect == "sqlite":
            optimize_on_close(conn.raw)
        conn.close()
