"""Output: Rich on a colour terminal; plain text (and no Rich import) in pipes or with NO_COLOR."""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


def plural(count: int | float, word: str) -> str:
    """'1 working day', '3 working days', '0 tasks'."""
    return f"{count:g} {word}" if count == 1 else f"{count:g} {word}s"


def fancy() -> bool:
    """Whether output goes to a colour terminal (boxes, colours)."""
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def console() -> Console:
    """The stdout Rich console."""
    from rich.console import Console

    return Console(highlight=False, no_color=not fancy())


def error_console() -> Console:
    """The stderr Rich console (errors, notices)."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, no_color="NO_COLOR" in os.environ or not sys.stderr.isatty())


def print_json(data: Any) -> None:
    """Write JSON to stdout (UTF-8, a trailing newline)."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def print_rows(rows: list[list[str]], header: list[str] | None = None, right: set[int] = frozenset()) -> None:
    """Column-aligned plain text for pipes: no colours, no boxes, no Rich."""
    table = ([header] if header else []) + rows
    if not table:
        return
    widths = [max(cell_width(row[i]) for row in table) for i in range(len(table[0]))]
    out = sys.stdout
    for row in table:
        cells = [" " * (widths[i] - cell_width(cell)) + cell if i in right else cell + " " * (widths[i] - cell_width(cell))
                 for i, cell in enumerate(row)]
        out.write("  ".join(cells).rstrip() + "\n")
    out.flush()


def cell_width(text: str) -> int:
    """Terminal cells ``text`` takes: East Asian wide characters and emoji two, combining marks none."""
    if text.isascii():
        return len(text)
    from unicodedata import combining, east_asian_width

    return sum(0 if combining(c) else 2 if east_asian_width(c) in "WF" else 1 for c in text)


def echo_error(message: str) -> None:
    """One line on stderr: 'error: ...' (red on a terminal)."""
    if sys.stderr.isatty() and "NO_COLOR" not in os.environ:
        sys.stderr.write(f"\x1b[1;31merror:\x1b[0m {message}\n")
    else:
        sys.stderr.write(f"error: {message}\n")
    sys.stderr.flush()
