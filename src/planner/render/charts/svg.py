"""Charts as standalone SVG documents (written by hand from the laid-out shapes: no dependency)."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from planner.render.charts.layout import Canvas, Shape, lay_out
from planner.render.charts.model import Chart

FONT = "font-family=\"Helvetica, Arial, sans-serif\""


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _points(coords: list[float]) -> str:
    return " ".join(f"{_number(coords[i])},{_number(coords[i + 1])}" for i in range(0, len(coords), 2))


def _element(shape: Shape) -> str:
    paint = f'fill="{shape.fill}" stroke="{shape.stroke}"'
    if shape.stroke != "none":
        paint += f' stroke-width="{_number(shape.width)}"'
    if shape.dashed:
        paint += ' stroke-dasharray="6 4"'
    if shape.opacity < 1:
        paint += f' fill-opacity="{shape.opacity}"'
    meta = f'class="{shape.role}"' + (f" data-series={quoteattr(shape.series)}" if shape.series else "")
    c = shape.coords
    if shape.kind == "rect":
        return (f'<rect x="{_number(c[0])}" y="{_number(c[1])}" width="{_number(c[2])}" height="{_number(c[3])}" '
                f"{paint} {meta}/>")
    if shape.kind == "line":
        return (f'<line x1="{_number(c[0])}" y1="{_number(c[1])}" x2="{_number(c[2])}" y2="{_number(c[3])}" '
                f"{paint} {meta}/>")
    if shape.kind == "circle":
        return f'<circle cx="{_number(c[0])}" cy="{_number(c[1])}" r="{_number(c[2])}" {paint} {meta}/>'
    if shape.kind in ("polyline", "polygon"):
        return f'<{shape.kind} points="{_points(c)}" {paint} {meta}/>'
    transform = f' transform="rotate({_number(shape.rotate)} {_number(c[0])} {_number(c[1])})"' if shape.rotate else ""
    weight = ' font-weight="bold"' if shape.role == "title" else ""
    return (f'<text x="{_number(c[0])}" y="{_number(c[1])}" font-size="{shape.size}" text-anchor="{shape.anchor}" '
            f'fill="{shape.fill}"{weight}{transform} {meta}>{escape(shape.text)}</text>')


def canvas_svg(canvases: list[Canvas]) -> str:
    """Canvases stacked top to bottom in one SVG document."""
    width = max(canvas.width for canvas in canvases)
    height = sum(canvas.height for canvas in canvases)
    parts = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" {FONT}>',
             f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff" class="background"/>']
    top = 0
    for canvas in canvases:
        parts.append(f'<g class="chart" transform="translate(0 {top})">')
        parts.extend(_element(shape) for shape in canvas.shapes)
        parts.append("</g>")
        top += canvas.height
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def charts_svg(charts: list[Chart]) -> str:
    """One SVG document with each chart under the previous one."""
    return canvas_svg([lay_out(chart) for chart in charts])
