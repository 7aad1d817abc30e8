"""Consoles: colour on a terminal, plain text in pipes or with NO_COLOR."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from rich.console import Console


def console() -> Console:
    """The stdout console."""
    plain = not sys.stdout.isatty() or "NO_COLOR" in os.environ
    return Console(highlight=False, no_color=plain, width=None if sys.stdout.isatty() else 120)


def error_console() -> Console:
    """The stderr console (errors, notices)."""
    return Console(stderr=True, highlight=False, no_color="NO_COLOR" in os.environ or not sys.stderr.isatty())


def fancy() -> bool:
    """Whether output goes to a colour terminal (boxes, colours)."""
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def print_json(data: Any) -> None:
    """Write JSON to stdout (stable key order, UTF-8, a trailing newline)."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()
