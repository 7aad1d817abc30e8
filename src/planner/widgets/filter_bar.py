"""The filter bar: the filter language of ``planner ls`` typed at the bottom of a screen."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label

PLACEHOLDER = "project:web +docs -blocked status:doing due.before:fri assignee:me \"free text\""


class FilterBar(Horizontal):
    """A hidden bar that opens on ``/``; Enter applies the terms, Escape closes, an empty filter clears."""

    BINDINGS = [Binding("escape", "close", "Close filter", show=False)]

    class Applied(Message):
        """The person applied a filter (``text`` is empty when cleared)."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def compose(self) -> ComposeResult:
        """A label and the input."""
        yield Label("Filter", id="filter-label")
        yield Input(placeholder=PLACEHOLDER, id="filter-input")

    def open(self, text: str = "") -> None:
        """Show the bar with ``text`` and focus it."""
        self.display = True
        field = self.query_one(Input)
        field.value = text
        field.focus()

    def action_close(self) -> None:
        """Hide the bar and give focus back to the screen."""
        self.display = False
        self.screen.focus_next()

    @on(Input.Submitted, "#filter-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.display = False
        self.post_message(self.Applied(event.value.strip()))
