"""The daily queue screen (the first screen): today's ranked work, the capacity cut, timer, done, snooze, pin.

``t`` switches between your queue and your team's (``planner queue --team``):
every member's ranked entries, each person's own cut line, whose each entry is.

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
        Binding("t", "team", "Me/team", show=False, tooltip="Your queue or your team's"),
        Binding("P", "clear_plan", "Clear pins", show=False),
    ]

    class QueueLoaded(Message):
        """The ranked queue arrived."""

        def __init__(self, queue: Any, visible: set[int] | None, team: Any = None) -> None:
            super().__init__()
            self.queue, self.visible, self.team = queue, visible, team

    class TeamUnavailable(Message):
        """The team view was asked for, but the person is in no team."""

        def __init__(self, error: PlannerError) -> None:
            super().__init__()
            self.error = error

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
        self.team_view = False
        self.team: Any = None  # the team's DailyQueue while the team view is on

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
        self._load_queue(self.filter_terms(), self.team_view)

    @work(thread=True, exclusive=True, group="queue-load")
    def _load_queue(self, terms: list[str], team_view: bool) -> None:
        from planner.domain.errors import NotFoundError
        from planner.services.people.teams import team_of
        from planner.services.queries import list_tasks
        from planner.services.queue.daily import daily_queue

        try:
            team = team_of(self.ctx, self.ctx.actor) if team_view else None
            if team_view and team is None:
                self.post_message(self.TeamUnavailable(NotFoundError(
                    f"{self.ctx.actor} is in no team: `planner team add NAME {self.ctx.actor} HANDLE...` makes one")))
                return
            queue = daily_queue(self.ctx, team=team)
            visible = {task.id for task in list_tasks(self.ctx, terms).tasks} if terms else None
        except PlannerError as error:
            self.post_message(ActionFailed(error, action="load"))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.QueueLoaded(queue.queues[0], visible, queue if team else None))

    @on(TeamUnavailable)
    def _team_unavailable(self, event: TeamUnavailable) -> None:
        self.team_view = False
        self.notify(str(event.error), severity="warning", timeout=6)
        self.reload()

    @staticmethod
    def _cut_text(queue: Any, items: list[Any], *, who: bool = False) -> str:
        fitting = sum(1 for i in items if i.entry.fits)
        person = f"{queue.person}: " if who else ""
        return (f"{person}fits today above · {queue.capacity.remaining_hours:.1f} h left · "
                f"below the line {len(items) - fitting}")

    @on(QueueLoaded)
    def _queue_loaded(self, event: QueueLoaded) -> None:
        self.queue, self.team = event.queue, event.team
        timer = getattr(self.app, "timer", None)
        timer_task = timer.task_id if timer else None

        def shown(queue: Any) -> list[Any]:
            return [i for i in queue.items if event.visible is None or i.task_id in event.visible]

        if event.team is not None:
            groups = [(shown(queue), self._cut_text(queue, shown(queue), who=True)) for queue in event.team.queues]
            items = [item for group, _text in groups for item in group]
            self.table.show(items, today=self.ctx.today(), cut_text="", timer_task=timer_task, groups=groups)
            self._show_team_summary(event.team, items)
        else:
            items = shown(event.queue)
            fitting = [i for i in items if i.entry.fits]
            hours = sum(i.entry.scored.candidate.estimate_hours or 0 for i in fitting)
            self.table.show(items, today=self.ctx.today(), cut_text=self._cut_text(event.queue, items),
                            timer_task=timer_task)
            self._show_summary(event.queue, len(items), len(fitting), hours)
        self._show_explain()

    def _show_team_summary(self, team: Any, items: list[Any]) -> None:
        fitting = sum(1 for i in items if i.entry.fits)
        line = (f"[b]team {team.team}[/b] · {team.day:%A %d %B} · {', '.join(q.person for q in team.queues)} · "
                f"[b]{fitting}[/b] of {len(items)} fit today · t: your queue")
        if self.filter_text:
            line += f" · filter: {self.filter_text}"
        self.query_one("#queue-summary", Static).update(line, layout=False)

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
        if self.team is not None:
            head += f" · {item.person}'s"
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

    def action_team(self) -> None:
        """Switch between your queue and your team's."""
        self.team_view = not self.team_view
        self.reload()

    def _team_refuses(self, what: str) -> bool:
        if self.team is None:
            return False
        self.notify(f"{what} is for your own day: t goes back to your queue", severity="warning")
        return True

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
        if item is None or self._team_refuses("Pinning"):
            return
        if item.entry.pinned:
            self.write(lambda _kept: self.TaskChanged(f"Unpinned #{item.task_id}"), unpin, [item.task_id])
        else:
            self.write(lambda _order: self.TaskChanged(f"Pinned #{item.task_id} for today"), pin, [item.task_id])

    def action_move(self, step: int) -> None:
        """Move the selected task up or down today's order (this pins the tasks above it)."""
        from planner.services.queue.daily import order

        item = self.table.selected_item
        if item is None or self._team_refuses("Reordering"):
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

        if self._team_refuses("Clearing pins"):
            return
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
                SystemCommand("Explain the score", "Every factor of the selected entry (x)", self.action_explain),
                SystemCommand("Me or team", "Your queue or your team's (t)", self.action_team)]


def _hours(hours: float) -> str:
    minutes = round(hours * 60)
    return f"{minutes // 60}h{minutes % 60:02d}" if minutes >= 60 else f"{minutes} min"


def _started_text(result: Any) -> str:
    text = f"Timer running on #{result.running.task_id} {result.running.title}"
    if result.stopped is not None:
        text += f" (stopped #{result.stopped.task_id} after {_hours(result.stopped.hours)})"
    return text

