"""Integrity checks and backups of the database files themselves."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from planner.domain.errors import PlannerError
from planner.store.dbapi import ReadConnection
from planner.store.location import DatabaseLocation


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
                done = subprocess.run([pg_dump, "--format=custom", "--dbname", location.libpq_conninfo],
                                      stdout=out, stderr=subprocess.PIPE, check=False)
            if done.returncode != 0:
                raise PlannerError(f"pg_dump failed: {done.stderr.decode(errors='replace').strip()}")
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    target.chmod(0o600)
    return target
