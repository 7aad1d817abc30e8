"""Mermaid gantt export of a project's schedule."""

from __future__ import annotations

from datetime import date

import pytest

from planner.domain.errors import InvalidInputError
from planner.services.interchange.files import export_file, import_file
from planner.services.tasks.operations import TaskDraft, add_task, complete_task
from tests.interop.conftest import DATA


def test_gantt_has_sections_dates_milestones_and_critical_tags(ctx):
    import_file(ctx, "mspdi", DATA / "links.xml")
    text = export_file(ctx, "mermaid", "launch")
    lines = text.splitlines()
    assert lines[:5] == ["gantt", "    title Launch", "    dateFormat YYYY-MM-DD", "    axisFormat %d %b",
                         "    excludes weekends"]
    assert "    section Phase 1" in lines and "    section Launch" in lines
    assert "    Build :crit, t3, 2026-12-07, 2026-12-09" in lines  # Mermaid's end is exclusive
    assert "    Release :crit, milestone, t6, 2026-12-14, 0d" in lines
    section_of = {}
    current = None
    for line in lines:
        if line.startswith("    section "):
            current = line.removeprefix("    section ")
        elif current and ":" in line:
            section_of[line.split(":")[0].strip()] = current
    assert section_of["Design"] == "Phase 1" and section_of["Docs"] == "Launch"


def test_titles_lose_mermaid_syntax_and_done_work_is_marked(ctx):
    from planner.services.planning.projects import add_project

    add_project(ctx, "site", start=date(2026, 11, 23))
    task_id = add_task(ctx, TaskDraft("Fix: header; #2", project="site", duration_days=1)).task_id
    complete_task(ctx, task_id)
    text = export_file(ctx, "mermaid", "site")
    assert "    Fix header 2 :done, " in text


def test_mermaid_needs_a_project(ctx):
    with pytest.raises(InvalidInputError, match="add --project KEY"):
        export_file(ctx, "mermaid")
    with pytest.raises(InvalidInputError, match="cannot import 'mermaid'"):
        import_file(ctx, "mermaid", "x.mmd")
