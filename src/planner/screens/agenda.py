"""The agenda: the next seven days, day by day, as `planner agenda` shows them."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import DataTable, Static

from planner.domain.errors import PlannerError
from planner.screens.base import ActionFailed, PlannerScreen

_STYLES = {"deadline": "bold red", "milestone": "bold magenta", "due": "yellow", "recurring": "cyan",
           "start": "green", "scheduled": "dim green", "holiday": "dim", "vacation": "dim"}


class AgendaScreen(PlannerScreen):
    """Seven days from today: what is due or starts, milestones and deadlines (announced ahead), days off."""

    MODE = "agenda"
    LOADING_ID = "#agenda-title"
    DAYS = 7

    class AgendaLoaded(Message):
        """The agenda was read."""

        def __init__(self, agenda: Any) -> None:
            super().__init__()
            self.agenda = agenda

    def compose_body(self) -> ComposeResult:
        """A title line and one table row per item, grouped by day."""
        yield Static("Loading the agenda…", id="agenda-title")
        yield DataTable(id="agenda-table", cursor_type="row", zebra_stripes=False)

    def load(self) -> None:
        """Read the agenda in a worker."""
        self._load_agenda()

    @work(thread=True, exclusive=True, group="agenda-load")
    def _load_agenda(self) -> None:
        from planner.services.agenda import agenda

        try:
            result = agenda(self.ctx, days=self.DAYS)
        except PlannerError as error:
            self.post_message(ActionFailed(error))
            return
        self.post_message(self.AgendaLoaded(result))

    @on(AgendaLoaded)
    def _agenda_loaded(self, event: AgendaLoaded) -> None:
        table = self.query_one("#agenda-table", DataTable)
        table.clear(columns=True)
        for key, label in (("day", "Day"), ("what", "What"), ("task", "Task"), ("project", "Project")):
            table.add_column(label, key=key)
        self._task_of_row: dict[int, int | None] = {}
        for agenda_day in event.agenda.days:
            label = f"{agenda_day.day:%a %d %b}"
            if not agenda_day.items:
                table.add_row(Text(label, style="bold"), Text("–", style="dim"), "", "")
                self._task_of_row[table.row_count - 1] = None
            for index, item in enumerate(agenda_day.items):
                what = f"{item.warning}: {item.kind}" if item.warning else item.kind
                title = f"#{item.task_id} {item.title}" if item.task_id else item.title
                table.add_row(Text(label if index == 0 else "", style="bold"),
                              Text(what, style=_STYLES.get(item.kind, "")), title, item.project or "")
                self._task_of_row[table.row_count - 1] = item.task_id
        count = sum(len(day.items) for day in event.agenda.days)
        self.query_one("#agenda-title", Static).update(
            f"Agenda of {event.agenda.who}: {count} item{'s' if count != 1 else ''} in the next {self.DAYS} days")

    def selected_task_id(self) -> int | None:
        """The task on the selected row, if it is one."""
        table = self.query_one("#agenda-table", DataTable)
        return getattr(self, "_task_of_row", {}).get(table.cursor_row)
