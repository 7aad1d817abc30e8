"""The board: workflow columns of cards, optional swimlanes by person, drawn with the Line API.

One widget lays the whole board out (so swimlanes line up across columns)
and draws only the lines on screen; 2,000 cards cost what the visible ones
cost. Column headers stay at the top; they show the WIP count against the
limit and turn red when over. Cards move with shift+←/→ (or a mouse drag to
another column) and reorder with shift+↑/↓; the screen does the writing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip

from planner.widgets.board_columns import UNASSIGNED, BoardColumn, group_cards
from planner.widgets.line_list import CachedLinesView, css_beside, fit, runs_to_strip

__all__ = ["BoardColumn", "BoardView", "group_cards"]

CARD_HEIGHT = 3
MIN_COLUMN = 15


class BoardView(CachedLinesView, can_focus=True):
    """Columns × (optional) lanes of cards with a card cursor."""

    DEFAULT_CSS = css_beside(__file__)

    COMPONENT_CLASSES = {"board--header", "board--over", "board--rule", "board--lane", "board--card",
                         "board--card-meta", "board--cursor", "board--blocked", "board--late", "board--p3",
                         "board--p2", "board--p1", "board--p0", "board--done"}
    BINDINGS = [
        Binding("up", "move_cursor(0, -1)", "Up", show=False),
        Binding("down", "move_cursor(0, 1)", "Down", show=False),
        Binding("left", "move_cursor(-1, 0)", "Left", show=False),
        Binding("right", "move_cursor(1, 0)", "Right", show=False),
        Binding("shift+right,greater_than_sign", "move_card(1)", "Move", key_display="⇧←→",
                tooltip="Move the card to the next column"),
        Binding("shift+left,less_than_sign", "move_card(-1)", "Move back", show=False,
                tooltip="Move the card to the previous column"),
        Binding("shift+up", "rank(-1)", "Up in column", show=False),
        Binding("shift+down", "rank(1)", "Down in column", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("enter", "open", "Edit", show=False),
    ]
    header_height = 2
    swimlanes: reactive[bool] = reactive(False)

    class MoveRequested(Message):
        """Move a card to the state ``state_key``."""

        def __init__(self, card: Any, state_key: str) -> None:
            super().__init__()
            self.card, self.state_key = card, state_key

    class RankRequested(Message):
        """Put a card between two neighbours of its column (``board_rank``)."""

        def __init__(self, card: Any, rank: float) -> None:
            super().__init__()
            self.card, self.rank = card, rank

    class OpenRequested(Message):
        """Edit a card's task."""

        def __init__(self, task_id: int) -> None:
            super().__init__()
            self.task_id = task_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(cache_size=1024, id=id)
        self.columns: list[BoardColumn] = []
        self.blocked: set[int] = set()
        self.today = date.today()
        self.cursor_column = 0
        self.cursor_card = 0
        self._lanes: list[str] = [""]
        self._grid: list[list[list[Any]]] = []  # lane -> column -> cards
        self._lane_top: list[int] = []
        self._lane_rows: list[int] = []
        self._placement: dict[int, tuple[int, int]] = {}  # card id -> (lane, row in lane)
        self._order: list[list[Any]] = []  # column -> cards in display order
        self._drag: Any = None

    # -- data and layout ----------------------------------------------------------------------
    def show(self, columns: list[BoardColumn], *, blocked: set[int], today: date) -> None:
        """Draw new columns, keeping the cursor on the same card when it is still there."""
        keep = self.selected_card.id if self.selected_card is not None else None
        self.columns, self.blocked, self.today = columns, blocked, today
        self._layout()
        if keep is None or not self.select_task(keep):
            self._clamp()
            if self.selected_card is None:  # start on the first column that has cards
                self.cursor_column = next((c for c, cards in enumerate(self._order) if cards), 0)
                self.cursor_card = 0
        self.invalidate()

    def _layout(self) -> None:
        lanes = [""]
        if self.swimlanes:
            people = sorted({(card.assignees or [UNASSIGNED])[0] for column in self.columns for card in column.cards})
            lanes = sorted(people, key=lambda p: (p == UNASSIGNED, p)) or [UNASSIGNED]
        lane_index = {lane: i for i, lane in enumerate(lanes)}
        grid = [[[] for _ in self.columns] for _ in lanes]
        for c, column in enumerate(self.columns):
            for card in column.cards:
                lane = lane_index[(card.assignees or [UNASSIGNED])[0]] if self.swimlanes else 0
                grid[lane][c].append(card)
        self._lanes, self._grid = lanes, grid
        self._lane_top, self._lane_rows, top = [], [], 0
        self._placement = {}
        for lane, cells in enumerate(grid):
            rows = max((len(cards) for cards in cells), default=0)
            rows = max(rows, 1 if self.swimlanes else 0)
            self._lane_top.append(top)
            self._lane_rows.append(rows)
            top += (1 if self.swimlanes else 0) + rows * CARD_HEIGHT
            for cards in cells:
                for row, card in enumerate(cards):
                    self._placement[card.id] = (lane, row)
        self._order = [[card for lane in grid for card in lane[c]] for c in range(len(self.columns))]
        self._content_height = top
        self._resize()

    def _resize(self) -> None:
        self.virtual_size = Size(self.column_width * len(self.columns), self.header_height + self._content_height)

    @property
    def column_width(self) -> int:
        """Each column's width: an equal share, at least MIN_COLUMN."""
        count = max(1, len(self.columns))
        return max(MIN_COLUMN, self.scrollable_content_region.width // count)

    def on_resize(self, _event: events.Resize) -> None:
        """New width: new column widths."""
        self._resize()
        self.invalidate()

    def watch_swimlanes(self) -> None:
        """Lay the cards out again with or without lanes."""
        card = self.selected_card
        self._layout()
        if card is not None:
            self.select_task(card.id)
        self.invalidate()

    # -- cursor -------------------------------------------------------------------------------
    @property
    def selected_card(self) -> Any | None:
        """The card under the cursor."""
        if 0 <= self.cursor_column < len(self._order) and 0 <= self.cursor_card < len(self._order[self.cursor_column]):
            return self._order[self.cursor_column][self.cursor_card]
        return None

    def select_task(self, task_id: int) -> bool:
        """Put the cursor on a card."""
        for c, cards in enumerate(self._order):
            for i, card in enumerate(cards):
                if card.id == task_id:
                    self.cursor_column, self.cursor_card = c, i
                    self._cursor_moved()
                    return True
        return False

    def _clamp(self) -> None:
        if not self._order:
            self.cursor_column = self.cursor_card = 0
            return
        self.cursor_column = max(0, min(self.cursor_column, len(self._order) - 1))
        self.cursor_card = max(0, min(self.cursor_card, len(self._order[self.cursor_column]) - 1))

    def _cursor_moved(self) -> None:
        self.refresh()
        card = self.selected_card
        if card is None:
            return
        lane, row = self._placement[card.id]
        top = self._lane_top[lane] + (1 if self.swimlanes else 0) + row * CARD_HEIGHT
        visible = self.scrollable_content_region.height - self.header_height
        if top < self.scroll_y:
            self.scroll_to(y=max(0, top - (1 if self.swimlanes and row == 0 else 0)), animate=False, immediate=True)
        elif top + CARD_HEIGHT > self.scroll_y + visible:
            self.scroll_to(y=top + CARD_HEIGHT - visible, animate=False, immediate=True)
        left = self.cursor_column * self.column_width
        width = self.scrollable_content_region.width
        if left < self.scroll_x:
            self.scroll_to(x=left, animate=False, immediate=True)
        elif left + self.column_width > self.scroll_x + width:
            self.scroll_to(x=left + self.column_width - width, animate=False, immediate=True)

    def action_move_cursor(self, columns: int, cards: int) -> None:
        """Arrow keys: next card up/down, or the neighbouring column at about the same height."""
        if not self._order:
            return
        if columns:
            target = self.cursor_column + columns
            if not 0 <= target < len(self._order):
                return
            self.cursor_column = target
        else:
            self.cursor_card += cards
        self._clamp()
        self._cursor_moved()

    def action_page(self, direction: int) -> None:
        """A page of cards up or down."""
        rows = max(1, (self.scrollable_content_region.height - self.header_height) // CARD_HEIGHT)
        self.action_move_cursor(0, direction * rows)

    def action_move_card(self, direction: int) -> None:
        """Ask to move the card to the previous or next state."""
        card = self.selected_card
        target = self.cursor_column + direction
        if card is not None and 0 <= target < len(self.columns):
            self.post_message(self.MoveRequested(card, self.columns[target].key))

    def action_rank(self, direction: int) -> None:
        """Ask to move the card above its upper (or below its lower) neighbour."""
        cards = self._order[self.cursor_column] if self._order else []
        index = self.cursor_card
        target = index + direction
        if not cards or not 0 <= target < len(cards):
            return
        if direction < 0:
            before = cards[target - 1].board_rank if target > 0 else cards[target].board_rank - 2.0
            rank = (before + cards[target].board_rank) / 2
        else:
            after = cards[target + 1].board_rank if target + 1 < len(cards) else cards[target].board_rank + 2.0
            rank = (cards[target].board_rank + after) / 2
        self.post_message(self.RankRequested(cards[index], rank))

    def action_open(self) -> None:
        """Edit the selected card."""
        if self.selected_card is not None:
            self.post_message(self.OpenRequested(self.selected_card.id))

    # -- mouse --------------------------------------------------------------------------------
    def _card_at(self, x: int, y: int) -> tuple[int, Any | None]:
        column = int((x + self.scroll_x) // self.column_width)
        if y < self.header_height or not 0 <= column < len(self.columns):
            return column, None
        line = y - self.header_height + int(self.scroll_y)
        for lane in range(len(self._lanes)):
            top = self._lane_top[lane] + (1 if self.swimlanes else 0)
            if top <= line < top + self._lane_rows[lane] * CARD_HEIGHT:
                row = (line - top) // CARD_HEIGHT
                cards = self._grid[lane][column]
                return column, cards[row] if row < len(cards) and (line - top) % CARD_HEIGHT < 2 else None
        return column, None

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """Pick a card up (a click selects it)."""
        _column, card = self._card_at(event.x, event.y)
        if card is not None:
            self.select_task(card.id)
            self._drag = card
            self.capture_mouse()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        """Drop a dragged card on another column to move it there."""
        card, self._drag = self._drag, None
        self.release_mouse()
        if card is None:
            return
        column, _ = self._card_at(event.x, max(event.y, self.header_height))
        if 0 <= column < len(self.columns) and self.columns[column].key != card.status:
            self.post_message(self.MoveRequested(card, self.columns[column].key))

    # -- rendering ----------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        """A header line, a lane title or one line of a row of cards."""
        width = self.scrollable_content_region.width
        if y >= self.header_height:
            y = y - self.header_height + int(self.scroll_y)
            if y >= self._content_height:
                return Strip.blank(width, self.base_style)
            key: tuple = ("body", y, width, int(self.scroll_x), self._generation, self._selected_on(y))
        else:
            key = ("header", y, width, int(self.scroll_x), self._generation)
        strip = self._lines.get(key)
        if strip is None:
            full = self._header_line(y) if key[0] == "header" else self._body_line(y)
            strip = self._lines[key] = full.crop_extend(int(self.scroll_x), int(self.scroll_x) + width, self.base_style)
        return strip

    def _selected_on(self, line: int) -> int | None:
        """The selected card's id when content line ``line`` draws part of it (the line's cache depends on it)."""
        card = self.selected_card
        if card is None:
            return None
        lane, row = self._placement[card.id]
        top = self._lane_top[lane] + (1 if self.swimlanes else 0) + row * CARD_HEIGHT
        return card.id if top <= line < top + CARD_HEIGHT else None


    def _header_line(self, y: int) -> Strip:
        width = self.column_width
        cells: list[tuple[str, Style]] = []
        for column in self.columns:
            if y == 1:
                cells.append((("─" * (width - 1)) + " ", self.get_component_rich_style("board--rule")))
                continue
            count = f"{column.count}/{column.wip_limit}" if column.wip_limit is not None else f"{column.count}"
            name = "board--over" if column.over_limit else "board--header"
            text = f" {column.name}"
            cells.append((fit(text, width - len(count) - 2) + count + "  ", self.get_component_rich_style(name)))
        return runs_to_strip(cells, width * len(self.columns))

    def _body_line(self, line: int) -> Strip:
        width = self.column_width
        total = width * len(self.columns)
        lane = max(i for i, top in enumerate(self._lane_top) if top <= line)
        offset = line - self._lane_top[lane]
        if self.swimlanes:
            if offset == 0:
                count = sum(len(cards) for cards in self._grid[lane])
                title = f" ▾ {self._lanes[lane]} ({count})"
                return runs_to_strip([(fit(title, total), self.get_component_rich_style("board--lane"))], total)
            offset -= 1
        row, sub = divmod(offset, CARD_HEIGHT)
        cells: list[tuple[str, Style]] = []
        selected = self.selected_card
        for c, cards in enumerate(self._grid[lane]):
            card = cards[row] if row < len(cards) else None
            if card is None or sub == 2:
                cells.append((" " * width, self.base_style))
                continue
            cells.extend(self._card_line(card, sub, width, card is selected))
        return runs_to_strip(cells, total)

    def _card_line(self, card: Any, sub: int, width: int, selected: bool) -> list[tuple[str, Style]]:
        priority = self.get_component_rich_style(f"board--p{max(0, min(3, card.priority))}")
        body = self.get_component_rich_style("board--cursor" if selected else "board--card")

        def tone(name: str) -> Style:  # the cursor card is one colour; others colour their details
            return body if selected else self.get_component_rich_style(name)

        inner = width - 3
        edge = ("▌", priority + Style(bgcolor=body.bgcolor))
        if sub == 0:
            title = fit(f"#{card.id} {card.title}", inner)
            return [edge, (title, tone("board--done") if card.done else body), ("  ", self.base_style)]
        pieces: list[tuple[str, Style]] = []
        if card.id in self.blocked:
            pieces.append(("⊘ blocked ", tone("board--blocked")))
        if card.due is not None and not card.done:
            days = (card.due - self.today).days
            text = f"{card.due:%b %d}{'' if card.due.year == self.today.year else f' {card.due.year}'} " if days > 1 else "today " if days == 0 else "tomorrow " if days == 1 \
                else f"{-days}d late "
            pieces.append((text, tone("board--late") if days < 0 else tone("board--card-meta")))
        if card.assignees:
            pieces.append(("@" + " @".join(card.assignees), tone("board--card-meta")))
        used, out = 0, []
        for text, style in pieces:
            text = text[: max(0, inner - used)]
            used += len(text)
            out.append((text, style))
        out.append((" " * (inner - used), body))
        return [edge, *out, ("  ", self.base_style)]
