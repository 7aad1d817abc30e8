"""The bar across the top: the screens as tabs, the project, who and what day, and the running timer."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widget import Widget

TABS = (("queue", "1", "Queue"), ("board", "2", "Board"), ("gantt", "3", "Gantt"), ("load", "4", "Load"),
        ("agenda", "5", "Agenda"), ("charts", "6", "Charts"))


def elapsed(started: datetime, now: datetime) -> str:
    """``h:mm`` since ``started`` (never negative)."""
    minutes = max(0, int((now - started).total_seconds() // 60))
    return f"{minutes // 60}:{minutes % 60:02d}"


class TopBar(Widget):
    """One line: Planner, tabs (1 Queue 2 Board 3 Gantt), project, person and date, timer."""

    DEFAULT_CSS = "TopBar { height: 1; }"
    COMPONENT_CLASSES = {"top-bar--brand", "top-bar--tab", "top-bar--active", "top-bar--timer", "top-bar--info"}

    class TabClicked(Message):
        """A tab was clicked."""

        def __init__(self, mode: str) -> None:
            super().__init__()
            self.mode = mode

    def __init__(self, active: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.active = active
        self._tab_spans: list[tuple[int, int, str]] = []

    def on_mount(self) -> None:
        """Follow the app's project and timer, and tick the timer once a minute-ish."""
        self.watch(self.app, "project_key", lambda _value: self.refresh(), init=False)
        self.watch(self.app, "timer", lambda _value: self.refresh(), init=False)
        self.set_interval(15, self.refresh)

    def render(self) -> Text:
        """The bar's text, fitted to its width."""
        app: Any = self.app
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(" ◆ Planner ", style=self.get_component_rich_style("top-bar--brand"))
        self._tab_spans = []
        for mode, key, label in TABS:
            style = self.get_component_rich_style("top-bar--active" if mode == self.active else "top-bar--tab")
            begin = len(text)
            text.append(f" {key} {label} ", style=style)
            self._tab_spans.append((begin, len(text), mode))
        info = self.get_component_rich_style("top-bar--info")
        right = Text(no_wrap=True)
        project = getattr(app, "project_key", None)
        if project and self.active != "queue":
            right.append(f" {project} ", style=info)
        right.append(f" {app.ctx.actor} · {app.ctx.today():%a %d %b} ", style=info)
        timer = getattr(app, "timer", None)
        if timer is not None:
            title = timer.title if len(timer.title) <= 24 else timer.title[:23] + "…"
            right.append(f" ● #{timer.task_id} {title} {elapsed(timer.started_local, app.ctx.now())} ",
                         style=self.get_component_rich_style("top-bar--timer"))
        room = self.size.width - len(text) - right.cell_len
        if room < 1:  # narrow terminal: the timer matters more than the person and date
            right = right[-max(0, self.size.width - len(text)):] if timer is not None else Text()
            room = max(0, self.size.width - len(text) - right.cell_len)
        text.append(" " * room)
        text.append_text(right)
        return text

    def on_click(self, event: events.Click) -> None:
        """Clicking a tab switches screens."""
        for begin, end, mode in self._tab_spans:
            if begin <= event.x < end:
                self.post_message(self.TabClicked(mode))
