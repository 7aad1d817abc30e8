"""The digest's pictures: each project it mentions, as its sprint's burndown or its finish-date forecast."""

from __future__ import annotations

from typing import Any

from planner.domain.errors import PlannerError
from planner.services.context import Context
from planner.services.digest.build import Digest

#: At most this many charts per mail: a digest is read in a minute.
MAX_CHARTS = 2
FORECAST_RUNS = 500


def _projects(digest: Digest) -> list[str]:
    keys: dict[str, None] = {}
    for section in digest.all_sections():
        for line in section.lines:
            key = getattr(line, "project", None)
            if key:
                keys[key] = None
    return list(keys)


def project_chart(ctx: Context, key: str) -> Any | None:
    """The burndown of the project's running sprint, else its finish-date forecast (None for a stream)."""
    from planner.render.charts.build import burndown_chart, forecast_chart
    from planner.services.flow.sprints import list_sprints, sprint_report
    from planner.services.planning.plan import forecast_project
    from planner.services.queries import get_project

    if get_project(ctx, key).kind != "project":
        return None
    today = ctx.today()
    running = [s for s in list_sprints(ctx, key) if s.start <= today <= s.end and s.tasks]
    if running:
        return burndown_chart(sprint_report(ctx, key, running[0].name))
    forecast = forecast_project(ctx, key, runs=FORECAST_RUNS, seed=0)
    return forecast_chart(forecast.finish, forecast.project) if forecast.finish.finish_dates else None


def attach_charts(ctx: Context, digest: Digest) -> Digest:
    """Fill ``digest.charts`` for the first projects its lines mention (a project that cannot be charted is left out)."""
    charts = []
    for key in _projects(digest):
        if len(charts) == MAX_CHARTS:
            break
        try:
            chart = project_chart(ctx, key)
        except PlannerError:
            continue
        if chart is not None:
            charts.append(chart)
    digest.charts = charts
    return digest
