"""Stores shaped like the data people bring, each built through `planner import` from a file in the tool's format.

    python bench/user_stores.py taskwarrior|todotxt|mspdi|team --out DIR

* taskwarrior: 10,000 pending tasks in 40 projects, tags, a third with a due date, no links; the file is
  written by the real `task` binary (`task import` of generated items, then `task export`) when it is installed.
* todotxt: a todo.txt of 10,000 lines (priorities, +projects, @contexts, due:, some done).
* mspdi: an MS Project XML of 5,000 tasks in a work breakdown (summary tasks, FS links, resources).
* team: 100,000 tasks over 50 people (bench/generate.py, written straight into the tables).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import TAGS, VERBS, WORDS, generate  # noqa: E402

TODAY = date(2026, 11, 30)


def _title(rng: random.Random) -> str:
    return f"{rng.choice(VERBS)} {rng.choice(WORDS)} {rng.choice(WORDS)}"


def taskwarrior_items(count: int = 10_000, projects: int = 40, seed: int = 7) -> list[dict]:
    """Pending Taskwarrior tasks as a user has them: projects, 0-3 tags, some priorities and due dates."""
    rng = random.Random(seed)
    items = []
    for index in range(count):
        item = {"uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)), "description": _title(rng),
                "status": "pending", "project": f"proj{rng.randint(1, projects)}",
                "entry": (TODAY - timedelta(days=rng.randint(0, 700))).strftime("%Y%m%dT%H%M%SZ")}
        tags = rng.sample(TAGS, rng.choice((0, 1, 1, 2, 3)))
        if tags:
            item["tags"] = tags
        if rng.random() < 0.3:
            item["due"] = (TODAY + timedelta(days=rng.randint(-20, 90))).strftime("%Y%m%dT230000Z")
        if rng.random() < 0.25:
            item["priority"] = rng.choice("LMH")
        items.append(item)
    return items


def taskwarrior_env(work: Path) -> dict[str, str]:
    """The environment of a throwaway Taskwarrior under ``work``."""
    (work / "tw").mkdir(exist_ok=True)
    (work / "taskrc").write_text(f"data.location={work / 'tw'}\nconfirmation=no\nverbose=nothing\n"
                                 "recurrence=no\nhooks=off\ngc=off\n")
    return dict(os.environ, TASKRC=str(work / "taskrc"), TASKDATA=str(work / "tw"))


def taskwarrior_export(work: Path, count: int = 10_000) -> tuple[Path, dict[str, str] | None]:
    """A Taskwarrior export file; made by the real `task` (import, then export) when installed.

    Returns the file and the environment of the Taskwarrior holding the same tasks (None without `task`).
    """
    items = taskwarrior_items(count)
    source = work / "tw-import.json"
    source.write_text("\n".join(json.dumps(item) for item in items) + "\n")
    task = shutil.which("task")
    if not task:
        return source, None
    env = taskwarrior_env(work)
    subprocess.run([task, "rc.verbose=nothing", "import", str(source)], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    exported = work / "tw-export.json"
    with exported.open("w") as out:
        subprocess.run([task, "rc.verbose=nothing", "rc.json.array=on", "status:pending", "export"], env=env,
                       check=True, stdout=out)
    return exported, env


def todotxt_file(work: Path, count: int = 10_000, seed: int = 11) -> Path:
    """A todo.txt of ``count`` lines: (A)-(C) priorities, +projects, @contexts, due:, a tenth done."""
    rng = random.Random(seed)
    lines = []
    for _ in range(count):
        created = (TODAY - timedelta(days=rng.randint(0, 400))).isoformat()
        words = [_title(rng), f"+proj{rng.randint(1, 30)}"]
        words += [f"@{context}" for context in rng.sample(("home", "work", "phone", "errands", "computer"),
                                                          rng.randint(0, 2))]
        if rng.random() < 0.3:
            words.append(f"due:{(TODAY + timedelta(days=rng.randint(-10, 60))).isoformat()}")
        if rng.random() < 0.1:
            lines.append(f"x {TODAY.isoformat()} {created} " + " ".join(words))
            continue
        priority = rng.choice(("", "", "(A) ", "(B) ", "(C) "))
        lines.append(f"{priority}{created} " + " ".join(words))
    path = work / "todo.txt"
    path.write_text("\n".join(lines) + "\n")
    return path


def mspdi_file(work: Path, count: int = 5_000, seed: int = 13) -> Path:
    """An MS Project XML: phases of ~25 tasks under summary rows, FS links inside a phase, 20 resources."""
    rng = random.Random(seed)
    parts = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<Project xmlns="http://schemas.microsoft.com/project">', "<Name>Bench</Name>",
             "<StartDate>2026-11-02T08:00:00</StartDate><MinutesPerDay>480</MinutesPerDay><Tasks>",
             "<Task><UID>0</UID><ID>0</ID><Name>Bench</Name><OutlineLevel>0</OutlineLevel><Summary>1</Summary></Task>"]
    uid, phase_first, assignments = 0, 0, []
    while uid < count:
        uid += 1
        parts.append(f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>Phase {uid}</Name><OutlineLevel>1</OutlineLevel>"
                     "<Summary>1</Summary></Task>")
        phase_first = uid + 1
        for _ in range(min(25, count - uid)):
            uid += 1
            days = rng.randint(1, 10)
            links = ""
            if uid > phase_first and rng.random() < 0.7:
                links = (f"<PredecessorLink><PredecessorUID>{rng.randint(phase_first, uid - 1)}</PredecessorUID>"
                         "<Type>1</Type></PredecessorLink>")
            percent = rng.choice((0, 0, 0, 50, 100))
            parts.append(f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>{_title(rng)}</Name>"
                         f"<OutlineLevel>2</OutlineLevel><Duration>PT{days * 8}H0M0S</Duration>"
                         f"<Work>PT{days * 8}H0M0S</Work><PercentComplete>{percent}</PercentComplete>"
                         f"<Priority>{rng.choice((500, 500, 700, 300))}</Priority>{links}</Task>")
            assignments.append((uid, rng.randint(1, 20)))
    parts.append("</Tasks><Resources>")
    parts += [f"<Resource><UID>{r}</UID><ID>{r}</ID><Name>Person {r}</Name><Initials>p{r}</Initials>"
              "<MaxUnits>1</MaxUnits></Resource>" for r in range(1, 21)]
    parts.append("</Resources><Assignments>")
    parts += [f"<Assignment><UID>{n}</UID><TaskUID>{t}</TaskUID><ResourceUID>{r}</ResourceUID><Units>1</Units>"
              "</Assignment>" for n, (t, r) in enumerate(assignments, 1)]
    parts.append("</Assignments></Project>")
    path = work / "bench.xml"
    path.write_text("\n".join(parts))
    return path


def planner_command() -> str:
    """The installed `planner` executable beside this interpreter."""
    return shutil.which("planner") or str(Path(sys.executable).with_name("planner"))


def imported_store(kind: str, work: Path) -> tuple[Path, dict[str, str] | None]:
    """A SQLite store of the given shape under ``work``; returns it and a Taskwarrior env when one was made."""
    work.mkdir(parents=True, exist_ok=True)
    db = work / f"{kind}.db"
    if kind == "team":
        generate(100_000, db, people=50)
        return db, None
    tw_env = None
    if kind == "taskwarrior":
        source, tw_env = taskwarrior_export(work)
    elif kind == "todotxt":
        source = todotxt_file(work)
    elif kind == "mspdi":
        source = mspdi_file(work)
    else:
        raise SystemExit(f"unknown store shape {kind!r}")
    extra = ["--project", "bench"] if kind == "mspdi" else []
    subprocess.run([planner_command(), "--db", str(db), "import", kind, str(source), *extra], check=True,
                   stdout=subprocess.DEVNULL, env=dict(os.environ, HOME=str(work)))
    return db, tw_env


def main() -> None:
    """Build one store and print its path."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("kind", choices=("taskwarrior", "todotxt", "mspdi", "team"))
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    db, _ = imported_store(args.kind, args.out)
    print(db)


if __name__ == "__main__":
    main()
