"""JSON dump: every table, versioned, restored losslessly; a restore is all or nothing."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, timezone

import pytest

from planner.domain.errors import ConflictError, InvalidInputError
from planner.interop import jsondump
from planner.services.interchange.files import export_file, import_file
from planner.store.models import (
    ENTITIES, Assignment, Baseline, BaselineTask, Calendar, CalendarException, Comment, DayPlan, Dependency,
    DigestLog, Project, Recurrence, Resource, Sprint, Tag, Task, TaskTag, Team, TeamMember, TimeEntry, Workflow,
    WorkflowState,
)
from tests.conftest import make_context
from tests.interop.conftest import counts, write

STAMP = datetime(2026, 11, 20, 9, 30, 15, 123456, tzinfo=timezone.utc)


def _fill_every_table(ctx) -> None:
    """At least one row in every table, with dates, JSON, floats, NULLs and non-ASCII text."""
    with ctx.uow() as uow:
        calendar = uow.add(Calendar(name="Kalender ü", working_weekdays="0,1,2,3", hours_per_day=7.5, country="DE"))
        uow.add(CalendarException(calendar_id=calendar.id, day=date(2026, 12, 24), working=False, note="Heiligabend"))
        workflow = uow.add(Workflow(name="support"))
        uow.add(WorkflowState(workflow_id=workflow.id, key="triage", name="Triage", category="todo", wip_limit=3))
        project = uow.add(Project(key="web", name="Web «relaunch»", start=date(2026, 11, 30), deadline=date(2027, 2, 1),
                                  calendar_id=calendar.id, workflow_id=workflow.id, reserve_percent=12.5,
                                  external_id="tw:Web", created_at=STAMP, updated_at=STAMP))
        sprint = uow.add(Sprint(project_id=project.id, name="S1", start=date(2026, 11, 30), end=date(2026, 12, 11)))
        series = uow.add(Recurrence(project_id=project.id, rrule="FREQ=WEEKLY;BYDAY=MO", policy="catch_up",
                                    dtstart=date(2026, 11, 30), template={"title": "Sync", "tags": ["a", "b"]},
                                    skipped=["2026-12-07"], next_due=date(2026, 12, 14), created_at=STAMP))
        parent = uow.add(Task(project_id=project.id, title="Phase", status="triage", created_at=STAMP, updated_at=STAMP))
        child = uow.add(Task(project_id=project.id, parent_id=parent.id, title="Write «spec»", notes="line 1\nline 2",
                             status="triage", priority=3, estimate_hours=2.25, duration_days=2, optimistic_days=1.5,
                             likely_days=2.0, pessimistic_days=4.0, start_no_earlier=date(2026, 12, 1),
                             due=date(2026, 12, 4), percent_done=40, actual_start=date(2026, 11, 24),
                             snoozed_until=date(2026, 11, 26), board_rank=1.5, sprint_id=sprint.id,
                             recurrence_id=series.id, instance_key="1:2026-12-14", external_id="csv:7",
                             created_at=STAMP, updated_at=STAMP))
        other = uow.add(Task(project_id=project.id, title="Review", created_at=STAMP, updated_at=STAMP,
                             completed_at=STAMP, actual_finish=date(2026, 11, 20), percent_done=100))
        uow.update(parent, parent_id=None)
        uow.add(Dependency(predecessor_id=child.id, successor_id=other.id, type="SS", lag_days=-1))
        person = uow.add(Resource(handle="ana", name="Ana", email="ana@example.com", capacity=0.8,
                                  calendar_id=calendar.id, external_id="mspdi:web:res:1"))
        uow.add(Assignment(task_id=child.id, resource_id=person.id, units=0.5))
        team = uow.add(Team(name="core"))
        uow.add(TeamMember(team_id=team.id, resource_id=person.id))
        tag = uow.add(Tag(name="ux"))
        uow.add(TaskTag(task_id=child.id, tag_id=tag.id))
        uow.add(Comment(task_id=child.id, author="ana", body="Looks good ✓", created_at=STAMP))
        uow.add(TimeEntry(task_id=child.id, person="ana", started_at=STAMP, ended_at=STAMP, hours=1.25, note="x"))
        baseline = uow.add(Baseline(project_id=project.id, name="v1", created_at=STAMP))
        uow.add(BaselineTask(baseline_id=baseline.id, task_id=child.id, start=date(2026, 12, 1),
                             finish=date(2026, 12, 2), es=1, ef=3, duration_days=2, estimate_hours=2.25))
        uow.add(DayPlan(person="ana", day=date(2026, 11, 25), task_id=child.id, position=2))
        uow.add(DigestLog(recipient="ana", day=date(2026, 11, 25), status="sent", attempts=1, sent_at=STAMP))
        uow.commit()


def test_dump_restores_every_table_losslessly(ctx, tmp_path):
    _fill_every_table(ctx)
    dump = export_file(ctx, "json")
    tables = json.loads(dump)["tables"]
    assert set(ENTITIES) <= set(tables) and {"event", "digestlog"} <= set(tables)
    assert all(tables[name] for name in ENTITIES), [name for name in ENTITIES if not tables[name]]
    restored = make_context(f"sqlite:///{tmp_path / 'restored.db'}")
    report = import_file(restored, "json", write(tmp_path, "dump.json", dump))
    assert report.created == len(tables["task"])
    again = json.loads(export_file(restored, "json"))["tables"]
    for name, rows in tables.items():
        if name == "event":
            assert again[name][:len(rows)] == rows and again[name][-1]["action"] == "restored"
        else:
            assert again[name] == rows, name


def test_restore_from_a_sqlite_dump_and_ids_keep_counting(ctx, tmp_path):
    source = make_context(f"sqlite:///{tmp_path / 'source.db'}")
    _fill_every_table(source)
    path = write(tmp_path, "dump.json", export_file(source, "json"))
    import_file(ctx, "json", path)
    from planner.services.tasks.operations import TaskDraft, add_task

    new_id = add_task(ctx, TaskDraft("after the restore", project="web")).task_id
    assert new_id == max(row["id"] for row in json.loads(path.read_text())["tables"]["task"]) + 1


def test_restore_refuses_a_database_with_work_unless_replace(ctx, tmp_path):
    _fill_every_table(ctx)
    path = write(tmp_path, "dump.json", export_file(ctx, "json"))
    before = counts(ctx)
    with pytest.raises(ConflictError, match="already holds data .* add --replace"):
        import_file(ctx, "json", path)
    assert counts(ctx) == before
    report = import_file(ctx, "json", path, replace=True)
    assert report.updated == before["task"] and counts(ctx)["task"] == before["task"]


@pytest.mark.parametrize(("text", "message"), [
    ('{"format": "planner-dump", "version": 1, "tables": {"task": [\n{"id": 1,}\n]}}', "line 2: bad JSON"),
    ('{"format": "something-else"}', "not a Planner dump"),
    ('{"format": "planner-dump", "version": 9, "tables": {}}', "version 9 is not supported"),
    ('{"format": "planner-dump", "version": 1, "tables": {"gadget": []}}', "tables this Planner does not know: gadget"),
    ('{"format": "planner-dump", "version": 1, "tables": {"tag": [{"id": 1, "name": "a", "colour": "red"}]}}',
     "table tag, row 1: unknown column"),
    ('{"format": "planner-dump", "version": 1, "tables": {"project": [{"id": 1, "key": "a", "name": "A", '
     '"start": "2026-02-30"}]}}', "table project, row 1"),
])
def test_a_broken_dump_writes_nothing(ctx, tmp_path, text, message):
    before = counts(ctx)
    with pytest.raises(InvalidInputError, match=message):
        import_file(ctx, "json", write(tmp_path, "bad.json", text))
    assert counts(ctx) == before


def test_the_layout_has_one_row_per_line():
    text = jsondump.write(jsondump.DatabaseRows(
        [("tag", [{"id": 1, "name": "a"}, {"id": 2, "name": "b"}]), ("team", [])], "x", STAMP))
    lines = text.splitlines()
    assert lines[1:4] == ['"tag": [', '{"id": 1, "name": "a"},', '{"id": 2, "name": "b"}']
    assert jsondump.read(io.StringIO(text)).tables == {"tag": [{"id": 1, "name": "a"},
                                                                       {"id": 2, "name": "b"}], "team": []}


def test_a_dump_whose_plan_ends_past_the_last_enterable_date_restores(tmp_path):
    """A baseline the scheduler computed past 2199-12-31 (from dates a person could enter) comes back."""
    from datetime import date

    from planner.services.interchange.dump import dump_database
    from planner.services.interchange.files import import_file
    from planner.services.planning.plan import save_baseline
    from planner.services.planning.projects import add_project
    from planner.services.queries import list_tasks
    from planner.services.tasks.operations import TaskDraft, add_task
    from tests.conftest import make_context

    source = make_context(f"sqlite:///{tmp_path / 'source.db'}")
    add_project(source, "p", name="Late")
    add_task(source, TaskDraft("late", project="p", start_no_earlier=date(2199, 12, 31), estimate_hours=16))
    save_baseline(source, "p")
    path = tmp_path / "dump.json"
    path.write_text(dump_database(source))
    target = make_context(f"sqlite:///{tmp_path / 'target.db'}")
    import_file(target, "json", path)
    assert [task.title for task in list_tasks(target, ["project:p"]).tasks] == ["late"]
