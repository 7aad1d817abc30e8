"""Portfolio leveling: 50 projects x 200 tasks sharing 20 people, leveled in portfolio order.

    python bench/portfolio_bench.py [--projects 50] [--tasks-per-project 200] [--people 20]

Generates the data (bench/generate.py: ~3 links per task inside its project, one
person per task), makes every project an open plan starting the same Monday and
links each project's last task to the next project's first (cross-project
links), then times the portfolio's leveled plan in-process (`plan_portfolio`)
and as cold processes (`schedule --all --level --json`, `load --level`). It
checks that nobody is booked above capacity on any day.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from cli_bench import median_ms  # noqa: E402
from generate import generate  # noqa: E402

MONDAY = "2026-11-30"


def _portfolio(db: Path, projects: int, per_project: int) -> None:
    """Every project an open plan from the same Monday; each project's last task leads the next one's first."""
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE task SET completed_at = NULL, status = 'todo', percent_done = 0, due = NULL")
        conn.execute("UPDATE project SET kind = 'project', start = ?, deadline = NULL", [MONDAY])
        firsts = [row[0] for row in conn.execute("SELECT min(id) FROM task GROUP BY project_id ORDER BY project_id")]
        lasts = [row[0] for row in conn.execute("SELECT max(id) FROM task GROUP BY project_id ORDER BY project_id")]
        conn.executemany("INSERT INTO dependency (predecessor_id, successor_id, type, lag_days) VALUES (?,?,'FS',0)",
                         [(lasts[i], firsts[i + 1]) for i in range(0, len(firsts) - 1, 5)])


def main() -> None:
    """Print the figures as Markdown."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=50)
    parser.add_argument("--tasks-per-project", type=int, default=200)
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="planner-portfolio-bench-"))
    db = work / "planner.db"
    tasks = args.projects * args.tasks_per_project
    generate(tasks, db, people=args.people)
    _portfolio(db, args.projects, args.tasks_per_project)

    from planner.config import Settings
    from planner.services.context import Context
    from planner.services.planning.schedule import plan_portfolio

    ctx = Context.from_settings(Settings(database_url=f"sqlite:///{db}", user="bench"), today=date(2026, 11, 30))
    started = time.perf_counter()
    plan = plan_portfolio(ctx, level=True)
    elapsed = time.perf_counter() - started
    capacity = 1.0
    over = [(resource, day) for resource, days in plan.bookings.items() for day, units in days.items()
            if units > capacity + 1e-9]
    assert not over, f"double-booked: {over[:5]}"
    finish = max(schedule.finish for schedule in plan.schedules)
    counted = sum(len(schedule.tasks) for schedule in plan.schedules)
    print(f"| portfolio leveling, {len(plan.schedules)} projects x {args.tasks_per_project} tasks "
          f"({counted} tasks), {args.people} people, in-process | {elapsed:.2f} s (last finish {finish}, "
          "nobody above capacity) |")
    unleveled = defaultdict(float)
    started = time.perf_counter()
    cpm = plan_portfolio(ctx, level=False)
    cpm_elapsed = time.perf_counter() - started
    for days in cpm.bookings.values():
        for units in days.values():
            unleveled[units > capacity] += 1
    print(f"| the same portfolio unleveled (critical path), in-process | {cpm_elapsed:.2f} s "
          f"({int(unleveled[True])} person-days above capacity) |")
    planner = shutil.which("planner") or str(Path(sys.executable).with_name("planner"))
    env = dict(os.environ, PLANNER_DATABASE_URL=f"sqlite:///{db}", NO_COLOR="1")
    for command in (["schedule", "--all", "--level", "--json", "--date", MONDAY], ["load", "--level"]):
        seconds = median_ms([planner, *command], env, args.runs) / 1000
        print(f"| cold `planner {' '.join(command)}` | {seconds:.2f} s |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
