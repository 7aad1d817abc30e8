"""A hint for a mistyped name: the closest one that exists."""

from __future__ import annotations

from collections.abc import Iterable
from difflib import get_close_matches


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """``"did you mean 'web'? "`` for the closest known name, or ``""`` when none is close."""
    close = get_close_matches(word.strip().lower(), list(known), n=1)
    return f"did you mean {close[0]!r}? " if close else ""


def no_project(key: str, known: Iterable[str]) -> str:
    """The message for an unknown project key, with the closest key as a hint."""
    return f"no project {key!r}: {did_you_mean(key, known)}`planner project ls` lists them"
