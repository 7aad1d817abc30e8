"""Sync under stress: killed at any moment, random edits on both sides, and the password kept secret."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.services.planning.projects import add_project
from planner.services.queries import list_tasks
from planner.services.sync.caldav import sync_caldav
from planner.services.tasks.operations import TaskDraft, add_task, delete_task, edit_task
from tests.sync.conftest import PASSWORD, USER, Phone, store_path


def _planner(db, *args: str) -> subprocess.Popen:
    env = dict(os.environ, PLANNER_USER="ana", PLANNER_CALDAV_PASSWORD=PASSWORD)
    return subprocess.Popen([sys.executable, "-m", "planner", "--db", str(db), "--today", "2026-11-25", *args],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _titles(ctx) -> list[str]:
    tasks = list_tasks(ctx, ["project:home"], limit=0).tasks + list_tasks(ctx, ["project:home", "+done"],
                                                                           limit=0).tasks
    return sorted(task.title for task in tasks)


def test_a_sync_killed_at_any_moment_is_completed_by_the_next_without_duplicates(sync_ctx, radicale, tmp_path):
    add_project(sync_ctx, "home", name="Home")
    for index in range(40):
        add_task(sync_ctx, TaskDraft(f"chore {index:02}", project="home"))
    pristine = store_path(sync_ctx)
    with sqlite3.connect(pristine) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def fresh_sides(name: str):
        """A copy of the store no connection of this process holds, and a new calendar with ten phone tasks."""
        db = tmp_path / f"{name}.db"
        shutil.copy(pristine, db)
        url = radicale.new_calendar()
        phone = Phone(url)
        for index in range(10):
            phone.add(f"phone {index:02}")
        return db, url, phone

    db, url, _phone = fresh_sides("timing")
    started = time.perf_counter()
    assert _planner(db, "sync", "caldav", "--url", url, "--project", "home", "--user", USER).wait(120) == 0
    full_run_s = time.perf_counter() - started
    for fraction in (0.3, 0.5, 0.7, 0.85, 1.0):
        db, url, phone = fresh_sides(f"kill-{fraction}")
        process = _planner(db, "sync", "caldav", "--url", url, "--project", "home", "--user", USER)
        time.sleep(full_run_s * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait()
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        finished = _planner(db, "sync", "caldav", "--url", url, "--project", "home", "--user", USER)
        _out, err = finished.communicate(timeout=120)
        assert finished.returncode == 0, err
        remote = phone.summaries()
        with sqlite3.connect(db) as conn:
            local = sorted(title for (title,) in conn.execute(
                "SELECT title FROM task JOIN project ON project.id = task.project_id WHERE project.key = 'home'"))
        assert remote == local, fraction
        assert len(local) == len(set(local)) == 50, (fraction, local)


def test_the_password_is_never_printed_stored_or_on_a_command_line(sync_ctx, calendar_url):
    add_project(sync_ctx, "home", name="Home")
    add_task(sync_ctx, TaskDraft("Secret errand", project="home"))
    db = store_path(sync_ctx)
    for args in (("sync", "caldav", "--url", calendar_url, "--project", "home", "--user", USER), ("sync", "ls"),
                 ("sync", "caldav", "--json")):
        process = _planner(db, *args)  # one after the other: the later ones use the remembered pairing
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        assert PASSWORD not in out + err
        assert PASSWORD not in " ".join(process.args)
    wrong = subprocess.run([sys.executable, "-m", "planner", "--db", str(db), "sync", "caldav"],
                           env=dict(os.environ, PLANNER_USER="ana", PLANNER_CALDAV_PASSWORD="wrong-" + PASSWORD),
                           capture_output=True, text=True, timeout=120)
    assert wrong.returncode == 1 and wrong.stderr.count("\n") == 1 and "refused the credentials" in wrong.stderr
    assert PASSWORD not in wrong.stderr + wrong.stdout
    for path in db.parent.glob("planner.db*"):
        assert PASSWORD.encode() not in path.read_bytes()


_edits = st.lists(st.tuples(st.sampled_from(["add-here", "add-there", "rename-here", "rename-there",
                                              "delete-here", "delete-there", "sync"]),
                            st.integers(0, 50)), min_size=3, max_size=12)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(edits=_edits)
def test_random_edits_on_both_sides_converge_without_duplicates(sync_ctx, radicale, edits):
    project = f"p{uuid.uuid4().hex[:8]}"
    add_project(sync_ctx, project, name="Random")
    url = radicale.new_calendar()
    phone = Phone(url)

    def sync() -> None:
        sync_caldav(sync_ctx, url=url, project=project, user=USER)

    for step, (action, number) in enumerate(edits):
        here = list_tasks(sync_ctx, [f"project:{project}"], limit=0).tasks
        there = phone.todos()
        if action == "add-here":
            add_task(sync_ctx, TaskDraft(f"here {step}", project=project))
        elif action == "add-there":
            phone.add(f"there {step}")
        elif action == "rename-here" and here:
            edit_task(sync_ctx, here[number % len(here)].id, {"title": f"renamed here {step}"})
        elif action == "rename-there" and there:
            todo = list(there.values())[number % len(there)]
            todo.icalendar_component["SUMMARY"] = f"renamed there {step}"
            todo.save()
        elif action == "delete-here" and here:
            delete_task(sync_ctx, here[number % len(here)].id)
        elif action == "delete-there" and there:
            list(there.values())[number % len(there)].delete()
        elif action == "sync":
            sync()
    sync()
    sync()
    local = sorted(task.title for task in list_tasks(sync_ctx, [f"project:{project}"], limit=0).tasks)
    remote = Phone(url).summaries()
    assert local == remote
    assert len(remote) == len(set(remote))  # every title in these edits is unique: a repeat is a duplicate
    assert sync_caldav(sync_ctx, url=url, project=project, user=USER)[0].changes == 0
