"""The daily queue screen (the first screen): today's ranked work, the capacity cut, timer, done, snooze, pin.

Everything it shows comes from ``services.queue.daily_queue``; every key is a
service call in a worker (``start_timer``/``stop_timer``, ``complete_task``,
``snooze_task``, ``pin``/``unpin``/``order``) whose past-tense message makes
the screen load again.
"""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker

from planner.domain.errors import InvalidInputError, PlannerError
from planner.screens.base import ActionFailed, PlannerScreen
from planner.widgets.queue_table import QueueTable, due_text


class QueueScreen(PlannerScreen):
    """Today's queue for the person using the app."""

    MODE = "queue"
    LOADING_ID = "#queue-summary"
    CSS_PATH = "queue.tcss"
    BINDINGS = [
        Binding("s", "timer", "Timer"),
        Binding("d", "done", "Done"),
        Binding("z", "snooze", "Snooze"),
        Binding("p", "pin", "Pin"),
        Binding("shift+up,K", "move(-1)", "Move up", show=False),
        Binding("shift+down,J", "move(1)", "Move down", show=False),
        Binding("x", "explain", "Explain"),
        Binding("P", "clear_plan", "Clear pins", show=False),
    ]

    class QueueLoaded(Message):
        """The ranked queue arrived."""

        def __init__(self, queue: Any, visible: set[int] | None) -> None:
            super().__init__()
            self.queue, self.visible = queue, visible

    class TimerToggled(Message):
        """A timer started or stopped."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class TaskChanged(Message):
        """A task was completed, snoozed, pinned or moved in the plan."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self) -> None:
        super().__init__()
        self.queue: Any = None
        self.explain_full = False

    def compose_body(self) -> ComposeResult:
        """Capacity line, the table, the explanation of the selected entry."""
        yield Static("Loading today's queue…", id="queue-summary")
        yield QueueTable(id="queue")
        yield Static("", id="queue-explain")

    @property
    def table(self) -> QueueTable:
        """The queue table."""
        return self.query_one(QueueTable)

    def on_mount(self) -> None:
        """Load, focus the table, follow the running timer."""
        super().on_mount()
        self.table.focus()
        self.watch(self.app, "timer", self._timer_changed, init=False)

    def _timer_changed(self, timer: Any) -> None:
        self.table.set_timer(timer.task_id if timer else None)

    def focus_main(self) -> None:
        """The table takes the keys."""
        self.table.focus()

    def selected_task_id(self) -> int | None:
        """The entry under the cursor."""
        return self.table.selected_task_id

    # -- loading ------------------------------------------------------------------------------
    def load(self) -> None:
        """Rank the queue in a worker."""
        self._load_queue(self.filter_terms())

    @work(thread=True, exclusive=True, group="queue-load")
    def _load_queue(self, terms: list[str]) -> None:
        from planner.services.queries import list_tasks
        from planner.services.queue.daily import daily_queue

        try:
            queue = daily_queue(self.ctx)
            visible = {task.id for task in list_tasks(self.ctx, terms).tasks} if terms else None
        except PlannerError as error:
            self.post_message(ActionFailed(error, action="load"))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.QueueLoaded(queue.queues[0], visible))

    @on(QueueLoaded)
    def _queue_loaded(self, event: QueueLoaded) -> None:
        self.queue = event.queue
        items = [i for i in event.queue.items if event.visible is None or i.task_id in event.visible]
        capacity = event.queue.capacity
        fitting = [i for i in items if i.entry.fits]
        hours = sum(i.entry.scored.candidate.estimate_hours or 0 for i in fitting)
        cut = f"fits today above · {capacity.remaining_hours:.1f} h left · below the line {len(items) - len(fitting)}"
        timer = getattr(self.app, "timer", None)
        self.table.show(items, today=self.ctx.today(), cut_text=cut, timer_task=timer.task_id if timer else None)
        self._show_summary(event.queue, len(items), len(fitting), hours)
        self._show_explain()

    def _show_summary(self, queue: Any, shown: int, fitting: int, planned_hours: float) -> None:
        capacity = queue.capacity
        day = f"[b]{queue.person}[/b] · {queue.day:%A %d %B}"
        if not capacity.working_day:
            line = f"{day} · not a working day for {queue.person}: nothing has to fit"
        else:
            parts = [f"{capacity.calendar_hours:g} h day"]
            if capacity.reserved_hours:
                streams = ", ".join(f"{r.stream} {r.percent:g}%" for r in capacity.reservations)
                parts.append(f"− {capacity.reserved_hours:.1f} h reserved ({streams})")
            if capacity.clocked_hours >= 0.05:
                parts.append(f"− {capacity.clocked_hours:.1f} h clocked")
            parts.append(f"= [b]{capacity.remaining_hours:.1f} h[/b] left")
            line = f"{day} · {' '.join(parts)} · [b]{fitting}[/b] of {shown} fit today"
        if self.filter_text:
            line += f" · filter: {self.filter_text}"
        self.query_one("#queue-summary", Static).update(line, layout=False)

    @on(QueueTable.Highlighted)
    def _show_explain(self) -> None:
        item = self.table.selected_item
        panel = self.query_one("#queue-explain", Static)
        if item is None:
            panel.update("[dim]Nothing to do today. n adds a task; 2 shows the board.[/dim]" if self.queue else "")
            return
        scored = item.entry.scored
        candidate = scored.candidate
        head = (f"[b]#{candidate.task_id} {candidate.title}[/b] · {candidate.project_key} · score "
                f"{scored.total:.1f}")
        if candidate.due:
            head += f" · due {due_text(candidate.due, self.ctx.today())}"
        if item.entry.pinned:
            head += " · [b]pinned[/b]"
        if not self.explain_full:
            panel.update(f"{head}\n[dim]why:[/dim] {scored.explain()}", layout=False)
            return
        lines = [head]
        for factor in sorted(scored.factors, key=lambda f: -abs(f.contribution)):
            lines.append(f"  {factor.name:<12} {factor.contribution:+6.1f}  {factor.reason_text}")
        panel.update("\n".join(lines), layout=False)

    # -- keys ---------------------------------------------------------------------------------
    def action_explain(self) -> None:
        """Show every factor of the selected score, or just the summary."""
        self.explain_full = not self.explain_full
        self.query_one("#queue-explain", Static).set_class(self.explain_full, "full")
        self._show_explain()

    def action_timer(self) -> None:
        """Start the timer on the selected task, or stop it when it runs on it."""
        from planner.services.flow.timetracking import start_timer, stop_timer

        timer = getattr(self.app, "timer", None)
        task_id = self.selected_task_id()
        if timer is not None and (task_id is None or timer.task_id == task_id):
            self.write(lambda info: self.TimerToggled(f"Stopped #{info.task_id} after {_hours(info.hours)}"),
                       stop_timer)
        elif task_id is not None:
            self.write(lambda result: self.TimerToggled(_started_text(result)), start_timer, task_id)

    def action_done(self) -> None:
        """Mark the selected task done."""
        from planner.services.tasks.operations import complete_task

        task_id = self.selected_task_id()
        if task_id is not None:
            self.write(lambda task: self.TaskChanged(f"Done: #{task.id} {task.title}"), complete_task, task_id)

    def action_snooze(self) -> None:
        """Hide the selected task until a day (tomorrow unless typed otherwise)."""
        from planner.screens.dialogs import PromptScreen

        task_id = self.selected_task_id()
        if task_id is None:
            return
        self.app.push_screen(PromptScreen(f"Snooze #{task_id} until", "tomorrow",
                                          placeholder="tomorrow, mon, +3d, 2026-12-01"),
                             callback=lambda text: self._snooze(task_id, text))

    def _snooze(self, task_id: int, text: str | None) -> None:
        from planner.domain.dates import parse_date
        from planner.services.tasks.operations import snooze_task

        if not text:
            return
        try:
            until = parse_date(text, self.ctx.today())
        except InvalidInputError as error:
            self.notify(str(error), severity="error")
            return
        self.write(lambda task: self.TaskChanged(f"Snoozed #{task.id} until {until:%a %b %d}"),
                   snooze_task, task_id, until)

    def action_pin(self) -> None:
        """Pin the selected task to the top of today (or unpin it)."""
        from planner.services.queue.daily import pin, unpin

        item = self.table.selected_item
        if item is None:
            return
        if item.entry.pinned:
            self.write(lambda _kept: self.TaskChanged(f"Unpinned #{item.task_id}"), unpin, [item.task_id])
        else:
            self.write(lambda _order: self.TaskChanged(f"Pinned #{item.task_id} for today"), pin, [item.task_id])

    def action_move(self, step: int) -> None:
        """Move the selected task up or down today's order (this pins the tasks above it)."""
        from planner.services.queue.daily import order

        item = self.table.selected_item
        if item is None:
            return
        ids = [i.task_id for i in self.table.items]
        index = ids.index(item.task_id)
        target = index + step
        if not 0 <= target < len(ids):
            return
        ids[index], ids[target] = ids[target], ids[index]
        self.write(lambda _order: self.TaskChanged(f"Moved #{item.task_id} {'up' if step < 0 else 'down'}"),
                   order, ids[: max(index, target) + 1])

    def action_clear_plan(self) -> None:
        """Forget today's pins and order."""
        from planner.services.queue.daily import clear

        self.write(lambda count: self.TaskChanged(f"Cleared {count} pins"), clear)

    @on(TimerToggled)
    @on(TaskChanged)
    def _changed(self, event: TimerToggled | TaskChanged) -> None:
        self.notify(event.text, timeout=3)
        self.reload()

    @on(QueueTable.OpenRequested)
    def _open_requested(self, event: QueueTable.OpenRequested) -> None:
        self._open_editor(event.task_id)

    def screen_commands(self) -> list[SystemCommand]:
        """Queue commands for the palette."""
        return [SystemCommand("Start or stop the timer", "On the selected task (s)", self.action_timer),
                SystemCommand("Mark done", "The selected task (d)", self.action_done),
                SystemCommand("Snooze", "Hide the selected task until a day (z)", self.action_snooze),
                SystemCommand("Pin or unpin", "Keep the selected task at the top today (p)", self.action_pin),
                SystemCommand("Clear today's pins", "Back to pure ranking (P)", self.action_clear_plan),
                SystemCommand("Explain the score", "Every factor of the selected entry (x)", self.action_explain)]


def _hours(hours: float) -> str:
    minutes = round(hours * 60)
    return f"{minutes // 60}h{minutes % 60:02d}" if minutes >= 60 else f"{minutes} min"


def _started_text(result: Any) -> str:
    text = f"Timer running on #{result.running.task_id} {result.running.title}"
    if result.stopped is not None:
        text += f" (stopped #{result.stopped.task_id} after {_hours(result.stopped.hours)})"
    return text

