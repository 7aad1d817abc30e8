"""`planner feed`: the plan as an iCalendar subscription a calendar app can poll."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from datetime import date

import icalendar

from planner.services.people.resources import add_resource
from planner.services.planning.projects import add_project
from planner.services.tasks.operations import TaskDraft, add_task
from tests.sync.conftest import _free_port, store_path


def _fetch(url: str) -> icalendar.Calendar:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                assert response.headers["Content-Type"].startswith("text/calendar")
                return icalendar.Calendar.from_ical(response.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_the_feed_serves_each_persons_tasks_milestones_and_deadlines_on_loopback(sync_ctx):
    add_project(sync_ctx, "web", name="Website", start=date(2026, 11, 23), deadline=date(2027, 1, 29))
    add_resource(sync_ctx, "ana")
    add_resource(sync_ctx, "bo")
    add_task(sync_ctx, TaskDraft("Write copy", project="web", assignees=["ana"], due=date(2026, 12, 4)))
    add_task(sync_ctx, TaskDraft("Build pages", project="web", assignees=["bo"]))
    add_task(sync_ctx, TaskDraft("Launch", project="web", milestone=True, due=date(2027, 1, 15)))
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "planner", "--db", str(store_path(sync_ctx)), "feed",
                               "--port", str(port)], env=dict(os.environ, PLANNER_USER="ana"),
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        mine = _fetch(f"http://127.0.0.1:{port}/plan.ics?user=ana")
        todos = [str(c["SUMMARY"]) for c in mine.walk("VTODO")]
        events = {str(c["SUMMARY"]): c.decoded("DTSTART") for c in mine.walk("VEVENT")}
        assert todos == ["Write copy"]
        assert events == {"Launch": date(2027, 1, 15), "Deadline: Website": date(2027, 1, 29)}
        everyone = _fetch(f"http://127.0.0.1:{port}/plan.ics")
        assert sorted(str(c["SUMMARY"]) for c in everyone.walk("VTODO")) == ["Build pages", "Write copy"]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/plan.ics?user=ana") as again:
            assert b"Write copy" in again.read()  # each request reads the store afresh
    finally:
        server.terminate()
        server.wait(10)
