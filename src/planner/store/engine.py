"""Engines and migrations: the write path's SQLAlchemy setup.

SQLite gets WAL, foreign keys, a busy timeout and ``BEGIN IMMEDIATE`` so that
concurrent processes (TUI, cron, shell) queue for the write lock instead of
failing halfway through a transaction.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.pool import NullPool

from planner.domain.errors import PlannerError
from planner.store.failures import is_store_failure, store_error
from planner.store.location import SCHEMA_HEAD, DatabaseLocation, file_identity
from planner.store.paths import check_store_file
from planner.store.sqlite_tuning import ANALYSIS_LIMIT, BUSY_TIMEOUT_MS, optimize_on_close

MIGRATIONS_DIR = Path(__file__).with_name("migrations")

#: When set to a file path, every write transaction appends "begin", "commit" or
#: "rollback" lines to it; the kill tests use it to prove their kills landed mid-transaction.
TRANSACTION_LOG_ENV = "PLANNER_TRANSACTION_LOG"

_ENGINES_KEPT = 8
_engines: dict[DatabaseLocation, tuple[Engine, tuple[int, int] | None]] = {}


class SchemaTooNewError(PlannerError):
    """The database was written by a newer Planner."""


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # noqa: ANN001
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        cursor.close()

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_connection, _record):  # noqa: ANN001
        if dbapi_connection is not None:
            optimize_on_close(dbapi_connection)  # NullPool: checking in closes the connection

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # noqa: ANN001
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _log_transactions(engine: Engine, log_path: str) -> None:
    def append(kind: str) -> None:
        fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.write(fd, f"{kind} {os.getpid()} {time.monotonic():.6f}\n".encode())
        finally:
            os.close(fd)

    # Registered after _configure_sqlite's listener, so "begin" is written once BEGIN IMMEDIATE holds the lock.
    event.listen(engine, "begin", lambda _connection: append("begin"))
    event.listen(engine, "commit", lambda _connection: append("commit"))
    event.listen(engine, "rollback", lambda _connection: append("rollback"))


def make_engine(location: DatabaseLocation) -> Engine:
    """The engine for a database location (one per process and URL).

    A SQLite file replaced or deleted since the engine was made (another inode at
    the path) gets a new engine, so a long-lived process never keeps using handles
    to a file that is no longer the database.
    """
    cached = _engines.get(location)
    if cached is not None:
        engine, identity = cached
        if location.dialect != "sqlite" or file_identity(location) == identity:
            return engine
        forget_engine(location)
    if location.dialect == "sqlite":
        assert location.sqlite_path is not None
        check_store_file(location.sqlite_path, create_folder=location.create_folder)
        engine = create_engine(
            location.url,
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
            poolclass=NullPool,
        )
        _configure_sqlite(engine)
    else:
        engine = create_engine(location.url, pool_pre_ping=True, pool_size=2, max_overflow=4)
    log_path = os.environ.get(TRANSACTION_LOG_ENV)
    if log_path:
        _log_transactions(engine, log_path)
    if len(_engines) >= _ENGINES_KEPT:
        forget_engine(next(iter(_engines)))
    _engines[location] = (engine, file_identity(location))
    return engine


def forget_engine(location: DatabaseLocation) -> None:
    """Close and drop the cached engine of a location (the next make_engine builds a new one)."""
    cached = _engines.pop(location, None)
    if cached is not None:
        cached[0].dispose()


def _alembic_config(connection):  # noqa: ANN001, ANN202
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def known_revisions() -> set[str]:
    """Every revision the migration scripts of this code know."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS_DIR))
    return {rev.revision for rev in script.walk_revisions()}


def current_revision(location: DatabaseLocation) -> str | None:
    """The revision stamped in the database (None when it has no schema yet)."""
    from sqlalchemy import inspect

    engine = make_engine(location)
    try:
        with engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except Exception as error:
        if is_store_failure(error):
            raise store_error(location, error) from None
        raise


def ensure_schema(location: DatabaseLocation) -> str:
    """Migrate an empty or older database to the head; refuse a newer one.

    Returns the revision the database is at afterwards.
    """
    revision = current_revision(location)
    if revision == SCHEMA_HEAD:
        return revision
    if revision is not None and revision not in known_revisions():
        raise SchemaTooNewError(
            f"the database is at schema revision {revision!r}, newer than this Planner knows "
            f"(head {SCHEMA_HEAD!r}); upgrade Planner (pip install -U planner) before using it"
        )
    from alembic import command

    engine = make_engine(location)
    try:
        with engine.connect() as connection:
            if location.dialect == "sqlite":
                # Rebuilding a table drops it; with foreign keys on, that would cascade into its children.
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
            with connection.begin():
                command.upgrade(_alembic_config(connection), "head")
                if location.dialect == "sqlite":
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise PlannerError(f"the migration would break {len(broken)} reference(s) "
                                           f"(first: {broken[0][0]} row {broken[0][1]}); nothing was changed")
    except Exception as error:
        if is_store_failure(error):
            raise store_error(location, error) from None
        raise
    return SCHEMA_HEAD
