"""Shell completion's lookups on both backends: read-only, and nothing when the store is not there."""

from __future__ import annotations

import pytest

from planner.services import completion
from planner.services.people.resources import add_resource
from planner.services.planning.projects import add_project, archive_project
from planner.services.tasks.operations import TaskDraft, add_task, complete_task


@pytest.fixture
def filled(ctx):
    add_project(ctx, "web", name="Web site")
    add_project(ctx, "old_2", name="Old")
    archive_project(ctx, "old_2")
    add_resource(ctx, "ana", name="Ana Lopez")
    for title in ("Buy milk", "100% done", "Call mom"):
        add_task(ctx, TaskDraft(title=title, project="web", tags=["errands", "home_1"]))
    complete_task(ctx, 2)
    return ctx


def test_ids_with_titles_open_first_keys_handles_and_tags(filled):
    url = filled.location.url
    assert completion.task_ids(url, "") == [("1", "Buy milk"), ("3", "Call mom"), ("2", "100% done")]
    assert completion.task_ids(url, "3") == [("3", "Call mom")]
    assert completion.task_ids(url, "1,") == [("1,1", "Buy milk"), ("1,3", "Call mom"), ("1,2", "100% done")]
    assert completion.task_ids(url, "x") == []
    assert completion.project_keys(url, "w") == [("web", "Web site")]
    assert completion.project_keys(url, "old") == []  # archived
    assert completion.handles(url, "") == [("ana", "Ana Lopez")]
    assert completion.tags(url, "home_") == [("home_1", "")] and completion.tags(url, "home%") == []


def test_filter_terms_complete_keys_values_and_tags(filled):
    url = filled.location.url
    assert [word for word, _ in completion.filter_terms(url, "due.")] == ["due.before:", "due.after:", "due.by:",
                                                                           "due.not:"]
    assert completion.filter_terms(url, "project:w") == [("project:web", "Web site")]
    assert ("assignee:me", "yourself") in completion.filter_terms(url, "assignee:")
    assert ("+errands", "tag") in completion.filter_terms(url, "+") and ("-blocked", "state") in completion.filter_terms(url, "-b")
    assert "status:doing" in [word for word, _ in completion.filter_terms(url, "status:d")]


def test_a_missing_or_unreachable_store_gives_nothing_and_creates_nothing(tmp_path):
    missing = tmp_path / "nowhere" / "planner.db"
    assert completion.task_ids(f"sqlite:///{missing}", "") == []
    assert completion.tags(str(tmp_path / "none.db"), "") == []
    assert completion.handles("postgresql://nobody@127.0.0.1:1/none", "") == []
    assert completion.project_keys("mysql://x/y", "") == []
    assert list(tmp_path.iterdir()) == []
