"""Backups, restores and copying a SQLite file into PostgreSQL."""

from __future__ import annotations

import stat
import threading

import pytest

from planner.domain.errors import PlannerError
from planner.services import database
from planner.services import queries
from planner.services.tasks.operations import TaskDraft, add_task, complete_task
from tests.conftest import make_context


def test_backup_is_consistent_while_another_writer_runs(sqlite_ctx, tmp_path):
    for index in range(20):
        add_task(sqlite_ctx, TaskDraft(f"task {index}"))
    stop = threading.Event()

    def keep_writing():
        while not stop.is_set():
            add_task(sqlite_ctx, TaskDraft("more"))

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        target = database.backup(sqlite_ctx, tmp_path / "b.db")
    finally:
        stop.set()
        writer.join()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    copy = make_context(f"sqlite:///{target}")
    assert database.check(copy).ok
    assert queries.list_tasks(copy).total >= 20


def test_restore_brings_back_the_backup(sqlite_ctx, tmp_path):
    first = add_task(sqlite_ctx, TaskDraft("before")).task_id
    database.backup(sqlite_ctx, tmp_path / "b.db")
    complete_task(sqlite_ctx, first)
    add_task(sqlite_ctx, TaskDraft("after"))
    database.restore(sqlite_ctx, tmp_path / "b.db")
    assert [t.title for t in queries.list_tasks(sqlite_ctx).tasks] == ["before"]


def test_restore_refuses_a_file_that_is_not_a_backup(sqlite_ctx, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_text("not a database")
    add_task(sqlite_ctx, TaskDraft("keep"))
    with pytest.raises(PlannerError, match="not a Planner backup"):
        database.restore(sqlite_ctx, junk)
    assert queries.list_tasks(sqlite_ctx).total == 1


@pytest.mark.postgres
def test_copy_sqlite_into_postgres(sqlite_ctx, request):
    from tests.conftest import _clone_postgres

    from planner.services.people.resources import add_resource

    add_resource(sqlite_ctx, "ana")
    a = add_task(sqlite_ctx, TaskDraft("A", project="web", tags=["docs"], assignees=["ana"])).task_id
    add_task(sqlite_ctx, TaskDraft("B", project="web", after=[a]))
    target_url = _clone_postgres(request.getfixturevalue("postgres_admin_url"),
                                 request.getfixturevalue("postgres_template"))
    counts = database.copy_to(sqlite_ctx, target_url)
    assert counts["task"] == 2 and counts["dependency"] == 1
    team = make_context(target_url)
    with team.reader() as conn:  # the copy was analyzed: the query planner knows the tables' sizes
        assert conn.scalar("SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'task'")
    tasks = queries.list_tasks(team).tasks
    assert [(t.title, t.tags, t.assignees, t.depends_on) for t in tasks] == [
        ("A", ["docs"], ["ana"], []), ("B", [], [], [a])]
    new_id = add_task(team, TaskDraft("C", project="web")).task_id  # sequences continue after the copy
    assert new_id == 3
    with pytest.raises(PlannerError, match="already holds data"):
        database.copy_to(sqlite_ctx, target_url)


def _snapshot(folder):
    """Every file in a folder with its bytes' digest: a refused restore must leave all of it as it was."""
    import hashlib

    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(folder.iterdir())}


def _store_with_a_backup(tmp_path, tasks: int = 1):
    """A database in its own folder with ``tasks`` tasks, and a backup of it beside the folder."""
    store = tmp_path / "store"
    store.mkdir()  # Planner creates only its default folder, never one named by --db
    ctx = make_context(f"sqlite:///{store / 'planner.db'}")
    for index in range(tasks):
        add_task(ctx, TaskDraft(f"task {index}", notes="x" * 2000))
    return ctx, store, database.backup(ctx, tmp_path / "backup.db")


