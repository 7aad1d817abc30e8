"""The task editor shows the task's annotations and its history of changes (Pilot on the real app)."""

from __future__ import annotations

from planner.services.annotations import annotate
from planner.services.queries import get_task
from planner.services.tasks.operations import edit_task
from planner.services.undo import undo_last
from tests.tui.conftest import make_test_app, settle


async def _editor(app, pilot):
    await settle(app, pilot)
    await pilot.press("e")
    for _ in range(50):  # the editor loads in a worker: wait for it on a busy machine
        await settle(app, pilot, rounds=1)
        if type(app.screen).__name__ == "TaskEditor" and app.screen.query_one("#title").value:
            break
    return app.screen


async def test_the_editor_lists_annotations_and_changes_in_words(demo_ctx):
    app = make_test_app(demo_ctx)
    async with app.run_test(size=(120, 50)) as pilot:
        editor = await _editor(app, pilot)
        task_id = editor.task_id
        title = get_task(demo_ctx, task_id).title
        await pilot.press("escape")
        await settle(app, pilot)
        annotate(demo_ctx, task_id, "asked legal about the wording")
        edit_task(demo_ctx, task_id, {"title": "Renamed in a test", "due": None, "priority": 3})
        edit_task(demo_ctx, task_id, {"title": "Renamed twice"})
        undo_last(demo_ctx)
        editor = await _editor(app, pilot)
        log = str(editor.query_one("#editor-log").render())
        assert "Annotations" in log and "1. " in log and "ana: asked legal about the wording" in log
        assert "History" in log
        assert f"ana edit: title: {title} → Renamed in a test" in log
        assert "edit (undone): title: Renamed in a test → Renamed twice" in log
        assert "annotate: annotation: + asked legal about the wording" in log
