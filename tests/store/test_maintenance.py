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
