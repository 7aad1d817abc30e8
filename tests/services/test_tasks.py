"""Task services on SQLite and PostgreSQL: add, edit, complete, remove, undo, and bad input."""

from __future__ import annotations

from datetime import date

import pytest

from planner.domain.errors import CycleError, InvalidInputError, NotFoundError, StaleEditError
from planner.services import queries
from planner.services.tasks.dependencies import add_dependency, remove_dependency
from planner.services.tasks.operations import TaskDraft, add_task, complete_task, delete_task, edit_task, start_task
from planner.services.undo import undo_last
from planner.services.people.resources import add_resource


def test_add_creates_project_tags_and_assignees(ctx):
    add_resource(ctx, "ana")
    result = add_task(ctx, TaskDraft("Write spec", project="web", due=date(2026, 11, 27), estimate_hours=3,
                                     priority=2, tags=["docs"], assignees=["ana"]))
    assert result.created_project == "web"
    task = queries.get_task(ctx, result.task_id)
    assert (task.title, task.project, task.status, task.priority) == ("Write spec", "web", "todo", 2)
    assert task.due == date(2026, 11, 27) and task.estimate_hours == 3
    assert task.tags == ["docs"] and task.assignees == ["ana"]
    assert task.version == 1


def test_json_schema_has_the_documented_keys(ctx):
    task_id = add_task(ctx, TaskDraft("A")).task_id
    data = queries.get_task(ctx, task_id).to_json()
    for key in ("id", "title", "project", "status", "priority", "due", "estimate_hours", "duration_days",
                "tags", "assignees", "depends_on", "external_id"):
        assert key in data
    assert data["project"] == "inbox"


def test_edit_changes_fields_and_bumps_version(ctx):
    task_id = add_task(ctx, TaskDraft("A", project="web")).task_id
    edit_task(ctx, task_id, {"title": "B", "priority": 3}, add_tags=["x"], expected_version=1)
    task = queries.get_task(ctx, task_id)
    assert (task.title, task.priority, task.tags) == ("B", 3, ["x"])
    assert task.version == 2


def test_stale_edit_is_refused_and_changes_nothing(ctx):
    task_id = add_task(ctx, TaskDraft("A")).task_id
    edit_task(ctx, task_id, {"title": "by ana"}, expected_version=1)
    with pytest.raises(StaleEditError, match="changed since you loaded it"):
        edit_task(ctx, task_id, {"title": "by bo"}, expected_version=1)
    assert queries.get_task(ctx, task_id).title == "by ana"


def test_concurrent_sessions_detect_the_lost_update(ctx):
    """Two units of work load the same row; the second commit is refused, not silently applied."""
    from planner.store.models import Task

    task_id = add_task(ctx, TaskDraft("A")).task_id
    first, second = ctx.uow(), ctx.uow()
    with first:
        mine = first.get(Task, task_id)
        first.session.commit()  # end the read transaction so the other writer can go on SQLite
        with second:
            theirs = second.get(Task, task_id)
            second.update(theirs, title="theirs")
            second.commit()
        with pytest.raises(StaleEditError):
            first.update(mine, title="mine")
    assert queries.get_task(ctx, task_id).title == "theirs"


def test_cycle_is_refused_naming_the_tasks(ctx):
    a, b, c = (add_task(ctx, TaskDraft(name)).task_id for name in "ABC")
    add_dependency(ctx, a, b)
    add_dependency(ctx, b, c)
    with pytest.raises(CycleError) as caught:
        add_dependency(ctx, c, a)
    message = str(caught.value)
    assert f"#{a}" in message and f"#{b}" in message and f"#{c}" in message
    assert [link.predecessor_id for link in queries.list_dependencies(ctx)] == [a, b]


def test_self_dependency_and_unknown_task_are_refused(ctx):
    a = add_task(ctx, TaskDraft("A")).task_id
    with pytest.raises(CycleError):
        add_dependency(ctx, a, a)
    with pytest.raises(NotFoundError, match="no task #999"):
        add_dependency(ctx, a, 999)
    with pytest.raises(InvalidInputError, match="FS, SS, FF or SF"):
        add_dependency(ctx, a, add_task(ctx, TaskDraft("B")).task_id, type="XX")


