"""The task editor: a modal used from every screen to add a task or change one.

It loads the task (with its version) and the project's workflow states in a
worker, and saves with ``edit_task(..., expected_version=...)``: when someone
else changed the task meanwhile, the service raises StaleEditError and the
editor says so, keeping what was typed, instead of overwriting their change.
"""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static, TextArea

from planner.domain.errors import InvalidInputError, PlannerError, StaleEditError
from planner.screens.app_state import app_state
from planner.screens.task_form import FormText, edit_between, form_of, read_form
from planner.widgets.task_log import TaskLog

PRIORITIES = [("none", 0), ("low", 1), ("medium", 2), ("high", 3)]
TEXT_FIELDS = (("title", "Title"), ("due", "Due"), ("start_no_earlier", "Start"), ("estimate", "Estimate"),
               ("duration", "Duration"), ("percent_done", "% done"), ("assignees", "People"), ("tags", "Tags"))


class TaskEditor(ModalScreen[bool]):
    """Edit task ``task_id`` (or add one to ``project`` when it is None); dismisses True when saved."""

    CSS_PATH = "task_editor.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("ctrl+s", "save", "Save")]

    class EditorLoaded(Message):
        """The task and the project's states arrived."""

        def __init__(self, task: Any, states: list[Any], projects: list[str], detail: Any = None) -> None:
            super().__init__()
            self.record, self.states, self.projects, self.detail = task, states, projects, detail

    class TaskSaved(Message):
        """The service saved the task."""

        def __init__(self, task_id: int) -> None:
            super().__init__()
            self.task_id = task_id

    class SaveRefused(Message):
        """The service refused to save; ``stale`` when someone changed the task meanwhile."""

        def __init__(self, error: PlannerError) -> None:
            super().__init__()
            self.error, self.stale = error, isinstance(error, StaleEditError)

    def __init__(self, task_id: int | None, *, project: str | None = None) -> None:
        super().__init__()
        self.task_id, self.project = task_id, project
        self.record: Any = None

    @property
    def ctx(self) -> Any:
        """The app's service context."""
        return app_state(self).ctx

    def compose(self) -> ComposeResult:
        """The form: title, project, status, priority, dates, effort, people, tags, notes."""
        heading = f"Edit #{self.task_id}" if self.task_id is not None else "New task"
        with Vertical(id="editor"):
            yield Label(heading, id="editor-heading")
            with Grid(id="editor-form"):
                yield Label("Title")
                yield Input(id="title", classes="wide")
                yield Label("Project")
                yield Input(self.project or "", id="project", placeholder="project or stream key")
                yield Label("Status")
                yield Select([], id="status", allow_blank=True, prompt="(first todo state)")
                yield Label("Priority")
                yield Select(PRIORITIES, id="priority", value=0, allow_blank=False)
                for name, label in TEXT_FIELDS[1:]:
                    yield Label(label)
                    yield Input(id=name, placeholder=_PLACEHOLDERS.get(name, ""))
            yield Label("Notes")
            yield TextArea(id="notes")
            yield Static("", id="editor-error")
            with Horizontal(id="editor-buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Reload theirs", id="reload", classes="hidden")
                yield Button("Cancel (esc)", id="cancel")
            yield TaskLog(id="editor-log")

    #: Below this many rows the form's fields drop their borders, so Save and Cancel stay on screen.
    COMPACT_BELOW_ROWS = 36

    def on_mount(self) -> None:
        """Load in a worker; focus the title."""
        self.query_one("#title", Input).focus()
        self._fit(self.app.size.height)
        self._load()

    def on_resize(self, event: Any) -> None:
        """Switch between bordered and compact fields as the terminal grows or shrinks."""
        self._fit(event.size.height)

    def _fit(self, rows: int) -> None:
        compact = rows < self.COMPACT_BELOW_ROWS
        self.set_class(compact, "-compact")
        for field in self.query("Input, Select, Button, TextArea"):
            field.compact = compact  # type: ignore[attr-defined]

    @work(thread=True, exclusive=True, group="editor-load")
    def _load(self) -> None:
        from planner.services.queries import get_task, list_projects, task_detail
        from planner.services.flow.workflows import show_workflow

        try:
            task = get_task(self.ctx, self.task_id) if self.task_id is not None else None
            project = task.project if task else self.project
            states = show_workflow(self.ctx, project=project).states if project else \
                show_workflow(self.ctx).states
            projects = [p.key for p in list_projects(self.ctx)]
            detail = task_detail(self.ctx, self.task_id) if self.task_id is not None else None
        except PlannerError as error:
            self.post_message(self.SaveRefused(error))
            return
        self.post_message(self.EditorLoaded(task, states, projects, detail))

    @on(EditorLoaded)
    def _loaded(self, event: EditorLoaded) -> None:
        self.record = event.record
        status = self.query_one("#status", Select)
        status.set_options([(state.name, state.key) for state in event.states])
        if event.record is not None:
            self._fill(form_of(event.record))
        self.query_one(TaskLog).show(event.detail)
        self.query_one("#project", Input).placeholder = ", ".join(event.projects[:6]) or "project or stream key"

    def _fill(self, form: FormText) -> None:
        for name, _label in TEXT_FIELDS:
            self.query_one(f"#{name}", Input).value = getattr(form, name)
        self.query_one("#project", Input).value = form.project
        self.query_one("#priority", Select).value = form.priority
        self.query_one("#status", Select).value = form.status or Select.NULL
        self.query_one("#notes", TextArea).text = form.notes

    def _form(self) -> FormText:
        values = {name: self.query_one(f"#{name}", Input).value for name, _label in TEXT_FIELDS}
        status = self.query_one("#status", Select).value
        priority = self.query_one("#priority", Select).value
        return FormText(project=self.query_one("#project", Input).value,
                        status="" if status is Select.NULL else str(status),
                        priority=int(priority) if isinstance(priority, int) else 0,
                        notes=self.query_one("#notes", TextArea).text, **values)

    # -- saving -------------------------------------------------------------------------------
    def action_save(self) -> None:
        """Read the form and save it in a worker."""
        try:
            values = read_form(self._form(), self.ctx.today())
        except InvalidInputError as error:
            self._error(str(error))
            return
        if self.record is None and self.task_id is not None:
            return  # still loading
        self._save(values)

    @work(thread=True, exclusive=True, group="editor-save")
    def _save(self, values: Any) -> None:
        from planner.services.tasks.operations import TaskDraft, add_task, edit_task

        try:
            if self.record is None:
                result = add_task(self.ctx, TaskDraft(
                    values.title, project=values.project or None, notes=values.notes, priority=values.priority,
                    estimate_hours=values.estimate_hours, duration_days=values.duration_days,
                    start_no_earlier=values.start_no_earlier, due=values.due, tags=values.tags,
                    assignees=values.assignees, status=values.status or None))
                self.post_message(self.TaskSaved(result.task_id or 0))
                return
            edit = edit_between(self.record, values)
            if not edit.empty:
                edit_task(self.ctx, self.record.id, edit.changes, expected_version=self.record.version,
                          **edit.kwargs())
            self.post_message(self.TaskSaved(self.record.id))
        except PlannerError as error:
            self.post_message(self.SaveRefused(error))

    @on(TaskSaved)
    def _saved(self, event: TaskSaved) -> None:
        self.app.notify(f"Saved #{event.task_id}", timeout=3)
        self.dismiss(True)

    @on(SaveRefused)
    def _refused(self, event: SaveRefused) -> None:
        if event.stale:
            self._error(f"Not saved: someone changed #{self.task_id} while you were editing. "
                        "Your text is still here; 'Reload theirs' shows their version.")
            self.query_one("#reload", Button).remove_class("hidden")
        else:
            self._error(str(event.error))

    def _error(self, text: str) -> None:
        self.query_one("#editor-error", Static).update(f"[b]{text}[/b]")
        self.query_one("#editor-error", Static).add_class("shown")

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#reload")
    def _reload_pressed(self) -> None:
        self.query_one("#reload", Button).add_class("hidden")
        self.query_one("#editor-error", Static).remove_class("shown")
        self._load()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without saving."""
        self.dismiss(False)


_PLACEHOLDERS = {"due": "fri, +3d, 2026-12-01", "start_no_earlier": "start no earlier than",
                 "estimate": "3h, 90m, 2d", "duration": "working days", "assignees": "ana ben",
                 "tags": "docs ui", "percent_done": "0-100"}
