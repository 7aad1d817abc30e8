"""The task editor: saves through edit_task with the version it loaded, and reports a stale edit instead of
overwriting; adds tasks; reads date and effort phrases."""

from __future__ import annotations

from datetime import date

import pytest

from planner.domain.errors import InvalidInputError
from planner.screens.task_form import FormText, edit_between, read_form
from planner.services.queries import get_task, list_tasks
from planner.services.tasks.operations import edit_task
from tests.tui.conftest import TODAY, make_test_app, settle


async def _open_editor(app, pilot, key: str = "e"):
    await settle(app, pilot)
    await pilot.press(key)
    await settle(app, pilot)
    assert type(app.screen).__name__ == "TaskEditor"
    return app.screen


async def test_the_editor_saves_changes_with_the_version_it_loaded(demo_ctx):
    app = make_test_app(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await _open_editor(app, pilot)
        task_id = editor.task_id
        assert editor.query_one("#title").value == get_task(demo_ctx, task_id).title
        editor.query_one("#due").value = "fri"
        editor.query_one("#tags").value = "launch seo"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        task = get_task(demo_ctx, task_id)
        assert task.due == date(2026, 11, 27) and "seo" in task.tags
        assert type(app.screen).__name__ == "QueueScreen"


async def test_a_stale_edit_is_reported_and_nothing_is_overwritten(demo_ctx):
    app = make_test_app(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await _open_editor(app, pilot)
        task_id = editor.task_id
        editor.query_one("#title").value = "My title"
        edit_task(demo_ctx, task_id, {"title": "Their title"})  # another process, after the editor loaded
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert get_task(demo_ctx, task_id).title == "Their title"
        assert type(app.screen).__name__ == "TaskEditor"
        error = str(editor.query_one("#editor-error").render())
        assert "someone changed" in error and "Not saved" in error
        assert editor.query_one("#title").value == "My title"  # what was typed is kept
        reload = editor.query_one("#reload")
        assert not reload.has_class("hidden")
        await pilot.click("#reload")
        await settle(app, pilot)
        assert editor.query_one("#title").value == "Their title"
        await pilot.press("ctrl+s")  # now based on their version: saves
        await settle(app, pilot)
        assert type(app.screen).__name__ == "QueueScreen"


async def test_n_adds_a_task_to_the_current_project(demo_ctx):
    app = make_test_app(demo_ctx, screen="board")
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await _open_editor(app, pilot, "n")
        assert editor.query_one("#project").value == "web"
        editor.query_one("#title").value = "Cookie banner copy"
        editor.query_one("#estimate").value = "90m"
        editor.query_one("#assignees").value = "@eli"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        found = list_tasks(demo_ctx, ["project:web", "title:cookie"]).tasks
        assert len(found) == 1 and found[0].estimate_hours == 1.5 and found[0].assignees == ["eli"]
        assert found[0].id in {card.id for column in app.screen.board.columns for card in column.cards}


async def test_an_unreadable_field_is_named_and_nothing_is_saved(demo_ctx):
    app = make_test_app(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await _open_editor(app, pilot)
        before = get_task(demo_ctx, editor.task_id)
        editor.query_one("#due").value = "the day after never"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Due:" in str(editor.query_one("#editor-error").render())
        assert get_task(demo_ctx, editor.task_id).version == before.version


def test_the_form_reads_phrases_and_diffs_only_what_changed(demo_ctx):
    task = list_tasks(demo_ctx, ["project:web", "title:redirect"]).tasks[0]
    form = FormText(title=task.title, project="web", status=task.status, priority=task.priority,
                    due="+3d", estimate="1h30m", duration="2w", percent_done="10", assignees="ana, @ben",
                    tags="content")
    values = read_form(form, TODAY)
    assert values.due == date(2026, 11, 28) and values.estimate_hours == 1.5 and values.duration_days == 10
    edit = edit_between(task, values)
    assert set(edit.changes) == {"due", "estimate_hours", "duration_days", "percent_done"}
    assert edit.assign == ["ben"] and edit.unassign == [] and edit.status is None and edit.project is None
    with pytest.raises(InvalidInputError, match="Title"):
        read_form(FormText(title="  "), TODAY)
