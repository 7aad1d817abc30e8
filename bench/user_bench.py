"""Planner on stores shaped like the data people bring (bench/user_stores.py), beside Taskwarrior in the same run.

    python bench/user_bench.py [--runs 11] [--only taskwarrior,todotxt,mspdi,team]

* taskwarrior: cold `ls`, `show`, `queue` against `task next`, and the write commands `add`, `edit`, `start`,
  `done`, `log`, `move` against `task add`, `task N modify priority:M`, `task N start`, `task N done`,
  `task log`, `task N modify +review`: runs alternate planner / Taskwarrior, each a fresh process, and the
  median of each is reported; the app's first paint of the daily queue (headless, 120x40).
* todotxt, mspdi: cold `ls` and `queue`; mspdi also `schedule bench --json`.
* team (100,000 tasks over 50 people): one person's first queue in-process (slack cache empty), cold `queue`
  and `ls`.

Figures only: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from user_stores import TODAY, imported_store, planner_command  # noqa: E402


def _run(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = (time.perf_counter() - started) * 1000
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode()[:400]}")
    return elapsed


def paired(planner_args, task_args, planner_env: dict[str, str], tw_env: dict[str, str] | None,
           runs: int) -> tuple[float, float | None]:
    """Median ms of the planner command and of the Taskwarrior one, run in turn; each args is a function of
    the run's index (write commands act on a different task each run)."""
    planner, task = planner_command(), shutil.which("task")
    ours, theirs = [], []
    for index in range(runs + 1):  # the first pair warms the file cache and is not counted
        mine = _run([planner, *planner_args(index)], planner_env)
        other = _run([task, "rc.gc=off", *task_args(index)], tw_env) if tw_env and task else None
        if index:
            ours.append(mine)
            if other is not None:
                theirs.append(other)
    return statistics.median(ours), statistics.median(theirs) if theirs else None


def _env(db: Path, work: Path) -> dict[str, str]:
    return dict(os.environ, PLANNER_DATABASE_URL=f"sqlite:///{db}", NO_COLOR="1", PLANNER_USER="me",
                HOME=str(work), PLANNER_CACHE_DIR=str(work / "cache"))


def _row(name: str, ms: float, tw_name: str, tw_ms: float | None, target: str = "") -> str:
    if tw_ms is None:
        return f"| `{name}` | {ms:.0f} | (taskwarrior not installed) | | | {target} |"
    return f"| `{name}` | {ms:.0f} | `{tw_name}` | {tw_ms:.0f} | {ms / tw_ms:.2f} | {target} |"


async def _first_paint(db: Path, actor: str) -> tuple[float, int]:
    """Seconds from the app's start to the first frame of the queue's rows, and how many entries it holds."""
    from dataclasses import replace

    from planner.app import make_app
    from planner.config import Settings
    from planner.services.context import Context
    from planner.widgets.queue_table import QueueTable

    painted: list[float] = []
    original = QueueTable.render_line

    def timed_render(widget, y):  # noqa: ANN001, ANN202
        if not painted and widget.items:
            painted.append(time.perf_counter())
        return original(widget, y)

    QueueTable.render_line = timed_render
    try:
        ctx = Context.from_settings(Settings(database_url=f"sqlite:///{db}", user=actor), today=TODAY)
        ctx = replace(ctx, now_override=datetime.combine(TODAY, datetime.min.time()).replace(hour=10))
        started = time.perf_counter()
        app = make_app(ctx, screen="queue", poll_seconds=0)
        async with app.run_test(size=(120, 40)) as pilot:
            while not painted and time.perf_counter() - started < 120:
                await pilot.pause(0.01)
            entries = len(app.screen.table.items)
    finally:
        QueueTable.render_line = original
    return painted[0] - started, entries


