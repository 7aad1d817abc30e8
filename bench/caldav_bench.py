"""CalDAV sync of 1,000 tasks with Radicale on loopback: first sync, a sync with nothing changed, one change.

    python bench/caldav_bench.py [--tasks 1000]

Each figure is one in-process sync (`services.sync.caldav.sync_caldav`): wall
seconds and HTTP requests. Radicale runs on this machine, so the figures are
Planner's work plus a local server's, without network latency.
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

USER, PASSWORD = "bench", "bench-pw"


def _radicale(root: Path) -> tuple[subprocess.Popen, str]:
    (root / "users").write_text(f"{USER}:{PASSWORD}\n")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "radicale", "--storage-filesystem-folder", str(root / "c"),
                                "--server-hosts", f"127.0.0.1:{port}", "--auth-type", "htpasswd",
                                "--auth-htpasswd-filename", str(root / "users"), "--auth-htpasswd-encryption",
                                "plain", "--logging-level", "warning"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    import caldav

    client = caldav.DAVClient(url=f"http://127.0.0.1:{port}/", username=USER, password=PASSWORD)
    client.principal().make_calendar(name="tasks", cal_id="tasks", supported_calendar_component_set=["VTODO"])
    return process, f"http://127.0.0.1:{port}/{USER}/tasks/"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1000)
    args = parser.parse_args()
    from planner.config import Settings
    from planner.services.context import Context
    from planner.services.planning.projects import add_project
    from planner.services.sync.caldav import sync_caldav
    from planner.services.tasks.operations import TaskDraft, add_task, edit_task

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        server, url = _radicale(root)
        try:
            ctx = Context.from_settings(Settings(database_url=f"sqlite:///{root / 'planner.db'}", user=USER))
            add_project(ctx, "home", name="Home")
            first_id = None
            for index in range(args.tasks):
                result = add_task(ctx, TaskDraft(f"task {index}", project="home", tags=[f"t{index % 7}"],
                                                 due=date(2027, 1, 1) + timedelta(days=index % 90),
                                                 priority=index % 4))
                first_id = first_id or result.task_id
            rows = []
            for label, change in (("first sync", None), ("nothing changed", None),
                                  ("one task renamed here", lambda: edit_task(ctx, first_id, {"title": "renamed"}))):
                if change:
                    change()
                started = time.perf_counter()
                (report,) = sync_caldav(ctx, url=url, project="home", user=USER, password=PASSWORD)
                rows.append((label, time.perf_counter() - started, report.requests, report.changes))
        finally:
            server.terminate()
    print(f"| sync of {args.tasks} tasks | seconds | requests | changes |\n|---|---:|---:|---:|")
    for label, seconds, requests, changes in rows:
        print(f"| {label} | {seconds:.2f} | {requests} | {changes} |")


if __name__ == "__main__":
    main()
