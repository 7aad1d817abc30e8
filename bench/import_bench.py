"""Import benchmarks: a 100k-task Taskwarrior export and a 10k-task MSPDI file.

    python bench/import_bench.py [--tw-tasks 100000] [--mspdi-tasks 10000] [--database-url URL]

Generates both files (seeded, so runs compare), then times each step (wall
clock and the process's CPU time, steadier on a busy machine) in a fresh
process on a new database (SQLite in a temp dir unless
``--database-url`` names an empty PostgreSQL): the first import, the same
file again (every task matched, nothing written) and an export. Peak memory
is the process's maximum resident set (``resource.getrusage``), next to
what importing Planner alone costs; ``--tracemalloc`` adds the peak of the
Python heap (slower). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import uuid
from datetime import date, timedelta
from pathlib import Path

_STEP = r"""
import json, resource, sys, time, tracemalloc
from pathlib import Path
use_tracemalloc = sys.argv[5] == "1"
if use_tracemalloc:
    tracemalloc.start()
from planner.config import Settings
from planner.services.context import Context
from planner.services.interchange.files import export_file, import_file
ctx = Context.from_settings(Settings(database_url=sys.argv[1], user="bench"))
with ctx.uow():
    pass  # create and migrate the database before timing
base_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu_before = usage.ru_utime + usage.ru_stime
started = time.perf_counter()
if sys.argv[2] == "import":
    report = import_file(ctx, sys.argv[3], sys.argv[4])
    detail = f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged"