def test_restore_refuses_a_backup_with_damaged_pages(tmp_path):
    ctx, store, backup = _store_with_a_backup(tmp_path, tasks=40)
    add_task(ctx, TaskDraft("only in the store"))
    page_size = 4096
    pages = backup.stat().st_size // page_size
    with backup.open("r+b") as damaged:  # scribble over the middle pages' headers, keep the file's
        for page in range(pages // 3, 2 * pages // 3):
            damaged.seek(page * page_size)
            damaged.write(b"\xff" * 16)
    before = _snapshot(store)
    with pytest.raises(PlannerError, match="backup.db is damaged"):
        database.restore(ctx, backup)
    assert _snapshot(store) == before
    assert database.check(ctx).ok and queries.list_tasks(ctx).total == 41


def test_restore_refuses_a_foreign_schema_with_a_revision_row(tmp_path):
    import sqlite3
    from contextlib import closing

    from planner.store.location import SCHEMA_HEAD

    ctx, store, _ = _store_with_a_backup(tmp_path)
    foreign = tmp_path / "foreign.db"
    with closing(sqlite3.connect(foreign)) as conn:
        conn.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)")
        conn.execute("INSERT INTO alembic_version VALUES (?)", (SCHEMA_HEAD,))
        conn.execute("CREATE TABLE notes (body TEXT)")
        conn.commit()
    before = _snapshot(store)
    with pytest.raises(PlannerError, match="not a Planner backup .missing table"):
        database.restore(ctx, foreign)
    assert _snapshot(store) == before
    assert [t.title for t in queries.list_tasks(ctx).tasks] == ["task 0"]


