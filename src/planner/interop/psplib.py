"""PSPLIB single-mode instances (``.sm``) as a new project: one task per job, pools R1..Rn, FS links.

The project starts on the next Monday and follows an every-day calendar, so working-day offsets
equal PSPLIB periods and ``planner schedule --level`` can be compared with the published optimum.
The dummy source and sink jobs are left out. Job ids are only unique within one instance, so the
import scopes them by the project key (``--project``, which a PSPLIB import needs).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import IO, Any

from planner.domain.errors import InvalidInputError
from planner.domain.psplib import parse_sm
from planner.interop.records import CalendarRecord, Document, ExchangeTask, LinkRecord, ProjectRecord, ResourceRecord

NAME = "psplib"
ALIASES = ("sm",)
PREFIX = "psplib:"
MODE = "text"
SUFFIX = ".sm"
CAN_IMPORT = True
CAN_EXPORT = False
SCOPE = "tasks"
ONE_PROJECT: str | None = None
READ_OPTIONS: frozenset[str] = frozenset()
EXPORT_NEEDS: frozenset[str] = frozenset()

EVERY_DAY = "every-day"
FIELDS = frozenset({"title", "kind", "duration_days", "links", "link_types", "assignments"})


def next_monday(today: date) -> date:
    """The Monday after ``today`` (a week on when today is a Monday)."""
    return today + timedelta(days=7 - today.weekday())


def read(stream: IO[str], options: Mapping[str, Any] | None = None) -> Document:
    """A Document of one instance; ``options`` carries the import's ``project`` key and ``today``."""
    options = options or {}
    key = options.get("project")
    if not key:
        raise InvalidInputError("a PSPLIB import needs --project KEY (the new project's key)")
    instance = parse_sm(stream.read())
    source = Path(str(getattr(stream, "name", "instance.sm"))).name
    document = Document(NAME, prefix=PREFIX, scope=PREFIX, fields=FIELDS)
    calendar = f"{PREFIX}cal:{EVERY_DAY}"
    document.calendars.append(CalendarRecord(calendar, EVERY_DAY, source, working_weekdays=tuple(range(7))))
    document.project = ProjectRecord(f"{PREFIX}{source}", f"PSPLIB {source}",
                                     start=next_monday(options.get("today") or date.today()), calendar=calendar,
                                     key=str(key))
    pools = [f"{PREFIX}R{index}" for index in range(1, len(instance.capacities) + 1)]
    for index, (pool, capacity) in enumerate(zip(pools, instance.capacities), start=1):
        document.resources.append(ResourceRecord(pool, f"R{index}", source, handle=f"{key}-r{index}", kind="pool",
                                                 capacity=float(capacity)))
    first, last = instance.jobs[0].number, instance.jobs[-1].number
    real_jobs = {job.number: job for job in instance.jobs if job.number not in (first, last)}
    tasks: dict[int, ExchangeTask] = {}
    for number, job in real_jobs.items():
        tasks[number] = ExchangeTask(
            f"{PREFIX}{number}", f"Job {number}", f"{source} job {number}", duration_days=job.duration,
            assignments=[(pool, float(units)) for pool, units in zip(pools, job.demands) if units])
    for number, job in real_jobs.items():
        for successor in job.successors:
            if successor in tasks:
                tasks[successor].links.append(LinkRecord(f"{PREFIX}{number}"))
    document.tasks.extend(tasks.values())
    return document


def write(data: Any, options: Mapping[str, Any] | None = None) -> str:
    """PSPLIB instances are benchmarks to read; Planner writes none."""
    raise InvalidInputError("Planner does not write PSPLIB files")
