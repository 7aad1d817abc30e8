"""Realistic benchmark data: projects, streams, people, tasks with estimates, due dates, tags, ~3 links each.

    python bench/generate.py --tasks 10000 --db /tmp/bench-10k.db [--taskwarrior /tmp/tw-10k.json]

Rows go straight into a migrated database with executemany (fast); the same
tasks can be written as a Taskwarrior import file for side-by-side timing.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

WORDS = ("spec api login search billing report export import cache deploy review audit onboarding invoice "
         "dashboard migration backup alert docs release design test payment refund profile admin mobile").split()
VERBS = "Write Fix Review Design Test Ship Plan Refactor Document Measure Draft Migrate".split()
TAGS = "docs ui backend infra ops bug perf security research ux".split()


def generate(task_count: int, db_path: Path, *, people: int = 50, seed: int = 1, start: date = date(2026, 11, 2),
             taskwarrior: Path | None = None, taskwarrior_depends: bool = True) -> None:
    """Create a database of ``task_count`` tasks (and optionally the matching Taskwarrior file)."""
    from planner.store.engine import ensure_schema
    from planner.store.location import parse_database_url

    if db_path.exists():
        db_path.unlink()
    ensure_schema(parse_database_url(f"sqlite:///{db_path}"))
    rng = random.Random(seed)
    now = datetime(2026, 11, 20, tzinfo=timezone.utc).isoformat(sep=" ")
    conn = sqlite3.connect(db_path)
    project_count = max(3, task_count // 200)
    projects = []
    for index in range(project_count):
        kind = "stream" if index % 5 == 4 else "project"
        projects.append((index + 1, f"p{index + 1}", f"Project {index + 1}", kind, start.isoformat(),
                         (start + timedelta(days=rng.randint(60, 240))).isoformat() if kind == "project" else None,
                         0, 0.0, now, now))
    conn.executemany("INSERT INTO project (id, key, name, kind, start, deadline, archived, reserve_percent, "
                     "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)", projects)
    conn.executemany("INSERT INTO resource (id, handle, name, kind, capacity) VALUES (?,?,?,?,?)",
                     [(i + 1, f"user{i + 1}", f"User {i + 1}", "person", 1.0) for i in range(people)])
    conn.executemany("INSERT INTO tag (id, name) VALUES (?,?)", [(i + 1, t) for i, t in enumerate(TAGS)])
    tasks, tags, assignments, links, tw = [], [], [], [], []
    per_project = task_count // project_count + 1
    for task_id in range(1, task_count + 1):
        project_index = (task_id - 1) // per_project
        done = rng.random() < 0.15
        due = start + timedelta(days=rng.randint(0, 120)) if rng.random() < 0.6 else None
        estimate = rng.choice((0.5, 1, 2, 3, 4, 6, 8, 16))
        title = f"{rng.choice(VERBS)} {rng.choice(WORDS)} {rng.choice(WORDS)}"
        priority = rng.choice((0, 0, 1, 2, 3))
        status = "done" if done else rng.choice(("backlog", "todo", "todo", "doing", "review"))
        tasks.append((task_id, project_index + 1, title, "", "task", status, priority, estimate, None,
                      due.isoformat() if due else None, 100 if done else 0, 0.0, now, now,
                      now if done else None, 1))
        task_tags = rng.sample(range(1, len(TAGS) + 1), rng.randint(0, 2))
        tags.extend((task_id, tag_id) for tag_id in task_tags)
        person = rng.randint(1, people)
        assignments.append((task_id, person, 1.0))
        first_in_project = project_index * per_project + 1
        predecessors = set()
        if task_id > first_in_project:
            for _ in range(3):
                predecessor = rng.randint(max(first_in_project, task_id - 40), task_id - 1)
                predecessors.add(predecessor)
        links.extend((p, task_id, "FS", 0) for p in sorted(predecessors))
        if taskwarrior is not None:
            tw.append((task_id, title, f"p{project_index + 1}", done, priority, due, [TAGS[t - 1] for t in task_tags],
                       sorted(predecessors)))
    conn.executemany("INSERT INTO task (id, project_id, title, notes, kind, status, priority, estimate_hours, "
                     "duration_days, due, percent_done, board_rank, created_at, updated_at, completed_at, version) "
                     "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", tasks)
    conn.executemany("INSERT INTO tasktag (task_id, tag_id) VALUES (?,?)", tags)
    conn.executemany("INSERT INTO assignment (task_id, resource_id, units) VALUES (?,?,?)", assignments)
    conn.executemany("INSERT INTO dependency (predecessor_id, successor_id, type, lag_days) VALUES (?,?,?,?)", links)
    conn.commit()
    conn.close()
    if taskwarrior is not None:
        _write_taskwarrior(tw, taskwarrior, depends=taskwarrior_depends)


def _write_taskwarrior(rows: list[tuple], path: Path, *, depends: bool = True) -> None:
    uuids = {row[0]: str(uuid.UUID(int=row[0])) for row in rows}
    with path.open("w") as out:
        for task_id, title, project, done, priority, due, tags, predecessors in rows:
            item = {"uuid": uuids[task_id], "description": title, "project": project,
                    "status": "completed" if done else "pending", "entry": "20261120T000000Z"}
            if done:
                item["end"] = "20261121T000000Z"
            if priority:
                item["priority"] = {1: "L", 2: "M", 3: "H"}[priority]
            if due:
                item["due"] = due.strftime("%Y%m%dT000000Z")
            if tags:
                item["tags"] = tags
            if predecessors and depends:
                item["depends"] = ",".join(uuids[p] for p in predecessors)
            out.write(json.dumps(item) + "\n")


def main() -> None:
    """Command line of the generator."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--taskwarrior", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.tasks, args.db, people=args.people, seed=args.seed, taskwarrior=args.taskwarrior)


if __name__ == "__main__":
    main()
