"""MS Project XML: a hand-written file with every link type, lags across weekends, summaries, resources."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ElementTree
from datetime import date

import pytest

from planner.domain.errors import CycleError, InvalidInputError
from planner.interop import mspdi
from planner.services.interchange.files import export_file, import_file
from planner.services.planning.projects import add_project
from planner.services.planning.schedule import schedule_project
from planner.services.tasks.operations import TaskDraft, add_task
from planner.services.people.resources import add_resource
from tests.interop.conftest import DATA, counts, links, rows, tasks_by_title, write

NS = "{http://schemas.microsoft.com/project}"


def _dates(ctx, key: str) -> dict[str, tuple[date, date]]:
    return {task.title: (task.start, task.finish) for task in schedule_project(ctx, key).tasks}


def test_parser_maps_links_lags_outline_and_resources():
    with (DATA / "links.xml").open("rb") as stream:
        document = mspdi.read(stream)
    by_title = {task.title: task for task in document.tasks}
    assert list(by_title) == ["Phase 1", "Design", "Build", "Test", "Docs", "Release"]
    assert [(link.type, link.lag_days) for title in ("Build", "Test", "Docs", "Release")
            for link in by_title[title].links] == [("FS", 2), ("SS", 1), ("FF", 1), ("SF", 3)]
    assert by_title["Design"].parent == "mspdi:10" and by_title["Docs"].parent is None
    assert by_title["Design"].duration_days == 3 and by_title["Design"].estimate_hours == 24
    assert by_title["Release"].kind == "milestone" and by_title["Release"].due == date(2026, 12, 18)
    assert by_title["Design"].notes == "Sketch & agree on the <layout>" and by_title["Design"].priority == 3
    assert by_title["Design"].assignments == [("mspdi:res:1", 1.0)] and by_title["Test"].assignments == []
    assert {r.name: (r.kind, r.capacity, r.handle) for r in document.resources} == {
        "Ana Lima": ("person", 1.0, "ana"), "Build farm": ("pool", 2.0, None)}
    calendars = {c.name: c for c in document.calendars}
    assert calendars["Standard"].working_weekdays == (0, 1, 2, 3, 4) and calendars["Standard"].hours_per_day == 8
    assert set(calendars["Ana"].exceptions) == {date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 31)}
    assert document.project.start == date(2026, 11, 30) and document.project.name == "Launch"


def test_imported_schedule_honours_every_link_type_and_lag_across_weekends(ctx):
    report = import_file(ctx, "mspdi", DATA / "links.xml")
    assert (report.created, report.projects_created) == (6, ["launch"])
    dates = _dates(ctx, "launch")
    assert dates["Design"] == (date(2026, 11, 30), date(2026, 12, 2))
    assert dates["Build"] == (date(2026, 12, 7), date(2026, 12, 8))  # FS +2d: Thu, Fri, then the weekend
    assert dates["Test"] == (date(2026, 12, 8), date(2026, 12, 9))  # SS +1d
    assert dates["Docs"] == (date(2026, 12, 10), date(2026, 12, 10))  # FF +1d
    assert dates["Release"][1] == date(2026, 12, 14)  # SF +3d from Thu: Fri, Mon -> end of Monday
    assert dates["Phase 1"] == (date(2026, 11, 30), date(2026, 12, 9))
    assert links(ctx) == {("Design", "Build", "FS", 2), ("Build", "Test", "SS", 1), ("Test", "Docs", "FF", 1),
                          ("Docs", "Release", "SF", 3)}


def test_resources_assignments_and_calendars_are_imported(ctx):
    import_file(ctx, "mspdi", DATA / "links.xml")
    assert set(rows(ctx, "SELECT handle, kind, capacity FROM resource")) == {("ana", "person", 1.0),
                                                                           ("build-farm", "pool", 2.0)}
    assert set(rows(ctx, "SELECT t.title, r.handle, a.units FROM assignment a JOIN task t ON t.id = a.task_id "
                         "JOIN resource r ON r.id = a.resource_id")) == {("Design", "ana", 1.0), ("Build", "build-farm", 0.5)}
    calendars = dict(rows(ctx, "SELECT name, id FROM calendar"))
    assert {"launch:Standard", "launch:Ana"} <= set(calendars)
    assert rows(ctx, "SELECT calendar_id FROM project WHERE key = 'launch'") == [(calendars["launch:Standard"],)]
    assert rows(ctx, "SELECT calendar_id FROM resource WHERE handle = 'ana'") == [(calendars["launch:Ana"],)]
    days_off = {str(day)[:10] for (day,) in rows(ctx, "SELECT day FROM calendarexception WHERE calendar_id = ?",
                                                 [calendars["launch:Ana"]])}
    assert days_off == {"2026-12-24", "2026-12-25", "2026-12-31"}


def test_reimport_matches_by_uid_and_updates_in_place(ctx, tmp_path):
    import_file(ctx, "mspdi", DATA / "links.xml")
    assert import_file(ctx, "mspdi", DATA / "links.xml").unchanged == 6
    changed = (DATA / "links.xml").read_text().replace("<Name>Build</Name>", "<Name>Build it</Name>") \
        .replace("<LinkLag>9600</LinkLag>", "<LinkLag>4800</LinkLag>")
    report = import_file(ctx, "mspdi", write(tmp_path, "changed.xml", changed))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 5)
    assert len(tasks_by_title(ctx)) == 6
    assert ("Design", "Build it", "FS", 1) in links(ctx)


def test_export_is_valid_mspdi_and_comes_back_with_the_same_schedule(ctx, tmp_path):
    import_file(ctx, "mspdi", DATA / "links.xml")
    exported = export_file(ctx, "mspdi", "launch")
    root = ElementTree.fromstring(exported)
    assert root.tag == f"{NS}Project"
    tasks = root.find(f"{NS}Tasks")
    names = [task.findtext(f"{NS}Name") for task in tasks]
    assert names == ["Launch", "Phase 1", "Design", "Build", "Test", "Docs", "Release"]
    link_types = sorted(link.findtext(f"{NS}Type") + ":" + link.findtext(f"{NS}LinkLag")
                        for link in root.iter(f"{NS}PredecessorLink"))
    assert link_types == ["0:4800", "1:9600", "2:14400", "3:4800"]
    children = [child.tag.removeprefix(NS) for child in tasks[2]]
    schema_order = ["UID", "ID", "Name", "Type", "IsNull", "CreateDate", "OutlineNumber", "OutlineLevel", "Priority",
                    "Start", "Finish", "Duration", "DurationFormat", "Work", "Milestone", "Summary", "Critical",
                    "PercentComplete", "ConstraintType", "Notes"]
    assert children == [name for name in schema_order if name in children]
    assert import_file(ctx, "mspdi", write(tmp_path, "again.xml", exported.decode())).unchanged == 6
    from tests.conftest import make_context

    other = make_context(f"sqlite:///{tmp_path / 'other.db'}")
    import_file(other, "mspdi", write(tmp_path, "copy.xml", exported.decode()))
    assert _dates(other, "launch") == _dates(ctx, "launch")


def test_a_planner_project_goes_out_and_comes_back_as_the_same_tasks(ctx, tmp_path):
    add_project(ctx, "web", start=date(2026, 11, 30))
    first = add_task(ctx, TaskDraft("Plan", project="web", duration_days=2)).task_id
    add_resource(ctx, "ana")
    add_task(ctx, TaskDraft("Do", project="web", duration_days=1, after=[first], assignees=["ana"]))
    path = write(tmp_path, "web.xml", export_file(ctx, "mspdi", "web").decode())
    before = counts(ctx)
    report = import_file(ctx, "mspdi", path)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert counts(ctx) == before


@pytest.mark.parametrize(("change", "message"), [
    (("<LinkLag>9600</LinkLag>", "<LinkLag>lots</LinkLag>"), "UID 2, 'Build'.*LinkLag 'lots' is not a whole number"),
    (("<Duration>PT16H0M0S</Duration>", "<Duration>two days</Duration>"), "UID 2, 'Build'.*Duration 'two days'"),
    (("<PredecessorUID>1</PredecessorUID>", "<PredecessorUID>99</PredecessorUID>"),
     "UID 2, 'Build'.*depends on unknown task mspdi:launch:99"),
    (("<Start>2026-12-10T08:00:00</Start>", "<Start>2026-12-10T08:00:00</Start><ActualStart>2026-02-30T08:00:00"
                                            "</ActualStart>"), "UID 4, 'Docs'.*ActualStart '2026-02-30T08:00:00'"),
    (("</Tasks>", "</Taks>"), "line \\d+, column \\d+: bad XML"),
    (("<Type>2</Type><CrossProject>", "<Type>7</Type><CrossProject>"), "link Type 7 unknown"),
])
def test_malformed_files_write_nothing_and_name_the_task(ctx, tmp_path, change, message):
    before = counts(ctx)
    text = (DATA / "links.xml").read_text().replace(*change)
    with pytest.raises(InvalidInputError, match=message):
        import_file(ctx, "mspdi", write(tmp_path, "bad.xml", text))
    assert counts(ctx) == before


def test_a_link_cycle_in_the_file_writes_nothing(ctx, tmp_path):
    text = (DATA / "links.xml").read_text().replace(
        "<Milestone>0</Milestone><Summary>0</Summary><PercentComplete>0</PercentComplete>",
        "<Milestone>0</Milestone><Summary>0</Summary><PercentComplete>0</PercentComplete>"
        "<PredecessorLink><PredecessorUID>4</PredecessorUID><Type>1</Type></PredecessorLink>")
    before = counts(ctx)
    with pytest.raises(CycleError, match="'Design' -> .*'Build' -> .*'Test' -> .*'Docs' -> .*'Design'"):
        import_file(ctx, "mspdi", write(tmp_path, "cycle.xml", text))
    assert counts(ctx) == before


def test_not_a_project_file_is_refused():
    with pytest.raises(InvalidInputError, match="not an MS Project XML file"):
        mspdi.read(io.BytesIO(b"<?xml version='1.0'?><Calendar/>"))


def test_country_holidays_go_out_as_calendar_exceptions(ctx):
    from planner.services.people.calendars import add_calendar, use_calendar

    add_calendar(ctx, "de", country="DE")
    add_project(ctx, "berlin", start=date(2026, 11, 30))
    use_calendar(ctx, "de", project="berlin")
    add_task(ctx, TaskDraft("Plan", project="berlin", duration_days=2))
    root = ElementTree.fromstring(export_file(ctx, "mspdi", "berlin"))
    days_off = {period.findtext(f"{NS}FromDate")[:10] for period in root.iter(f"{NS}TimePeriod")}
    assert {"2026-12-25", "2027-01-01"} <= days_off and "2026-12-27" not in days_off  # a Sunday is off anyway
