"""The Gantt screen: a project's schedule, moved a working day at a time, recomputed by the services.

Loading runs ``schedule_project`` (critical path, or leveled with ``v``),
``diff_baseline`` for the ghost bars and, after the chart is up,
``forecast_project`` for the P85 markers of milestones. Moving a bar writes the
task's start-no-earlier through ``move_start`` (back to its unconstrained start
clears it) and reschedules at once; the
bar slides on the key press and the successors follow when the new schedule
arrives. Deadlines that turn late are announced.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker

from planner.domain.errors import InvalidInputError, NotFoundError, PlannerError
from planner.screens.base import ActionFailed, PlannerScreen, default_project
from planner.widgets.gantt_chart import ZOOMS, GanttChart
from planner.screens.gantt_text import LEGEND, PlanFrame, detail_line, plan_frame, title_line
from planner.render.gantt_link_index import index_links
from planner.render.gantt_rows import GanttModel, build_model, shifted_preview


class GanttScreen(PlannerScreen):
    """Time-scaled bars of the chosen project with critical path, slack, baseline and forecast."""

    MODE = "gantt"
    LOADING_ID = "#gantt-title"
    CSS_PATH = "gantt.tcss"
    BINDINGS = [
        Binding("z", "zoom", "Zoom"),
        Binding("v", "toggle_leveled", "Level"),
        Binding("b", "toggle_baseline", "Ghosts", tooltip="Show or hide the baseline ghosts"),
        Binding("a", "toggle_arrows", "Arrows", show=False,  # in the help: the footer has no room left at 80 columns
                tooltip="Show or hide the dependency arrows"),
        Binding("f", "toggle_forecast", "Forecast", show=False),
        Binding("B", "save_baseline", "Baseline", tooltip="Save the plan as a baseline"),
        Binding("o", "app.switch_project", "Project", show=False),  # the Gantt's own keys fill 80 columns
    ]

    class ScheduleLoaded(Message):
        """A schedule arrived (after loading or after a move)."""

        def __init__(self, frame: PlanFrame, model: GanttModel, visible: set[int] | None,
                     calendar: Any, moved: tuple[int, date, date] | None = None, links: Any = None) -> None:
            super().__init__()
            self.frame, self.model, self.visible, self.calendar, self.moved = frame, model, visible, calendar, moved
            self.links = links  # the index of the links between the shown rows, made in the worker

    class ScheduleRefused(Message):
        """No schedule for this project (a stream, or none chosen)."""

        def __init__(self, key: str | None, reason: str) -> None:
            super().__init__()
            self.key, self.reason = key, reason

    class LevelingRefused(Message):
        """The leveler refused this plan (a demand above someone's capacity, say)."""

        def __init__(self, error: PlannerError) -> None:
            super().__init__()
            self.error = error

    class ForecastLoaded(Message):
        """P85 dates of the milestones arrived."""

        def __init__(self, key: str, milestones: list[Any]) -> None:
            super().__init__()
            self.key, self.milestones = key, milestones

    def __init__(self) -> None:
        super().__init__()
        self.leveled = False
        self.forecast_on = True
        self.frame: PlanFrame | None = None
        self.calendar: Any = None
        self.loaded_key: str | None = None
        self._shift_targets: dict[int, date | None] = {}

    def compose_body(self) -> ComposeResult:
        """Title line, the chart, the selected task's line and the legend."""
        yield Static("", id="gantt-title")
        yield GanttChart(id="gantt")
        yield Static("", id="gantt-detail")
        yield Static(LEGEND, id="gantt-legend")

    @property
    def chart(self) -> GanttChart:
        """The chart widget."""
        return self.query_one(GanttChart)

    def on_mount(self) -> None:
        """Follow the app's project; load."""
        self.chart.today = self.ctx.today()
        self.chart.show_arrows = self.state.gantt_arrows
        self.watch(self.app, "project_key", self._project_changed, init=False)
        super().on_mount()
        self.chart.focus()

    def _project_changed(self, key: str | None) -> None:
        if key != self.loaded_key:
            self.reload()

    def focus_main(self) -> None:
        """The chart takes the keys."""
        self.chart.focus()

    def selected_task_id(self) -> int | None:
        """The task under the cursor."""
        return self.chart.selected_task_id

    # -- loading ------------------------------------------------------------------------------
    def load(self) -> None:
        """Schedule the project in a worker."""
        self._load_schedule(self.state.project_key, self.leveled, self.filter_terms(), self.forecast_on)

    @work(thread=True, exclusive=True, group="gantt-load")
    def _load_schedule(self, key: str | None, leveled: bool, terms: list[str], forecast: bool) -> None:
        try:
            key = key or default_project(self.ctx)
            if key is None:
                self.post_message(self.ScheduleRefused(None, "No project yet: `planner demo` makes one to try, "
                                                             "`planner project add KEY` starts yours."))
                return
            message = self._schedule_message(key, leveled, terms)
        except InvalidInputError as error:
            if leveled:  # the plan cannot be leveled: say why and stay on the critical-path view
                self.post_message(self.LevelingRefused(error))
            else:
                self.post_message(self.ScheduleRefused(key, str(error)))
            return
        except PlannerError as error:
            self.post_message(ActionFailed(error, action="load"))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(message)
            if forecast and any(row.kind == "milestone" for row in message.model.rows):
                self._load_forecast(key, leveled)

    def _schedule_message(self, key: str, leveled: bool, terms: list[str],
                          moved: tuple[int, date, date] | None = None) -> ScheduleLoaded:
        from planner.services.planning.plan import diff_baseline
        from planner.services.queries import list_tasks
        from planner.services.planning.schedule import schedule_project

        schedule = schedule_project(self.ctx, key, level=leveled)
        try:
            diff = diff_baseline(self.ctx, key, schedule=schedule)
        except NotFoundError:
            diff = None
        model = build_model(schedule, slips=diff.slips if diff else (), today=self.ctx.today())
        visible = None
        if terms:  # open and finished tasks that match
            visible = {task.id for task in list_tasks(self.ctx, [f"project:{key}", *terms]).tasks}
            visible |= {task.id for task in list_tasks(self.ctx, [f"project:{key}", *terms, "+done"]).tasks}
        return self.ScheduleLoaded(plan_frame(schedule, diff), model, visible, schedule.calendar, moved,
                                   index_links(model, visible))

    @work(thread=True, exclusive=True, group="gantt-forecast")
    def _load_forecast(self, key: str, leveled: bool) -> None:
        from planner.services.planning.plan import forecast_project
        from planner.services.planning.schedule import schedule_project

        try:
            schedule = schedule_project(self.ctx, key, level=leveled)
            runs = 1000 if len(schedule.tasks) < 2000 else 200
            outlook = forecast_project(self.ctx, key, runs=runs, schedule=schedule)
        except PlannerError as error:
            self.post_message(ActionFailed(error))
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.ForecastLoaded(key, outlook.milestones))

    @on(ScheduleLoaded)
    def _schedule_loaded(self, event: ScheduleLoaded) -> None:
        previous = self.chart.model
        self.frame, self.calendar, self.loaded_key = event.frame, event.calendar, event.frame.key
        if self.state.project_key != event.frame.key:
            self.state.project_key = event.frame.key
        self._carry_forecast(previous, event.model)
        first_time = not previous.rows
        self.chart.show(event.model, today=self.ctx.today(), visible_ids=event.visible, links=event.links)
        if first_time:  # open at today, on a bar that is there (not on a finished task scrolled out of view)
            self.chart.select_current(self.ctx.today())
            self.chart.call_after_refresh(self.chart.action_goto_today)
        self._show_title()
        self._show_detail()
        if event.moved is not None:
            self._announce_move(previous, event.model, event.moved)

    @on(ScheduleRefused)
    def _schedule_refused(self, event: ScheduleRefused) -> None:
        self.loaded_key = event.key
        self.chart.show(GanttModel([]))
        self.query_one("#gantt-title", Static).update(f"[b]{event.key or 'Gantt'}[/b]  {event.reason}  "
                                                      "[dim]o chooses another project[/dim]")

    @on(LevelingRefused)
    def _leveling_refused(self, event: LevelingRefused) -> None:
        self.leveled = False
        self.notify(str(event.error), title="Cannot level this plan", severity="error", timeout=8)
        self.reload()

    @on(ForecastLoaded)
    def _forecast_loaded(self, event: ForecastLoaded) -> None:
        if event.key != self.loaded_key:
            return
        model = self.chart.model
        model.forecast = {m.task_id: (m.p85, m.on_time_probability) for m in event.milestones}
        for row in model.rows:
            if row.kind == "milestone" and row.task_id in model.forecast:
                row.p85, row.on_time_probability = model.forecast[row.task_id]
                model.last_day = max(model.last_day, row.p85)
        self.chart.set_row_count(self.chart.row_count)
        self._show_detail()

    @staticmethod
    def _carry_forecast(previous: GanttModel, model: GanttModel) -> None:
        """Keep the last forecast markers on screen until a new forecast arrives."""
        if not previous.forecast:
            return
        model.forecast = dict(previous.forecast)
        for row in model.rows:
            if row.kind == "milestone" and row.task_id in model.forecast:
                row.p85, row.on_time_probability = model.forecast[row.task_id]

    # -- moving a bar -------------------------------------------------------------------------
    @on(GanttChart.ShiftRequested)
    def _shift_requested(self, event: GanttChart.ShiftRequested) -> None:
        row = next((r for r in self.chart.model.rows if r.task_id == event.task_id), None)
        if row is None or self.calendar is None or self.frame is None:
            return
        if row.done:
            self.notify(f"#{row.task_id} is done: its bar stays at its actual dates", severity="warning")
            return
        old_start = row.start
        target = self.calendar.add_working_days(old_start, event.working_days)
        self._shift_targets[row.task_id] = None if target <= self.frame.start else target
        shifted_preview(self.chart.model, row.task_id, event.working_days)
        self.chart.invalidate()
        self._shift_worker(self.frame.key, row.task_id, old_start, self.leveled, self.filter_terms())

    @work(thread=True, group="gantt-shift")
    def _shift_worker(self, key: str, task_id: int, old_start: date, leveled: bool, terms: list[str]) -> None:
        from planner.services.planning.constraints import move_start
        from planner.services.queries import get_task, last_event_id

        try:
            task = get_task(self.ctx, task_id)
            if task.actual_start is not None:
                raise InvalidInputError(f"#{task_id} started on {task.actual_start:%b %d}: its bar keeps its actual "
                                        "start; change its duration or percent done in the editor (e)")
            # back to where it would start anyway: the constraint goes rather than pinning it there
            wanted = self._shift_targets.get(task_id)
            target = move_start(self.ctx, task_id, wanted, expected_version=task.version,
                                earlier=wanted is None or wanted < old_start)
            message = self._schedule_message(key, leveled, terms, moved=(task_id, old_start, target or old_start))
            event_id = last_event_id(self.ctx)
        except PlannerError as error:
            self.post_message(ActionFailed(error))
            self.reload_from_worker()
            return
        from planner.screens.base import EventLogSeen

        self.app.post_message(EventLogSeen(event_id))
        self.post_message(message)

    def reload_from_worker(self) -> None:
        """Put the real schedule back after a refused move."""
        self.app.call_from_thread(self.reload)

    def _announce_move(self, previous: GanttModel, model: GanttModel, moved: tuple[int, date, date]) -> None:
        task_id, old_start, _target = moved
        row = next((r for r in model.rows if r.task_id == task_id), None)
        if row is None:
            return
        was_late = {r.task_id for r in previous.rows if r.late}
        late_now = {r.task_id for r in model.rows if r.late}
        now_late = [r for r in model.rows if r.task_id in late_now - was_late and r.kind != "summary"]
        recovered = sorted(was_late - late_now)
        if row.start == old_start:
            self.notify(f"#{task_id} is held where it is by its predecessors or the status date", severity="warning")
        if now_late:
            names = ", ".join(f"#{r.task_id} {r.title} ({r.slack_days:+d}d)" for r in now_late[:3])
            self.notify(f"Now late: {names}", title="Deadline at risk", severity="error", timeout=6)
        elif recovered:
            self.notify(f"Back on time: {', '.join(f'#{task_id}' for task_id in recovered[:5])}")

    # -- text around the chart ----------------------------------------------------------------
    def _show_title(self) -> None:
        if self.frame is not None:
            self.query_one("#gantt-title", Static).update(title_line(self.frame, self.filter_text), layout=False)

    @on(GanttChart.Highlighted)
    def _show_detail(self) -> None:
        row = self.chart.selected_row
        self.query_one("#gantt-detail", Static).update(detail_line(row, self.chart.model) if row else "",
                                                             layout=False)

    @on(GanttChart.DragPreview)
    def _drag_preview(self, event: GanttChart.DragPreview) -> None:
        if event.start is None or event.finish is None:
            self._show_detail()
            return
        finish = f" → {event.finish:%a %b %d}" if event.finish > event.start else ""
        self.query_one("#gantt-detail", Static).update(
            f"[b]#{event.task_id}[/b] to {event.start:%a %b %d}{finish}  ·  {event.working_days:+d} working days  ·  "
            "release to move", layout=False)

    @on(GanttChart.OpenRequested)
    def _open_requested(self, event: GanttChart.OpenRequested) -> None:
        self._open_editor(event.task_id)

    # -- toggles ------------------------------------------------------------------------------
    def action_zoom(self) -> None:
        """Day → week → month."""
        names = list(ZOOMS)
        self.chart.zoom = names[(names.index(self.chart.zoom) + 1) % len(names)]
        self.notify(f"{self.chart.zoom.capitalize()} scale", timeout=2)

    def action_toggle_leveled(self) -> None:
        """Show the resource-leveled schedule, or the critical-path one."""
        self.leveled = not self.leveled
        self.notify("Leveled schedule: nobody above capacity" if self.leveled else "Critical-path schedule")
        self.reload()

    def action_toggle_baseline(self) -> None:
        """Show or hide baseline ghost bars."""
        self.chart.show_baseline = not self.chart.show_baseline

    def action_toggle_arrows(self) -> None:
        """Show or hide the dependency arrows (the app remembers it for the next Gantt)."""
        self.state.gantt_arrows = self.chart.show_arrows = not self.chart.show_arrows
        self.notify("Dependency arrows shown" if self.chart.show_arrows else "Dependency arrows hidden", timeout=2)

    def action_toggle_forecast(self) -> None:
        """Show or hide the P85 markers."""
        self.forecast_on = not self.forecast_on
        if not self.forecast_on:
            self.chart.model.forecast = {}
            for row in self.chart.model.rows:
                row.p85 = None
            self.chart.invalidate()
        else:
            self.reload()

    def action_save_baseline(self) -> None:
        """Save the current schedule as a new baseline."""
        from planner.services.planning.plan import save_baseline

        if self.loaded_key:
            self.write(lambda baseline: self.BaselineSaved(baseline.name), save_baseline, self.loaded_key)

    class BaselineSaved(Message):
        """A baseline was saved."""

        def __init__(self, name: str) -> None:
            super().__init__()
            self.name = name

    @on(BaselineSaved)
    def _baseline_saved(self, event: BaselineSaved) -> None:
        self.notify(f"Baseline '{event.name}' saved")
        self.reload()

    def screen_commands(self) -> list[SystemCommand]:
        """Gantt commands for the palette."""
        return [SystemCommand("Zoom", "Day, week or month scale (z)", self.action_zoom),
                SystemCommand("Toggle leveled schedule", "Resource-leveled dates (v)", self.action_toggle_leveled),
                SystemCommand("Toggle baseline ghosts", "Bars of the saved baseline (b)", self.action_toggle_baseline),
                SystemCommand("Toggle dependency arrows", "Arrows between linked bars (a)", self.action_toggle_arrows),
                SystemCommand("Toggle forecast", "P85 markers of milestones (f)", self.action_toggle_forecast),
                SystemCommand("Save baseline", "Keep today's schedule to compare against (B)",
                              self.action_save_baseline)]
