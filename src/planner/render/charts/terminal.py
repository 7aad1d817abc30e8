"""Charts drawn with Rich in character cells: bars, stacked bands, lines and vertical markers."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text

from planner.render.charts.model import Chart, nice_ticks, tick_text

BLOCK = "█"
LINE_GLYPHS = ("●", "•", "◆", "▲", "■")


class TerminalChart:
    """A Rich renderable that fills the width it is given with ``chart`` (``height`` rows of plot)."""

    def __init__(self, chart: Chart, height: int = 12):
        self.chart = chart
        self.height = max(4, height)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield from self.lines(options.max_width)

    def lines(self, width: int) -> list[Text]:
        """The chart as lines of styled text, ``width`` cells wide."""
        chart = self.chart
        ticks = nice_ticks(chart.left_maximum())
        top_value = ticks[-1] or 1.0
        labels = [tick_text(top_value), tick_text(top_value / 2), "0"]
        gutter = max(len(label) for label in labels) + 1
        right = 5 if chart.has_right_axis else 0
        columns = max(8, width - gutter - 1 - right)
        count = max(1, len(chart.x_labels))
        rows = self.height
        grid: list[list[tuple[str, str]]] = [[(" ", "")] * columns for _ in range(rows)]

        def column_of(position: float) -> int:
            return min(columns - 1, max(0, int((position + 0.5) * columns / count)))

        def row_of(value: float, scale: float) -> int:
            return min(rows - 1, max(0, rows - 1 - round((rows - 1) * value / scale)))

        def value_at(values: list[float | None], column: int) -> float | None:
            position = (column + 0.5) * count / columns - 0.5
            low = max(0, min(len(values) - 1, int(position // 1)))
            high = min(len(values) - 1, low + 1)
            a, b = values[low], values[high]
            if a is None or b is None:
                nearest = values[max(0, min(len(values) - 1, round(position)))]
                return nearest
            fraction = min(1.0, max(0.0, position - low))
            return a + (b - a) * fraction

        stacked = [s for s in chart.series if s.kind == "area"]
        if stacked:
            for column in range(columns):
                floor = 0.0
                for series in stacked:
                    ceiling = floor + (value_at(series.values, column) or 0)
                    for row in range(row_of(ceiling, top_value), row_of(floor, top_value) + (floor == 0)):
                        if ceiling > floor:
                            grid[row][column] = (BLOCK, series.color)
                    floor = ceiling
        bars = [s for s in chart.series if s.kind == "bar"]
        for order, series in enumerate(bars):
            for index, value in enumerate(series.values):
                if not value:
                    continue
                left = int(index * columns / count)
                span = max(1, int((index + 1) * columns / count) - left)
                share = max(1, span // max(1, len(bars)))
                for column in range(left + order * share, min(columns, left + (order + 1) * share)):
                    for row in range(row_of(value, top_value), rows):
                        grid[row][column] = (BLOCK, series.color)
        for glyph_index, series in enumerate(s for s in chart.series if s.kind == "line"):
            scale = 100.0 if series.axis == "right" else top_value
            glyph = "┄" if series.dashed else LINE_GLYPHS[glyph_index % len(LINE_GLYPHS)]
            for column in range(columns):
                value = value_at(series.values, column)
                if value is not None:
                    grid[row_of(value, scale)][column] = (glyph, series.color)
        for marker in chart.markers:
            column = column_of(marker.x)
            for row in range(rows):
                if grid[row][column][0] == " ":
                    grid[row][column] = ("│", marker.color)
        lines = [Text(chart.title, style="bold")]
        for row in range(rows):
            label = labels[0] if row == 0 else labels[1] if row == rows // 2 else labels[2] if row == rows - 1 else ""
            line = Text(f"{label:>{gutter - 1}} ┤" if label else " " * (gutter - 1) + " │")
            for glyph, color in grid[row]:
                line.append(glyph, style=color or None)
            if right:
                percent = "100%" if row == 0 else "50%" if row == rows // 2 else "0%" if row == rows - 1 else ""
                line.append(f" {percent}")
            lines.append(line)
        axis = Text(" " * gutter + "└" + "─" * columns)
        lines.append(axis)
        lines.append(Text(" " * (gutter + 1) + self._x_labels(columns, count)))
        legend = Text(" " * (gutter + 1))
        line_index = 0
        for series in chart.series:
            mark = BLOCK
            if series.kind == "line":
                mark = "┄" if series.dashed else LINE_GLYPHS[line_index % len(LINE_GLYPHS)]
                line_index += 1
            legend.append(mark + " ", style=series.color)
            legend.append(series.name + "  ")
        for marker in chart.markers:
            legend.append("│ ", style=marker.color)
            legend.append(marker.label + "  ")
        lines.append(legend)
        lines.extend(Text(" " * (gutter + 1) + note) for note in chart.notes)
        return lines

    def _x_labels(self, columns: int, count: int) -> str:
        labels = self.chart.x_labels
        if not labels:
            return ""
        cells = [" "] * columns
        wanted = [0, len(labels) // 2, len(labels) - 1] if len(labels) > 2 else list(range(len(labels)))
        for index in dict.fromkeys(wanted):
            text = labels[index]
            centre = int((index + 0.5) * columns / count)
            start = min(max(0, centre - len(text) // 2), max(0, columns - len(text)))
            if all(cell == " " for cell in cells[max(0, start - 1):start + len(text) + 1]):
                cells[start:start + len(text)] = list(text)
        return "".join(cells).rstrip()


def chart_text(chart: Chart, width: int = 80, height: int = 12) -> str:
    """The chart as plain text (what tests and pipes can compare)."""
    return "\n".join(line.plain for line in TerminalChart(chart, height).lines(width))