def taskwarrior_figures(work: Path, runs: int) -> list[str]:
    """Reads and writes on the Taskwarrior-shaped store, beside Taskwarrior holding the same tasks."""
    db, tw_env = imported_store("taskwarrior", work)
    env = _env(db, work)
    subprocess.run([planner_command(), "queue"], env=env, stdout=subprocess.DEVNULL, check=True)  # warm slack cache
    lines = ["| planner command | ms | Taskwarrior command | ms | ratio | target |", "|---|---:|---|---:|---:|---|"]
    next_args = lambda _: ["next"]  # noqa: E731
    for name, args, target in (("planner ls", ["ls"], "≤ 1.0"), ("planner show 5000", ["show", "5000"], "≤ 1.0"),
                               ("planner queue", ["queue"], "≤ 1.5")):
        ms, tw_ms = paired(lambda _, a=args: a, next_args, env, tw_env, runs)
        lines.append(_row(name, ms, "task next", tw_ms, target))
    writes = (
        ("planner add T -p proj1 --tag docs --due fri", lambda i: ["add", f"Bench {i}", "-p", "proj1", "--tag", "docs",
                                                                   "--due", "fri"],
         "task add T project:proj1 +docs due:fri", lambda i: ["add", f"Bench {i}", "project:proj1", "+docs", "due:fri"]),
        ("planner edit ID --priority 2", lambda i: ["edit", str(100 + i), "--priority", "2"],
         "task ID modify priority:M", lambda i: [str(100 + i), "modify", "priority:M"]),
        ("planner start ID", lambda i: ["start", str(200 + i)], "task ID start", lambda i: [str(200 + i), "start"]),
        ("planner done ID", lambda i: ["done", str(300 + i)], "task ID done", lambda i: [str(300 + i), "done"]),
        ("planner log ID 30m", lambda i: ["log", str(400 + i), "30m"], "task log T", lambda i: ["log", f"Logged {i}"]),
        ("planner move ID review", lambda i: ["move", str(500 + i), "review"],
         "task ID modify +review", lambda i: [str(500 + i), "modify", "+review"]),
    )
    for name, args, tw_name, tw_args in writes:
        ms, tw_ms = paired(args, tw_args, env, tw_env, runs)
        lines.append(_row(name, ms, tw_name, tw_ms, "≤ 3"))
    seconds, entries = asyncio.run(_first_paint(db, "me"))
    lines.append(f"\nThe app's first paint of the daily queue ({entries:,} entries): {seconds:.2f} s from start "
                 "(target ≤ 1 s).")
    return lines


def cold_figures(kind: str, work: Path, runs: int) -> list[str]:
    """Cold reads on an imported todo.txt or MS Project store."""
    db, _ = imported_store(kind, work)
    env = _env(db, work)
    subprocess.run([planner_command(), "queue"], env=env, stdout=subprocess.DEVNULL, check=True)
    commands = [["ls"], ["queue"]] + ([["schedule", "bench", "--json"]] if kind == "mspdi" else [])
    return [f"| {kind} | `planner {' '.join(args)}` | {paired(lambda _, a=args: a, None, env, None, runs)[0]:.0f} |"
            for args in commands]


def team_figures(work: Path, runs: int) -> list[str]:
    """100,000 tasks over 50 people: the first queue in-process, then cold commands."""
    from planner.config import Settings
    from planner.services.context import Context
    from planner.services.queue.daily import daily_queue

    db, _ = imported_store("team", work)
    os.environ["PLANNER_CACHE_DIR"] = str(work / "cache-inprocess")
    ctx = Context.from_settings(Settings(database_url=f"sqlite:///{db}", user="user1"), today=date(2026, 11, 25))
    started = time.perf_counter()
    first = daily_queue(ctx)
    first_s = time.perf_counter() - started
    started = time.perf_counter()
    daily_queue(ctx)
    again_s = time.perf_counter() - started
    env = dict(_env(db, work), PLANNER_USER="user1")
    subprocess.run([planner_command(), "queue"], env=env, stdout=subprocess.DEVNULL, check=True)
    queue_ms = paired(lambda _: ["queue"], None, env, None, runs)[0]
    ls_ms = paired(lambda _: ["ls"], None, env, None, runs)[0]
    return [f"| team 100k | first queue in-process ({first.queues[0].total:,} candidates, slack of every project) "
            f"| {first_s * 1000:.0f} |", f"| team 100k | queue again in-process (slack cached) | {again_s * 1000:.0f} |",
            f"| team 100k | cold `planner queue` | {queue_ms:.0f} |", f"| team 100k | cold `planner ls` | {ls_ms:.0f} |"]


def main() -> None:
    """Build the stores, time them, print Markdown."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--only", default="taskwarrior,todotxt,mspdi,team")
    args = parser.parse_args()
    chosen = set(args.only.split(","))
    work = Path(tempfile.mkdtemp(prefix="planner-user-bench-"))
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, median of {args.runs} cold runs\n")
    if "taskwarrior" in chosen:
        print("\n".join(taskwarrior_figures(work / "tw", args.runs)), "\n")
    rows = []
    for kind in ("todotxt", "mspdi"):
        if kind in chosen:
            rows += cold_figures(kind, work / kind, args.runs)
    if "team" in chosen:
        rows += team_figures(work / "team", args.runs)
    if rows:
        print("| store | what | ms |\n|---|---|---:|\n" + "\n".join(rows))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
