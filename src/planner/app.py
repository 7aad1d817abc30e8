"""The Textual app: thin. It holds the service context, switches screens and notices other processes' writes.

:func:`make_app` is the one factory the CLI (``planner``, ``planner tui``,
``planner serve``) and the tests use. The app owns no rules: screens call
services in workers. Live refresh polls the event log's highest id (one
indexed query) every ``poll_seconds``; when another process wrote, the screen
on display loads again and the others do when they are shown next.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen

from planner.screens.agenda import AgendaScreen
from planner.screens.base import EventLogSeen, PlannerScreen
from planner.screens.board import BoardScreen
from planner.screens.gantt import GanttScreen
from planner.screens.charts import ChartsScreen
from planner.screens.load import LoadScreen
from planner.screens.project_switcher import ProjectCommands, ProjectSwitcher
from planner.screens.queue import QueueScreen
from planner.services.context import Context
from planner.widgets.top_bar import TopBar

SCREENS = ("queue", "board", "gantt", "load", "agenda", "charts")


class PlannerApp(App[None]):
    """Planner in the terminal: daily queue, board and Gantt over the services."""

    CSS_PATH = "app.tcss"
    TITLE = "Planner"
    MODES = {"queue": QueueScreen, "board": BoardScreen, "gantt": GanttScreen, "load": LoadScreen,
             "agenda": AgendaScreen, "charts": ChartsScreen}
    COMMANDS = App.COMMANDS | {ProjectCommands}
    BINDINGS = [
        Binding("1", "show('queue')", "Queue", show=False),
        Binding("2", "show('board')", "Board", show=False),
        Binding("3", "show('gantt')", "Gantt", show=False),
        Binding("4", "show('load')", "Load", show=False),
        Binding("5", "show('agenda')", "Agenda", show=False),
        Binding("6", "show('charts')", "Charts", show=False),
        Binding("o", "switch_project", "Project"),
        Binding("question_mark", "help", "Help", show=False),
        Binding("q", "quit", "Quit", show=False),
    ]

    project_key: reactive[str | None] = reactive(None)
    timer: reactive[Any] = reactive(None, always_update=True)

    class EventLogAdvanced(Message):
        """Polling found writes this app did not make; ``timer`` is the running timer now."""

        def __init__(self, event_id: int, timer: Any) -> None:
            super().__init__()
            self.event_id = event_id
            self.timer = timer

    def __init__(self, ctx: Context, *, screen: str = "queue", project: str | None = None,
                 poll_seconds: float = 1.0) -> None:
        super().__init__()
        if screen not in SCREENS:
            raise ValueError(f"screen {screen!r} unknown: use one of {', '.join(SCREENS)}")
        self.ctx = ctx
        self.start_screen = screen
        self.poll_seconds = poll_seconds
        self.known_event_id = -1
        self._polling = False
        self.data_generation = 0
        self.gantt_arrows = True
        self.set_reactive(PlannerApp.project_key, project)

    def on_mount(self) -> None:
        """Show the first screen and start watching the event log."""
        self.switch_mode(self.start_screen)
        self.announce_calendar_sync()
        self.poll_event_log()
        if self.poll_seconds > 0:
            self.set_interval(self.poll_seconds, self.poll_event_log)

    @work(thread=True, group="sync")
    def announce_calendar_sync(self) -> None:
        """Say when each calendar pairing last synced, and its conflicts (`planner sync caldav`)."""
        from planner.domain.errors import PlannerError
        from planner.services.sync.pairings import list_pairings

        try:
            pairings = list_pairings(self.ctx)
        except PlannerError:
            return
        for pairing in pairings:
            conflicts = (pairing.last_report or {}).get("conflicts") or []
            when = f"{pairing.last_synced_at:%d %b %H:%M} UTC" if pairing.last_synced_at else "never"
            message = f"{pairing.project} ↔ calendar: synced {when}"
            if conflicts:
                message += f"; {len(conflicts)} conflict{'s' if len(conflicts) != 1 else ''}: {conflicts[0]}"
            self.call_from_thread(self.notify, message, title="Calendar sync",
                                  severity="warning" if conflicts else "information")

    # -- live refresh -------------------------------------------------------------------------
    def poll_event_log(self) -> None:
        """Start a poll unless one is still running (a slow poll is never cancelled by the next tick)."""
        if not self._polling:
            self._polling = True
            self._poll_worker()

    @work(thread=True, group="poll")
    def _poll_worker(self) -> None:
        """Read the newest event id; when it moved, read the running timer too and say so."""
        from planner.domain.errors import PlannerError
        from planner.services.queries import last_event_id
        from planner.services.flow.timetracking import running_timer

        try:
            event_id = last_event_id(self.ctx)
            if event_id != self.known_event_id:
                self.post_message(self.EventLogAdvanced(event_id, running_timer(self.ctx)))
        except PlannerError as error:  # a locked or vanished store: say it once per change, keep polling
            self.log.warning(f"polling the event log failed: {error}")
        finally:
            self._polling = False

    @on(EventLogAdvanced)
    def _event_log_advanced(self, event: EventLogAdvanced) -> None:
        first = self.known_event_id < 0
        self.timer = event.timer
        if event.event_id == self.known_event_id:
            return
        self.known_event_id = event.event_id
        if first:
            return
        self.data_generation += 1
        if isinstance(self.screen, PlannerScreen):
            self.screen.reload()

    @on(EventLogSeen)
    def _event_log_seen(self, event: EventLogSeen) -> None:
        if event.event_id > self.known_event_id:
            self.known_event_id = event.event_id
            self.data_generation += 1
            self.refresh_timer()

    @work(thread=True, exclusive=True, group="timer")
    def refresh_timer(self) -> None:
        """Read the running timer (after a write of ours)."""
        from planner.services.flow.timetracking import running_timer

        self.post_message(self.EventLogAdvanced(self.known_event_id, running_timer(self.ctx)))

    # -- navigation ---------------------------------------------------------------------------
    def action_show(self, mode: str) -> None:
        """Switch to the queue, board or Gantt."""
        if self.current_mode != mode:
            self.switch_mode(mode)

    @on(TopBar.TabClicked)
    def _tab_clicked(self, event: TopBar.TabClicked) -> None:
        self.action_show(event.mode)

    def action_switch_project(self) -> None:
        """Choose the project of the board and the Gantt."""
        self.push_screen(ProjectSwitcher(self.project_key), callback=self._project_chosen)

    def _project_chosen(self, key: str | None) -> None:
        if key:
            self.project_key = key

    def action_help(self) -> None:
        """Show the keys of this screen."""
        from planner.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Planner's commands in the palette, beside Textual's own."""
        # Textual's own "Keys" opens its side panel; ours (below) shows every key of the screen.
        yield from (command for command in super().get_system_commands(screen) if command.title != "Keys")
        yield SystemCommand("Daily queue", "Today's ranked work (1)", lambda: self.action_show("queue"))
        yield SystemCommand("Board", "Workflow columns of the project (2)", lambda: self.action_show("board"))
        yield SystemCommand("Gantt", "The project's schedule (3)", lambda: self.action_show("gantt"))
        yield SystemCommand("Switch project", "Choose the project of the board and Gantt (o)",
                            self.action_switch_project)
        yield SystemCommand("Keys", "Every key of this screen (?)", self.action_help)
        if isinstance(screen, PlannerScreen):
            yield SystemCommand("New task", "Add a task in the editor (n)", screen.action_new_task)
            yield SystemCommand("Filter", "Filter with the language of `planner ls` (/)", screen.action_filter)
            yield from screen.screen_commands()


def make_app(ctx: Context, *, screen: str = "queue", project: str | None = None,
             poll_seconds: float = 1.0) -> PlannerApp:
    """The app over ``ctx``: the one factory the CLI and the tests use."""
    return PlannerApp(ctx, screen=screen, project=project, poll_seconds=poll_seconds)
