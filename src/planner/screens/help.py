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

#: The screens' names in the help; a widget's keys are listed under the screen it sits on.
SCREEN_NAMES = {"QueueScreen": "Daily queue", "BoardScreen": "Board", "GanttScreen": "Gantt", "LoadScreen": "Load",
                "AgendaScreen": "Agenda", "ChartsScreen": "Charts"}
#: What the mouse does on each screen.
MOUSE = {"QueueScreen": "click selects, double-click edits",
         "BoardScreen": "click selects, double-click edits, drag a card to another column",
         "GanttScreen": "click selects, double-click edits, drag a bar to new dates, scroll wheel scrolls"}
#: Textual's own bindings that mean nothing to a Planner user.
HIDDEN_ACTIONS = {"screen.copy_text", "copy_text", "page_left", "page_right", "command_palette_hidden"}
HIDDEN_KEYS = {"tab", "shift+tab", "ctrl+c", "ctrl+q"}
#: Textual's wording for its built-in keys, in Planner's words.
WORDING = {"Scroll Home": "First", "Scroll End": "Last", "Home": "First", "End": "Last", "Top": "First",
           "Bottom": "Last", "Cursor up": "Up", "Cursor down": "Down", "Cursor left": "Left",
           "Cursor right": "Right", "Scroll Left": "Scroll left", "Scroll Right": "Scroll right", "Select": "Open"}


def key_table(screen: Screen) -> Table:
    """The active keys of ``screen`` as a table (where, key, what it does): its own first, then everywhere."""
    here = SCREEN_NAMES.get(type(screen).__name__, "This screen")
    groups: dict[str, list[str]] = defaultdict(list)
    keys_of: dict[tuple[str, str], list[str]] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        if key in HIDDEN_KEYS or binding.action in HIDDEN_ACTIONS:
            continue
        description = binding.tooltip or binding.description or binding.action
        description = WORDING.get(description, description)
        group = "Everywhere" if active.node is screen.app else here
        # every key of an action is listed (shift+↑ and K both move a queue entry up), each once
        shown = screen.app.get_key_display(binding)
        if (group, description) in keys_of:
            if shown not in keys_of[(group, description)]:
                keys_of[(group, description)].append(shown)
            continue
        keys_of[(group, description)] = [shown]
        groups[group].append(description)
    table = Table(box=None, show_header=False, pad_edge=False, expand=True)
    table.add_column(style="bold", width=12)
    table.add_column(style="bold", width=12)
    table.add_column(ratio=1)
    for group in sorted(groups, key=lambda name: name == "Everywhere"):
        for index, description in enumerate(groups[group]):
            table.add_row(group if index == 0 else "", " ".join(keys_of[(group, description)]), description)
        table.add_row("", "", "")
    mouse = MOUSE.get(type(screen).__name__)
    if mouse:
        table.add_row("", "mouse", Text(mouse))
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
