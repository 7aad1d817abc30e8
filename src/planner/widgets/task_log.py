"""A task's annotations and history of changes, as the task editor shows them below its form."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

#: How many of the latest history entries the panel lists.
SHOWN = 8


class TaskLog(Static):
    """Annotations numbered as `denotate` counts them, then the latest changes in words."""

    def show(self, detail: Any) -> None:
        """Fill from a TaskDetail (None: a new task, nothing to show)."""
        from planner.render.tasks import history_line, stamp_text

        if detail is None:
            self.update("")
            return
        text = Text()
        if detail.annotations:
            text.append("Annotations\n", style="bold")
            for note in detail.annotations:
                text.append(f" {note.n}. {stamp_text(note.at)} {note.by}: {note.text}\n")
        if detail.history:
            text.append("History\n", style="bold")
            for entry in detail.history[-SHOWN:]:
                text.append(f" {history_line(entry)}\n", style="dim" if entry.undone else "")
        text.rstrip()
        self.update(text)
