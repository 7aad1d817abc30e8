"""kill -9 at any moment leaves a database that passes `planner db check`, with the operation all there or not at all.

Each scenario first runs once uninterrupted to find the write transaction that
does the work and how long it holds the lock (the child logs its transactions
to PLANNER_TRANSACTION_LOG). Then it restarts from the same file and kills the
process at fractions of that transaction's time after it began, and once as it
commits; the log shows where each kill landed, and a kill that should have
landed inside but came too late is retried sooner.
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
from contextlib import closing
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from planner.services import database
from planner.services.tasks.operations import TaskDraft, add_task, delete_task
from planner.store.engine import TRANSACTION_LOG_ENV
from tests.conftest import make_context

INSIDE = (0.05, 0.3, 0.6, 0.9)
AFTER = (1.5,)
RETRIES = 4


def _count(path: Path, sql: str) -> int:
    with closing(sqlite3.connect(path)) as conn:  # a bare `with` would commit but leave it open
        return conn.execute(sql).fetchone()[0]


def _open_database_files(path: Path) -> list[str]:
    """The database's files (main, -wal, -shm) this test process holds open."""
    names = {str(path), f"{path}-wal", f"{path}-shm"}
    held = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.removesuffix(" (deleted)") in names:
            held.append(target)
    return held


def _reset(path: Path, pristine: Path) -> None:
    """Put the starting file back; SQLite must not have it open here, or its cached WAL index goes stale."""
    if Path("/proc/self/fd").is_dir():
        assert _open_database_files(path) == []
    shutil.copy(pristine, path)
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _planner(path: Path, log: Path, *args: str) -> subprocess.Popen:
    log.unlink(missing_ok=True)
    env = dict(os.environ, PLANNER_USER="tester", **{TRANSACTION_LOG_ENV: str(log)})
    return subprocess.Popen([sys.executable, "-m", "planner", "--db", str(path), "--today", "2026-11-25", *args],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@dataclass
class Transaction:
    began: float
    ended_with: str | None = None
    ended: float | None = None


def _transactions(log: Path) -> list[Transaction]:
    """The child's transactions in order, from its log (a transaction without an end was cut short)."""
    found: list[Transaction] = []
    for line in log.read_text().splitlines() if log.exists() else []:
        kind, _pid, at = line.split()
        if kind == "begin":
            found.append(Transaction(float(at)))
        else:
            found[-1].ended_with, found[-1].ended = kind, float(at)
    return found


def _wait_for(process: subprocess.Popen, log: Path, ready) -> None:  # noqa: ANN001
    deadline = time.monotonic() + 120
    while not ready(_transactions(log)):
        assert process.poll() is None, f"the child exited ({process.returncode}) before the moment to kill it"
        assert time.monotonic() < deadline, "the child never reached the moment to kill it"
        time.sleep(0.001)


def _kill_repeatedly(path: Path, args: tuple[str, ...], measure, before, after, label: str,  # noqa: ANN001
                     inside: tuple[float, ...] = INSIDE, later: tuple[float, ...] = AFTER) -> None:
    """Run once to find the work's transaction, then kill -9 inside it, as it commits and after it."""
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    pristine = path.with_name("pristine.db")
    log = path.with_name("transactions.log")
    shutil.copy(path, pristine)
    assert measure(path) == before
    assert _planner(path, log, *args).wait() == 0
    assert measure(path) == after
    committed = [(t.ended - t.began, index) for index, t in enumerate(_transactions(log)) if t.ended_with == "commit"]
    assert committed, "the child logged no committed transaction"
    duration_s, work = max(committed)

    def kill_and_check(ready, delay_s: float) -> str:  # noqa: ANN001
        _reset(path, pristine)
        process = _planner(path, log, *args)
        _wait_for(process, log, ready)
        time.sleep(delay_s)
        process.send_signal(signal.SIGKILL)
        exit_code = process.wait()
        report = database.check(make_context(f"sqlite:///{path}"))
        assert report.ok, report.problems
        outcome = measure(path)
        transactions = _transactions(log)
        if len(transactions) > work and transactions[work].ended_with is None:
            assert outcome == before, f"killed inside the transaction, yet it left {outcome}"
            return "inside"
        assert outcome in (before, after), outcome
        return "finished" if exit_code == 0 else "after the commit began"

    def has_begun(transactions):  # noqa: ANN001, ANN202
        return len(transactions) > work

    landed: list[str] = []
    for fraction in inside:
        delay_s = fraction * duration_s
        for _ in range(RETRIES):
            landed.append(kill_and_check(has_begun, delay_s))
            if landed[-1] == "inside":
                break
            delay_s /= 2
        else:
            pytest.fail(f"{label}: a kill meant for {fraction:.0%} into the transaction never landed inside it")
    landed.append(kill_and_check(lambda t: len(t) > work and t[work].ended_with == "commit", 0))
    landed.extend(kill_and_check(has_begun, fraction * duration_s) for fraction in later)
    print(f"\n{label} (transaction {duration_s:.2f} s) killed {len(landed)} times: "
          + ", ".join(f"{landed.count(kind)} {kind}" for kind in ("inside", "after the commit began", "finished")))


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
                     inside=(0.1, 0.5, 0.9), later=())  # the kill as it commits covers "after"; each run is long


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
