"""Charts as PNG images (Pillow draws the same laid-out shapes the SVG writer serializes)."""

from __future__ import annotations

import io

from planner.render.charts.layout import Shape, lay_out
from planner.render.charts.model import Chart

SCALE = 2  # drawn at twice the size so the image stays sharp on high-density screens


def _dashes(draw, start: tuple[float, float], end: tuple[float, float], color: str, width: int) -> None:  # noqa: ANN001
    (x1, y1), (x2, y2) = start, end
    length = max(1e-9, ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5)
    dash, gap = 6 * SCALE, 4 * SCALE
    travelled = 0.0
    while travelled < length:
        stop = min(length, travelled + dash)
        a, b = travelled / length, stop / length
        draw.line([(x1 + (x2 - x1) * a, y1 + (y2 - y1) * a), (x1 + (x2 - x1) * b, y1 + (y2 - y1) * b)],
                  fill=color, width=width)
        travelled = stop + gap


def _draw(image, shape: Shape) -> None:  # noqa: ANN001
    from PIL import Image, ImageDraw, ImageFont

    draw = ImageDraw.Draw(image)
    c = [value * SCALE for value in shape.coords]
    width = max(1, round(shape.width * SCALE))
    if shape.kind == "rect":
        draw.rectangle([c[0], c[1], c[0] + c[2], c[1] + c[3]], fill=shape.fill)
    elif shape.kind == "circle":
        draw.ellipse([c[0] - c[2], c[1] - c[2], c[0] + c[2], c[1] + c[2]], fill=shape.fill)
    elif shape.kind in ("line", "polyline"):
        points = [(c[i], c[i + 1]) for i in range(0, len(c), 2)]
        for start, end in zip(points, points[1:]):
            if shape.dashed:
                _dashes(draw, start, end, shape.stroke, width)
            else:
                draw.line([start, end], fill=shape.stroke, width=width)
    elif shape.kind == "polygon":
        layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
        ImageDraw.Draw(layer).polygon([(c[i], c[i + 1]) for i in range(0, len(c), 2)], fill=shape.fill)
        alpha = layer.getchannel("A").point(lambda value: round(value * shape.opacity))
        layer.putalpha(alpha)
        image.alpha_composite(layer)
    elif shape.kind == "text" and shape.text:
        font = ImageFont.load_default(size=shape.size * SCALE)
        anchor = {"start": "ls", "middle": "ms", "end": "rs"}[shape.anchor]
        if shape.rotate:
            box = draw.textbbox((0, 0), shape.text, font=font)
            label = Image.new("RGBA", (box[2] - box[0] + 4, box[3] - box[1] + 4), (0, 0, 0, 0))
            ImageDraw.Draw(label).text((2 - box[0], 2 - box[1]), shape.text, font=font, fill=shape.fill)
            label = label.rotate(-shape.rotate, expand=True)
            image.alpha_composite(label, (round(c[0] - label.width / 2), round(c[1] - label.height / 2)))
        else:
            draw.text((c[0], c[1]), shape.text, font=font, fill=shape.fill, anchor=anchor)


def chart_png(chart: Chart) -> bytes:
    """The chart as PNG bytes, white background."""
    from PIL import Image

    canvas = lay_out(chart)
    image = Image.new("RGBA", (canvas.width * SCALE, canvas.height * SCALE), "#ffffff")
    for shape in canvas.shapes:
        _draw(image, shape)
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
