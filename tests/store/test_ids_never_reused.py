"""Ids are never handed out twice: after rm, undo of an add, an import, or a migration of an older file."""

from __future__ import annotations

import sqlite3

from planner.services import queries
from planner.services.interchange.files import import_file
from planner.services.tasks.operations import TaskDraft, add_task, delete_task
from planner.services.undo import undo_last
from planner.store.engine import ensure_schema, make_engine
from planner.store.location import parse_database_url


def test_removing_the_highest_task_never_frees_its_id(ctx):
    first = add_task(ctx, TaskDraft("mine")).task_id
    highest = add_task(ctx, TaskDraft("ana's, still in her shell")).task_id
    delete_task(ctx, highest)
    newer = add_task(ctx, TaskDraft("bo's")).task_id
    assert newer > highest > first
    assert queries.get_task(ctx, newer).title == "bo's"


def test_undoing_an_add_never_frees_its_id(ctx):
    added = add_task(ctx, TaskDraft("added then undone")).task_id
    undo_last(ctx)
    assert add_task(ctx, TaskDraft("next")).task_id > added


def test_ids_after_an_import_and_rm_are_new(ctx, tmp_path):
    add_task(ctx, TaskDraft("before"))
    sheet = tmp_path / "plan.csv"
    sheet.write_text("id,title\nx1,one\nx2,two\nx3,three\n", encoding="utf-8")
    import_file(ctx, "csv", sheet, project="web")
    imported = max(task.id for task in queries.list_tasks(ctx).tasks)
    delete_task(ctx, imported)
    sheet.write_text("id,title\nx9,nine\n", encoding="utf-8")
    import_file(ctx, "csv", sheet, project="web")  # the importer allocates ids itself
    reimported = max(task.id for task in queries.list_tasks(ctx).tasks)
    assert reimported > imported
    delete_task(ctx, reimported)
    assert add_task(ctx, TaskDraft("after")).task_id > reimported


def test_an_older_sqlite_file_keeps_its_rows_and_never_reuses_a_deleted_id(tmp_path):
    """0002 -> 0003 rebuilds every table: children must survive (no cascade) and deleted ids stay used."""
    from alembic import command

    from planner.store.engine import _alembic_config
    from tests.conftest import make_context

    path = tmp_path / "old.db"
    url = f"sqlite:///{path}"
    location = parse_database_url(url)
    with make_engine(location).begin() as connection:
        command.upgrade(_alembic_config(connection), "0002_digest_claims")
    ctx = make_context(url)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("INSERT INTO project (key, name, kind, reserve_percent, archived, created_at, updated_at) "
                     "VALUES ('old', 'Old', 'project', 0, 0, '2026-01-01', '2026-01-01')")
        for title in ("a", "b", "c"):
            conn.execute("INSERT INTO task (project_id, title, notes, kind, status, priority, percent_done, "
                         "board_rank, created_at, updated_at, version) VALUES (1, ?, '', 'task', 'todo', 0, 0, 0, "
                         "'2026-01-01', '2026-01-01', 1)", [title])
        conn.execute("INSERT INTO dependency (predecessor_id, successor_id, type, lag_days) VALUES (1, 2, 'FS', 0)")
        conn.execute("INSERT INTO comment (task_id, author, body, created_at) VALUES (1, 'ana', 'kept', '2026-01-01')")
        conn.execute("DELETE FROM task WHERE id = 3")  # deleted by the old code: logged, as rm does
        conn.execute("INSERT INTO event (at, actor, batch, entity, entity_id, action, undone) "
                     "VALUES ('2026-01-01', 'ana', 'b1', 'task', 3, 'deleted', 0)")
    ensure_schema(location)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM dependency").fetchone() == (1,)
        assert conn.execute("SELECT body FROM comment").fetchall() == [("kept",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert "AUTOINCREMENT" in conn.execute("SELECT sql FROM sqlite_master WHERE name='task'").fetchone()[0]
    assert add_task(ctx, TaskDraft("new", project="old")).task_id == 4


def test_restoring_an_older_dump_never_hands_out_a_newer_id_again(ctx, tmp_path):
    from planner.services.interchange.files import export_file

    add_task(ctx, TaskDraft("a"))
    dump = tmp_path / "dump.json"
    dump.write_text(export_file(ctx, "json"), encoding="utf-8")
    newest = add_task(ctx, TaskDraft("made after the dump")).task_id
    import_file(ctx, "json", dump, replace=True)
    assert add_task(ctx, TaskDraft("after the restore")).task_id > newest


def test_every_table_with_an_id_says_autoincrement_on_sqlite(tmp_path):
    """A table added by a later migration must say AUTOINCREMENT too (op.create_table(..., sqlite_autoincrement=True))."""
    path = tmp_path / "fresh.db"
    ensure_schema(parse_database_url(f"sqlite:///{path}"))
    with sqlite3.connect(path) as conn:
        tables = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                              "AND name NOT IN ('alembic_version', 'sqlite_sequence')").fetchall()
        with_id = [(name, sql) for name, sql in tables
                   if any(column[1] == "id" and column[5] == 1 for column in conn.execute(f"PRAGMA table_info({name})"))]
    assert with_id and [name for name, sql in with_id if "AUTOINCREMENT" not in sql] == []
