"""The digest in the format asked for: text, markdown, HTML or JSON."""

from __future__ import annotations

from typing import Any

from planner.domain.errors import InvalidInputError
from planner.render.digest import render_json, render_markdown, render_text

FORMATS = ("text", "markdown", "html", "json")


def render(digest: Any, fmt: str) -> str:
    """The digest in one of FORMATS (HTML's renderer is loaded only when asked for)."""
    if fmt == "html":
        from planner.render.digest_html import render_html

        return render_html(digest)
    renderers = {"text": render_text, "markdown": render_markdown, "json": render_json}
    if fmt not in renderers:
        raise InvalidInputError(f"digest format {fmt!r} unknown: use {', '.join(FORMATS)}")
    return renderers[fmt](digest)
