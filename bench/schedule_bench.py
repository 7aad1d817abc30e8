"""Scheduling figures: cold `planner schedule` at 10k tasks, and leveling 1,000 tasks over 20 people
beside TaskJuggler 3 (Debian package tj3) on an equivalent project.

    python bench/schedule_bench.py [--tasks 10000] [--level-tasks 1000] [--people 20]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from cli_bench import median_ms  # noqa: E402
from generate import generate  # noqa: E402


def _one_project(db: Path) -> None:
    """Put every task into project 1 (keeping the generated links), so one project holds them all."""
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE task SET project_id = 1, completed_at = NULL, status = 'todo', due = NULL")
        conn.execute("UPDATE project SET kind = 'project', start = '2026-11-30', deadline = NULL WHERE id = 1")


def _tjp(tasks: int, people: int, seed: int) -> tuple[str, list[tuple[int, float, int, list[int]]]]:
    """A TaskJuggler project and the same tasks as (id, effort days, person, predecessors)."""
    rng = random.Random(seed)
    rows = []
    for task_id in range(1, tasks + 1):
        predecessors = sorted({rng.randint(max(1, task_id - 30), task_id - 1) for _ in range(2)}) if task_id > 1 else []
        rows.append((task_id, rng.choice((1, 2, 3, 5)), rng.randint(1, people), predecessors))
    lines = ['project bench "Bench" 2026-11-30 +3y {', "  timezone \"UTC\"", "}"]
    lines += [f'resource r{p} "Person {p}"' for p in range(1, people + 1)]
    for task_id, days, person, predecessors in rows:
        depends = f"\n  depends {', '.join(f't{p}' for p in predecessors)}" if predecessors else ""
        lines.append(f'task t{task_id} "Task {task_id}" {{\n  effort {days}d\n  allocate r{person}{depends}\n}}')
    lines.append('taskreport "out" { formats csv columns id, start, end }')
    return "\n".join(lines) + "\n", rows


def _level_in_process(rows: list[tuple[int, float, int, list[int]]], people: int, seed: int) -> tuple[float, int]:
    from planner.domain.cpm import compute_schedule
    from planner.domain.leveling import level
    from planner.domain.network import Activity, Link, Network

    network = Network([Activity(id=t, duration_days=int(d), demands=((p, 1.0),)) for t, d, p, _ in rows],
                      [Link(pred, t) for t, _d, _p, preds in rows for pred in preds])
    started = time.perf_counter()
    result = level(network, {p: 1.0 for p in range(1, people + 1)}, seed=seed)
    elapsed = time.perf_counter() - started
    assert result.makespan >= max(s.ef for s in compute_schedule(network).values())
    return elapsed, result.makespan


def main() -> None:
    """Print the figures as Markdown."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--level-tasks", type=int, default=1_000)
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="planner-schedule-bench-"))
    db = work / "planner.db"
    generate(args.tasks, db)
    _one_project(db)
    planner = shutil.which("planner") or str(Path(sys.executable).with_name("planner"))
    env = dict(os.environ, PLANNER_DATABASE_URL=f"sqlite:///{db}", NO_COLOR="1")
    cold = median_ms([planner, "schedule", "p1", "--json", "--from", "2026-11-30"], env, args.runs) / 1000
    print(f"| cold `planner schedule` ({args.tasks} tasks, one project, --json) | {cold:.2f} s |")

    source, rows = _tjp(args.level_tasks, args.people, seed=3)
    elapsed, makespan = _level_in_process(rows, args.people, seed=0)
    print(f"| leveling {args.level_tasks} tasks over {args.people} people, in-process | {elapsed:.2f} s "
          f"(makespan {makespan} days) |")
    tj3 = shutil.which("tj3")
    if tj3:
        (work / "bench.tjp").write_text(source)
        started = time.perf_counter()
        done = subprocess.run([tj3, "--no-color", "-o", str(work), str(work / "bench.tjp")], capture_output=True,
                              text=True, cwd=work)
        tj_elapsed = time.perf_counter() - started
        status = "" if done.returncode == 0 else f" (exit {done.returncode}: {done.stderr.strip()[:120]})"
        print(f"| TaskJuggler 3 (`tj3`) on the same project | {tj_elapsed:.2f} s{status} |")
        print(f"| ratio tj3 / planner | {tj_elapsed / elapsed:.1f}x |")
    else:
        print("| TaskJuggler 3 | not installed (apt-get install tj3) |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
