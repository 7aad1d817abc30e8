"""Workload: planned hours per person per week against capacity, over-allocation in red.

``v`` switches between the planned (critical-path) schedules and the leveled
ones, through the same ``workload`` call as ``planner load --level``.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Static

from planner.domain.errors import PlannerError
from planner.screens.base import ActionFailed, PlannerScreen
from planner.render.console import plural


class LoadScreen(PlannerScreen):
    """People down, weeks across (this week and the next five): planned / capacity hours."""

    MODE = "load"
    LOADING_ID = "#load-title"
    WEEKS = 6
    BINDINGS = [Binding("v", "toggle_level", "Planned/leveled")]

    class LoadLoaded(Message):
        """The workload was read."""

        def __init__(self, weeks: list[Any], leveled: bool = False) -> None:
            super().__init__()
            self.weeks, self.leveled = weeks, leveled

    class LevelingRefused(Message):
        """The leveler refused a plan (a demand above someone's capacity, say)."""

        def __init__(self, error: PlannerError) -> None:
            super().__init__()
            self.error = error

    def __init__(self) -> None:
        super().__init__()
        self.leveled = False

    def compose_body(self) -> ComposeResult:
        """A title line and a table (a few dozen people: a DataTable is fine here)."""
        yield Static("Loading the workload…", id="load-title")
        yield DataTable(id="load-table", cursor_type="row", zebra_stripes=True)

    def load(self) -> None:
        """Read the workload in a worker."""
        self._load_weeks(self.leveled)

    def action_toggle_level(self) -> None:
        """Switch between the planned and the leveled workload."""
        self.leveled = not self.leveled
        self.reload()

    @work(thread=True, exclusive=True, group="load-load")
    def _load_weeks(self, leveled: bool) -> None:
        from datetime import timedelta

        from planner.services.planning.workload import workload

        try:
            today = self.ctx.today()
            weeks = workload(self.ctx, today, today + timedelta(weeks=self.WEEKS, days=-1), level=leveled)
        except PlannerError as error:
            self.post_message(self.LevelingRefused(error) if leveled else ActionFailed(error, action="load"))
            return
        self.post_message(self.LoadLoaded(weeks, leveled))

    @on(LevelingRefused)
    def _leveling_refused(self, event: LevelingRefused) -> None:
        self.leveled = False
        self.notify(str(event.error), title="Cannot level", severity="error", timeout=8)
        self.reload()

    @on(LoadLoaded)
    def _load_loaded(self, event: LoadLoaded) -> None:
        table = self.query_one("#load-table", DataTable)
        table.clear(columns=True)
        columns = sorted({week.week_start for week in event.weeks})
        people = sorted({week.person for week in event.weeks})
        cells = {(week.person, week.week_start): week for week in event.weeks}
        table.add_column("Person", key="person")
        for column in columns:
            table.add_column(f"wk {column:%d %b}", key=column.isoformat())
        over = 0
        for person in people:
            row: list[Any] = [Text(person, style="bold")]
            for column in columns:
                week = cells[(person, column)]
                over += week.over
                reserved = f" + {week.reserved_hours:g}" if week.reserved_hours else ""
                text = f"{week.planned_hours:g}{reserved} / {week.capacity_hours:g} h"
                row.append(Text(text + (" !" if week.over else ""), style="bold red" if week.over else ""))
            table.add_row(*row, key=person)
        plan = "[b]leveled[/b] schedules" if event.leveled else "planned schedules"
        title = (f"[b]Workload[/b] · {plan} (v switches): hours (+ stream reservations) against capacity, "
                 f"{len(people)} people · "
                 + (f"[red]{plural(over, 'over-allocated week')}[/red]" if over else "nobody is over-allocated"))
        if not people:
            title = "[b]Workload[/b] · no people yet: `planner resource add HANDLE` adds one"
        self.query_one("#load-title", Static).update(title)
