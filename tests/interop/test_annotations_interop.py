"""Annotations through the real Taskwarrior and through iCalendar, and in the database dump."""

from __future__ import annotations

import json

from tests.interop.conftest import write


def _show(planner, task_id: int) -> dict:
    return json.loads(planner.ok("show", str(task_id), "--json"))


def _notes(planner, task_id: int) -> list[tuple[str, str]]:
    return [(note["at"][:16], note["text"]) for note in _show(planner, task_id)["annotations"]]


def test_annotations_go_to_taskwarrior_and_come_back(planner, tw, tmp_path):
    planner.ok("add", "Fix the sink", "-p", "home")
    planner.ok("annotate", "1", "called the plumber")
    planner.ok("annotate", "1", "quote: 300, accepted")
    ours = _notes(planner, 1)
    out = tmp_path / "out.json"
    planner.ok("export", "taskwarrior", "-p", "home", "-o", str(out))
    tw("import", str(out))
    exported = tw.by_description()["Fix the sink"]
    assert [note["description"] for note in exported["annotations"]] == ["called the plumber", "quote: 300, accepted"]
    tw(exported["uuid"], "annotate", "plumber comes on monday")
    back = write(tmp_path, "back.json", tw("export"))
    planner.ok("import", "taskwarrior", str(back))
    notes = _notes(planner, 1)
    assert notes[:2] == ours and notes[2][1] == "plumber comes on monday" and len(notes) == 3

    fresh = tmp_path / "fresh.db"
    from planner.cli.main import app

    result = planner.runner.invoke(app, ["--db", str(fresh), "--as", "tester", "import", "taskwarrior", str(back)])
    assert result.exit_code == 0, result.output
    shown = json.loads(planner.runner.invoke(app, ["--db", str(fresh), "--as", "tester", "show", "1", "--json"]).stdout)
    assert [(n["at"][:16], n["text"]) for n in shown["annotations"]] == notes


def test_annotations_round_trip_through_ical_comments(planner, tmp_path):
    planner.ok("add", "Fix the sink", "-p", "home")
    planner.ok("annotate", "1", "called the plumber; quote, 300")
    planner.ok("annotate", "1", "second")
    out = tmp_path / "out.ics"
    planner.ok("export", "ical", "-p", "home", "-o", str(out))
    text = out.read_text()
    assert "COMMENT;X-PLANNER-AT=" in text and "called the plumber\\; quote\\, 300" in text
    fresh = tmp_path / "fresh.db"
    from planner.cli.main import app

    result = planner.runner.invoke(app, ["--db", str(fresh), "--as", "tester", "import", "ical", str(out)])
    assert result.exit_code == 0, result.output
    shown = json.loads(planner.runner.invoke(app, ["--db", str(fresh), "--as", "tester", "show", "1", "--json"]).stdout)
    assert [(n["at"][:19], n["text"]) for n in shown["annotations"]] == \
        [(at[:19], body) for at, body in ((n["at"], n["text"]) for n in _show(planner, 1)["annotations"])]
    again = planner.runner.invoke(app, ["--db", str(fresh), "--as", "tester", "import", "ical", str(out)])
    assert "1 unchanged" in again.stdout


def test_a_calendar_comment_without_a_time_is_an_annotation_made_at_import(planner, tmp_path):
    path = write(tmp_path, "in.ics", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nBEGIN:VTODO\r\n"
                 "UID:abc-1\r\nDTSTAMP:20261120T100000Z\r\nSUMMARY:Call mum\r\nCOMMENT:she is back on friday\r\n"
                 "END:VTODO\r\nEND:VCALENDAR\r\n")
    planner.ok("import", "ical", str(path))
    notes = _show(planner, 1)["annotations"]
    assert [(n["n"], n["by"], n["text"]) for n in notes] == [(1, "tester", "she is back on friday")]


def test_the_database_dump_keeps_annotations(planner, tmp_path):
    planner.ok("add", "Fix the sink", "-p", "home")
    planner.ok("annotate", "1", "called the plumber")
    dump = tmp_path / "dump.json"
    planner.ok("export", "json", "-o", str(dump))
    fresh = tmp_path / "fresh.db"
    from planner.cli.main import app

    result = planner.runner.invoke(app, ["--db", str(fresh), "--as", "tester", "import", "json", str(dump)])
    assert result.exit_code == 0, result.output
    shown = json.loads(planner.runner.invoke(app, ["--db", str(fresh), "--as", "tester", "show", "1", "--json"]).stdout)
    assert shown["annotations"] == _show(planner, 1)["annotations"]
