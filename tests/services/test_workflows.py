"""Workflows on SQLite and PostgreSQL: states, categories, WIP limits and moving tasks."""

from __future__ import annotations

import pytest

from planner.domain.errors import ConflictError, InvalidInputError, NotFoundError
from planner.services import queries
from planner.services.planning.projects import add_project
from planner.services.tasks.operations import TaskDraft, add_task
from planner.services.flow.workflows import (
    add_state, add_workflow, edit_state, list_workflows, move_task, remove_state, show_workflow, use_workflow,
)


def _task(ctx, title: str, project: str = "web") -> int:
    return add_task(ctx, TaskDraft(title, project=project)).task_id


def test_default_workflow_has_the_five_states(ctx):
    info = show_workflow(ctx)
    assert [(s.key, s.category) for s in info.states] == [
        ("backlog", "todo"), ("todo", "todo"), ("doing", "doing"), ("review", "doing"), ("done", "done")]


def test_move_refuses_to_exceed_a_wip_limit_unless_forced(ctx):
    edit_state(ctx, "default", "doing", wip_limit=2)
    first, second, third = (_task(ctx, name) for name in "ABC")
    move_task(ctx, first, "doing")
    move_task(ctx, second, "doing")
    with pytest.raises(ConflictError) as refused:
        move_task(ctx, third, "doing")
    message = str(refused.value)
    assert "'doing'" in message and "2 of 2" in message and "--force" in message
    assert queries.get_task(ctx, third).status == "todo"
    forced = move_task(ctx, third, "doing", force=True)
    assert forced.forced_over_limit
    assert queries.get_task(ctx, third).status == "doing"


def test_wip_limit_counts_every_project_on_the_workflow_but_not_done_tasks(ctx):
    edit_state(ctx, "default", "doing", wip_limit=1)
    other = _task(ctx, "Elsewhere", project="ops")
    move_task(ctx, other, "doing")
    mine = _task(ctx, "Mine")
    with pytest.raises(ConflictError):
        move_task(ctx, mine, "doing")
    move_task(ctx, other, "done")
    move_task(ctx, mine, "doing")
    assert queries.get_task(ctx, mine).status == "doing"


def test_moving_within_the_same_state_is_not_an_overflow(ctx):
    edit_state(ctx, "default", "doing", wip_limit=1)
    task_id = _task(ctx, "A")
    move_task(ctx, task_id, "doing")
    assert move_task(ctx, task_id, "doing").state == "doing"


def test_move_to_done_completes_and_back_reopens(ctx):
    task_id = _task(ctx, "A")
    move_task(ctx, task_id, "review")
    task = queries.get_task(ctx, task_id)
    assert task.actual_start is not None and task.completed_at is None
    move_task(ctx, task_id, "done")
    assert queries.get_task(ctx, task_id).done
    move_task(ctx, task_id, "todo")
    assert not queries.get_task(ctx, task_id).done


def test_move_to_an_unknown_state_lists_the_valid_ones(ctx):
    task_id = _task(ctx, "A")
    with pytest.raises(NotFoundError, match="backlog, todo, doing, review, done"):
        move_task(ctx, task_id, "qa")


def test_custom_workflow_used_by_a_stream_maps_task_states(ctx):
    add_project(ctx, "support", kind="stream")
    waiting = _task(ctx, "Ticket", project="support")
    review = _task(ctx, "Check", project="support")
    move_task(ctx, review, "review")
    add_workflow(ctx, "tickets", states=[("new", "todo"), ("working", "doing"), ("closed", "done")])
    moved = use_workflow(ctx, "support", "tickets")
    assert moved == 2
    assert queries.get_task(ctx, waiting).status == "new"
    assert queries.get_task(ctx, review).status == "working"
    assert show_workflow(ctx, project="support").name == "tickets"
    move_task(ctx, waiting, "closed")
    assert queries.get_task(ctx, waiting).done


def test_add_edit_and_remove_states(ctx):
    add_workflow(ctx, "content")
    info = add_state(ctx, "content", "qa", category="doing", after="review", wip_limit=3)
    assert [s.key for s in info.states] == ["backlog", "todo", "doing", "review", "qa", "done"]
    info = edit_state(ctx, "content", "qa", position=1, wip_limit=None, name="Quality")
    assert info.states[0].key == "qa" and info.states[0].wip_limit is None and info.states[0].name == "Quality"
    info = remove_state(ctx, "content", "backlog")
    assert "backlog" not in [s.key for s in info.states]
    assert {w.name for w in list_workflows(ctx)} == {"default", "content"}


def test_removing_a_state_that_holds_tasks_needs_a_target(ctx):
    task_id = _task(ctx, "A")
    move_task(ctx, task_id, "review")
    with pytest.raises(ConflictError, match="--to"):
        remove_state(ctx, "default", "review")
    remove_state(ctx, "default", "review", move_to="doing")
    assert queries.get_task(ctx, task_id).status == "doing"


def test_a_workflow_keeps_a_todo_and_a_done_state(ctx):
    with pytest.raises(InvalidInputError, match="'done'"):
        add_workflow(ctx, "broken", states=[("open", "todo"), ("wip", "doing")])
    with pytest.raises(InvalidInputError, match="'done'"):
        remove_state(ctx, "default", "done")
    with pytest.raises(InvalidInputError, match="category"):
        add_state(ctx, "default", "odd", category="later")
    with pytest.raises(InvalidInputError, match="WIP limit"):
        edit_state(ctx, "default", "doing", wip_limit=0)


def test_recategorizing_a_state_to_done_completes_its_tasks(ctx):
    task_id = _task(ctx, "A")
    move_task(ctx, task_id, "review")
    edit_state(ctx, "default", "review", category="done")
    assert queries.get_task(ctx, task_id).done
