"""Many tasks at once and backdating through the real CLI on a SQLite file."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest


def _add(planner, count: int, *extra: str) -> list[int]:
    return [int(planner.ok("add", f"chore {n}", "--project", "home", *extra).strip()) for n in range(1, count + 1)]


def _field(planner, task_id: int, name: str):
    return planner.json("show", str(task_id))[name]


def test_ranges_lists_and_mixtures(planner):
    ids = _add(planner, 9)
    out = planner.ok("done", "2-4")
    assert out.splitlines() == ["done #2 chore 2", "done #3 chore 3", "done #4 chore 4"]
    planner.ok("edit", "5,7", "9", "--priority", "3")
    assert [_field(planner, i, "priority") for i in ids] == [0, 0, 0, 0, 3, 0, 3, 0, 3]
    planner.ok("tag", "1,6-8", "phone", "calls")
    assert _field(planner, 6, "tags") == ["calls", "phone"] and _field(planner, 5, "tags") == []
    planner.ok("start", "6", "8")
    assert [_field(planner, i, "status") for i in (6, 7, 8)] == ["doing", "todo", "doing"]
    planner.ok("move", "6-7", "todo")
    assert [_field(planner, i, "status") for i in (6, 7)] == ["todo", "todo"]
    planner.ok("snooze", "1,9", "+3d")
    assert _field(planner, 9, "snoozed_until") == "2026-11-28"
    planner.ok("resource", "add", "ana")
    planner.ok("assign", "7-8", "ana")
    assert _field(planner, 8, "assignees") == ["ana"]
    planner.ok("rm", "8,9")
    assert planner("show", "8").exit_code == 1


@pytest.mark.parametrize(("args", "message"), [
    (("done", "2-x"), "2-x is not a task id or range (e.g. 4, 4,7 or 2-5)"),
    (("done", "4-2"), "4-2 is a reversed range: write 2-4"),
    (("done", "1-50000"), "a range may span at most 1,000"),
    (("done", "1,99"), "no task #99 in the selection 1,99: nothing changed"),
    (("edit", "1", "2-3,99", "--priority", "2"), "no task #99"),
    (("tag", "1-3,77", "x"), "no task #77"),
    (("done", "--where", "project:nowhere"), "no task matches --where"),
])
def test_a_bad_selection_is_one_error_line_and_changes_nothing(planner, args, message):
    _add(planner, 3)
    result = planner(*args)
    malformed = "no task" not in message  # a malformed id or range is a usage error (2); an absent task is 1
    assert result.exit_code == (2 if malformed else 1), result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert [t["status"] for t in planner.json("ls", "project:home")] == ["todo"] * 3
    assert all(t["priority"] == 0 and t["tags"] == [] for t in planner.json("ls", "project:home"))


def test_no_selection_is_a_usage_error(planner):
    _add(planner, 1)
    for args in (("done",), ("edit", "--priority", "2"), ("snooze", "mon"), ("tag", "home")):
        result = planner(*args)
        assert result.exit_code == 2, (args, result.output)
    assert _field(planner, 1, "status") == "todo" and _field(planner, 1, "tags") == []


def test_a_failing_task_in_the_middle_rolls_the_whole_command_back(planner):
    _add(planner, 3)
    planner.ok("done", "2")
    result = planner("done", "1-3")
    assert result.exit_code == 1 and "task #2 is already done" in result.stderr
    assert [_field(planner, i, "status") for i in (1, 3)] == ["todo", "todo"]


def test_where_selects_with_the_ls_filter_and_needs_yes_above_the_threshold(planner):
    _add(planner, 12, "--tag", "home", "--due", "thu")
    _add(planner, 2, "--tag", "home", "--due", "2026-12-24")
    small = planner.ok("edit", "--where", "project:home +home due.before:fri priority.under:1 -nothing",
                       "--priority", "1", "--yes")
    assert len(small.splitlines()) == 12
    refused = planner("done", "--where", "project:home priority:1")
    assert refused.exit_code == 2
    assert "done would change 12 tasks (more than 10): add --yes" in refused.stderr
    assert len(planner.json("ls", "project:home", "status:done")) == 0
    planner.ok("done", "--where", "project:home priority:1", "--yes")
    assert [t["due"] for t in planner.json("ls", "project:home")] == ["2026-12-24"] * 2
    ten = _add(planner, 10)
    planner.ok("tag", f"{ten[0]}-{ten[-1]}", "batch")  # ten tasks: at the threshold, no question asked
    assert len(planner.json("ls", "+batch")) == 10


def test_the_threshold_is_configurable(planner, monkeypatch):
    _add(planner, 3)
    monkeypatch.setenv("PLANNER_BULK_CONFIRM", "2")
    result = planner("edit", "1-3", "--priority", "2")
    assert result.exit_code == 2 and "more than 2" in result.stderr
    monkeypatch.setenv("PLANNER_BULK_CONFIRM", "many")
    assert planner("edit", "1-3", "--priority", "2").exit_code == 1


def test_one_undo_reverts_a_bulk_edit_of_twelve_tasks(planner):
    ids = _add(planner, 12)
    planner.ok("edit", "1-12", "--priority", "2", "--tag", "garden", "--due", "fri", "--yes")
    assert all(t["priority"] == 2 and t["tags"] == ["garden"] for t in planner.json("ls", "project:home"))
    message = planner.ok("undo")
    assert message.startswith("undid edit of #1: priority: 2 → 0") and message.rstrip().endswith("and 9 more tasks")
    assert all(t["priority"] == 0 and t["tags"] == [] and t["due"] is None
               for t in planner.json("ls", "project:home"))
    assert len(ids) == 12


def test_if_version_is_refused_with_more_than_one_task(planner):
    _add(planner, 2)
    for args in (("edit", "1,2", "--priority", "3"), ("done", "1-2"), ("move", "1", "2", "doing")):
        result = planner(*args, "--if-version", "1")
        assert result.exit_code == 2 and "--if-version guards one task, not 2" in result.stderr
    assert [_field(planner, i, "priority") for i in (1, 2)] == [0, 0]
    planner.ok("edit", "1", "--priority", "3", "--if-version", "1")


def test_edit_without_options_opens_one_task_in_the_editor_but_not_many(planner, monkeypatch):
    _add(planner, 2)
    monkeypatch.setenv("EDITOR", "true")  # saves the form unchanged
    monkeypatch.delenv("VISUAL", raising=False)
    result = planner("edit", "1")
    assert result.exit_code == 0 and "no changes: #1 left as it was" in result.stdout
    assert planner.json("edit", "1")["id"] == 1
    many = planner("edit", "1-2")
    assert many.exit_code == 2 and "nothing to change on 2 tasks" in many.stderr


def test_done_at_records_the_past_finish(planner):
    _add(planner, 2)
    planner.ok("done", "1", "--at", "2026-11-02")
    shown = planner.json("show", "1")
    assert shown["actual_finish"] == "2026-11-02" and shown["completed"].startswith("2026-11-02")
    planner.ok("done", "2", "--at", "yesterday 17:00")
    assert planner.json("show", "2")["completed"].startswith("2026-11-24T17:00")


def test_done_at_in_the_future_or_before_the_start_is_refused(planner):
    _add(planner, 1)
    future = planner("done", "1", "--at", "tomorrow 9:00")
    assert future.exit_code == 1 and "in the future" in future.stderr
    planner.ok("start", "1", "--at", "mon 9:00")
    assert _field(planner, 1, "actual_start") == "2026-11-23"
    early = planner("done", "1", "--at", "2026-11-20")
    assert early.exit_code == 1 and "started on 2026-11-23: it cannot be done before" in early.stderr
    assert _field(planner, 1, "status") == "doing"


def test_a_backdated_completion_moves_the_successor(planner):
    planner.ok("project", "add", "p", "--name", "P", "--start", "2026-11-16")
    planner.ok("add", "A", "--project", "p", "--duration", "3")
    planner.ok("add", "B", "--project", "p", "--duration", "2", "--after", "1")
    planner.ok("start", "1", "--at", "2026-11-16")
    planner.ok("done", "1")
    starts = {t["id"]: t["start"] for t in planner.json("schedule", "p")["tasks"]}
    assert starts[2] == "2026-11-26"
    planner.ok("undo")
    planner.ok("done", "1", "--at", "2026-11-18 17:00")
    schedule = planner.json("schedule", "p")
    starts = {t["id"]: t["start"] for t in schedule["tasks"]}
    finishes = {t["id"]: t["finish"] for t in schedule["tasks"]}
    assert finishes[1] == "2026-11-18" and starts[2] == "2026-11-25"


def test_timer_stop_and_log_at(planner, tmp_path):
    from datetime import datetime

    from planner.services.flow.timetracking import start_timer
    from tests.conftest import make_context

    _add(planner, 1)
    yesterday_nine = make_context(f"sqlite:///{planner.db}")
    yesterday_nine.now_override = datetime(2026, 11, 24, 9, 0)
    start_timer(yesterday_nine, 1)
    future = planner("timer", "stop", "--at", "tomorrow")
    assert future.exit_code == 1 and "in the future" in future.stderr
    assert "stopped #1 chore 1 after 8h" in planner.ok("timer", "stop", "--at", "yesterday 17:00")
    assert "logged 1h30m on #1 chore 1 (2026-11-23)" in planner.ok("log", "1", "1h30m", "--at", "mon 16:00")
    with sqlite3.connect(planner.db) as conn:
        rows = conn.execute("SELECT started_at, ended_at, hours FROM timeentry ORDER BY started_at").fetchall()
    assert [row[2] for row in rows] == [1.5, 8.0]
    report = planner.json("report", "time", "--from", "2026-11-23", "--to", "2026-11-24", "--by", "day")
    assert {row["key"]: row["hours"] for row in report["rows"]} == {"2026-11-23": 1.5, "2026-11-24": 8.0}
    both = planner("log", "1", "1h", "--at", "mon 9:00", "--date", "mon")
    assert both.exit_code == 1 and "--date or --at" in both.stderr


def _on_a_terminal(tmp_path, args: list[str], answer: str) -> tuple[int, str]:
    """Run the real planner on a pseudo-terminal, type ``answer``, return its exit status and screen."""
    import pty
    import select

    main, side = pty.openpty()
    env = {**os.environ, "HOME": str(tmp_path), "PLANNER_CONFIG": str(tmp_path / "none.toml"), "NO_COLOR": "1"}
    env.pop("PLANNER_DATABASE_URL", None)
    process = subprocess.Popen([sys.executable, "-m", "planner", "--db", str(tmp_path / "planner.db"), "--as",
                                "tester", "--today", "2026-11-25", *args],
                               stdin=side, stdout=side, stderr=side, env=env, close_fds=True)
    os.close(side)
    screen, answered = b"", False
    while True:
        ready, _, _ = select.select([main], [], [], 60)
        if not ready:
            process.kill()
            raise AssertionError(f"no output from planner: {screen!r}")
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the terminal closed: planner exited
            break
        if not chunk:
            break
        screen += chunk
        if not answered and b"Go ahead?" in screen:
            os.write(main, answer.encode() + b"\n")
            answered = True
    os.close(main)
    return process.wait(timeout=60), screen.decode(errors="replace")


@pytest.mark.parametrize(("answer", "changed"), [("y", True), ("n", False)])
def test_a_terminal_asks_before_changing_many_tasks(planner, tmp_path, answer, changed):
    _add(planner, 12)
    status, screen = _on_a_terminal(tmp_path, ["edit", "1-12", "--priority", "3"], answer)
    assert "edit 12 tasks: #1 chore 1, #2 chore 2, #3 chore 3 and 9 more. Go ahead? [y/N]" in screen
    assert status == (0 if changed else 1), screen
    assert all(t["priority"] == (3 if changed else 0) for t in planner.json("ls", "project:home"))
