"""Integrity checks and backups of the database files themselves."""

from __future__ import annotations

import os
import shutil
import subprocess
from contextlib import closing
from pathlib import Path

from planner.domain.errors import PlannerError
from planner.store.dbapi import ReadConnection
from planner.store.location import SCHEMA_HEAD, DatabaseLocation, client_environment


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


class BackupRefusedError(PlannerError):
    """A file given to restore is not a sound Planner backup this code can use."""


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _publish(partial: Path, target: Path) -> None:
    """Give a finished file its final name without ever overwriting one (a hard link, else a rename)."""
    try:
        os.link(partial, target)
    except FileExistsError:
        raise PlannerError(f"{target} exists: choose a new file name (backups never overwrite)") from None
    except OSError:  # a file system without hard links
        if target.exists():
            raise PlannerError(f"{target} exists: choose a new file name (backups never overwrite)") from None
        os.replace(partial, target)
    else:
        partial.unlink()
    _fsync(target.parent)


def backup(location: DatabaseLocation, target: Path) -> Path:
    """A consistent copy: SQLite's online backup, or pg_dump for PostgreSQL. Mode 0600.

    It is written under a temporary ".partial" name and renamed when complete,
    so an interrupted backup never leaves a file that looks like a backup.
    """
    import sqlite3
    import tempfile

    target = target.expanduser().absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        raise PlannerError(f"{target} exists: choose a new file name (backups never overwrite)")
    fd, partial_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    os.close(fd)
    partial = Path(partial_name)
    try:
        if location.dialect == "sqlite":
            from planner.store.paths import check_existing_store

            live = check_existing_store(location.sqlite_path)
            with closing(sqlite3.connect(f"file:{live}?mode=ro", uri=True)) as source, \
                    closing(sqlite3.connect(partial)) as destination:
                source.backup(destination)
        else:
            pg_dump = shutil.which("pg_dump")
            if pg_dump is None:
                raise PlannerError("pg_dump is not installed: install the PostgreSQL client tools to back up")
            with open(partial, "wb") as out:
                done = subprocess.run([pg_dump, "--format=custom", "--dbname",
                                       location.libpq_conninfo_without_password],
                                      stdout=out, stderr=subprocess.PIPE, check=False, env=client_environment(location))
            if done.returncode != 0:
                raise PlannerError(f"pg_dump failed: {client_error(location, done.stderr)}")
        partial.chmod(0o600)
        _fsync(partial)
        _publish(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def restore(location: DatabaseLocation, source: Path) -> None:
    """Replace the database's contents with a backup (SQLite backup, or a pg_dump custom archive).

    The backup is verified first (integrity, Planner's tables, a revision this
    code knows; older ones are migrated); a refused backup changes nothing.
    SQLite is restored through the online backup API into the live file, one
    write transaction, so processes connected to it see the old or the new
    contents, never a file swapped under their handles.
    """
    source = source.expanduser().absolute()
    if not source.is_file():
        raise PlannerError(f"{source} does not exist")
    if location.dialect == "sqlite":
        _restore_sqlite(location, source)
    else:
        _restore_postgres(location, source)


def _check_revision(source: Path, revision: str | None) -> None:
    from planner.store.engine import known_revisions

    if revision is None:
        raise BackupRefusedError(f"{source} is not a Planner backup (no schema revision)")
    if revision not in known_revisions():
        raise BackupRefusedError(
            f"{source} was written by a newer Planner (schema {revision!r}, this one knows up to "
            f"{SCHEMA_HEAD!r}): upgrade Planner before restoring it")


def _missing_columns(columns_of) -> list[str]:  # noqa: ANN001
    """Planner's tables and columns absent from a database.

    ``columns_of(table)`` gives the table's column names, an empty set when the
    table is absent, or None when it exists but its columns are not known.
    """
    from planner.store.models import SQLModel

    missing = []
    for table in SQLModel.metadata.sorted_tables:
        present = columns_of(table.name)
        if present is not None and not present:
            missing.append(f"table {table.name}")
        elif present is not None:
            missing.extend(f"{table.name}.{column.name}" for column in table.columns if column.name not in present)
    return missing


def _restore_sqlite(location: DatabaseLocation, source: Path) -> None:
    import sqlite3
    import tempfile

    from planner.store.dbapi import BUSY_TIMEOUT_MS
    from planner.store.engine import ensure_schema, forget_engine
    from planner.store.location import parse_database_url
    from planner.store.paths import check_store_file

    assert location.sqlite_path is not None
    live = location.sqlite_path.absolute()
    live.parent.mkdir(parents=True, exist_ok=True)
    fd, staged_name = tempfile.mkstemp(prefix=f".{live.name}.restore-", suffix=".db", dir=live.parent)
    os.close(fd)
    staged = Path(staged_name)
    staged_location = parse_database_url(f"sqlite:///{staged}")
    try:
        try:
            with closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as backup_db, \
                    closing(sqlite3.connect(staged)) as copy:
                backup_db.backup(copy)
            with closing(sqlite3.connect(staged)) as copy:
                conn = ReadConnection(copy, "sqlite")
                damage = [row[0] for row in conn.rows("PRAGMA integrity_check")]
                if damage != ["ok"]:
                    raise BackupRefusedError(f"{source} is damaged ({'; '.join(damage[:2])}): restore another backup")
                has_version = conn.scalar("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'")
                revision = conn.scalar("SELECT version_num FROM alembic_version") if has_version else None
            _check_revision(source, revision)
            if revision != SCHEMA_HEAD:
                try:
                    ensure_schema(staged_location)
                except Exception as error:  # noqa: BLE001 - any failure means the file is not ours
                    raise BackupRefusedError(f"{source} is not a Planner backup (its migration failed: "
                                             f"{str(error).splitlines()[0]})") from None
                finally:
                    forget_engine(staged_location)
            with closing(sqlite3.connect(staged)) as copy:
                conn = ReadConnection(copy, "sqlite")
                missing = _missing_columns(lambda name: {row[1] for row in conn.rows(f'PRAGMA table_info("{name}")')})
                if missing:
                    raise BackupRefusedError(f"{source} is not a Planner backup (missing {', '.join(missing[:5])})")
                problems = integrity_problems(conn)
                if problems:
                    raise BackupRefusedError(f"{source} is not sound: {'; '.join(problems[:3])}")
        except sqlite3.DatabaseError as error:
            if "malformed" in str(error):
                raise BackupRefusedError(f"{source} is damaged ({error}): restore another backup") from None
            raise BackupRefusedError(f"{source} is not a Planner backup ({error})") from None
        if not live.exists():
            check_store_file(live)  # a store restored into place: a new file, mode 0600
        with closing(sqlite3.connect(staged)) as copy, \
                closing(sqlite3.connect(live, timeout=BUSY_TIMEOUT_MS / 1000)) as target:
            try:
                copy.backup(target)
            except sqlite3.DatabaseError as error:
                raise PlannerError(f"restore failed, the database is unchanged: {error}") from None
    finally:
        for suffix in ("", "-journal", "-wal", "-shm"):
            Path(f"{staged}{suffix}").unlink(missing_ok=True)


def _restore_postgres(location: DatabaseLocation, source: Path) -> None:
    pg_restore = shutil.which("pg_restore")
    if pg_restore is None:
        raise PlannerError("pg_restore is not installed: install the PostgreSQL client tools to restore")
    listing = subprocess.run([pg_restore, "--list", str(source)], capture_output=True, text=True, check=False)
    if listing.returncode != 0:
        reason = (listing.stderr.strip().splitlines() or ["unreadable"])[-1]
        raise BackupRefusedError(f"{source} is not a pg_dump archive ({reason})")
    tables = set()
    for line in listing.stdout.splitlines():  # "215; 1259 16390 TABLE public task owner"
        fields = line.split()
        if len(fields) >= 6 and not line.startswith(";") and fields[3] == "TABLE" and fields[4] != "DATA":
            tables.add(fields[5])
    alembic = subprocess.run([pg_restore, "--data-only", "--table=alembic_version", "--file=-", str(source)],
                             capture_output=True, text=True, check=False)
    revision = None
    if alembic.returncode == 0 and "COPY public.alembic_version" in alembic.stdout:
        rows = alembic.stdout.split("COPY public.alembic_version", 1)[1].splitlines()[1:]
        revision = rows[0].strip() if rows and rows[0].strip() != "\\." else None
    _check_revision(source, revision)
    missing = _missing_columns(lambda name: None if name in tables else set())
    if missing:
        raise BackupRefusedError(f"{source} is not a Planner backup (missing {', '.join(missing[:5])})")
    done = subprocess.run([pg_restore, "--clean", "--if-exists", "--single-transaction", "--exit-on-error",
                           "--dbname", location.libpq_conninfo_without_password, str(source)],
                          capture_output=True, check=False, env=client_environment(location))
    if done.returncode != 0:
        lines = done.stderr.decode(errors="replace").strip().splitlines()
        message = next((line for line in lines if "error" in line), lines[0] if lines else "no message")
        if location.password:
            message = message.replace(location.password, "***")
        raise PlannerError(f"pg_restore failed, the database is unchanged: {message}")
    from planner.store.engine import ensure_schema, forget_engine

    forget_engine(location)  # its pooled connections may hold plans of the dropped tables
    ensure_schema(location)


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
