"""The board screen: the project's workflow states as columns, cards moved by key or mouse.

Loads ``show_workflow`` (states, WIP limits and counts) and the project's
tasks with ``list_tasks`` (the filter bar adds terms of the same language).
Moving a card calls ``workflows.move_task`` with the card's version; a WIP
limit refusal asks whether to go over it, and a stale card is reported.
"""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker

from planner.domain.errors import ConflictError, PlannerError, StaleEditError
from planner.screens.base import ActionFailed, PlannerScreen, default_project
from planner.widgets.board_view import BoardColumn, BoardView, group_cards

DONE_SHOWN = 50


class BoardScreen(PlannerScreen):
    """Workflow columns of the chosen project or stream."""

    MODE = "board"
    LOADING_ID = "#board-title"
    CSS_PATH = "board.tcss"
    BINDINGS = [
        Binding("l", "toggle_lanes", "Lanes"),
        Binding("d", "done", "Done"),
    ]

    class BoardLoaded(Message):
        """Columns and cards arrived."""

        def __init__(self, key: str, name: str, kind: str, columns: list[BoardColumn], blocked: set[int],
                     open_total: int) -> None:
            super().__init__()
            self.key, self.name, self.kind, self.columns = key, name, kind, columns
            self.blocked, self.open_total = blocked, open_total

    class CardMoved(Message):
        """A card went to another state."""

        def __init__(self, result: Any) -> None:
            super().__init__()
            self.result = result

    class CardRanked(Message):
        """A card changed place in its column."""

    class MoveRefused(Message):
        """A WIP limit refused a move (the person may force it)."""

        def __init__(self, card: Any, state_key: str, reason: str) -> None:
            super().__init__()
            self.card, self.state_key, self.reason = card, state_key, reason

    def __init__(self) -> None:
        super().__init__()
        self.loaded_key: str | None = None
        self._last_loaded: BoardScreen.BoardLoaded | None = None

    def compose_body(self) -> ComposeResult:
        """Title line and the board."""
        yield Static("Loading the board…", id="board-title")
        yield BoardView(id="board")

    @property
    def board(self) -> BoardView:
        """The board widget."""
        return self.query_one(BoardView)

    def on_mount(self) -> None:
        """Follow the app's project; load."""
        self.watch(self.app, "project_key", self._project_changed, init=False)
        super().on_mount()
        self.board.focus()

    def _project_changed(self, key: str | None) -> None:
        if key != self.loaded_key:
            self.reload()

    def focus_main(self) -> None:
        """The board takes the keys."""
        self.board.focus()

    def selected_task_id(self) -> int | None:
        """The card under the cursor."""
        card = self.board.selected_card
        return card.id if card is not None else None

    # -- loading ------------------------------------------------------------------------------
    def load(self) -> None:
        """Load states and cards in a worker."""
        self._load_board(self.state.project_key, self.filter_terms())

    @work(thread=True, exclusive=True, group="board-load")
    def _load_board(self, key: str | None, terms: list[str]) -> None:
        from planner.services.queries import get_project, list_tasks
        from planner.services.flow.workflows import show_workflow

        try:
            key = key or default_project(self.ctx)
            if key is None:
                self.app.call_from_thread(self.query_one("#board-title", Static).update,
                                          "No project yet: `planner demo` makes one to try, "
                                          "`planner project add KEY` starts yours.")
                return
            project = get_project(self.ctx, key)
            workflow = show_workflow(self.ctx, project=key)
            scope = [f"project:{key}", *terms]
            open_cards = list_tasks(self.ctx, scope)
            done_cards = list_tasks(self.ctx, [*scope, "+done"], limit=DONE_SHOWN)
            blocked = {task.id for task in list_tasks(self.ctx, [*scope, "+blocked"]).tasks}
        except PlannerError as error:
            self.post_message(ActionFailed(error, action="load"))
            return
        every = [*open_cards.tasks, *done_cards.tasks]
        parents = {task.parent_id for task in every if task.parent_id is not None}
        cards = [task for task in every if task.kind != "milestone" and task.id not in parents]
        columns = group_cards(workflow.states, cards)
        blocked &= {card.id for card in cards}
        if not get_current_worker().is_cancelled:
            self.post_message(self.BoardLoaded(key, project.name, project.kind, columns, blocked, open_cards.total))

    @on(BoardLoaded)
    def _board_loaded(self, event: BoardLoaded) -> None:
        self.loaded_key = event.key
        if self.state.project_key != event.key:
            self.state.project_key = event.key
        self.board.show(event.columns, blocked=event.blocked, today=self.ctx.today())
        self._last_loaded = event
        self._show_title(event)

    def _show_title(self, event: BoardLoaded) -> None:
        over = [c.name for c in event.columns if c.over_limit]
        parts = [f"[b]{event.name}[/b] [dim]({event.key}, {event.kind})[/dim]", f"{event.open_total} open"]
        if event.blocked:
            parts.append(f"[red]{len(event.blocked)} blocked[/red]")
        if over:
            parts.append(f"[red]over the WIP limit: {', '.join(over)}[/red]")
        if self.board.swimlanes:
            parts.append("lanes by person")
        if self.filter_text:
            parts.append(f"filter: {self.filter_text}")
        self.query_one("#board-title", Static).update("  ·  ".join(parts), layout=False)

    # -- moving cards -------------------------------------------------------------------------
    @on(BoardView.MoveRequested)
    def _move_requested(self, event: BoardView.MoveRequested) -> None:
        self._move(event.card, event.state_key, force=False)

    def _move(self, card: Any, state_key: str, *, force: bool) -> None:
        self._move_worker(card, state_key, force)

    @work(thread=True, group="write")
    def _move_worker(self, card: Any, state_key: str, force: bool) -> None:
        from planner.screens.base import EventLogSeen
        from planner.services.queries import last_event_id
        from planner.services.flow.workflows import move_task

        try:
            result = move_task(self.ctx, card.id, state_key, force=force, expected_version=card.version)
            event_id = last_event_id(self.ctx)
        except StaleEditError as error:
            self.post_message(ActionFailed(error))
            self.app.call_from_thread(self.reload)
            return
        except ConflictError as error:
            self.post_message(self.MoveRefused(card, state_key, str(error)))
            return
        except PlannerError as error:
            self.post_message(ActionFailed(error))
            return
        self.app.post_message(EventLogSeen(event_id))
        self.post_message(self.CardMoved(result))

    @on(MoveRefused)
    def _move_refused(self, event: MoveRefused) -> None:
        from planner.screens.dialogs import ConfirmScreen

        reason = event.reason.split(": finish")[0]
        question = f"{reason}.\nMove #{event.card.id} there anyway?"
        self.app.push_screen(ConfirmScreen(question, yes="Go over the limit", no="Leave it"),
                             callback=lambda yes: self._move(event.card, event.state_key, force=True) if yes else None)

    @on(CardMoved)
    def _card_moved(self, event: CardMoved) -> None:
        result = event.result
        over = " (over its WIP limit)" if result.forced_over_limit else ""
        self.notify(f"#{result.task_id} → {result.state}{over}", timeout=3)
        self.board.select_task(result.task_id)
        self.reload()

    @on(BoardView.RankRequested)
    def _rank_requested(self, event: BoardView.RankRequested) -> None:
        from planner.services.tasks.operations import edit_task

        self.write(lambda _task: self.CardRanked(), edit_task, event.card.id, {"board_rank": event.rank},
                   expected_version=event.card.version)

    @on(CardRanked)
    def _card_ranked(self) -> None:
        self.reload()

    @on(BoardView.OpenRequested)
    def _open_requested(self, event: BoardView.OpenRequested) -> None:
        self._open_editor(event.task_id)

    def action_done(self) -> None:
        """Complete the selected card's task."""
        from planner.services.tasks.operations import complete_task

        card = self.board.selected_card
        if card is not None:
            self.write(lambda task: self.CardMoved(_Moved(task.id, task.status)), complete_task, card.id,
                       expected_version=card.version)

    def action_toggle_lanes(self) -> None:
        """Swimlanes by person on or off."""
        self.board.swimlanes = not self.board.swimlanes
        if self._last_loaded is not None:
            self._show_title(self._last_loaded)

    def screen_commands(self) -> list[SystemCommand]:
        """Board commands for the palette."""
        return [SystemCommand("Toggle swimlanes", "Lanes by person (l)", self.action_toggle_lanes),
                SystemCommand("Mark done", "The selected card (d)", self.action_done)]


class _Moved:
    """A move result for a completion (same fields as workflows.MoveResult)."""

    def __init__(self, task_id: int, state: str) -> None:
        self.task_id, self.state, self.forced_over_limit = task_id, state, False

