"""Applying an edited task form on both backends: all of it in one transaction, or nothing."""

from __future__ import annotations

import pytest

from planner.domain.errors import NotFoundError
from planner.services.people.resources import add_resource
from planner.services.queries import get_task
from planner.services.tasks.form import FormConflictError, apply_form, open_form
from planner.services.tasks.operations import TaskDraft, add_task, edit_task
from planner.services.undo import undo_last


@pytest.fixture
def two_tasks(ctx):
    add_resource(ctx, "ana")
    add_task(ctx, TaskDraft(title="Research"))
    add_task(ctx, TaskDraft(title="Write spec", tags=["docs"], after=[1]))
    return ctx


def test_a_form_applies_as_one_edit_and_one_undo(two_tasks):
    ctx = two_tasks
    shown = open_form(ctx, 2)
    text = (shown.text.replace('title = "Write spec"', 'title = "Write the spec"')
            .replace('["docs"]', '["docs", "seo"]').replace("dependencies = [1]", "dependencies = []")
            .replace("assignees = []", 'assignees = ["ana"]').replace('status = "todo"', 'status = "doing"'))
    assert apply_form(ctx, shown, text) == ["title", "status", "tags", "assignees", "dependencies"]
    task = get_task(ctx, 2)
    assert (task.title, task.status, sorted(task.tags), task.assignees, task.depends_on) == (
        "Write the spec", "doing", ["docs", "seo"], ["ana"], [])
    undo_last(ctx)
    task = get_task(ctx, 2)
    assert (task.title, task.status, task.tags, task.assignees, task.depends_on) == (
        "Write spec", "todo", ["docs"], [], [1])


def test_an_unknown_person_refuses_the_whole_form(two_tasks):
    shown = open_form(two_tasks, 2)
    text = shown.text.replace('title = "Write spec"', 'title = "Changed"').replace("assignees = []", 'assignees = ["bo"]')
    with pytest.raises(NotFoundError):
        apply_form(two_tasks, shown, text)
    assert get_task(two_tasks, 2).title == "Write spec"


def test_a_change_made_meanwhile_is_a_conflict_naming_its_fields(two_tasks):
    ctx = two_tasks
    shown = open_form(ctx, 2)
    edit_task(ctx, 2, {"priority": 2, "notes": "theirs"})
    with pytest.raises(FormConflictError) as raised:
        apply_form(ctx, shown, shown.text.replace('title = "Write spec"', 'title = "Mine"'))
    assert raised.value.fields == ["priority", "notes"]
    assert "tester changed priority, notes" in str(raised.value)
    assert get_task(ctx, 2).title == "Write spec"
    assert apply_form(ctx, shown, shown.text) == []  # an unchanged form is no edit, even when stale