def test_restore_refuses_a_backup_from_a_newer_planner(tmp_path):
    import sqlite3
    from contextlib import closing

    ctx, store, backup = _store_with_a_backup(tmp_path)
    with closing(sqlite3.connect(backup)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
        conn.commit()
    add_task(ctx, TaskDraft("only in the store"))
    before = _snapshot(store)
    with pytest.raises(PlannerError, match="written by a newer Planner .schema '9999_from_the_future'"):
        database.restore(ctx, backup)
    assert _snapshot(store) == before
    assert queries.list_tasks(ctx).total == 2


def test_restore_migrates_a_backup_from_an_older_planner(tmp_path):
    import sqlite3
    from contextlib import closing

    from alembic import command

    from planner.store.engine import _alembic_config, make_engine
    from planner.store.location import SCHEMA_HEAD, parse_database_url

    ctx, store, _ = _store_with_a_backup(tmp_path)
    old = tmp_path / "old.db"
    old_location = parse_database_url(f"sqlite:///{old}")
    with make_engine(old_location).begin() as connection:
        command.upgrade(_alembic_config(connection), "0001_initial")
    with closing(sqlite3.connect(old)) as conn:
        conn.execute("INSERT INTO project (key, name, kind, reserve_percent, archived, created_at, updated_at) "
                     "VALUES ('old', 'Old', 'project', 0, 0, '2026-01-01 00:00:00', '2026-01-01 00:00:00')")
        conn.execute("INSERT INTO task (project_id, title, notes, kind, status, priority, percent_done, board_rank, "
                     "created_at, updated_at, version) VALUES (1, 'from 0001', '', 'task', 'todo', 0, 0, 0, "
                     "'2026-01-01 00:00:00', '2026-01-01 00:00:00', 1)")
        conn.commit()
    make_engine(old_location).dispose()
    database.restore(ctx, old)
    report = database.check(ctx)
    assert report.ok and report.revision == SCHEMA_HEAD
    assert [t.title for t in queries.list_tasks(ctx).tasks] == ["from 0001"]
    assert [p.name for p in store.iterdir() if "restore" in p.name] == []
    with closing(sqlite3.connect(old)) as conn:  # the backup itself is left as it was
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001_initial"


def test_a_killed_backup_leaves_no_file_that_looks_like_a_backup(tmp_path):
    import os
    import signal
    import sqlite3
    import subprocess
    import sys
    import time
    from contextlib import closing

    ctx, _, _ = _store_with_a_backup(tmp_path)
    live = ctx.location.sqlite_path
    with closing(sqlite3.connect(live)) as conn:  # 200 MB, so the copy takes a while
        conn.execute("CREATE TABLE ballast (data BLOB)")
        conn.executemany("INSERT INTO ballast VALUES (randomblob(1000000))", [()] * 200)
        conn.commit()
    out = tmp_path / "out"
    out.mkdir()
    target = out / "nightly.db"
    process = subprocess.Popen([sys.executable, "-m", "planner", "--db", str(live), "db", "backup", str(target)],
                               env=dict(os.environ, PLANNER_USER="tester"), stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not any(p.name.endswith(".partial") and p.stat().st_size > 0 for p in out.iterdir()):
        assert process.poll() is None and time.monotonic() < deadline, "the backup finished before it could be killed"
        time.sleep(0.001)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert not target.exists()
    assert [p.name for p in out.iterdir() if ".partial" not in p.name] == []
    assert database.backup(ctx, target) == target  # the leftover does not stand in the way
    assert database.check(make_context(f"sqlite:///{target}")).ok


def test_a_process_notices_its_database_file_was_replaced(tmp_path):
    import os

    from planner.store.engine import make_engine

    path = tmp_path / "planner.db"
    ctx = make_context(f"sqlite:///{path}")
    add_task(ctx, TaskDraft("in the old file"))
    engine = make_engine(ctx.location)
    fresh = tmp_path / "fresh.db"
    fresh.touch()
    os.replace(fresh, path)  # a restore by hand: another file, no schema yet
    assert make_engine(ctx.location) is not engine
    add_task(ctx, TaskDraft("in the new file"))  # migrates the new file instead of failing on a missing table
    assert [t.title for t in queries.list_tasks(ctx).tasks] == ["in the new file"]


@pytest.mark.postgres
def test_postgres_restore_refuses_bad_archives_and_leaves_the_database_unchanged(request, tmp_path):
    import os

    import psycopg

    from planner.store.location import SCHEMA_HEAD, parse_database_url
    from tests.conftest import _clone_postgres, _drop_postgres

    admin, template = request.getfixturevalue("postgres_admin_url"), request.getfixturevalue("postgres_template")
    urls = [_clone_postgres(admin, template) for _ in range(3)]
    for url in urls:
        request.addfinalizer(lambda url=url: _drop_postgres(admin, url))
    store, future, foreign = (make_context(url) for url in urls)
    add_task(store, TaskDraft("kept", notes=os.urandom(100_000).hex()))  # most of the archive: its data block
    good = database.backup(store, tmp_path / "good.dump")
    truncated = tmp_path / "truncated.dump"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size * 2 // 3])
    scribbled = tmp_path / "scribbled.dump"  # the table of contents intact, a data block damaged
    data = bytearray(good.read_bytes())
    data[len(data) * 3 // 4: len(data) * 3 // 4 + 64] = b"\xff" * 64
    scribbled.write_bytes(bytes(data))
    add_task(future, TaskDraft("from the future"))
    with psycopg.connect(parse_database_url(urls[1]).libpq_conninfo, autocommit=True) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    newer = database.backup(future, tmp_path / "newer.dump")
    with psycopg.connect(parse_database_url(urls[2]).libpq_conninfo, autocommit=True) as conn:
        conn.execute("DROP SCHEMA public CASCADE")
        conn.execute("CREATE SCHEMA public")
        conn.execute("CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)")
        conn.execute("INSERT INTO alembic_version VALUES (%s)", (SCHEMA_HEAD,))
        conn.execute("CREATE TABLE notes (body text)")
    unrelated = database.backup(foreign, tmp_path / "foreign.dump")
    add_task(store, TaskDraft("added after the backup"))

    def state():  # noqa: ANN202
        return [t.title for t in queries.list_tasks(store).tasks], database.check(store).ok

    before = state()
    for archive, refusal in ((truncated, "pg_restore failed, the database is unchanged"),
                             (scribbled, "pg_restore failed, the database is unchanged"),
                             (newer, "written by a newer Planner"),
                             (unrelated, "not a Planner backup .missing table")):
        with pytest.raises(PlannerError, match=refusal):
            database.restore(store, archive)
        assert state() == before
    database.restore(store, good)
    assert state() == (["kept"], True)


@pytest.mark.parametrize("store", ["folder", "text.txt", "missing/x.db", "nofile.db"])
def test_backup_of_a_store_that_is_not_there_or_not_a_database_is_one_line_and_creates_nothing(tmp_path, store):
    import subprocess
    import sys

    (tmp_path / "folder").mkdir()
    (tmp_path / "text.txt").write_text("notes\n")
    before = sorted(p.name for p in tmp_path.rglob("*"))
    done = subprocess.run([sys.executable, "-m", "planner", "--db", str(tmp_path / store), "db", "backup",
                           str(tmp_path / "backup.db")], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and done.stderr.startswith("error: ") and done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
