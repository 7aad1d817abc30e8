"""todo.txt: priorities, dates, projects, contexts, due/t/rec, topydo links; round trips."""

from __future__ import annotations

import io
from datetime import date

import pytest

from planner.domain.errors import CycleError, InvalidInputError
from planner.interop import todotxt
from planner.services.interchange.files import export_file, import_file
from planner.services.tasks.operations import TaskDraft, add_task, start_task
from tests.interop.conftest import counts, links, rows, tags_of, tasks_by_title, write

SAMPLE = """(A) 2026-11-20 Call mom +family @phone due:2026-11-30 id:call
x 2026-11-24 2026-11-20 Buy milk +home @shop pri:B

Write report +work +q4 t:2026-12-01 rec:+2w p:call see:http://example.com/x
"""


def test_reads_the_usual_fields():
    tasks = {task.title: task for task in todotxt.read(io.StringIO(SAMPLE)).tasks}
    call, milk = tasks["Call mom"], tasks["Buy milk"]
    assert (call.priority, call.project, call.tags, call.due, call.external_id) == (
        3, "family", ["phone"], date(2026, 11, 30), "todo:call")
    assert (milk.status, milk.actual_finish, milk.priority, milk.project) == ("done", date(2026, 11, 24), 2, "home")
    report = tasks["Write report see:http://example.com/x"]
    assert report.project == "work" and report.tags == ["q4"] and report.start_no_earlier == date(2026, 12, 1)
    assert [link.predecessor for link in call.links] == [report.external_id]  # p:call: report comes first
    assert report.series is not None


def test_import_then_reimport_after_marking_done_updates_the_same_task(ctx, tmp_path):
    import_file(ctx, "todotxt", write(tmp_path, "todo.txt", SAMPLE))
    assert set(tasks_by_title(ctx)) == {"Call mom", "Buy milk", "Write report see:http://example.com/x"}
    assert links(ctx) == {("Write report see:http://example.com/x", "Call mom", "FS", 0)}
    assert tags_of(ctx, "Buy milk") == {"shop"}
    (policy, rule), = rows(ctx, "SELECT policy, rrule FROM recurrence")
    assert (policy, rule) == ("fixed", "FREQ=WEEKLY;INTERVAL=2")
    done = SAMPLE.replace("(A) 2026-11-20 Call mom", "x 2026-11-25 2026-11-20 Call mom")
    report = import_file(ctx, "todotxt", write(tmp_path, "todo.txt", done))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    assert tasks_by_title(ctx)["Call mom"]["status"] == "done"


def test_a_started_task_stays_in_progress_when_the_file_only_says_not_done(ctx, tmp_path):
    import_file(ctx, "todotxt", write(tmp_path, "todo.txt", "Read the book +home\n"))
    start_task(ctx, tasks_by_title(ctx)["Read the book"]["id"])
    assert import_file(ctx, "todotxt", write(tmp_path, "todo.txt", "Read the book +home\n")).unchanged == 1
    assert tasks_by_title(ctx)["Read the book"]["status"] == "doing"


def test_export_and_import_round_trip_in_the_same_database(ctx, tmp_path):
    first = add_task(ctx, TaskDraft("Design", project="web", tags=["ux"], priority=3, due=date(2026, 12, 4))).task_id
    add_task(ctx, TaskDraft("Build", project="web", after=[first]))
    text = export_file(ctx, "todotxt")
    assert "(A) " in text and "+web @ux due:2026-12-04" in text and " p:" in text
    report = import_file(ctx, "todotxt", write(tmp_path, "out.txt", text))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)


@pytest.mark.parametrize(("text", "message"), [
    ("Fine\nBad due:2026-02-30\n", "line 2: due '2026-02-30' is not a date"),
    ("Waits p:nobody\n", "line 1: p:nobody names no task with id:nobody"),
    ("One id:a\nTwo id:a\n", "line 2: id:a is used again"),
    ("Often rec:sometimes\n", "line 1: recurrence 'sometimes' not understood"),
    ("(A) +home @x\n", "line 1: the task has no description"),
])
def test_malformed_lines_write_nothing(ctx, tmp_path, text, message):
    before = counts(ctx)
    with pytest.raises(InvalidInputError, match=message):
        import_file(ctx, "todotxt", write(tmp_path, "bad.txt", text))
    assert counts(ctx) == before


def test_a_cycle_writes_nothing(ctx, tmp_path):
    with pytest.raises(CycleError):
        import_file(ctx, "todotxt", write(tmp_path, "c.txt", "One id:a p:b\nTwo id:b p:a\n"))
    assert counts(ctx)["task"] == 0
