"""`planner db restore` while another process holds the database open and reads it.

The restore goes through SQLite's online backup API into the live file, so the
reader sees the old contents or the restored ones, whole, and nothing breaks.
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import time

from planner.services import database, queries
from planner.services.tasks import TaskDraft, add_task
from tests.conftest import make_context

KEPT, LATER = 60, 30


def _restore(path, backup) -> None:  # noqa: ANN001
    done = subprocess.run([sys.executable, "-m", "planner", "--db", str(path), "db", "restore", "--yes", str(backup)],
                          env=dict(os.environ, PLANNER_USER="tester"), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def _wait_until_seen(last_count, count: int) -> None:  # noqa: ANN001
    deadline = time.monotonic() + 60
    while last_count.value != count:
        assert time.monotonic() < deadline, f"the reader never saw {count} tasks"
        time.sleep(0.01)


def test_restore_while_another_process_holds_the_database_and_reads(tmp_path):
    from tests.reliability.workers import holding_reader

    path = tmp_path / "planner.db"
    ctx = make_context(f"sqlite:///{path}")
    for index in range(KEPT):
        add_task(ctx, TaskDraft(f"kept {index}"))
    smaller = database.backup(ctx, tmp_path / "kept.db")
    for index in range(LATER):
        add_task(ctx, TaskDraft(f"later {index}"))
    larger = database.backup(ctx, tmp_path / "all.db")

    spawn = multiprocessing.get_context("spawn")
    last_count, stop, results = spawn.Value("i", -1), spawn.Event(), spawn.Queue()
    reader = spawn.Process(target=holding_reader, args=(str(path), last_count, stop, results))
    reader.start()
    try:
        _wait_until_seen(last_count, KEPT + LATER)
        _restore(path, smaller)
        _wait_until_seen(last_count, KEPT)
        _restore(path, larger)
        _wait_until_seen(last_count, KEPT + LATER)
    finally:
        stop.set()
    seen = results.get(timeout=60)
    reader.join(timeout=30)
    assert reader.exitcode == 0
    assert seen["errors"] == []
    assert seen["integrity"] == ["ok"]
    assert set(seen["snapshots"]) == {f"{KEPT + LATER} kept+later", f"{KEPT} kept"}
    assert database.check(ctx).ok
    assert queries.list_tasks(ctx).total == KEPT + LATER
    print(f"\nreader kept one connection through 2 restores: {sum(seen['snapshots'].values())} snapshots, "
          f"all whole ({seen['snapshots']})")
