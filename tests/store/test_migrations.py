"""The schema: migrations match the models, new files are created safely, newer schemas are refused."""

from __future__ import annotations

import sqlite3
import stat

import pytest

from planner.store.engine import SchemaTooNewError, ensure_schema, known_revisions, make_engine
from planner.store.location import SCHEMA_HEAD, parse_database_url


def test_schema_head_constant_is_the_migrations_head():
    from alembic.script import ScriptDirectory

    from planner.store.engine import MIGRATIONS_DIR

    assert ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head() == SCHEMA_HEAD
    assert SCHEMA_HEAD in known_revisions()


def test_migrations_create_exactly_the_models(database_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from planner.store.models import SQLModel

    location = parse_database_url(database_url)
    ensure_schema(location)
    with make_engine(location).connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    assert diff == []


def test_new_sqlite_file_is_private_and_in_wal_mode(tmp_path):
    from dataclasses import replace

    path = tmp_path / "sub" / "planner.db"
    ensure_schema(replace(parse_database_url(f"sqlite:///{path}"), create_folder=True))  # as the default store
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == SCHEMA_HEAD


def test_default_workflow_and_calendar_are_seeded(database_url):
    from planner.store.dbapi import read_connection

    with read_connection(parse_database_url(database_url)) as conn:
        states = [row[0] for row in conn.rows("SELECT key FROM workflowstate ORDER BY position")]
        calendars = [row[0] for row in conn.rows("SELECT name FROM calendar")]
    assert states == ["backlog", "todo", "doing", "review", "done"]
    assert calendars == ["standard"]


def test_database_newer_than_the_code_is_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 'future.db'}"
    location = parse_database_url(url)
    ensure_schema(location)
    with sqlite3.connect(location.sqlite_path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    with pytest.raises(SchemaTooNewError, match="newer than this Planner knows"):
        ensure_schema(location)


def test_empty_database_file_is_migrated_on_first_read(tmp_path):
    from planner.store.dbapi import read_connection, schema_revision

    path = tmp_path / "old.db"
    sqlite3.connect(path).close()
    with read_connection(parse_database_url(f"sqlite:///{path}")) as conn:
        assert schema_revision(conn) == SCHEMA_HEAD


def test_an_older_database_is_migrated_and_keeps_its_data(tmp_path):
    from alembic import command

    from planner.store.engine import _alembic_config

    path = tmp_path / "old.db"
    location = parse_database_url(f"sqlite:///{path}")
    with make_engine(location).begin() as connection:
        command.upgrade(_alembic_config(connection), "0001_initial")
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001_initial"
        conn.execute("INSERT INTO project (key, name, kind, reserve_percent, archived, created_at, updated_at) "
                     "VALUES ('old', 'Old', 'project', 0, 0, '2026-01-01 00:00:00', '2026-01-01 00:00:00')")
        conn.execute("INSERT INTO task (project_id, title, notes, kind, status, priority, percent_done, board_rank, "
                     "created_at, updated_at, version) VALUES (1, 'kept', '', 'task', 'todo', 0, 0, 0, "
                     "'2026-01-01 00:00:00', '2026-01-01 00:00:00', 1)")
    assert ensure_schema(location) == SCHEMA_HEAD
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT title FROM task").fetchall() == [("kept",)]
        columns = [row[1] for row in conn.execute("PRAGMA table_info(digestlog)")]
    assert "claimed_at" in columns
