"""Integrity checks and backups of the database files themselves."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from planner.domain.errors import PlannerError
from planner.store.dbapi import ReadConnection
from planner.store.location import DatabaseLocation, client_environment


def integrity_problems(conn: ReadConnection) -> list[str]:
    """Storage-level problems: SQLite's integrity and foreign-key checks, orphans on any backend."""
    problems: list[str] = []
    if conn.dialect == "sqlite":
        result = [row[0] for row in conn.rows("PRAGMA integrity_check")]
        if result != ["ok"]:
            problems.extend(f"integrity: {line}" for line in result)
        for table, rowid, parent, _ in conn.rows("PRAGMA foreign_key_check"):
            problems.append(f"{table} row {rowid} points at a missing {parent}")
    orphans = conn.scalar("SELECT count(*) FROM task t LEFT JOIN project p ON p.id = t.project_id WHERE p.id IS NULL")
    if orphans:
        problems.append(f"{orphans} task(s) belong to no project")
    return problems


def client_error(location: DatabaseLocation, stderr: bytes) -> str:
    """The first line a PostgreSQL client printed, without the password."""
    lines = stderr.decode(errors="replace").strip().splitlines() or ["no message"]
    line = lines[0][:300]
    return line.replace(location.password, "***") if location.password else line


def backup(location: DatabaseLocation, target: Path) -> Path:
    """A consistent copy: SQLite's online backup, or pg_dump for PostgreSQL. Mode 0600."""
    target = target.expanduser().absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise PlannerError(f"{target} exists: choose a new file name (backups never overwrite)")
    fd = os.open(target, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
    os.close(fd)
    try:
        if location.dialect == "sqlite":
            import sqlite3

            source = sqlite3.connect(location.sqlite_path)
            destination = sqlite3.connect(target)
            try:
                source.backup(destination)
            finally:
                destination.close()
                source.close()
        else:
            pg_dump = shutil.which("pg_dump")
            if pg_dump is None:
                raise PlannerError("pg_dump is not installed: install the PostgreSQL client tools to back up")
            with open(target, "wb") as out:
                done = subprocess.run([pg_dump, "--format=custom", "--dbname",
                                       location.libpq_conninfo_without_password],
                                      stdout=out, stderr=subprocess.PIPE, check=False, env=client_environment(location))
            if done.returncode != 0:
                raise PlannerError(f"pg_dump failed: {client_error(location, done.stderr)}")
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    target.chmod(0o600)
    return target


def restore(location: DatabaseLocation, source: Path) -> None:
    """Replace the database with a backup file (SQLite backup, or a pg_dump custom archive)."""
    source = source.expanduser().absolute()
    if not source.exists():
        raise PlannerError(f"{source} does not exist")
    if location.dialect == "sqlite":
        import sqlite3

        try:
            backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            revision = backup_db.execute("SELECT version_num FROM alembic_version").fetchone()
            backup_db.execute("PRAGMA quick_check").fetchone()
        except sqlite3.DatabaseError as error:
            raise PlannerError(f"{source} is not a Planner backup ({error})") from None
        if revision is None:
            raise PlannerError(f"{source} is not a Planner backup (no schema revision)")
        assert location.sqlite_path is not None
        target = sqlite3.connect(location.sqlite_path, timeout=30)
        try:
            backup_db.backup(target)
        finally:
            target.close()
            backup_db.close()
        return
    pg_restore = shutil.which("pg_restore")
    if pg_restore is None:
        raise PlannerError("pg_restore is not installed: install the PostgreSQL client tools to restore")
    done = subprocess.run([pg_restore, "--clean", "--if-exists", "--single-transaction", "--dbname",
                           location.libpq_conninfo_without_password, str(source)],
                          capture_output=True, check=False, env=client_environment(location))
    if done.returncode != 0:
        raise PlannerError(f"pg_restore failed: {client_error(location, done.stderr)}")


def copy_database(source: DatabaseLocation, target: DatabaseLocation) -> dict[str, int]:
    """Copy every table into an empty database at the same schema (one transaction); rows per table."""
    from sqlalchemy import func, select, text

    from planner.store.engine import ensure_schema, make_engine
    from planner.store.models import SQLModel

    ensure_schema(source)
    ensure_schema(target)
    tables = SQLModel.metadata.sorted_tables
    source_engine, target_engine = make_engine(source), make_engine(target)
    counts: dict[str, int] = {}
    with source_engine.connect() as reader, target_engine.begin() as writer:
        for table in tables:
            existing = writer.execute(select(func.count()).select_from(table)).scalar() or 0
            seeded = table.name in ("workflow", "workflowstate", "calendar")
            if existing and not seeded:
                raise PlannerError(f"the target already holds data ({table.name}): copy into an empty database")
        for table in reversed(tables):
            if table.name in ("workflow", "workflowstate", "calendar"):
                writer.execute(table.delete())
        for table in tables:
            rows = [dict(row._mapping) for row in reader.execute(select(table))]
            if rows:
                writer.execute(table.insert(), rows)
            counts[table.name] = len(rows)
        if target.dialect == "postgresql":
            for table in tables:
                if "id" in table.columns:
                    writer.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"COALESCE((SELECT max(id) FROM {table.name}), 0) + 1, false)"))
    return counts
