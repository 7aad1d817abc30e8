"""What a chart shows, independent of where it is drawn: categories along x, series of values, markers."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

#: Colours that stay distinct on white paper and on a dark terminal.
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
           "#17becf")


@dataclass(slots=True)
class Series:
    """One named row of values (None = no value there), drawn as ``line``, ``bar`` or stacked ``area``.

    ``axis`` ``right`` puts a line on the 0–100 % scale at the right (the forecast's S-curve).
    """

    name: str
    values: list[float | None]
    kind: str = "line"
    color: str = PALETTE[0]
    dashed: bool = False
    axis: str = "left"


@dataclass(slots=True)
class Marker:
    """A vertical line at position ``x`` (in category units, fractions allowed) with its label."""

    x: float
    label: str
    color: str = "#d62728"


@dataclass(slots=True)
class Chart:
    """A chart: ``x_labels`` name the categories (one per value of each series)."""

    title: str
    x_labels: list[str]
    series: list[Series]
    y_label: str = ""
    x_label: str = ""
    markers: list[Marker] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    right_label: str = ""

    @property
    def has_right_axis(self) -> bool:
        """Whether a series uses the 0–100 % scale on the right."""
        return any(s.axis == "right" for s in self.series)

    def left_maximum(self) -> float:
        """The largest value the left scale must reach (stacked areas add up)."""
        peak = 0.0
        stacked = [s for s in self.series if s.kind == "area"]
        for index in range(len(self.x_labels)):
            peak = max(peak, sum(s.values[index] or 0 for s in stacked))
        for s in self.series:
            if s.kind != "area" and s.axis == "left":
                peak = max([peak, *(v for v in s.values if v is not None)])
        return peak


def nice_ticks(maximum: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least ``maximum`` (steps of 1, 2 or 5 × 10ⁿ)."""
    if maximum <= 0:
        return [0.0, 1.0]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = magnitude
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if step * count >= maximum:
            break
    return [round(step * index, 10) for index in range(math.ceil(maximum / step - 1e-9) + 1)]


def tick_text(value: float) -> str:
    """A tick value without needless decimals."""
    return f"{value:g}" if abs(value) < 1e6 else f"{value:.3g}"
