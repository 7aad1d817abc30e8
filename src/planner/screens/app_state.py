"""The app's state as screens see it, typed (the app module imports the screens, so they cannot import it)."""

from __future__ import annotations

from typing import Any, Protocol, cast

from planner.services.context import Context


class PlannerAppState(Protocol):
    """What screens read and set on the app: the service context, the chosen project, the data generation, toggles."""

    ctx: Context
    project_key: str | None
    data_generation: int
    gantt_arrows: bool  # the Gantt's dependency arrows are shown


def app_state(node: Any) -> PlannerAppState:
    """The Planner app a screen or widget runs in, typed."""
    return cast(PlannerAppState, node.app)
