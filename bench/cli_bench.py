"""Cold-process timings of the CLI beside Taskwarrior on the same tasks.

    python bench/cli_bench.py [--tasks 10000] [--runs 15]

Generates the data (bench/generate.py), imports the same tasks into a
throwaway Taskwarrior (Debian package taskwarrior), then times each command
as a fresh process (median of --runs) and prints the ratios.
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate  # noqa: E402


def median_ms(command: list[str], env: dict[str, str], runs: int, setup=None) -> float:  # noqa: ANN001
    """Median wall time of a command run as a fresh process."""
    samples = []
    for _ in range(runs):
        if setup:
            setup()
        started = time.perf_counter()
        done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        samples.append((time.perf_counter() - started) * 1000)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed: {done.stderr.decode()[:400]}")
    return statistics.median(samples)


def taskwarrior_store(task: str, work: Path, tw_file: Path) -> dict[str, str]:
    """A throwaway Taskwarrior under ``work`` holding ``tw_file``'s tasks; returns its environment."""
    (work / "tw").mkdir()
    (work / "taskrc").write_text(f"data.location={work / 'tw'}\nconfirmation=no\nverbose=nothing\n"
                                 "recurrence=no\nhooks=off\ngc=off\n")
    env = dict(os.environ, TASKRC=str(work / "taskrc"), TASKDATA=str(work / "tw"))
    subprocess.run([task, "rc.verbose=nothing", "import", str(tw_file)], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return env


def main() -> None:
    """Run the comparison and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--tw-depends", action="store_true",
                        help="Give Taskwarrior the dependencies too (its reports then take seconds at 10k).")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="planner-bench-"))
    db, tw_file = work / "planner.db", work / "tw.json"
    generate(args.tasks, db, taskwarrior=tw_file, taskwarrior_depends=args.tw_depends)
    planner = shutil.which("planner") or str(Path(sys.executable).with_name("planner"))
    env = dict(os.environ, PLANNER_DATABASE_URL=f"sqlite:///{db}", NO_COLOR="1", PLANNER_USER="user1")
    some_id = str(args.tasks // 2)

    rows: list[tuple[str, float, str, float | None]] = []
    task = shutil.which("task")
    tw_env = None
    if task:
        tw_env = taskwarrior_store(task, work, tw_file)
        tw_count = subprocess.run([task, "rc.verbose=nothing", "count", "status:pending"], env=tw_env,
                                  capture_output=True, text=True).stdout.strip()
        print(f"taskwarrior holds {tw_count} pending tasks")

    def tw(*tw_args: str) -> float | None:
        if not tw_env:
            return None
        return median_ms([task, "rc.gc=off", *tw_args], tw_env, args.runs)

    rows.append(("planner add", median_ms([planner, "add", "Bench task", "--project", "p1", "--tag", "docs",
                                           "--estimate", "2h", "--due", "fri"], env, args.runs),
                 "task add", tw("add", "Bench task", "project:p1", "+docs", "due:fri")))
    next_ms = tw("next")
    rows.append(("planner ls (50 shown)", median_ms([planner, "ls"], env, args.runs), "task next", next_ms))
    rows.append(("planner ls --json (all open)", median_ms([planner, "ls", "--json"], env, args.runs),
                 "task export", tw("status:pending", "export")))
    rows.append(("planner show ID", median_ms([planner, "show", some_id], env, args.runs), "task next", next_ms))
    rows.append(("planner ls project:p3 +docs", median_ms([planner, "ls", "project:p3", "+docs"], env, args.runs),
                 "task list project:p3 +docs", tw("list", "project:p3", "+docs")))

    print(f"\n{args.tasks} tasks, median of {args.runs} cold runs ({os.cpu_count()} cores)\n")
    print("| planner command | ms | taskwarrior command | ms | ratio |")
    print("|---|---:|---|---:|---:|")
    for name, ms, tw_name, tw_ms in rows:
        ratio = f"{ms / tw_ms:.2f}" if tw_ms else "n/a"
        print(f"| `{name}` | {ms:.0f} | `{tw_name}` | {tw_ms:.0f} | {ratio} |" if tw_ms else
              f"| `{name}` | {ms:.0f} | (taskwarrior not installed) | | |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
