"""Terminal control characters never reach the store: typed, annotated, imported or in a user name."""

from __future__ import annotations

ESCAPES = "\x1b]0;pwned\x07\x1b[2J"


def test_typed_text_and_user_names_lose_their_control_characters(planner):
    planner.ok("add", f"esc {ESCAPES}title", "--note", f"line one\nline\x1b[31m two")
    planner.ok("annotate", "1", f"clear {ESCAPES}screen")
    planner.ok("edit", "1", "--title", f"new\x1b[2J title\twith tab")
    task = planner.json("show", "1")
    assert task["title"] == "new[2J title with tab"
    assert task["notes"] == "line one\nline[31m two"
    assert task["annotations"][0]["text"] == "clear ]0;pwned[2Jscreen"
    assert "\x1b" not in planner.ok("show", "1")
    planner.ok("annotate", "1", "signed", user="evil\x1b[2J")
    assert planner.json("show", "1")["annotations"][1]["by"] == "evil[2J"


def test_imported_titles_notes_and_annotations_lose_them_too(planner, tmp_path):
    calendar = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nBEGIN:VTODO\r\nUID:a@x\r\n"
                "DTSTAMP:20261130T000000Z\r\nSUMMARY:esc \x1b]0;pwned\x07title\r\nDESCRIPTION:n\x1b[2Jotes\r\n"
                "COMMENT:clear \x1b[2Jscreen\r\nEND:VTODO\r\nEND:VCALENDAR\r\n")
    path = tmp_path / "hostile.ics"
    path.write_text(calendar, encoding="utf-8", newline="")
    planner.ok("import", "ical", str(path))
    task = planner.json("show", "1")
    assert task["title"] == "esc ]0;pwnedtitle" and task["notes"] == "n[2Jotes"
    assert task["annotations"][0]["text"] == "clear [2Jscreen"
