"""kill -9 at any moment leaves a database that passes `planner db check`, with the operation all there or not at all."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from planner.services import database
from planner.services.tasks import TaskDraft, add_task, delete_task
from tests.conftest import make_context

LINKS = 300


def _counts(path) -> tuple[int, int]:
    with sqlite3.connect(path) as conn:
        return (conn.execute("SELECT count(*) FROM task").fetchone()[0],
                conn.execute("SELECT count(*) FROM dependency").fetchone()[0])


@pytest.fixture
def hub_removed(tmp_path):
    """A task with LINKS successors, removed in one command (so undo restores LINKS + 1 rows)."""
    path = tmp_path / "planner.db"
    ctx = make_context(f"sqlite:///{path}")
    hub = add_task(ctx, TaskDraft("hub")).task_id
    with ctx.uow() as uow:  # many successors quickly, in one transaction
        from planner.services.tasks import link_tasks
        from planner.store.models import Task

        project_id = uow.get(Task, hub).project_id
        for index in range(LINKS):
            task = uow.add(Task(project_id=project_id, title=f"leaf {index}"))
            link_tasks(uow, hub, task.id)
        uow.commit()
    delete_task(ctx, hub)
    return path


def _undo(path):
    env = dict(os.environ, PLANNER_USER="tester")
    return subprocess.Popen([sys.executable, "-m", "planner", "--db", str(path), "undo"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def test_kill_during_undo_leaves_all_or_nothing(hub_removed, tmp_path):
    import shutil

    path = hub_removed
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pristine = tmp_path / "pristine.db"
    shutil.copy(path, pristine)
    started = time.perf_counter()
    assert _undo(path).wait() == 0
    full_run_s = time.perf_counter() - started
    assert _counts(path) == (LINKS + 1, LINKS)
    outcomes = []
    fractions = (0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0, 1.1, 1.2, 1.5)
    for fraction in fractions:
        shutil.copy(pristine, path)
        for suffix in ("-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        process = _undo(path)
        time.sleep(full_run_s * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait()
        report = database.check(make_context(f"sqlite:///{path}"))
        assert report.ok, report.problems
        outcome = _counts(path)
        assert outcome in ((LINKS, 0), (LINKS + 1, LINKS)), outcome
        outcomes.append(outcome)
    print(f"undo ({full_run_s:.2f} s) killed {len(fractions)} times: {outcomes.count((LINKS, 0))} left nothing, "
          f"{outcomes.count((LINKS + 1, LINKS))} complete")
