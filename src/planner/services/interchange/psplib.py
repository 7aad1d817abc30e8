"""Import a PSPLIB instance as a project: one task per job, resources R1..Rn, FS links.

The project starts on the next Monday and follows an every-day calendar, so
that working-day offsets equal PSPLIB periods and `planner schedule --level`
can be compared with the published optimum.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlmodel import select

from planner.domain.errors import ConflictError, InvalidInputError
from planner.services import lookup
from planner.services.context import Context
from planner.store.models import Assignment, Calendar, Dependency, Project, Resource, Task

EVERY_DAY = "every-day"


@dataclass(slots=True)
class PsplibImport:
    """What a PSPLIB import created."""

    project: str
    tasks: int
    links: int
    resources: list[str]
    start: date


def next_monday(today: date) -> date:
    """The Monday after ``today`` (a week on when today is a Monday)."""
    return today + timedelta(days=7 - today.weekday())


def import_psplib(ctx: Context, path: Path, project_key: str) -> PsplibImport:
    """Create project ``project_key`` from a PSPLIB .sm file (all or nothing)."""
    from planner.domain.psplib import parse_sm

    from planner.store.paths import check_input_file

    path = check_input_file(path, what="PSPLIB file")
    try:
        text = path.read_text(encoding="utf-8", errors="strict")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidInputError(f"cannot read {path}: {error}") from None
    instance = parse_sm(text)
    key = lookup.validate_key(project_key)
    first, last = instance.jobs[0].number, instance.jobs[-1].number
    real_jobs = [job for job in instance.jobs if job.number not in (first, last)]
    start = next_monday(ctx.today())
    with ctx.uow() as uow:
        if uow.first(select(Project).where(Project.key == key)) is not None:
            raise ConflictError(f"project {key!r} exists: import into a new project key")
        calendar = uow.first(select(Calendar).where(Calendar.name == EVERY_DAY))
        if calendar is None:
            calendar = uow.add(Calendar(name=EVERY_DAY, working_weekdays="0,1,2,3,4,5,6", hours_per_day=8.0))
        project = uow.add(Project(key=key, name=f"PSPLIB {path.name}", kind="project", start=start,
                                  calendar_id=calendar.id, external_id=f"psplib:{path.name}"))
        resources = []
        for index, capacity in enumerate(instance.capacities, start=1):
            handle = f"{key}-r{index}"
            existing = uow.first(select(Resource).where(Resource.handle == handle))
            resources.append(existing or uow.add(Resource(handle=handle, name=f"R{index}", kind="pool",
                                                          capacity=float(capacity), external_id=f"psplib:R{index}")))
        task_ids: dict[int, int] = {}
        for job in real_jobs:
            task = uow.add(Task(project_id=project.id, title=f"Job {job.number}", kind="task", status="todo",
                                duration_days=job.duration, external_id=f"psplib:{job.number}"))
            task_ids[job.number] = task.id
            for resource, units in zip(resources, job.demands):
                if units:
                    uow.add(Assignment(task_id=task.id, resource_id=resource.id, units=float(units)))
        links = 0
        for job in real_jobs:
            for successor in job.successors:
                if successor in task_ids:
                    uow.add(Dependency(predecessor_id=task_ids[job.number], successor_id=task_ids[successor]))
                    links += 1
        uow.commit()
    return PsplibImport(key, len(task_ids), links, [r.handle for r in resources], start)
