"""The project switcher (a modal with a search box) and the command palette's project commands."""

from __future__ import annotations

from functools import partial
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from planner.domain.errors import PlannerError
from planner.render.console import plural
from planner.screens.app_state import app_state


def _describe(project: Any) -> str:
    kind = "stream" if project.kind == "stream" else "project"
    due = f" · deadline {project.deadline:%b %d}" if project.deadline else ""
    return f"{project.key:<12} {project.name}  [dim]{kind} · {project.open_tasks} open{due}[/dim]"


class ProjectSwitcher(ModalScreen[str | None]):
    """Pick the project (or stream) of the board and the Gantt; typing narrows the list."""

    CSS_PATH = "project_switcher.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    class ProjectsLoaded(Message):
        """The projects arrived."""

        def __init__(self, projects: list[Any]) -> None:
            super().__init__()
            self.projects = projects

    def __init__(self, current: str | None) -> None:
        super().__init__()
        self.current = current
        self.projects: list[Any] = []

    def compose(self) -> ComposeResult:
        """A search box over the list."""
        with Vertical(id="switcher"):
            yield Label("Switch project", id="switcher-title")
            yield Input(placeholder="type to narrow: key or name", id="switcher-search")
            yield OptionList(id="switcher-list")

    def on_mount(self) -> None:
        """Load the projects in a worker."""
        self.query_one(Input).focus()
        self._load()

    @work(thread=True, exclusive=True)
    def _load(self) -> None:
        from planner.services.queries import list_projects

        try:
            self.post_message(self.ProjectsLoaded(list_projects(app_state(self).ctx)))
        except PlannerError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")

    @on(ProjectsLoaded)
    def _loaded(self, event: ProjectsLoaded) -> None:
        self.projects = event.projects
        self._show("")

    def _show(self, text: str) -> None:
        needle = text.strip().lower()
        options = self.query_one(OptionList)
        options.clear_options()
        found = [p for p in self.projects if needle in p.key or needle in p.name.lower()]
        options.add_options([Option(_describe(p), id=p.key) for p in found])
        current = next((i for i, p in enumerate(found) if p.key == self.current), 0)
        if found:
            options.highlighted = current

    @on(Input.Changed)
    def _narrow(self, event: Input.Changed) -> None:
        self._show(event.value)

    @on(Input.Submitted)
    def _submit(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_key(self, event: Any) -> None:
        """Up and down in the search box move through the list."""
        if event.key in ("up", "down") and self.focused is self.query_one(Input):
            options = self.query_one(OptionList)
            options.action_cursor_up() if event.key == "up" else options.action_cursor_down()
            event.stop()

    def action_cancel(self) -> None:
        """Close without switching."""
        self.dismiss(None)


class ProjectCommands(Provider):
    """``Project: web — Website relaunch`` in the command palette switches to it."""

    async def startup(self) -> None:
        """Read the projects once per palette opening (in a thread: it is database work)."""
        from planner.services.queries import list_projects

        worker = self.app.run_worker(partial(list_projects, app_state(self).ctx), thread=True)
        try:
            self.projects = await worker.wait()
        except Exception:  # noqa: BLE001 - the palette simply offers no projects
            self.projects = []

    async def search(self, query: str) -> Hits:
        """Projects whose key or name matches."""
        matcher = self.matcher(query)
        for project in self.projects:
            text = f"Project: {project.key} — {project.name}"
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), partial(self._switch, project.key),
                          help=f"{project.kind}, {plural(project.open_tasks, 'open task')}")

    async def discover(self) -> Hits:
        """Every project, before anything is typed."""
        for project in self.projects:
            yield Hit(1.0, f"Project: {project.key} — {project.name}", partial(self._switch, project.key),
                      help=f"{project.kind}, {plural(project.open_tasks, 'open task')}")

    def _switch(self, key: str) -> None:
        app_state(self).project_key = key
