"""The help screen: every key that works on the screen below it, grouped by where it is bound."""

from __future__ import annotations

from collections import defaultdict

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Label, Static

GROUPS = {"QueueTable": "Queue", "GanttChart": "Gantt chart", "BoardView": "Board", "QueueScreen": "Daily queue",
          "BoardScreen": "Board", "GanttScreen": "Gantt", "PlannerApp": "Everywhere"}
EXTRA = [("mouse", "click selects, double-click edits, drag a card to a column")]


def key_table(screen: Screen) -> Table:
    """The active keys of ``screen`` as a table (group, key, what it does)."""
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    keys_of: dict[tuple[str, str], list[str]] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        description = binding.tooltip or binding.description or binding.action
        group = GROUPS.get(type(active.node).__name__, type(active.node).__name__)
        if key in ("tab", "shift+tab", "ctrl+c", "ctrl+q"):
            continue
        # every key of an action is listed (shift+↑ and K both move a queue entry up), each once
        shown = screen.app.get_key_display(binding)
        if (group, description) in keys_of:
            if shown not in keys_of[(group, description)]:
                keys_of[(group, description)].append(shown)
            continue
        keys_of[(group, description)] = [shown]
        groups[group].append((description, description))
    groups = {group: [(" ".join(keys_of[(group, description)]), description) for description, _ in rows]
              for group, rows in groups.items()}
    table = Table(box=None, show_header=False, pad_edge=False, expand=True)
    table.add_column(style="bold", width=12)
    table.add_column(style="bold", width=12)
    table.add_column()
    for group, rows in groups.items():
        for index, (key, description) in enumerate(rows):
            table.add_row(group if index == 0 else "", key, description)
        table.add_row("", "", "")
    for key, description in EXTRA:
        table.add_row("", key, Text(description))
    return table


class HelpScreen(ModalScreen[None]):
    """Keys of the screen below; any of escape, q or ? closes it."""

    CSS_PATH = "help.tcss"
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close")]

    def __init__(self, below: Screen) -> None:
        super().__init__()
        self.below = below

    def compose(self) -> ComposeResult:
        """The key table in a scrollable box."""
        with VerticalScroll(id="help"):
            yield Label("Keys  [dim](escape closes)[/dim]", id="help-title")
            yield Static(key_table(self.below), id="help-keys")

    def action_close(self) -> None:
        """Back to the screen."""
        self.dismiss(None)
