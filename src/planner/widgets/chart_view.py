"""A chart panel: one render.charts Chart drawn with Rich, filling the panel's width."""

from __future__ import annotations

from typing import Any

from textual.widgets import Static

from planner.render.charts.terminal import TerminalChart


class ChartView(Static):
    """Shows a chart, or a line saying why there is none."""

    DEFAULT_CSS = """
    ChartView { height: auto; padding: 0 1; margin-bottom: 1; }
    """

    def __init__(self, placeholder: str = "", **kwargs: Any) -> None:
        super().__init__(placeholder, **kwargs)
        self.chart: Any = None

    def show_chart(self, chart: Any, height: int = 10) -> None:
        """Draw ``chart`` (a render.charts.model.Chart)."""
        self.chart = chart
        self.update(TerminalChart(chart, height))

    def show_message(self, text: str) -> None:
        """No chart: say why."""
        self.chart = None
        self.update(text)
