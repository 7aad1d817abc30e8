"""Managing saved baselines: list them, remove one (undoably)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import select

from planner.domain.errors import NotFoundError
from planner.services import lookup
from planner.services.context import Context
from planner.store import catalog_views, planning_views
from planner.store.models import Baseline, BaselineTask


@dataclass(slots=True)
class BaselineSummary:
    """A saved baseline: its project, name, when it was taken and how many tasks it holds."""

    project: str
    name: str
    taken_at: datetime
    task_count: int

    def to_json(self) -> dict[str, Any]:
        """``{"project", "name", "taken_at", "tasks"}``."""
        return {"project": self.project, "name": self.name, "taken_at": self.taken_at.isoformat(timespec="seconds"),
                "tasks": self.task_count}


def list_baselines(ctx: Context, key: str | None = None) -> list[BaselineSummary]:
    """Every baseline (of one project with ``key``), oldest first within each project."""
    from planner.store.columns import as_datetime

    with ctx.reader() as conn:
        normalized = None
        if key is not None:
            normalized = key.strip().lower()
            if catalog_views.project_id_of_key(conn, normalized) is None:
                from planner.domain.suggest import no_project

                raise NotFoundError(no_project(key, catalog_views.project_keys(conn)))
        found = planning_views.baseline_summaries(conn, normalized)
    return [BaselineSummary(row[0], row[1], as_datetime(row[2]), int(row[3])) for row in found]


def remove_baseline(ctx: Context, key: str, name: str) -> BaselineSummary:
    """Delete a project's baselines called ``name`` with their task rows; `planner undo` brings them back."""
    with ctx.uow() as uow:
        project = lookup.project(uow, key)
        baselines = uow.all(select(Baseline).where(Baseline.project_id == project.id, Baseline.name == name)
                            .order_by(Baseline.id))
        if not baselines:
            known = [b.name for b in uow.all(select(Baseline).where(Baseline.project_id == project.id))]
            hint = (f"its baselines are {', '.join(repr(n) for n in known)}" if known
                    else f"it has none (`planner baseline save {project.key}` saves one)")
            raise NotFoundError(f"no baseline {name!r} for {project.key}: {hint}")
        count = 0
        for baseline in baselines:
            rows = uow.all(select(BaselineTask).where(BaselineTask.baseline_id == baseline.id))
            for row in rows:
                uow.delete(row)
            count += len(rows)
            uow.delete(baseline)
        removed = BaselineSummary(project.key, name, baselines[-1].created_at, count)
        uow.commit()
    return removed