else:
    data = export_file(ctx, sys.argv[3], sys.argv[4] or None)
    detail = f"{len(data) / 1e6:.1f} MB"
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_SELF)
cpu = usage.ru_utime + usage.ru_stime - cpu_before
heap = tracemalloc.get_traced_memory()[1] / 2**20 if use_tracemalloc else None
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "base_mb": base_kb / 1024, "heap_mb": heap, "detail": detail}))
"""


def taskwarrior_export(count: int, path: Path, seed: int = 7) -> None:
    """A `task export`-shaped file: projects, tags, priorities, dates, annotations, links to earlier tasks."""
    rng = random.Random(seed)
    uuids = [str(uuid.UUID(int=rng.getrandbits(128), version=4)) for _ in range(count)]
    start = date(2026, 11, 2)
    with path.open("w") as out:
        out.write("[\n")
        for index, task_uuid in enumerate(uuids):
            task = {"id": index + 1, "uuid": task_uuid, "description": f"Task {index} of the benchmark",
                    "entry": "20261101T090000Z", "modified": "20261101T090000Z", "status": "pending",
                    "project": f"Area{index % 40}.Sub{index % 7}", "urgency": 1.0}
            if index % 5 == 0:
                task["status"] = "completed"
                task["end"] = "20261110T170000Z"
            if index % 3 == 0:
                task["priority"] = "HML"[index % 9 // 3]
            if index % 4 == 0:
                task["due"] = (start + timedelta(days=index % 120)).strftime("%Y%m%dT000000Z")
            if index % 6 == 0:
                task["tags"] = [f"tag{index % 25}", "bench"]
            if index % 10 == 0:
                task["annotations"] = [{"entry": "20261102T100000Z", "description": f"note {index}"}]
            if index > 10 and index % 3 == 1:
                task["depends"] = [uuids[index - 1 - rng.randrange(min(index - 1, 50))]]
            out.write(("" if index == 0 else ",\n") + json.dumps(task))
        out.write("\n]\n")


def mspdi_file(count: int, path: Path, seed: int = 7) -> None:
    """A 10k-task MS Project XML: summaries every 50 tasks, FS/SS/FF links with lags, 20 people."""
    rng = random.Random(seed)
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<Project xmlns="http://schemas.microsoft.com/project">',
             "<Name>bench.xml</Name><Title>Bench</Title><StartDate>2026-11-30T08:00:00</StartDate>",
             "<CalendarUID>1</CalendarUID><MinutesPerDay>480</MinutesPerDay><Calendars><Calendar><UID>1</UID>",
             "<Name>Standard</Name><IsBaseCalendar>1</IsBaseCalendar><WeekDays>"]
    for day_type in range(1, 8):
        working = 2 <= day_type <= 6
        times = ("<WorkingTimes><WorkingTime><FromTime>08:00:00</FromTime><ToTime>12:00:00</ToTime></WorkingTime>"
                 "<WorkingTime><FromTime>13:00:00</FromTime><ToTime>17:00:00</ToTime></WorkingTime></WorkingTimes>")
        parts.append(f"<WeekDay><DayType>{day_type}</DayType><DayWorking>{int(working)}</DayWorking>"
                     f"{times if working else ''}</WeekDay>")
    parts.append("</WeekDays></Calendar></Calendars><Tasks>")
    uid = 0
    leaves: list[int] = []
    for index in range(count):
        uid += 1
        if index % 50 == 0:
            parts.append(f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>Phase {index // 50}</Name>"
                         "<OutlineLevel>1</OutlineLevel><Summary>1</Summary></Task>")
            continue
        links = ""
        if leaves and rng.random() < 0.7:
            predecessor = leaves[-1 - rng.randrange(min(len(leaves), 30))]
            links = (f"<PredecessorLink><PredecessorUID>{predecessor}</PredecessorUID>"
                     f"<Type>{rng.choice((1, 1, 1, 3, 0))}</Type><LinkLag>{rng.choice((0, 0, 4800, 9600))}</LinkLag>"
                     "<LagFormat>7</LagFormat></PredecessorLink>")
        hours = 8 * rng.randint(1, 10)
        parts.append(f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>Work item {index}</Name>"
                     f"<OutlineLevel>2</OutlineLevel><Duration>PT{hours}H0M0S</Duration>"
                     f"<Work>PT{hours}H0M0S</Work><Milestone>0</Milestone>{links}</Task>")
        leaves.append(uid)
    parts.append("</Tasks><Resources>")
    parts.extend(f"<Resource><UID>{n}</UID><ID>{n}</ID><Name>Person {n}</Name><Type>1</Type>"
                 "<MaxUnits>1.00</MaxUnits></Resource>" for n in range(1, 21))
    parts.append("</Resources><Assignments>")
    parts.extend(f"<Assignment><UID>{n}</UID><TaskUID>{task}</TaskUID><ResourceUID>{1 + n % 20}</ResourceUID>"
                 "<Units>1</Units></Assignment>" for n, task in enumerate(leaves, start=1))
    parts.append("</Assignments></Project>\n")
    path.write_text("\n".join(parts))


def step(url: str, action: str, fmt: str, arg: str, tracemalloc: bool) -> dict:
    """Run one import or export in a fresh process and return its figures."""
    done = subprocess.run([sys.executable, "-c", _STEP, url, action, fmt, arg, "1" if tracemalloc else "0"],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{action} {fmt} failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    """Generate, run and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tw-tasks", type=int, default=100_000)
    parser.add_argument("--mspdi-tasks", type=int, default=10_000)
    parser.add_argument("--database-url", help="an EMPTY database to use instead of temp SQLite files")
    parser.add_argument("--tracemalloc", action="store_true", help="also report the Python heap's peak")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="planner-import-bench-"))
    tw_path, xml_path = work / "tw.json", work / "bench.xml"
    taskwarrior_export(args.tw_tasks, tw_path)
    mspdi_file(args.mspdi_tasks, xml_path)
    tw_url = args.database_url or f"sqlite:///{work / 'tw.db'}"
    xml_url = args.database_url or f"sqlite:///{work / 'mspdi.db'}"
    runs = [
        (f"Taskwarrior {args.tw_tasks:,} tasks ({tw_path.stat().st_size / 1e6:.0f} MB): import", tw_url, "import",
         "taskwarrior", str(tw_path)),
        ("same file again (all matched)", tw_url, "import", "taskwarrior", str(tw_path)),
        ("export taskwarrior", tw_url, "export", "taskwarrior", ""),
        (f"MSPDI {args.mspdi_tasks:,} tasks ({xml_path.stat().st_size / 1e6:.1f} MB): import", xml_url, "import",
         "mspdi", str(xml_path)),
        ("same file again (all matched)", xml_url, "import", "mspdi", str(xml_path)),
        ("export mspdi (with its schedule)", xml_url, "export", "mspdi", "bench"),
    ]
    if args.database_url:
        runs = runs[:3]  # one empty database: the Taskwarrior steps only
    heap = " | Python heap peak" if args.tracemalloc else ""
    print(f"| step | wall s | CPU s | peak RSS (MB) | RSS before (MB){heap} | result |")
    print("|---|---:|---:|---:|---:|" + ("---:|" if args.tracemalloc else "") + "---|")
    for label, url, action, fmt, arg in runs:
        figures = step(url, action, fmt, arg, args.tracemalloc)
        heap_cell = f" {figures['heap_mb']:.0f} |" if args.tracemalloc else ""
        print(f"| {label} | {figures['seconds']:.1f} | {figures['cpu']:.1f} | {figures['peak_mb']:.0f} | {figures['base_mb']:.0f} |"
              f"{heap_cell} {figures['detail']} |", flush=True)


if __name__ == "__main__":
    main()
