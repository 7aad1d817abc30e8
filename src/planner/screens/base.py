"""What every main screen shares: the top bar, a filter bar, the footer, worker plumbing, the editor keys.

Database work never runs on the UI thread: :meth:`PlannerScreen.write` runs a
service call in a thread worker, which posts a past-tense message when it is
done (or :class:`ActionFailed` with the service's message); handlers on the
screen own the state changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from functools import partial
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer

from planner.domain.errors import PlannerError
from planner.screens.app_state import PlannerAppState, app_state
from planner.services.context import Context
from planner.widgets.filter_bar import FilterBar
from planner.widgets.top_bar import TopBar


class ActionFailed(Message):
    """A service refused or failed; ``error`` says why in words a person can act on."""

    def __init__(self, error: PlannerError, action: str = "") -> None:
        super().__init__()
        self.error = error
        self.action = action


class EventLogSeen(Message):
    """A write of this app advanced the event log to ``event_id`` (so polling need not reload)."""

    def __init__(self, event_id: int) -> None:
        super().__init__()
        self.event_id = event_id


class EditedInEditor(Message):
    """The external editor session ended; ``outcome`` says how (applied, unchanged, refused, in conflict)."""

    def __init__(self, outcome: Any) -> None:
        super().__init__()
        self.outcome = outcome


class PlannerScreen(Screen):
    """A main screen: subclasses compose the body, load data in :meth:`load` and name the selected task."""

    MODE: ClassVar[str] = ""
    #: The widget that says "Loading…" until the data arrives; a failed load says why there instead.
    LOADING_ID: ClassVar[str] = ""
    BINDINGS = [
        Binding("question_mark", "app.help", "Help"),  # first, so a narrow footer always shows where the rest are
        Binding("slash", "filter", "Filter"),
        Binding("e", "edit", "Edit"),
        Binding("E", "edit_in_editor", "Edit in $EDITOR", show=False),
        Binding("n", "new_task", "New"),
        Binding("ctrl+r", "reload", "Reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.filter_text = ""
        self.loaded_generation = -1

    @property
    def state(self) -> PlannerAppState:
        """The app's state this screen reads and sets, typed."""
        return app_state(self)

    @property
    def ctx(self) -> Context:
        """The app's service context."""
        return self.state.ctx

    def compose(self) -> ComposeResult:
        """Top bar, the screen's body, the (hidden) filter bar and the footer."""
        yield TopBar(self.MODE)
        yield from self.compose_body()
        filter_bar = FilterBar()
        filter_bar.display = False
        yield filter_bar
        yield Footer(compact=True, show_command_palette=False)  # 80 columns hold every shown key

    def compose_body(self) -> ComposeResult:
        """The screen's own widgets."""
        yield from ()

    def on_mount(self) -> None:
        """Load the first data."""
        self.reload()

    def on_screen_resume(self) -> None:
        """Coming back after something changed: load again."""
        if self.loaded_generation not in (-1, self.state.data_generation):
            self.reload()

    def reload(self) -> None:
        """Load the screen's data again (in a worker)."""
        self.loaded_generation = self.state.data_generation
        self.load()

    def load(self) -> None:
        """Start the worker that loads this screen's data."""

    def selected_task_id(self) -> int | None:
        """The task under the cursor, if any."""
        return None

    def screen_commands(self) -> Iterable[SystemCommand]:
        """This screen's commands for the command palette."""
        return ()

    # -- writes -------------------------------------------------------------------------------
    def write(self, done: Callable[[Any], Message], service: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Call a service in a worker; post ``done(result)`` when it worked, ActionFailed when it did not."""
        self._write_worker(done, partial(service, self.ctx, *args, **kwargs))

    @work(thread=True, group="write")
    def _write_worker(self, done: Callable[[Any], Message], call: Callable[[], Any]) -> None:
        from planner.services.queries import last_event_id

        try:
            result = call()
            event_id = last_event_id(self.ctx)
        except PlannerError as error:
            self.post_message(ActionFailed(error))
            return
        self.app.post_message(EventLogSeen(event_id))
        self.post_message(done(result))

    @on(ActionFailed)
    def _action_failed(self, event: ActionFailed) -> None:
        if event.action == "load" and self.LOADING_ID:  # never leave "Loading…" standing after a failure
            from rich.text import Text
            from textual.widgets import Static

            hint = "" if self.MODE == "queue" else "  (o chooses a project)"
            self.query_one(self.LOADING_ID, Static).update(Text(f"Not loaded: {event.error}{hint}"))
            self.notify(str(event.error), title="Not loaded", severity="error", timeout=6)
            return
        self.notify(str(event.error), title="Not done", severity="error", timeout=6)

    # -- shared keys --------------------------------------------------------------------------
    def action_reload(self) -> None:
        """Load again now."""
        self.reload()

    def action_filter(self) -> None:
        """Open the filter bar."""
        self.query_one(FilterBar).open(self.filter_text)

    @on(FilterBar.Applied)
    def _filter_applied(self, event: FilterBar.Applied) -> None:
        problem = filter_problem(event.text, self.ctx)
        if problem is not None:  # a rejected filter is never kept: say why once and let it be corrected
            self.notify(problem, title="Filter not applied", severity="error", timeout=6)
            self.query_one(FilterBar).open(event.text)
            return
        self.filter_text = event.text
        self.sub_title = event.text
        self.reload()
        self.focus_main()

    def filter_terms(self) -> list[str]:
        """The filter typed in the bar, as terms."""
        from planner.domain.filters import tokenize

        return tokenize(self.filter_text) if self.filter_text else []

    def focus_main(self) -> None:
        """Give focus to the screen's main widget."""

    def action_edit(self) -> None:
        """Edit the selected task in the task editor."""
        task_id = self.selected_task_id()
        if task_id is not None:
            self._open_editor(task_id)

    def action_new_task(self) -> None:
        """Add a task in the editor (in this screen's project)."""
        self._open_editor(None)

    def _open_editor(self, task_id: int | None) -> None:
        from planner.screens.task_editor import TaskEditor

        project = getattr(self.app, "project_key", None)
        self.app.push_screen(TaskEditor(task_id, project=project), callback=self._editor_closed)

    def _editor_closed(self, saved: bool | None) -> None:
        if saved:
            self.reload()

    # -- the external editor (E) ---------------------------------------------------------------
    def action_edit_in_editor(self) -> None:
        """Edit the selected task as a text form in $VISUAL/$EDITOR, the app suspended meanwhile."""
        from planner.cli.edit_form import edit_with_editor

        task_id = self.selected_task_id()
        if task_id is None:
            self.notify("Select a task first", severity="warning")
            return
        self.write(EditedInEditor, edit_with_editor, task_id, self._launch_suspended)

    def editor_terminal(self) -> AbstractContextManager[None]:
        """The terminal handed to the editor: the app suspended (a seam: headless tests have no terminal)."""
        return self.app.suspend()

    def _launch_suspended(self, command: list[str]) -> int:
        """Run the editor from the write worker: on the app's thread, as suspending requires."""
        return self.app.call_from_thread(self._run_editor, command)

    def _run_editor(self, command: list[str]) -> int:
        from textual.app import SuspendNotSupported

        from planner.cli.edit_form import run_editor

        try:
            with self.editor_terminal():
                return run_editor(command)
        except SuspendNotSupported:
            raise PlannerError("this app cannot hand its terminal to an editor (in a browser?): "
                               "press e to edit the task here") from None

    @on(EditedInEditor)
    def _edited_in_editor(self, event: EditedInEditor) -> None:
        outcome = event.outcome
        self.notify(outcome.message, title="Edited" if outcome.ok else "Not changed",
                    severity="information" if outcome.ok else "error", timeout=6)
        if outcome.changed:
            self.reload()


def filter_problem(text: str, ctx: Any) -> str | None:
    """Why the filter ``text`` cannot be applied, or None when it compiles."""
    if not text:
        return None
    from planner.domain.dates import parse_date
    from planner.domain.filters import parse_filter, tokenize

    try:
        parse_filter(tokenize(text), me=ctx.actor, today=ctx.today(), parse_date=parse_date)
    except PlannerError as error:
        return str(error)
    return None


def default_project(ctx: Any, *, kind: str = "project") -> str | None:
    """The project a screen opens on when none was chosen: the busiest of ``kind``, else any."""
    from planner.services.queries import list_projects

    found = [p for p in list_projects(ctx) if not p.archived]
    preferred = [p for p in found if p.kind == kind] or found
    if not preferred:
        return None
    return max(preferred, key=lambda p: (p.open_tasks, -p.id)).key