def test_unknown_ids_and_projects_give_not_found(ctx):
    with pytest.raises(NotFoundError, match="no task #42"):
        complete_task(ctx, 42)
    task_id = add_task(ctx, TaskDraft("A")).task_id
    with pytest.raises(NotFoundError, match="no project 'nope'"):
        edit_task(ctx, task_id, {}, project="nope")
    assert queries.get_task(ctx, task_id).project == "inbox"


def test_bad_values_are_refused(ctx):
    with pytest.raises(InvalidInputError, match="priority"):
        add_task(ctx, TaskDraft("A", priority=7))
    with pytest.raises(InvalidInputError, match="title"):
        add_task(ctx, TaskDraft("  "))
    with pytest.raises(InvalidInputError, match="project key"):
        add_task(ctx, TaskDraft("A", project="Not A Key!"))
    assert queries.list_tasks(ctx, ["status:open"]).tasks == []


def test_start_and_complete_set_actual_dates(ctx):
    task_id = add_task(ctx, TaskDraft("A")).task_id
    start_task(ctx, task_id)
    task = queries.get_task(ctx, task_id)
    assert task.status == "doing" and task.actual_start == ctx.today()
    complete_task(ctx, task_id)
    task = queries.get_task(ctx, task_id)
    assert task.done and task.status == "done" and task.actual_finish == ctx.today() and task.percent_done == 100
    with pytest.raises(InvalidInputError, match="already done"):
        complete_task(ctx, task_id)


def test_undo_reverts_the_last_command_only(ctx):
    a = add_task(ctx, TaskDraft("A", tags=["x"])).task_id
    complete_task(ctx, a)
    result = undo_last(ctx)
    assert result.changes >= 1
    task = queries.get_task(ctx, a)
    assert not task.done and task.status == "todo"
    undo_last(ctx)  # the add itself
    with pytest.raises(NotFoundError):
        queries.get_task(ctx, a)


def test_undo_of_remove_restores_links_tags_and_people(ctx):
    add_resource(ctx, "ana")
    a = add_task(ctx, TaskDraft("A")).task_id
    b = add_task(ctx, TaskDraft("B", tags=["docs"], assignees=["ana"], after=[a])).task_id
    delete_task(ctx, b)
    assert queries.list_dependencies(ctx) == []
    undo_last(ctx)
    task = queries.get_task(ctx, b)
    assert task.tags == ["docs"] and task.assignees == ["ana"] and task.depends_on == [a]


def test_undo_refuses_to_overwrite_someone_elses_later_change(ctx, database_url):
    from tests.conftest import make_context

    a = add_task(ctx, TaskDraft("A")).task_id
    edit_task(ctx, a, {"title": "mine"})
    edit_task(make_context(database_url, actor="bo"), a, {"title": "bo's"})
    with pytest.raises(StaleEditError, match="bo changed task"):
        undo_last(ctx)
    assert queries.get_task(ctx, a).title == "bo's"


def test_every_change_is_logged_with_its_actor(ctx):
    a = add_task(ctx, TaskDraft("A")).task_id
    complete_task(ctx, a)
    history = queries.task_detail(ctx, a).history
    assert [entry.action for entry in history] == ["add", "done"]
    assert {entry.by for entry in history} == {"tester"}
    assert queries.last_event_id(ctx) >= 2


def test_remove_dependency(ctx):
    a, b = (add_task(ctx, TaskDraft(name)).task_id for name in "AB")
    add_dependency(ctx, a, b, type="SS", lag_days=-2)
    assert [(l.type, l.lag_days) for l in queries.list_dependencies(ctx)] == [("SS", -2)]
    remove_dependency(ctx, a, b)
    with pytest.raises(NotFoundError):
        remove_dependency(ctx, a, b)
