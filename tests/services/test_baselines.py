"""Baselines listed and removed through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from planner.domain.errors import NotFoundError
from planner.services.planning.baselines import list_baselines, remove_baseline
from planner.services.planning.plan import save_baseline
from planner.services.planning.projects import add_project
from planner.services.tasks.operations import TaskDraft, add_task
from planner.services.undo import undo_last


def test_baselines_are_listed_removed_and_restored_by_undo(ctx):
    add_project(ctx, "web", start=date(2026, 11, 30))
    add_task(ctx, TaskDraft("Design", project="web", duration_days=3))
    add_task(ctx, TaskDraft("Build", project="web", duration_days=2))
    save_baseline(ctx, "web", name="kickoff")
    save_baseline(ctx, "web", name="later")
    assert [(b.project, b.name, b.task_count) for b in list_baselines(ctx, "web")] == [
        ("web", "kickoff", 2), ("web", "later", 2)]
    assert remove_baseline(ctx, "web", "kickoff").task_count == 2
    assert [b.name for b in list_baselines(ctx)] == ["later"]
    with pytest.raises(NotFoundError, match="no baseline 'kickoff' for web: its baselines are 'later'"):
        remove_baseline(ctx, "web", "kickoff")
    undo_last(ctx)
    assert [(b.name, b.task_count) for b in list_baselines(ctx, "web")] == [("kickoff", 2), ("later", 2)]
