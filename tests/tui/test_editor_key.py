"""The app's E: the selected task as a form in $EDITOR, the app suspended meanwhile, then the screen refreshed.

Headless Pilot runs have no terminal to hand over, so the suspension is the one seam replaced here;
the editor (a real process), the form and the services run for real.
"""

from __future__ import annotations

import contextlib
import html
import shlex
import sys
import textwrap

import pytest

from planner.screens.base import PlannerScreen
from planner.services.queries import get_task
from tests.tui.conftest import make_test_app, settle


@pytest.fixture
def suspended(monkeypatch):
    """Count the suspensions instead of suspending a terminal that is not there."""
    calls = []

    @contextlib.contextmanager
    def editor_terminal(self):
        calls.append(type(self).__name__)
        yield

    monkeypatch.setattr(PlannerScreen, "editor_terminal", editor_terminal)
    return calls


def editor(tmp_path, monkeypatch, body: str) -> None:
    script = tmp_path / "editor.py"
    script.write_text("import pathlib, sys\npath = pathlib.Path(sys.argv[-1])\ntext = path.read_text()\n"
                      + textwrap.dedent(body))
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}")


@pytest.mark.parametrize("screen", ["queue", "board", "gantt"])
async def test_E_edits_the_selected_task_in_the_editor_and_refreshes(demo_ctx, tmp_path, monkeypatch, suspended,
                                                                     screen):
    editor(tmp_path, monkeypatch, """
        import re
        text = re.sub(r'^title = .*$', 'title = "Edited in vi"', text, count=1, flags=re.M)
        path.write_text(text.replace("priority = 0", "priority = 3"))
    """)
    app = make_test_app(demo_ctx, screen=screen, project="web")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        task_id = app.screen.selected_task_id()
        assert task_id is not None
        await pilot.press("E")
        await settle(app, pilot)
        assert suspended == [type(app.screen).__name__]
        assert get_task(demo_ctx, task_id).title == "Edited in vi"
        assert any(f"updated #{task_id}: title" in n.message for n in app._notifications)
        await settle(app, pilot)
        shown = html.unescape(app.export_screenshot()).replace("\xa0", " ")
        assert "Edited in vi" in shown  # the screen loaded again


async def test_a_failing_editor_or_no_terminal_is_a_notification(demo_ctx, tmp_path, monkeypatch):
    monkeypatch.setenv("EDITOR", "false")
    app = make_test_app(demo_ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        task_id = app.screen.selected_task_id()
        before = get_task(demo_ctx, task_id)
        await pilot.press("E")  # the real suspension: a headless run cannot hand over its terminal
        await settle(app, pilot)
        assert any("cannot hand its terminal to an editor" in n.message for n in app._notifications)
        with monkeypatch.context() as patched:
            patched.setattr(PlannerScreen, "editor_terminal", lambda self: contextlib.nullcontext())
            await pilot.press("E")
            await settle(app, pilot)
        assert any("the editor exited with status 1" in n.message for n in app._notifications)
        assert get_task(demo_ctx, task_id).version == before.version
