"""Text as Planner keeps it: no terminal control characters in titles, notes or names.

A title pasted from a web page or imported from a file may carry escape
sequences that would retitle or clear the reader's terminal when ``show``
prints it; they never mean anything in a plan, so they are dropped on the way
in (tabs and line breaks stay where the text may hold several lines).
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_line(text: str) -> str:
    """One line: control characters dropped, tabs and line breaks as spaces."""
    return _CONTROL.sub("", text.replace("\t", " ").replace("\r\n", " ").replace("\n", " ").replace("\r", " "))


def clean_text(text: str) -> str:
    """Several lines: control characters dropped, tabs and line breaks kept (CR LF as LF)."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))

