"""A Line API base for long row lists: sticky header lines, a row cursor, only visible rows rendered.

Subclasses say how many rows there are and draw one line of one row;
:class:`RowView` keeps the cursor in view, caches rendered lines until the
data or the view changes, and turns clicks into cursor moves. A 10,000-row list
costs what its visible rows cost.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from planner.render.gantt_cells import fit_cells


def css_beside(module_file: str) -> str:
    """The stylesheet next to a widget's module (``x.py`` -> ``x.tcss``), for its ``DEFAULT_CSS``."""
    return Path(module_file).with_suffix(".tcss").read_text(encoding="utf-8")


def runs_to_strip(cells: Iterable[tuple[str, Style]], width: int, *, exact: bool = False) -> Strip:
    """A strip from (text, style) pieces, merging neighbours that share a style object.

    With ``exact`` the caller promises the pieces are one cell per character and ``width`` in all,
    which saves measuring them.
    """
    segments: list[Segment] = []
    text_parts: list[str] = []
    current: Style | None = None
    for text, style in cells:
        if style is not current:
            if text_parts:
                segments.append(Segment("".join(text_parts), current))
            text_parts, current = [], style
        text_parts.append(text)
    if text_parts:
        segments.append(Segment("".join(text_parts), current))
    if exact:
        return Strip(segments, width)
    return Strip(segments).adjust_cell_length(width, current)


def fit(text: str, width: int) -> str:
    """``text`` cut with an ellipsis or padded to exactly ``width`` cells (wide characters count two)."""
    return fit_cells(text, width)


class CachedLinesView(ScrollView):
    """A ScrollView that caches its rendered lines and its own style until data or styles change."""

    def __init__(self, *, cache_size: int = 2048, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._lines: LRUCache[tuple, Strip] = LRUCache(cache_size)
        self._generation = 0
        self._base_style: Style | None = None

    def invalidate(self) -> None:
        """Forget cached lines and repaint."""
        self._generation += 1
        self._lines.clear()
        self.refresh()

    @property
    def base_style(self) -> Style:
        """The widget's own style (colours of the theme), computed once until styles change."""
        if self._base_style is None:
            self._base_style = self.rich_style
        return self._base_style

    def notify_style_update(self) -> None:
        """Styles changed (theme, focus): forget the cached style and lines."""
        super().notify_style_update()
        self._base_style = None
        self._generation += 1
        self._lines.clear()


class RowView(CachedLinesView, can_focus=True):
    """Rows under ``header_height`` sticky lines, each row ``row_height`` lines, with a cursor."""

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "jump(0)", "First", show=False),
        Binding("end", "jump(-1)", "Last", show=False),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)

    class Highlighted(Message):
        """The cursor moved onto a row."""

        def __init__(self, view: RowView, index: int) -> None:
            super().__init__()
            self.view = view
            self.index = index

        @property
        def control(self) -> RowView:
            """The list that sent it."""
            return self.view

    header_height = 1
    row_height = 1

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.row_count = 0

    # -- what subclasses provide -------------------------------------------------------------
    def content_width(self) -> int:
        """Width of the whole content (wider than the view scrolls horizontally)."""
        return self.scrollable_content_region.width

    def render_header(self, y: int, width: int) -> Strip:
        """Sticky header line ``y``."""
        return Strip.blank(width, self.base_style)

    def render_row(self, index: int, line: int, width: int, selected: bool) -> Strip:
        """Line ``line`` of row ``index``."""
        raise NotImplementedError

    def row_state(self, index: int) -> object:
        """Anything else a row's drawing depends on (part of its cache key)."""
        return None

    # -- data changes ------------------------------------------------------------------------
    def set_row_count(self, count: int) -> None:
        """Tell the view how many rows there are now (the cursor stays where it can)."""
        self.row_count = count
        self._resize()
        if count and self.cursor >= count:
            self.cursor = count - 1
        self.invalidate()

    def _resize(self) -> None:
        self.virtual_size = Size(self.content_width(), self.header_height + self.row_count * self.row_height)

    def on_resize(self, _event: events.Resize) -> None:
        """Recompute the virtual size for the new width."""
        self._resize()
        self.invalidate()

    # -- rendering ---------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        """One line of the view: a sticky header line or a visible row's line."""
        width = self.scrollable_content_region.width
        if y < self.header_height:
            key = ("header", y, width, int(self.scroll_x), self._generation)
            strip = self._lines.get(key)
            if strip is None:
                strip = self._lines[key] = self.render_header(y, width)
            return strip
        index, line = divmod(y - self.header_height + int(self.scroll_y), self.row_height)
        if index >= self.row_count:
            return Strip.blank(width, self.base_style)
        selected = index == self.cursor
        key = (index, line, selected, width, int(self.scroll_x), self._generation, self.has_focus,
               self.row_state(index))
        strip = self._lines.get(key)
        if strip is None:
            strip = self._lines[key] = self.render_row(index, line, width, selected)
        return strip

    def on_focus(self) -> None:
        """Show the cursor in its focused colour."""
        self.refresh()

    def on_blur(self) -> None:
        """Show the cursor in its unfocused colour."""
        self.refresh()

    # -- cursor ------------------------------------------------------------------------------
    @property
    def page_rows(self) -> int:
        """How many whole rows fit under the header."""
        return max(1, (self.scrollable_content_region.height - self.header_height) // self.row_height)

    def watch_cursor(self, old: int, new: int) -> None:
        """Repaint the two rows involved, keep the new one in view and say so."""
        self._refresh_row(old)
        self._refresh_row(new)
        self.scroll_cursor_into_view()
        if self.row_count:
            self.post_message(self.Highlighted(self, new))

    def validate_cursor(self, value: int) -> int:
        """Keep the cursor on a row."""
        return max(0, min(value, self.row_count - 1)) if self.row_count else 0

    def _refresh_row(self, index: int) -> None:
        top = self.header_height + index * self.row_height - int(self.scroll_y)
        self.refresh(Region(0, top, self.size.width, self.row_height))

    def scroll_cursor_into_view(self) -> None:
        """Scroll the least distance that shows the cursor's row."""
        visible = self.scrollable_content_region.height - self.header_height
        top = self.cursor * self.row_height
        bottom = top + self.row_height
        if top < self.scroll_y:
            self.scroll_to(y=top, animate=False, immediate=True)
        elif bottom > self.scroll_y + visible:  # whole rows at the top: round up to a row boundary
            rows_above = -(-(bottom - visible) // self.row_height)
            self.scroll_to(y=rows_above * self.row_height, animate=False, immediate=True)

    def action_cursor(self, step: int) -> None:
        """Move the cursor by ``step`` rows."""
        self.cursor += step

    def action_page(self, direction: int) -> None:
        """Move the cursor (and the view) by a page."""
        self.scroll_to(y=self.scroll_y + direction * self.page_rows * self.row_height, animate=False, immediate=True)
        self.cursor += direction * self.page_rows

    def action_jump(self, index: int) -> None:
        """Put the cursor on the first (0) or last (-1) row."""
        self.cursor = self.row_count - 1 if index < 0 else index

    def on_click(self, event: events.Click) -> None:
        """A click on a row puts the cursor there."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y < self.header_height:
            return
        index = (offset.y - self.header_height + int(self.scroll_y)) // self.row_height
        if index < self.row_count:
            self.cursor = index
            if event.chain == 2:
                self.on_double_click(index)

    def on_double_click(self, index: int) -> None:
        """A row was double-clicked (subclasses open it)."""
