"""kill -9 at any moment leaves a database that passes `planner db check`, with the operation all there or not at all.

Each scenario first times one uninterrupted run, then restarts from the same
file and kills the process at fractions of that time (before, during and
after the commit).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path


from planner.services import database
from planner.services.tasks.operations import TaskDraft, add_task, delete_task
from tests.conftest import make_context

FRACTIONS = (0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0, 1.1, 1.2, 1.5)


def _count(path: Path, sql: str) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql).fetchone()[0]


def _planner(path: Path, *args: str) -> subprocess.Popen:
    env = dict(os.environ, PLANNER_USER="tester")
    return subprocess.Popen([sys.executable, "-m", "planner", "--db", str(path), "--today", "2026-11-25", *args],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _kill_repeatedly(path: Path, args: tuple[str, ...], measure, before, after, label: str,  # noqa: ANN001
                     fractions: tuple[float, ...] = FRACTIONS) -> None:
    """Run once to time it, then kill -9 at each fraction from the same starting file."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pristine = path.with_name("pristine.db")
    shutil.copy(path, pristine)
    assert measure(path) == before
    started = time.perf_counter()
    assert _planner(path, *args).wait() == 0
    full_run_s = time.perf_counter() - started
    assert measure(path) == after
    outcomes = []
    for fraction in fractions:
        shutil.copy(pristine, path)
        for suffix in ("-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        process = _planner(path, *args)
        time.sleep(full_run_s * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait()
        report = database.check(make_context(f"sqlite:///{path}"))
        assert report.ok, report.problems
        outcome = measure(path)
        assert outcome in (before, after), outcome
        outcomes.append(outcome)
    print(f"\n{label} ({full_run_s:.2f} s) killed {len(fractions)} times: "
          f"{outcomes.count(before)} left nothing, {outcomes.count(after)} complete")


LINKS = 300


def test_kill_during_undo(tmp_path):
    path = tmp_path / "planner.db"
    ctx = make_context(f"sqlite:///{path}")
    hub = add_task(ctx, TaskDraft("hub")).task_id
    with ctx.uow() as uow:
        from planner.services.tasks.rows import link_tasks
        from planner.store.models import Task

        project_id = uow.get(Task, hub).project_id
        for index in range(LINKS):
            link_tasks(uow, hub, uow.add(Task(project_id=project_id, title=f"leaf {index}")).id)
        uow.commit()
    delete_task(ctx, hub)  # undo must bring back the hub and its 300 links at once

    def measure(db):
        return (_count(db, "SELECT count(*) FROM task"), _count(db, "SELECT count(*) FROM dependency"))

    _kill_repeatedly(path, ("undo",), measure, (LINKS, 0), (LINKS + 1, LINKS), "undo")


IMPORT_TASKS = 50_000


def test_kill_during_a_50k_task_import(tmp_path):
    source = tmp_path / "tasks.json"
    with source.open("w") as out:
        for index in range(IMPORT_TASKS):
            item = {"uuid": f"00000000-0000-4000-8000-{index:012d}", "description": f"imported {index}",
                    "status": "pending", "entry": "20261101T000000Z", "project": f"p{index % 20}",
                    "tags": ["bulk"]}
            if index and index % 3 == 0:
                item["depends"] = [f"00000000-0000-4000-8000-{index - 1:012d}"]
            out.write(json.dumps(item) + "\n")
    path = tmp_path / "planner.db"
    database.upgrade(make_context(f"sqlite:///{path}"))

    def measure(db):
        return _count(db, "SELECT count(*) FROM task")

    _kill_repeatedly(path, ("import", "taskwarrior", str(source)), measure, 0, IMPORT_TASKS, "50k-task import",
                     fractions=(0.4, 0.7, 0.9, 1.0, 1.3))


SERIES = 400


def test_kill_during_recurrence_spawning(tmp_path):
    path = tmp_path / "planner.db"
    ctx = make_context(f"sqlite:///{path}")
    add_task(ctx, TaskDraft("anchor", project="chores"))
    with ctx.uow() as uow:  # series whose first instances are not created yet
        from planner.store.models import Project, Recurrence
        from sqlmodel import select

        project = uow.first(select(Project).where(Project.key == "chores"))
        for index in range(SERIES):
            uow.add(Recurrence(project_id=project.id, rrule="FREQ=WEEKLY", policy="fixed",
                               dtstart=date(2026, 11, 27), template={"title": f"chore {index}"}))
        uow.commit()

    def measure(db):
        return _count(db, "SELECT count(*) FROM task WHERE recurrence_id IS NOT NULL")

    _kill_repeatedly(path, ("recur", "sync"), measure, 0, SERIES, "recurrence spawning")
