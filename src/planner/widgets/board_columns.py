"""The board's columns as plain data: a workflow state with its WIP figures and its cards in board order."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

UNASSIGNED = "unassigned"


@dataclass(slots=True)
class BoardColumn:
    """A workflow state and the cards shown in it (in board order)."""

    key: str
    name: str
    category: str
    wip_limit: int | None
    count: int
    cards: list[Any] = field(default_factory=list)

    @property
    def over_limit(self) -> bool:
        """More open tasks than the WIP limit allows."""
        return self.wip_limit is not None and self.count > self.wip_limit

    @property
    def at_limit(self) -> bool:
        """Exactly at the limit: the next card would go over."""
        return self.wip_limit is not None and self.count >= self.wip_limit


def group_cards(states: list[Any], cards: list[Any]) -> list[BoardColumn]:
    """Columns for a workflow's states (in order) holding the cards in board-rank order."""
    by_state: dict[str, list[Any]] = defaultdict(list)
    for card in cards:
        by_state[card.status].append(card)
    columns = []
    for state in states:
        held = sorted(by_state.get(state.key, ()), key=lambda card: (card.board_rank, card.id))
        count = state.task_count if state.wip_limit is not None else len(held)
        columns.append(BoardColumn(state.key, state.name, state.category, state.wip_limit, count, held))
    return columns
