"""The daily queue: in-process at 100k tasks / 50 people, and cold `planner queue` beside Taskwarrior's `task next`.

    python bench/queue_bench.py [--tasks 100000] [--cli-tasks 10000] [--runs 15]

In-process: one person's queue (``services.queue.daily_queue``) on a
generated database (bench/generate.py), timed three ways — the first queue
(schedule slack of every project computed and cached), the queue again with
nothing changed (slack from the cache), and the queue after a task was
completed (only that task's project scheduled again).

Cold CLI: `planner queue` as a fresh process per run, median of --runs, on
the same tasks Taskwarrior holds (its `task next` is the comparable command:
a ranked list of what to do next), with a warm slack cache as in daily use.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from cli_bench import median_ms, taskwarrior_store  # noqa: E402
from generate import generate  # noqa: E402

TODAY = date(2026, 11, 25)
TARGET_SECONDS = 0.3


def _context(db: Path, user: str):  # noqa: ANN202
    from planner.config import Settings
    from planner.services.context import Context

    return Context.from_settings(Settings(database_url=f"sqlite:///{db}", user=user), today=TODAY)


def _timed(fn, repeat: int = 1) -> tuple[float, object]:  # noqa: ANN001
    samples, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), result


def in_process(task_count: int, people: int, work: Path) -> list[tuple[str, float]]:
    """Seconds for one person's queue: first (cache cold), unchanged (cache warm), after a completion."""
    from planner.services.queue.daily import daily_queue
    from planner.services.tasks.operations import complete_task

    db = work / f"queue-{task_count}.db"
    started = time.perf_counter()
    generate(task_count, db, people=people)
    print(f"generated {task_count} tasks / {people} people in {time.perf_counter() - started:.1f} s")
    ctx = _context(db, "user1")
    first, queue = _timed(lambda: daily_queue(ctx))
    warm, queue = _timed(lambda: daily_queue(ctx), repeat=7)
    person_queue = queue.queues[0]  # type: ignore[attr-defined]
    print(f"user1: {person_queue.total} candidates, {len(person_queue.fitting)} fit in "
          f"{person_queue.capacity.remaining_hours:g} h")
    after = []
    for item in person_queue.items[:3]:
        complete_task(ctx, item.task_id)
        seconds, _ = _timed(lambda: daily_queue(ctx))
        after.append(seconds)
    rows = [("first queue (slack of every project computed, then cached)", first),
            ("queue again, nothing changed (slack from the cache)", warm)]
    if after:
        rows.append(("queue right after `done` (that project scheduled again)", statistics.median(after)))
    return rows


def cold_cli(task_count: int, runs: int, work: Path) -> list[tuple[str, float, str, float | None]]:
    """Median ms of `planner queue` cold processes beside `task next` on the same tasks."""
    db, tw_file = work / "cli.db", work / "tw.json"
    generate(task_count, db, taskwarrior=tw_file)
    planner = shutil.which("planner") or str(Path(sys.executable).with_name("planner"))
    env = dict(os.environ, PLANNER_DATABASE_URL=f"sqlite:///{db}", NO_COLOR="1", PLANNER_USER="user1",
               PLANNER_CACHE_DIR=str(work / "cache"))
    command = [planner, "--today", TODAY.isoformat(), "queue"]
    subprocess.run(command, env=env, check=True, capture_output=True)  # fills the slack cache, as daily use does
    rows = [("planner queue", median_ms(command, env, runs)),
            ("planner queue --json", median_ms([*command, "--json"], env, runs))]
    empty_cache = median_ms(command, env, max(3, runs // 3),
                            setup=lambda: shutil.rmtree(work / "cache", ignore_errors=True))
    rows.append(("planner queue (slack cache empty: every project scheduled)", empty_cache))
    task = shutil.which("task")
    tw_ms = None
    if task:
        tw_env = taskwarrior_store(task, work, tw_file)
        tw_ms = median_ms([task, "rc.gc=off", "next"], tw_env, runs)
    return [(name, ms, "task next", tw_ms) for name, ms in rows]


def main() -> None:
    """Run both measurements and print Markdown tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--cli-tasks", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="planner-queue-bench-"))
    os.environ["PLANNER_CACHE_DIR"] = str(work / "cache")
    try:
        rows = in_process(args.tasks, args.people, work)
        print(f"\nIn-process queue for one person, {args.tasks} tasks, {args.people} people "
              f"(target <= {TARGET_SECONDS} s)\n")
        print("| case | seconds | target met |")
        print("|---|---:|---|")
        for name, seconds in rows:
            print(f"| {name} | {seconds:.3f} | {'yes' if seconds <= TARGET_SECONDS else 'no'} |")
        cli_rows = cold_cli(args.cli_tasks, args.runs, work)
        print(f"\n{args.cli_tasks} tasks, median of {args.runs} cold runs ({os.cpu_count()} cores)\n")
        print("| planner command | ms | taskwarrior command | ms | ratio |")
        print("|---|---:|---|---:|---:|")
        for name, ms, tw_name, tw_ms in cli_rows:
            if tw_ms:
                print(f"| `{name}` | {ms:.0f} | `{tw_name}` | {tw_ms:.0f} | {ms / tw_ms:.2f} |")
            else:
                print(f"| `{name}` | {ms:.0f} | (taskwarrior not installed) | | |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
