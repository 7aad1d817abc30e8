"""Taskwarrior JSON: the parser, and round trips through the real `task` binary."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timezone

import pytest

from planner.domain.errors import CycleError, InvalidInputError
from planner.interop import taskwarrior
from planner.services.interchange.files import export_file, import_file
from planner.services.tasks.operations import TaskDraft, add_task, complete_task
from tests.interop.conftest import counts, links, rows, tags_of, tasks_by_title, write

A = "a1111111-1111-4111-8111-111111111111"
B = "b2222222-2222-4222-8222-222222222222"
C = "c3333333-3333-4333-8333-333333333333"


def _line(**fields) -> str:
    return json.dumps({"status": "pending", "entry": "20261120T090000Z", **fields})


def test_reads_an_array_and_one_object_per_line_alike():
    array = "[\n" + ",\n".join([_line(uuid=A, description="one"), _line(uuid=B, description="two")]) + "\n]\n"
    lines = _line(uuid=A, description="one") + "\n" + _line(uuid=B, description="two") + "\n"
    assert [t.title for t in taskwarrior.read(io.StringIO(array)).tasks] == ["one", "two"]
    assert [t.title for t in taskwarrior.read(io.StringIO(lines)).tasks] == ["one", "two"]



def test_epoch_seconds_are_dates_as_taskwarrior_reads_them():
    task = taskwarrior.read(io.StringIO(_line(uuid=A, description="old", status="completed", entry="1234524689",
                                              end="1234524690"))).tasks[0]
    assert task.created_at == datetime(2009, 2, 13, 11, 31, 29, tzinfo=timezone.utc)
    assert task.completed_at == datetime(2009, 2, 13, 11, 31, 30, tzinfo=timezone.utc)

def test_maps_the_fields_and_accepts_depends_as_a_comma_string():
    text = _line(uuid=B, description="Review", project="Home.Garden", priority="H", due="20261201T000000Z",
                 scheduled="20261128T000000Z", wait="20261127T000000Z", tags=["docs", "urgent"],
                 depends=f"{A},{C}", start="20261125T100000Z",
                 annotations=[{"entry": "20261125T100000Z", "description": "see doc"}])
    task = taskwarrior.read(io.StringIO(text)).tasks[0]
    assert (task.external_id, task.project, task.priority, task.status) == (f"tw:{B}", "Home.Garden", 3, "doing")
    assert (task.due, task.start_no_earlier, task.snoozed_until) == (date(2026, 12, 1), date(2026, 11, 28),
                                                                      date(2026, 11, 27))
    assert [link.predecessor for link in task.links] == [f"tw:{A}", f"tw:{C}"]
    assert task.tags == ["docs", "urgent"] and task.annotations[0][1] == "see doc"


def test_deleted_tasks_are_skipped_and_recurring_templates_become_series():
    text = "\n".join([
        _line(uuid=A, description="gone", status="deleted"),
        _line(uuid=B, description="Water plants", status="recurring", recur="weekly", due="20261130T000000Z",
              until="20270131T000000Z", mask="-"),
        _line(uuid=C, description="Water plants", parent=B, recur="weekly", imask=0, due="20261130T000000Z"),
    ])
    document = taskwarrior.read(io.StringIO(text))
    assert document.skipped == 1 and [t.title for t in document.tasks] == ["Water plants"]
    series = document.series[f"tw:{B}"]
    assert (series.rrule, series.dtstart, series.until) == ("FREQ=WEEKLY", date(2026, 11, 30), date(2027, 1, 31))
    assert document.tasks[0].series == f"tw:{B}"


@pytest.mark.parametrize(("text", "message"), [
    ('[\n{"uuid": "%s", "description": "ok"},\n{"uuid": "%s" "description": "broken"}\n]' % (A, B), "line 3: bad JSON"),
    (_line(uuid=A, description="x", due="2026-13-45"), "line 1 (task a1111111): due '2026-13-45' is not a date"),
    (_line(uuid="not-a-uuid", description="x"), "line 1: uuid 'not-a-uuid' is not a UUID"),
    (_line(uuid=A, description=""), "line 1 (task a1111111): the task has no description"),
    (_line(uuid=A, description="x", status="frozen"), "status 'frozen' unknown"),
    (_line(uuid=A, description="x", recur="fortnightly-ish", status="recurring", due="20261130T000000Z"),
     "recurrence 'fortnightly-ish' not understood"),
])
def test_malformed_input_names_the_line_and_the_problem(text, message):
    with pytest.raises(InvalidInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        taskwarrior.read(io.StringIO(text))


def test_a_malformed_file_writes_nothing(ctx, tmp_path):
    add_task(ctx, TaskDraft("already here"))
    before = counts(ctx)
    path = write(tmp_path, "bad.json", _line(uuid=A, description="fine") + "\n" + _line(uuid=B, description="bad",
                                                                                          due="yesterdayish"))
    with pytest.raises(InvalidInputError, match="line 2"):
        import_file(ctx, "taskwarrior", path)
    assert counts(ctx) == before


def test_an_unknown_dependency_refuses_the_whole_file(ctx, tmp_path):
    before = counts(ctx)
    path = write(tmp_path, "deps.json", _line(uuid=A, description="first") + "\n"
                 + _line(uuid=B, description="second", depends=[C]))
    with pytest.raises(InvalidInputError, match=f"line 2 \\(task b2222222\\): depends on unknown task tw:{C}"):
        import_file(ctx, "taskwarrior", path)
    assert counts(ctx) == before


def test_a_dependency_cycle_refuses_the_whole_file_naming_the_items(ctx, tmp_path):
    before = counts(ctx)
    path = write(tmp_path, "cycle.json", "\n".join([
        _line(uuid=A, description="first", depends=[C]), _line(uuid=B, description="second", depends=[A]),
        _line(uuid=C, description="third", depends=[B])]))
    with pytest.raises(CycleError, match="dependency cycle: line 1 .*'first' -> .*'second' -> .*'third' -> line 1"):
        import_file(ctx, "taskwarrior", path)
    assert counts(ctx) == before


def test_a_cycle_through_stored_links_is_refused_too(ctx, tmp_path):
    path = write(tmp_path, "a.json", _line(uuid=A, description="first") + "\n"
                 + _line(uuid=B, description="second", depends=[A]))
    import_file(ctx, "taskwarrior", path)
    before = counts(ctx)
    back = write(tmp_path, "b.json", _line(uuid=A, description="first", depends=[B]))
    with pytest.raises(CycleError):
        import_file(ctx, "taskwarrior", back)
    assert counts(ctx) == before


def test_reimport_updates_in_place_and_reports_unchanged(ctx, tmp_path):
    first = write(tmp_path, "one.json", "\n".join([
        _line(uuid=A, description="Write", project="web", tags=["docs"]),
        _line(uuid=B, description="Review", project="web", depends=[A])]))
    report = import_file(ctx, "tw", first)
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert import_file(ctx, "tw", first).unchanged == 2
    second = write(tmp_path, "two.json", "\n".join([
        _line(uuid=A, description="Write the spec", project="web", tags=["spec"], status="completed",
              end="20261124T120000Z"),
        _line(uuid=B, description="Review", project="web")]))
    report = import_file(ctx, "tw", second)
    assert (report.created, report.updated, report.unchanged) == (0, 2, 0)
    tasks = tasks_by_title(ctx)
    assert set(tasks) == {"Write the spec", "Review"}
    assert tasks["Write the spec"]["status"] == "done" and tasks["Write the spec"]["version"] == 2
    assert tags_of(ctx, "Write the spec") == {"spec"}
    assert links(ctx) == set()


def test_one_summary_event_per_import(ctx, tmp_path):
    path = write(tmp_path, "many.json", "\n".join(
        _line(uuid=f"{index:08x}-1111-4111-8111-111111111111", description=f"task {index}", tags=["bulk"])
        for index in range(50)))
    import_file(ctx, "tw", path)
    events = rows(ctx, "SELECT entity, action FROM event")
    assert events == [("import", "imported")]


def test_dry_run_reports_and_writes_nothing(ctx, tmp_path):
    path = write(tmp_path, "one.json", _line(uuid=A, description="Write", project="web"))
    before = counts(ctx)
    report = import_file(ctx, "tw", path, dry_run=True)
    assert (report.created, report.dry_run, report.projects_created) == (1, True, ["web"])
    assert counts(ctx) == before


def test_project_option_puts_everything_in_one_project(ctx, tmp_path):
    path = write(tmp_path, "one.json", _line(uuid=A, description="Write", project="Home") + "\n"
                 + _line(uuid=B, description="Read"))
    import_file(ctx, "tw", path, project="site")
    assert {row[0] for row in rows(ctx, "SELECT p.key FROM task t JOIN project p ON p.id = t.project_id")} == {"site"}


# --- against the real Taskwarrior -------------------------------------------------------------


def test_taskwarrior_export_imports_with_tasks_tags_and_dependencies(ctx, tw, tmp_path):
    tw("add", "Write spec", "project:Home.Garden", "+docs", "+urgent", "priority:H", "due:2026-12-01")
    tw("add", "Review spec", "project:Home", "depends:1", "scheduled:2026-11-30")
    tw("add", "Throw away")
    tw("add", "Done already")
    tw("1", "annotate", "see the doc")
    tw("description:Throw away", "delete")
    tw("description:Done already", "done")
    path = write(tmp_path, "tw.json", tw("export"))
    report = import_file(ctx, "taskwarrior", path)
    assert (report.created, report.skipped) == (3, 1)
    tasks = tasks_by_title(ctx)
    assert set(tasks) == {"Write spec", "Review spec", "Done already"}
    assert tasks["Write spec"]["priority"] == 3 and str(tasks["Write spec"]["due"])[:10] == "2026-12-01"
    assert tasks["Done already"]["status"] == "done"
    assert tags_of(ctx, "Write spec") == {"docs", "urgent"}
    assert links(ctx) == {("Write spec", "Review spec", "FS", 0)}
    assert rows(ctx, "SELECT body FROM comment") == [("see the doc",)]
    assert import_file(ctx, "taskwarrior", path).unchanged == 3


def test_planner_to_taskwarrior_and_back_keeps_tasks_tags_and_dependencies(ctx, tw, tmp_path):
    first = add_task(ctx, TaskDraft("Design", project="web", tags=["ux"], priority=2, due=date(2026, 12, 4),
                                    notes="Start from the wireframes")).task_id
    second = add_task(ctx, TaskDraft("Build", project="web", tags=["dev", "backend"], after=[first])).task_id
    add_task(ctx, TaskDraft("Ship", project="web", after=[second]))
    path = write(tmp_path, "out.json", export_file(ctx, "taskwarrior", "web"))
    tw("import", str(path))
    exported = tw.by_description()
    assert set(exported) == {"Design", "Build", "Ship"}
    assert set(exported["Build"]["tags"]) == {"dev", "backend"} and exported["Design"]["priority"] == "M"
    assert exported["Build"]["depends"] == [exported["Design"]["uuid"]]
    assert exported["Ship"]["depends"] == [exported["Build"]["uuid"]]
    assert exported["Design"]["project"] == "web" and exported["Design"]["due"].startswith("20261204")
    assert [note["description"] for note in exported["Design"]["annotations"]] == ["Start from the wireframes"]
    tw(exported["Design"]["uuid"], "done")
    tw(exported["Ship"]["uuid"], "modify", "+release")
    back = write(tmp_path, "back.json", tw("export"))
    report = import_file(ctx, "taskwarrior", back)
    assert (report.created, report.updated, report.unchanged) == (0, 2, 1)
    tasks = tasks_by_title(ctx)
    assert len(tasks) == 3 and tasks["Design"]["status"] == "done"
    assert tags_of(ctx, "Ship") == {"release"} and tags_of(ctx, "Build") == {"dev", "backend"}
    assert links(ctx) == {("Design", "Build", "FS", 0), ("Build", "Ship", "FS", 0)}
    assert rows(ctx, "SELECT count(*) FROM comment")[0][0] == 0  # the notes came back as the notes


def test_recurring_tasks_go_to_taskwarrior_as_templates_with_their_instance(ctx, tw, tmp_path):
    tw("add", "Water plants", "recur:weekly", "due:2026-11-30", "until:2027-01-31")
    tw("list")  # let Taskwarrior generate the first instance
    import_file(ctx, "taskwarrior", write(tmp_path, "in.json", tw("export")))
    series = rows(ctx, "SELECT rrule, until FROM recurrence")
    assert [(rule, str(until)[:10]) for rule, until in series] == [("FREQ=WEEKLY", "2027-01-31")]
    other = type(tw)(tmp_path / "second")
    other("import", str(write(tmp_path, "out.json", export_file(ctx, "taskwarrior"))))
    again = other.export()
    statuses = sorted(task["status"] for task in again)
    assert statuses[0] == "pending" and "recurring" in statuses
    assert {task["description"] for task in again} == {"Water plants"}


def test_completing_in_planner_then_exporting_marks_it_done_in_taskwarrior(ctx, tw, tmp_path):
    task_id = add_task(ctx, TaskDraft("Call the bank")).task_id
    tw("import", str(write(tmp_path, "a.json", export_file(ctx, "tw"))))
    complete_task(ctx, task_id)
    tw("import", str(write(tmp_path, "b.json", export_file(ctx, "tw"))))
    assert [task["status"] for task in tw.export()] == ["completed"]


def test_a_large_reimport_matches_every_task_and_updates_only_the_changed_one(ctx, tmp_path):
    count = 2500  # enough for the loader to scan tables instead of using IN lists
    uuids = [f"{index:08x}-aaaa-4aaa-8aaa-aaaaaaaaaaaa" for index in range(count)]

    def export(changed_title: str) -> str:
        return "\n".join(_line(uuid=uuids[index], description=changed_title if index == 7 else f"task {index}",
                               project=f"area{index % 3}", tags=[f"t{index % 5}"],
                               depends=[uuids[index - 1]] if index % 2 else [])
                         for index in range(count))

    path = write(tmp_path, "big.json", export("task 7"))
    assert import_file(ctx, "tw", path).created == count
    assert import_file(ctx, "tw", path).unchanged == count
    report = import_file(ctx, "tw", write(tmp_path, "big2.json", export("the seventh task")))
    assert (report.created, report.updated, report.unchanged) == (0, 1, count - 1)
    assert rows(ctx, "SELECT count(*) FROM task")[0][0] == count
    assert rows(ctx, "SELECT count(*) FROM dependency")[0][0] == count // 2


@pytest.mark.parametrize("fmt", ["taskwarrior", "todotxt"])
def test_a_round_trip_through_a_format_without_link_types_keeps_the_stored_type_and_lag(ctx, tmp_path, fmt):
    from planner.services.planning.projects import add_project
    from planner.services.tasks.dependencies import add_dependency

    add_project(ctx, "web")
    first = add_task(ctx, TaskDraft("A", project="web")).task_id
    second = add_task(ctx, TaskDraft("B", project="web")).task_id
    add_dependency(ctx, first, second, type="SS", lag_days=2)
    text = export_file(ctx, fmt)
    report = import_file(ctx, fmt, write(tmp_path, f"back.{fmt}", text))
    assert report.updated == 0
    assert links(ctx) == {("A", "B", "SS", 2)}
