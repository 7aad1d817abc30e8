"""A chart laid out on a pixel canvas as plain shapes, which the SVG and PNG writers only serialize."""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.render.charts.model import Chart, nice_ticks, tick_text

WIDTH, HEIGHT = 760, 380
LEFT, RIGHT, TOP, BOTTOM = 64, 64, 44, 58
AXIS, GRID, INK = "#333333", "#e3e3e3", "#222222"


@dataclass(slots=True)
class Shape:
    """One drawing primitive: ``rect`` (x, y, w, h), ``line`` (x1, y1, x2, y2), ``polyline``/``polygon``
    (points) or ``text`` (x, y and ``text``); ``role`` says what it shows (``bar``, ``point``, ``marker``…)."""

    kind: str
    coords: list[float]
    fill: str = "none"
    stroke: str = "none"
    width: float = 1.0
    dashed: bool = False
    opacity: float = 1.0
    text: str = ""
    size: int = 11
    anchor: str = "start"
    rotate: float = 0.0
    role: str = ""
    series: str = ""


@dataclass(slots=True)
class Canvas:
    """The shapes of one chart and its size."""

    width: int
    height: int
    shapes: list[Shape] = field(default_factory=list)


def lay_out(chart: Chart, width: int = WIDTH) -> Canvas:
    """Place axes, ticks, series, markers, legend and notes of ``chart`` on a canvas."""
    legend_rows = 1 + len(chart.notes)
    height = HEIGHT + 16 * len(chart.notes)
    canvas = Canvas(width, height)
    shapes = canvas.shapes
    plot_left, plot_right = LEFT, width - (RIGHT if chart.has_right_axis else 24)
    plot_top, plot_bottom = TOP, height - BOTTOM - 16 * legend_rows
    count = max(1, len(chart.x_labels))
    slot = (plot_right - plot_left) / count
    ticks = nice_ticks(chart.left_maximum())
    top_value = ticks[-1] or 1.0

    def x_at(position: float) -> float:
        return plot_left + slot * (position + 0.5)

    def y_at(value: float, scale: float = top_value) -> float:
        return plot_bottom - (plot_bottom - plot_top) * value / scale

    shapes.append(Shape("text", [width / 2, 22], fill=INK, text=chart.title, size=15, anchor="middle", role="title"))
    for tick in ticks:
        y = y_at(tick)
        shapes.append(Shape("line", [plot_left, y, plot_right, y], stroke=GRID, role="grid"))
        shapes.append(Shape("text", [plot_left - 6, y + 4], fill=INK, text=tick_text(tick), anchor="end", role="tick"))
    if chart.has_right_axis:
        for percent in (0, 25, 50, 75, 100):
            y = y_at(percent, 100)
            shapes.append(Shape("text", [plot_right + 6, y + 4], fill=INK, text=f"{percent}%", role="tick"))
        shapes.append(Shape("line", [plot_right, plot_top, plot_right, plot_bottom], stroke=AXIS, role="axis"))
        shapes.append(Shape("text", [width - 12, (plot_top + plot_bottom) / 2], fill=INK, text=chart.right_label,
                            anchor="middle", rotate=90, role="axis-label"))
    stride = max(1, round(count / max(1, (plot_right - plot_left) // 70)))
    for index, label in enumerate(chart.x_labels):
        if index % stride == 0 or index == count - 1 and count - 1 - index % stride > stride // 2:
            shapes.append(Shape("text", [x_at(index), plot_bottom + 16], fill=INK, text=label, anchor="middle",
                                role="tick"))
    _series_shapes(chart, shapes, slot, x_at, y_at)
    for order, marker in enumerate(chart.markers):
        x = x_at(marker.x)
        shapes.append(Shape("line", [x, plot_top, x, plot_bottom], stroke=marker.color, width=2, dashed=True,
                            role="marker", series=marker.label))
        shapes.append(Shape("text", [x + 3, plot_top + 10 + 12 * order], fill=marker.color, text=marker.label,
                            size=10, role="marker-label"))
    shapes.append(Shape("line", [plot_left, plot_bottom, plot_right, plot_bottom], stroke=AXIS, role="axis"))
    shapes.append(Shape("line", [plot_left, plot_top, plot_left, plot_bottom], stroke=AXIS, role="axis"))
    shapes.append(Shape("text", [16, (plot_top + plot_bottom) / 2], fill=INK, text=chart.y_label, anchor="middle",
                        rotate=-90, role="axis-label"))
    shapes.append(Shape("text", [(plot_left + plot_right) / 2, plot_bottom + 34], fill=INK, text=chart.x_label,
                        anchor="middle", role="axis-label"))
    legend_x, legend_y = plot_left, plot_bottom + 52
    for series in chart.series:
        if series.kind == "line":
            shapes.append(Shape("line", [legend_x, legend_y - 4, legend_x + 18, legend_y - 4], stroke=series.color,
                                width=2.5, dashed=series.dashed, role="legend"))
        else:
            shapes.append(Shape("rect", [legend_x + 4, legend_y - 10, 10, 10], fill=series.color, role="legend"))
        shapes.append(Shape("text", [legend_x + 22, legend_y], fill=INK, text=series.name, role="legend"))
        legend_x += 34 + 7 * len(series.name)
    for row, note in enumerate(chart.notes, start=1):
        shapes.append(Shape("text", [plot_left, legend_y + 16 * row], fill=INK, text=note, role="note"))
    return canvas


def _series_shapes(chart: Chart, shapes: list[Shape], slot: float, x_at, y_at) -> None:  # noqa: ANN001
    count = len(chart.x_labels)
    floor = [0.0] * count
    for series in (s for s in chart.series if s.kind == "area"):
        ceiling = [floor[i] + (series.values[i] or 0) for i in range(count)]
        if count == 1:
            points = [x_at(-0.4), y_at(ceiling[0]), x_at(0.4), y_at(ceiling[0]),
                      x_at(0.4), y_at(floor[0]), x_at(-0.4), y_at(floor[0])]
        else:
            upper = [coord for i in range(count) for coord in (x_at(i), y_at(ceiling[i]))]
            lower = [coord for i in reversed(range(count)) for coord in (x_at(i), y_at(floor[i]))]
            points = upper + lower
        shapes.append(Shape("polygon", points, fill=series.color, stroke=series.color, opacity=0.85, role="area",
                            series=series.name))
        floor = ceiling
    bars = [s for s in chart.series if s.kind == "bar"]
    bar_width = slot * 0.8 / max(1, len(bars))
    for order, series in enumerate(bars):
        for index, value in enumerate(series.values):
            if not value:
                continue
            left = x_at(index) - slot * 0.4 + order * bar_width
            shapes.append(Shape("rect", [left, y_at(value), max(1.0, bar_width - 1), y_at(0) - y_at(value)],
                                fill=series.color, role="bar", series=series.name))
    for series in (s for s in chart.series if s.kind == "line"):
        def scaled(value: float, axis: str = series.axis) -> float:
            return y_at(value, 100) if axis == "right" else y_at(value)

        run: list[float] = []
        runs = []
        for index, value in enumerate(series.values):
            if value is None:
                if run:
                    runs.append(run)
                run = []
                continue
            run += [x_at(index), scaled(value)]
        if run:
            runs.append(run)
        for points in runs:
            shapes.append(Shape("polyline", points, stroke=series.color, width=2.5, dashed=series.dashed,
                                role="line", series=series.name))
        for index, value in enumerate(series.values):
            if value is not None and count <= 40:
                shapes.append(Shape("circle", [x_at(index), scaled(value), 2.5], fill=series.color, role="point",
                                    series=series.name))
