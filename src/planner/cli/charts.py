"""The chart options every charted command shares: ``--svg FILE`` and ``--no-chart``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from planner.cli.common import is_terminal

SvgOpt = Annotated[Optional[Path], typer.Option("--svg", help="Also write the chart as a standalone SVG file.",
                                                dir_okay=False)]
NoChartOpt = Annotated[bool, typer.Option("--no-chart", help="Don't draw the chart under the table.")]


def show_charts(build: Callable[[], list[Any]], *, svg: Path | None, no_chart: bool, as_json: bool) -> None:
    """Draw the charts under the table when stdout is a terminal, and write them to ``svg`` when asked."""
    draw = is_terminal() and not no_chart and not as_json
    if not draw and svg is None:
        return
    charts = build()
    if svg is not None:
        from planner.domain.errors import InvalidInputError
        from planner.render.charts.svg import charts_svg

        if not charts:
            raise InvalidInputError("nothing to chart here: no data for the SVG")
        try:
            svg.write_text(charts_svg(charts), encoding="utf-8")
        except OSError as error:
            raise InvalidInputError(f"cannot write {svg}: {error.strerror or error}") from None
        if not as_json:
            typer.echo(f"wrote {svg}")
    if draw:
        from planner.render.charts.terminal import TerminalChart
        from planner.render.console import console

        for chart in charts:
            console().print()
            console().print(TerminalChart(chart))
