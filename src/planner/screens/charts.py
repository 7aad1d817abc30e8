"""Charts of the selected project: sprint burndown, cumulative flow, finish-date forecast and earned value."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from planner.domain.errors import PlannerError
from planner.screens.base import ActionFailed, PlannerScreen, default_project
from planner.widgets.chart_view import ChartView

PANELS = ("burndown", "flow", "forecast", "value")


@dataclass(slots=True)
class ChartSet:
    """What the screen shows: a chart per panel, or the reason a panel has none."""

    key: str | None
    charts: dict[str, Any] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)


def load_chart_set(ctx: Any, key: str | None) -> ChartSet:
    """Each panel's chart for project ``key``, from the services (in a worker)."""
    from planner.render.charts.build import burndown_chart, flow_chart, forecast_chart, value_chart
    from planner.services.flow.cumulative import cumulative_flow
    from planner.services.flow.sprints import list_sprints, sprint_report
    from planner.services.planning.progress import project_progress
    from planner.services.planning.value_history import value_history
    from planner.services.queries import get_project

    key = key or default_project(ctx)
    result = ChartSet(key)
    if key is None:
        result.reasons = dict.fromkeys(PANELS, "No project yet: `planner demo` makes one to try.")
        return result
    today = ctx.today()
    sprints = [s for s in list_sprints(ctx, key) if s.start <= today]
    if sprints:
        running = [s for s in sprints if today <= s.end] or sprints
        result.charts["burndown"] = burndown_chart(sprint_report(ctx, key, running[-1].name))
    else:
        result.reasons["burndown"] = f"No sprint of {key} has started: `planner sprint add {key} NAME` plans one."
    result.charts["flow"] = flow_chart(cumulative_flow(ctx, key))
    project = get_project(ctx, key)
    if project.kind != "project" or not project.open_tasks + project.done_tasks:
        result.reasons["forecast"] = result.reasons["value"] = f"{key} has no plan to forecast (a stream, or empty)."
        return result
    progress = project_progress(ctx, key)
    if progress.forecast and progress.forecast.finish.finish_dates:
        result.charts["forecast"] = forecast_chart(progress.forecast.finish, key)
    else:
        result.reasons["forecast"] = "Nothing left to forecast."
    result.charts["value"] = value_chart(progress, value_history(ctx, progress))
    return result


class ChartsScreen(PlannerScreen):
    """The selected project's four charts, reloaded when the event log moves like every screen."""

    MODE = "charts"
    DEFAULT_CSS = """
    #charts-title { padding: 0 1; height: 1; }
    #charts-body { height: 1fr; }
    """

    class ChartsLoaded(Message):
        """The charts were built."""

        def __init__(self, chart_set: ChartSet) -> None:
            super().__init__()
            self.chart_set = chart_set

    def compose_body(self) -> ComposeResult:
        """A title and a scrolling column of chart panels."""
        yield Static("Loading the charts…", id="charts-title")
        with VerticalScroll(id="charts-body"):
            for panel in PANELS:
                yield ChartView("…", id=f"chart-{panel}")

    def on_mount(self) -> None:
        """Follow the app's project; load."""
        self.watch(self.app, "project_key", self._project_changed, init=False)
        super().on_mount()

    def _project_changed(self, key: str | None) -> None:
        self.reload()

    def load(self) -> None:
        """Build the charts in a worker."""
        self._load_charts(self.state.project_key)

    @work(thread=True, exclusive=True, group="charts-load")
    def _load_charts(self, key: str | None) -> None:
        try:
            chart_set = load_chart_set(self.ctx, key)
        except PlannerError as error:
            self.post_message(ActionFailed(error))
            return
        self.post_message(self.ChartsLoaded(chart_set))

    @on(ChartsLoaded)
    def _charts_loaded(self, event: ChartsLoaded) -> None:
        chart_set = event.chart_set
        for panel in PANELS:
            view = self.query_one(f"#chart-{panel}", ChartView)
            if panel in chart_set.charts:
                view.show_chart(chart_set.charts[panel])
            else:
                view.show_message(chart_set.reasons.get(panel, ""))
        title = f"[b]Charts[/b] · {chart_set.key}" if chart_set.key else "[b]Charts[/b]"
        self.query_one("#charts-title", Static).update(title + " · burndown, cumulative flow, forecast, earned value")
