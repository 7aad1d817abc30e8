"""Import a PSPLIB instance as a new project (the format itself is ``interop/psplib.py``).

The generic import does the work; this adds what a benchmark run wants on top: the project key
must be new, and the result names the tasks, links, pools and start the leveler will see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from planner.domain.errors import ConflictError
from planner.interop.psplib import EVERY_DAY, next_monday
from planner.services import lookup
from planner.services.context import Context
from planner.services.interchange.files import import_file
from planner.store import catalog_views

__all__ = ["EVERY_DAY", "PsplibImport", "import_psplib", "next_monday"]


@dataclass(slots=True)
class PsplibImport:
    """What a PSPLIB import created."""

    project: str
    tasks: int
    links: int
    resources: list[str]
    start: date


def import_psplib(ctx: Context, path: Path, project_key: str) -> PsplibImport:
    """Create project ``project_key`` from a PSPLIB .sm file (all or nothing); an existing key is refused."""
    key = lookup.validate_key(project_key)
    with ctx.reader() as conn:
        if catalog_views.project_exists(conn, key):
            raise ConflictError(f"project {key!r} exists: import into a new project key")
    report = import_file(ctx, "psplib", path, key)
    with ctx.reader() as conn:
        handles = catalog_views.handles_like(conn, f"{key}-r%")
    return PsplibImport(key, report.created, report.details.get("dependencies_added", 0), handles,
                        next_monday(ctx.today()))
