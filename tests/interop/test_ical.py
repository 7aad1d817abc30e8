"""iCalendar: exports the icalendar package and calcurse read, imports with RRULE / EXDATE / RDATE."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import date

import icalendar
import pytest

from planner.domain.errors import CycleError, InvalidInputError
from planner.interop import ical
from planner.services.interchange.files import export_file, import_file
from planner.services.planning.projects import add_project
from planner.services.tasks.operations import TaskDraft, add_task, complete_task
from tests.interop.conftest import counts, links, rows, tags_of, tasks_by_title, write
from tests.conftest import require_tool


def _calendar(*components: str) -> str:
    return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + "".join(components) + "END:VCALENDAR\r\n"


def _todo(uid: str, summary: str, *lines: str) -> str:
    return f"BEGIN:VTODO\r\nUID:{uid}\r\nDTSTAMP:20261125T100000Z\r\nSUMMARY:{summary}\r\n" + "".join(
        line + "\r\n" for line in lines) + "END:VTODO\r\n"


@pytest.fixture
def planned(ctx):
    """A project with a milestone, links with lags, a sub-task, tags and a finished task."""
    add_project(ctx, "launch", start=date(2026, 11, 30))
    design = add_task(ctx, TaskDraft("Design", project="launch", duration_days=2, tags=["ux"], priority=3,
                                     due=date(2026, 12, 4), notes="Sketches, then a review")).task_id
    build = add_task(ctx, TaskDraft("Build", project="launch", duration_days=3, after=[design],
                                    start_no_earlier=date(2026, 12, 1))).task_id
    add_task(ctx, TaskDraft("Build: API", project="launch", duration_days=1, parent_id=build))
    add_task(ctx, TaskDraft("Release", project="launch", milestone=True, after=[build]))
    done = add_task(ctx, TaskDraft("Kick-off", project="launch", duration_days=1)).task_id
    complete_task(ctx, done)
    return ctx


def test_every_export_parses_with_the_icalendar_package(planned):
    text = export_file(planned, "ical")
    calendar = icalendar.Calendar.from_ical(text)
    todos = {str(c["SUMMARY"]): c for c in calendar.walk("VTODO")}
    events = {str(c["SUMMARY"]): c for c in calendar.walk("VEVENT")}
    assert set(todos) == {"Design", "Build", "Build: API", "Kick-off"} and set(events) == {"Release"}
    assert todos["Design"].decoded("DUE") == date(2026, 12, 4) and int(todos["Design"]["PRIORITY"]) == 1
    assert todos["Kick-off"]["STATUS"] == "COMPLETED" and "COMPLETED" in todos["Kick-off"]
    assert [str(cat) for cat in todos["Design"]["CATEGORIES"].cats] == ["ux"]
    related = todos["Design"]["RELATED-TO"]
    assert related.params["RELTYPE"] == "FINISHTOSTART" and str(related) == str(todos["Build"]["UID"])
    assert todos["Build: API"]["RELATED-TO"].params["RELTYPE"] == "PARENT"
    from planner.services.planning.schedule import schedule_project

    scheduled = {task.title: task for task in schedule_project(planned, "launch").tasks}
    assert events["Release"].decoded("DTSTART") == scheduled["Release"].finish  # the milestone's scheduled day
    for component in calendar.walk():
        assert not getattr(component, "errors", [])


def test_calcurse_imports_the_export(planned, tmp_path):
    require_tool("calcurse")
    path = write(tmp_path, "planner.ics", export_file(planned, "ical"))
    data = tmp_path / "calcurse"
    done = subprocess.run(["calcurse", "-D", str(data), "-i", str(path)], capture_output=True, text=True,
                          stdin=subprocess.DEVNULL, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "1 event / 4 todos / 0 skipped" in done.stdout
    todo = (data / "todo").read_text()
    assert re.search(r"^\[1\]\S* Design$", todo, re.M) and "Build: API" in todo and "[-0] Kick-off" in todo
    assert "[1] Release" in (data / "apts").read_text()
    listed = subprocess.run(["calcurse", "-D", str(data), "-t"], capture_output=True, text=True,
                            stdin=subprocess.DEVNULL, timeout=60, check=False)
    assert "Design" in listed.stdout and "Kick-off" not in listed.stdout


def test_round_trip_through_ics_keeps_tasks_links_parents_and_tags(planned, tmp_path):
    path = write(tmp_path, "out.ics", export_file(planned, "ical"))
    assert import_file(planned, "ical", path).unchanged == 5
    from tests.conftest import make_context

    other = make_context(f"sqlite:///{tmp_path / 'other.db'}")
    report = import_file(other, "ical", path, project="launch")
    assert report.created == 5
    assert links(other) == links(planned)
    assert tags_of(other, "Design") == {"ux"}
    tasks = tasks_by_title(other)
    assert tasks["Build: API"]["parent_id"] == tasks["Build"]["id"]
    assert tasks["Release"]["kind"] == "milestone" and tasks["Kick-off"]["status"] == "done"
    assert tasks["Design"]["notes"] == "Sketches, then a review"


def test_imports_vtodo_with_rrule_exdate_and_rdate(ctx, tmp_path):
    text = _calendar(_todo("water@example.com", "Water plants", "DTSTART;VALUE=DATE:20261130",
                           "DUE;VALUE=DATE:20261201", "RRULE:FREQ=WEEKLY;BYDAY=MO", "EXDATE;VALUE=DATE:20261207",
                           "RDATE;VALUE=DATE:20261210", "CATEGORIES:home,garden", "PRIORITY:5"))
    report = import_file(ctx, "ical", write(tmp_path, "rec.ics", text))
    assert report.created == 1
    (rule, dtstart, skipped, template), = rows(ctx, "SELECT rrule, dtstart, skipped, template FROM recurrence")
    assert rule == "FREQ=WEEKLY;BYDAY=MO" and str(dtstart)[:10] == "2026-11-30"
    assert "2026-12-07" in str(skipped) and "2026-12-10" in str(template)
    task = tasks_by_title(ctx)["Water plants"]
    assert task["recurrence_id"] is not None and task["priority"] == 2
    assert task["instance_key"] == f"s{task['recurrence_id']}:2026-12-01"  # as the recurrence service keys it
    assert tags_of(ctx, "Water plants") == {"home", "garden"}
    assert import_file(ctx, "ical", write(tmp_path, "rec.ics", text)).unchanged == 1


def test_temporal_relations_and_depends_on_become_links(ctx, tmp_path):
    text = _calendar(
        _todo("a", "Paint", "RELATED-TO;RELTYPE=FINISHTOSTART;GAP=P1D:b"),
        _todo("b", "Carpet", "RELATED-TO;RELTYPE=DEPENDS-ON:c"),
        _todo("c", "Buy paint"),
        _todo("d", "Cleanup", "RELATED-TO;RELTYPE=STARTTOSTART:b"))
    import_file(ctx, "ical", write(tmp_path, "rel.ics", text))
    assert links(ctx) == {("Paint", "Carpet", "FS", 1), ("Buy paint", "Carpet", "FS", 0),
                          ("Cleanup", "Carpet", "SS", 0)}


def test_cancelled_todos_are_skipped(ctx, tmp_path):
    text = _calendar(_todo("a", "Keep"), _todo("b", "Drop", "STATUS:CANCELLED"))
    report = import_file(ctx, "ical", write(tmp_path, "c.ics", text))
    assert (report.created, report.skipped) == (1, 1)


@pytest.mark.parametrize(("text", "message"), [
    (_calendar(_todo("a", "Fine"), _todo("b", "Bad date", "DUE;VALUE=DATE:20261345")), "line 13: .*20261345"),
    (_calendar(_todo("a", "Hourly", "RRULE:FREQ=HOURLY")), "series ical:a:series: .*HOURLY"),
    (_calendar(_todo("a", "No end").replace("END:VTODO\r\n", "")), "line 8: END:VCALENDAR while BEGIN:VTODO of line 4"),
    (_calendar(_todo("a", "Cut off")).replace("END:VTODO\r\nEND:VCALENDAR\r\n", ""), "line 4: BEGIN:VTODO never ends"),
    (_calendar("BEGIN:VTODO\r\nUID:x\r\nEND:VTODO\r\n"), "line 4 \\(VTODO x\\): no SUMMARY"),
    (_calendar(_todo("a", "Odd", "STATUS:SLEEPING")), "STATUS 'SLEEPING' unknown"),
    (_calendar(_todo("a", "Waits", "RELATED-TO;RELTYPE=DEPENDS-ON:zzz")), "depends on unknown task ical:zzz"),
    ("just some text\n", "not an iCalendar file"),
])
def test_malformed_calendars_write_nothing(ctx, tmp_path, text, message):
    before = counts(ctx)
    with pytest.raises(InvalidInputError, match=message):
        import_file(ctx, "ical", write(tmp_path, "bad.ics", text))
    assert counts(ctx) == before


def test_a_cycle_of_relations_writes_nothing(ctx, tmp_path):
    text = _calendar(_todo("a", "One", "RELATED-TO;RELTYPE=DEPENDS-ON:b"), _todo("b", "Two", "RELATED-TO;RELTYPE=DEPENDS-ON:a"))
    with pytest.raises(CycleError, match="'One' -> .*'Two' -> .*'One'"):
        import_file(ctx, "ical", write(tmp_path, "cycle.ics", text))
    assert counts(ctx)["task"] == 0


def test_reader_streams_component_by_component():
    text = _calendar(*(_todo(f"id{index}", f"task {index}") for index in range(300)))
    document = ical.read(io.StringIO(text))
    assert len(document.tasks) == 300 and document.tasks[-1].where.startswith("line ")


def _event(uid: str | None, summary: str | None, *lines: str) -> str:
    head = "BEGIN:VEVENT\r\n" + (f"UID:{uid}\r\n" if uid else "") + "DTSTAMP:20261125T100000Z\r\n"
    body = (f"SUMMARY:{summary}\r\n" if summary else "") + "".join(line + "\r\n" for line in lines)
    return head + body + "END:VEVENT\r\n"


def test_calendar_app_habits_import(ctx, tmp_path):
    text = _calendar(
        _event("weekly@google.com", "Standup", "DTSTART;VALUE=DATE:20261130", "RRULE:FREQ=WEEKLY"),
        # an edited occurrence (Google, Outlook, Thunderbird): the series comes from the master
        _event("weekly@google.com", "Standup (moved)", "RECURRENCE-ID;VALUE=DATE:20261207",
               "DTSTART;VALUE=DATE:20261208"),
        # Thunderbird appends a revision with a higher SEQUENCE: it replaces the first copy
        _event("review@tb", "Review", "DTSTART;VALUE=DATE:20261201"),
        _event("review@tb", "Review, moved", "SEQUENCE:2", "DTSTART;VALUE=DATE:20261202"),
        _event("untitled@google.com", None, "DTSTART;VALUE=DATE:20261203"),
        _event(None, "No UID", "DTSTART;VALUE=DATE:20261204", "RRULE:"),
    )
    path = write(tmp_path, "google.ics", text)
    report = import_file(ctx, "ical", path)
    assert (report.created, report.skipped) == (4, 2)
    tasks = tasks_by_title(ctx)
    assert set(tasks) == {"Standup", "Review, moved", ical.UNTITLED, "No UID"}
    assert any("edited occurrence" in warning for warning in report.warnings)
    again = import_file(ctx, "ical", path)  # the derived UID is stable, so nothing is added twice
    assert (again.created, again.unchanged) == (0, 4)


def test_a_property_the_package_cannot_parse_is_named(ctx, tmp_path):
    text = _calendar(_event("bad", "Broken", "DTSTART:INVALID-DATE"))
    before = counts(ctx)
    with pytest.raises(InvalidInputError, match=r"line 4 \(VEVENT bad\): DTSTART is not valid"):
        import_file(ctx, "ical", write(tmp_path, "bad.ics", text))
    assert counts(ctx) == before


def test_google_date_rdates_with_a_utc_mark_and_empty_exdates_are_read(ctx, tmp_path):
    text = _calendar(_event("bday@google.com", "Birthday", "DTSTART;VALUE=DATE:20261210", "RRULE:FREQ=YEARLY",
                            "RDATE:20271210Z", "EXDATE;VALUE=DATE:"))
    document = ical.read(io.StringIO(text))
    assert document.series["ical:bday@google.com:series"].extra_dates == [date(2027, 12, 10)]
    assert document.series["ical:bday@google.com:series"].skipped == []
    with pytest.raises(InvalidInputError, match="RDATE 'soon' is not a date"):
        ical.read(io.StringIO(text.replace("RDATE:20271210Z", "RDATE:soon")))


def _assignments(ctx) -> set[tuple[str, str, float]]:
    return set(rows(ctx, "SELECT t.title, r.handle, a.units FROM assignment a JOIN task t ON t.id = a.task_id "
                         "JOIN resource r ON r.id = a.resource_id"))


def test_estimates_and_assignees_survive_a_round_trip(ctx, tmp_path):
    from planner.services.people.resources import add_resource
    from planner.services.tasks.operations import assign

    add_resource(ctx, "ana", name="Ana Lima", email="ana@example.org")
    add_resource(ctx, "bo", name="Bo", capacity=0.5)
    add_project(ctx, "web", start=date(2026, 11, 30))
    copy = add_task(ctx, TaskDraft("Write copy", project="web", estimate_hours=6, assignees=["ana"])).task_id
    assign(ctx, copy, ["bo"], units=0.25)
    add_task(ctx, TaskDraft("Review", project="web", estimate_hours=1.5))
    text = export_file(ctx, "ical", project="web")
    todo = next(c for c in icalendar.Calendar.from_ical(text).walk("VTODO") if str(c["SUMMARY"]) == "Write copy")
    attendees = {str(a.params["X-PLANNER-HANDLE"]): a for a in todo["ATTENDEE"]}
    assert str(attendees["ana"]) == "mailto:ana@example.org" and attendees["ana"].params["CN"] == "Ana Lima"
    assert attendees["bo"].params["X-PLANNER-UNITS"] == "0.25" and "ESTIMATED-DURATION:PT6H" in text

    from tests.conftest import make_context

    other = make_context(f"sqlite:///{tmp_path / 'other.db'}")  # a second, empty store
    import_file(other, "ical", write(tmp_path, "web.ics", text), project="web")
    assert {title: task["estimate_hours"] for title, task in tasks_by_title(other).items()} == {
        "Write copy": 6.0, "Review": 1.5}
    assert _assignments(other) == {("Write copy", "ana", 1.0), ("Write copy", "bo", 0.25)}
    assert rows(other, "SELECT email FROM resource WHERE handle = 'ana'") == [("ana@example.org",)]
    report = import_file(ctx, "ical", write(tmp_path, "again.ics", text), project="web")
    assert (report.created, report.updated) == (0, 0)  # back onto itself: nothing changes


def test_a_foreign_todo_assigns_its_attendees_but_not_declined_ones_or_rooms(ctx, tmp_path):
    text = _calendar(_todo("t1@example.org", "Plan the offsite", "ESTIMATED-DURATION:P1DT2H",
                           "ATTENDEE;CN=Mia Wong;PARTSTAT=ACCEPTED:mailto:mia.wong@example.org",
                           "ATTENDEE;CN=Kai;PARTSTAT=DECLINED:mailto:kai@example.org",
                           "ATTENDEE;CUTYPE=ROOM;CN=Room 4:mailto:room4@example.org",
                           "ATTENDEE;ROLE=CHAIR;CN=Boss:mailto:boss@example.org"))
    import_file(ctx, "ical", write(tmp_path, "offsite.ics", text), project="home")
    assert tasks_by_title(ctx)["Plan the offsite"]["estimate_hours"] == 10.0
    assert {(handle, units) for _, handle, units in _assignments(ctx)} == {("mia.wong", 1.0)}


def test_a_malformed_estimate_is_refused_and_nothing_is_imported(ctx, tmp_path):
    text = _calendar(_todo("ok@example.org", "Fine"), _todo("bad@example.org", "Broken", "ESTIMATED-DURATION:soon"))
    with pytest.raises(InvalidInputError, match="ESTIMATED-DURATION 'soon' is not a positive duration"):
        import_file(ctx, "ical", write(tmp_path, "bad.ics", text), project="home")
    assert counts(ctx)["task"] == 0


def test_attendees_link_the_stored_people_and_never_rename_or_readdress_them(ctx, tmp_path):
    from planner.services.people.resources import add_resource

    add_resource(ctx, "ana", name="Ana", email="ana@example.com")
    text = _calendar(_todo("c@x", "t", "ATTENDEE;X-PLANNER-HANDLE=ana:mailto:other@example.com"),
                     _todo("d@x", "u", "ATTENDEE;CN=Someone Else:mailto:ana@example.com"),
                     _todo("e@x", "v", "ATTENDEE;CN=Mallory:mailto:mallory@example.com"))
    import_file(ctx, "ical", write(tmp_path, "c.ics", text), project="home")
    people = set(rows(ctx, "SELECT handle, name, email FROM resource"))
    assert people == {("ana", "Ana", "ana@example.com"), ("mallory", "Mallory", "mallory@example.com")}
    assert {(title, handle) for title, handle, _ in _assignments(ctx)} == {("t", "ana"), ("u", "ana"),
                                                                           ("v", "mallory")}


def test_reimporting_an_unchanged_export_makes_no_inbox(planned, tmp_path):
    text = export_file(planned, "ical")
    report = import_file(planned, "ical", write(tmp_path, "same.ics", text))
    assert (report.created, report.updated, report.projects_created) == (0, 0, [])
    assert rows(planned, "SELECT key FROM project ORDER BY key") == [("launch",)]


def test_a_zero_estimate_means_none_and_two_estimates_are_refused(ctx, tmp_path):
    import_file(ctx, "ical", write(tmp_path, "zero.ics", _calendar(_todo("z@x", "Zero", "ESTIMATED-DURATION:PT0S"))),
                project="home")
    assert tasks_by_title(ctx)["Zero"]["estimate_hours"] is None
    two = _calendar(_todo("t@x", "Two", "ESTIMATED-DURATION:PT1H", "ESTIMATED-DURATION:PT2H"))
    with pytest.raises(InvalidInputError, match="2 ESTIMATED-DURATION lines; a to-do has one estimate"):
        import_file(ctx, "ical", write(tmp_path, "two.ics", two), project="home")
