"""Names and ids made from other tools' text: project keys, tags, and the UUIDs Planner exports under."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timezone
from functools import lru_cache


_SLUG_DROP = re.compile(r"[^a-z0-9_.-]+")


@lru_cache(maxsize=4096)
def slug(text: str, fallback: str = "imported") -> str:
    """A project key or handle from a free-form name (``"Home Garden"`` -> ``home-garden``)."""
    value = _SLUG_DROP.sub("-", text.strip().lower()).strip("-.")
    if not value or not value[0].isalnum():
        value = f"{fallback}-{value}".strip("-") if value else fallback
    return value[:40].rstrip("-.") or fallback


def clean_tag(text: str) -> str:
    """A tag as Planner stores it: lower case, one word."""
    return re.sub(r"\s+", "-", text.strip().lstrip("+@").lower())


_PLANNER_NAMESPACE = uuid.UUID("6f1c1b52-7d1e-4c55-9a43-3e2f1d0c9b7a")


def planner_uuid(task_id: int, created_at: datetime | str | None) -> str:
    """The stable UUID under which Planner exports a task that has no source id of its own.

    Derived from the task's id and creation second, so the same database
    always writes the same UUID and a round trip through another tool finds
    the task again, while another database's task #id does not match.
    """
    if isinstance(created_at, str):
        created_at = datetime.fromisoformat(created_at.replace("Z", "+00:00"))
    stamp = ""
    if created_at is not None:
        if created_at.tzinfo is None:
            created_at = created_at.replace(tzinfo=timezone.utc)
        stamp = created_at.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%S")
    return str(uuid.uuid5(_PLANNER_NAMESPACE, f"planner-task:{task_id}:{stamp}"))


def bare_uuid(external_id: str) -> str | None:
    """The UUID inside an external id (``tw:<uuid>`` -> ``<uuid>``), or None when it holds none."""
    rest = external_id.split(":", 1)[1] if ":" in external_id else external_id
    try:
        return str(uuid.UUID(rest))
    except ValueError:
        return None
