"""The registry of interchange formats: one protocol every format module implements, one line each.

A format is a module of ``planner.interop`` that sets the constants and defines ``read`` / ``write``
of :class:`InterchangeFormat`, and is named once in :data:`FORMAT_MODULES`. Nothing else changes to
add one: ``planner import`` / ``planner export``, the aliases they accept and their error messages
all come from here. Modules load only when a format is asked for, so commands that never read or
write a file do not import them.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import IO, Any, Protocol

#: Canonical format name -> the module implementing it.
FORMAT_MODULES: dict[str, str] = {
    "taskwarrior": "planner.interop.taskwarrior",
    "todotxt": "planner.interop.todotxt",
    "ical": "planner.interop.ical",
    "mspdi": "planner.interop.mspdi",
    "csv": "planner.interop.csvfile",
    "json": "planner.interop.jsondump",
    "mermaid": "planner.interop.mermaid",
    "psplib": "planner.interop.psplib",
}

#: What an export can ask the service to prepare, in ``EXPORT_NEEDS``.
EXPORT_NEEDS = frozenset({
    "records",          # the tasks, series, people and calendars (``records.ExportData``)
    "scheduled-dates",  # every task's scheduled start / finish / critical flag
    "milestone-dates",  # the same, for milestones only
    "schedule",         # one project's whole schedule, in ``ExportData.schedule``
})


class InterchangeFormat(Protocol):
    """What a format module provides (module-level names; a module satisfies this protocol)."""

    NAME: str  # the canonical name, the key in FORMAT_MODULES
    ALIASES: tuple[str, ...]  # other names people type (``tw``, ``ics``)
    PREFIX: str  # how its external ids start (``tw:``); "" when it keeps none
    MODE: str  # how its file opens: "text", "csv" (text, newline="") or "binary"
    SUFFIX: str  # the usual file suffix
    CAN_IMPORT: bool
    CAN_EXPORT: bool
    SCOPE: str  # "tasks" (records matched against the store) or "database" (a whole-database dump)
    ONE_PROJECT: str | None  # why an export needs --project (the error's first half), or None
    READ_OPTIONS: frozenset[str]  # options a person may set (``mapping`` for CSV); every read also gets
    #                               ``project`` (the --project key or None) and ``today``
    EXPORT_NEEDS: frozenset[str]  # a subset of the module-level EXPORT_NEEDS

    def read(self, source: IO[Any], options: Mapping[str, Any] | None = None) -> Any:
        """A ``records.Document`` (for SCOPE "database": the format's own dump) from an open file."""

    def write(self, data: Any, options: Mapping[str, Any] | None = None) -> str | bytes:
        """The file's text (or bytes, for MODE "binary") of a ``records.ExportData``."""


def format_module(name: str) -> InterchangeFormat:
    """The module of a canonical format name (imported on first use)."""
    module: Any = importlib.import_module(FORMAT_MODULES[name])
    return module


def all_formats() -> list[InterchangeFormat]:
    """Every registered format, in registry order."""
    return [format_module(name) for name in FORMAT_MODULES]


def find_format(typed: str) -> InterchangeFormat | None:
    """The format a person named (its name or an alias, any case), or None."""
    wanted = typed.strip().lower()
    if wanted in FORMAT_MODULES:
        return format_module(wanted)
    for module in all_formats():
        if wanted in module.ALIASES:
            return module
    return None
