"""CSV: known headers map themselves, --map maps the rest, only present columns are updated."""

from __future__ import annotations

import pytest

from planner.domain.errors import CycleError, InvalidInputError
from planner.services.interchange.files import export_file, import_file
from planner.services.tasks.operations import TaskDraft, add_task, edit_task
from planner.services.people.resources import add_resource
from tests.interop.conftest import counts, links, rows, tags_of, tasks_by_title, write

SHEET = """ID,Task Name,Project,Status,Priority,Due Date,Duration,Effort,Tags,Predecessors,Assignee,% Complete
1,Design,web,in progress,High,2026-12-04,3,2d,ux design,,ana,50%
2,Build,web,todo,M,,5d,40,,1,ana bo,
3,Test,web,,low,,2,,,2SS+1,,
4,Ship,web,done,,,,,release,3:FF:2,,
"""


def test_known_columns_and_their_values_are_understood(ctx, tmp_path):
    report = import_file(ctx, "csv", write(tmp_path, "plan.csv", SHEET))
    assert (report.created, report.warnings) == (4, [])
    tasks = tasks_by_title(ctx)
    assert tasks["Design"]["status"] == "doing" and tasks["Design"]["priority"] == 3
    assert tasks["Design"]["percent_done"] == 50 and tasks["Design"]["estimate_hours"] == 16
    assert tasks["Build"]["duration_days"] == 5 and tasks["Build"]["estimate_hours"] == 40
    assert tasks["Ship"]["status"] == "done" and tasks["Test"]["status"] == "todo"
    assert tags_of(ctx, "Design") == {"ux", "design"}
    assert links(ctx) == {("Design", "Build", "FS", 0), ("Build", "Test", "SS", 1), ("Test", "Ship", "FF", 2)}
    assert set(rows(ctx, "SELECT r.handle, t.title FROM assignment a JOIN resource r ON r.id = a.resource_id "
                         "JOIN task t ON t.id = a.task_id")) == {("ana", "Design"), ("ana", "Build"), ("bo", "Build")}


def test_map_names_the_other_columns_and_unknown_ones_are_reported(ctx, tmp_path):
    text = "What,When,Bucket,Colour\nPaint fence,2026-12-01,garden,green\n"
    report = import_file(ctx, "csv", write(tmp_path, "odd.csv", text), mapping={"What": "title", "When": "due",
                                                                                "Bucket": "project"})
    assert report.warnings == ["column 'Colour' was ignored (map it with --map 'Colour=FIELD')"]
    (title, due, key), = rows(ctx, "SELECT t.title, t.due, p.key FROM task t JOIN project p ON p.id = t.project_id")
    assert (title, str(due)[:10], key) == ("Paint fence", "2026-12-01", "garden")


def test_reimport_updates_only_the_columns_the_file_has(ctx, tmp_path):
    import_file(ctx, "csv", write(tmp_path, "a.csv", "id,title,due\nx1,Write,2026-12-01\n"))
    task_id = tasks_by_title(ctx)["Write"]["id"]
    edit_task(ctx, task_id, {"priority": 2}, add_tags=["kept"])
    report = import_file(ctx, "csv", write(tmp_path, "a.csv", "id,title,due\nx1,Write it,2026-12-02\n"))
    assert (report.created, report.updated) == (0, 1)
    task = tasks_by_title(ctx)["Write it"]
    assert task["priority"] == 2 and str(task["due"])[:10] == "2026-12-02" and tags_of(ctx, "Write it") == {"kept"}


def test_export_reads_back_unchanged(ctx, tmp_path):
    add_resource(ctx, "ana")
    first = add_task(ctx, TaskDraft("Design", project="web", tags=["ux"], estimate_hours=6, assignees=["ana"])).task_id
    add_task(ctx, TaskDraft("Build", project="web", after=[first], duration_days=3))
    text = export_file(ctx, "csv")
    assert text.splitlines()[0].startswith("id,title,project,status")
    report = import_file(ctx, "csv", write(tmp_path, "out.csv", text))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)


@pytest.mark.parametrize(("text", "mapping", "message"), [
    ("id,title,due\n1,A,2026-01-01\n2,B,next week\n", None, "line 3: due 'next week' is not a date"),
    ("id,title,depends\n1,A,\n2,B,7\n", None, "line 3: depends on unknown task csv:7"),
    ("id,title,priority\n1,A,whenever\n", None, "line 2: priority 'whenever' not understood"),
    ("name\n\"unclosed\n", None, "line 2: the task has no title|bad CSV"),
    ("Colour,Size\nred,L\n", None, "no title column"),
    ("What\nx\n", {"What": "headline"}, "'headline' is not a field"),
    ("What\nx\n", {"Nope": "title"}, "the file has no column 'Nope'"),
    ("id,title,percent\n1,A,150\n", None, "line 2: percent '150' is out of range"),
])
def test_malformed_rows_write_nothing(ctx, tmp_path, text, mapping, message):
    before = counts(ctx)
    with pytest.raises(InvalidInputError, match=message):
        import_file(ctx, "csv", write(tmp_path, "bad.csv", text), mapping=mapping)
    assert counts(ctx) == before


def test_a_cycle_writes_nothing(ctx, tmp_path):
    with pytest.raises(CycleError, match="line 2 'A' -> line 3 'B' -> line 2 'A'"):
        import_file(ctx, "csv", write(tmp_path, "c.csv", "id,title,depends\n1,A,2\n2,B,1\n"))
    assert counts(ctx)["task"] == 0


FORMULAS = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\tpadded", "'=already quoted",
            "''-twice", "plain", "don't"]


def test_export_neutralises_formulas_and_import_reads_them_back_unchanged(ctx, tmp_path):
    import csv
    import io

    for index, text in enumerate(FORMULAS):
        add_task(ctx, TaskDraft(f"t{index} {text}" if text[0] in "\t" else text, project="web", notes=text))
    exported = export_file(ctx, "csv")
    for row in list(csv.DictReader(io.StringIO(exported))):
        for cell in (row["title"], row["notes"]):
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    notes_before = {task["notes"] for task in tasks_by_title(ctx).values()}
    path = write(tmp_path, "out.csv", exported)
    import_file(ctx, "csv", path)
    assert {task["notes"] for task in tasks_by_title(ctx).values()} == notes_before == set(FORMULAS)
    assert set(tasks_by_title(ctx)) >= {"=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "@SUM(A1)", "'=already quoted"}
