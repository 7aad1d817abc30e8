"""Work-management commands as people type them: workflow, move, timer, log, report, sprint, team, recur, hand-over."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _cache_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(tmp_path / "cache"))


def test_move_refuses_a_full_column_unless_forced(planner):
    planner.ok("workflow", "state", "edit", "default", "doing", "--wip", "1")
    planner.ok("add", "A")
    planner.ok("add", "B")
    assert planner.ok("move", "1", "doing").strip() == "moved #1 A to doing"
    refused = planner("move", "2", "doing")
    assert refused.exit_code == 1
    assert "WIP limit (1 of 1 tasks)" in refused.stderr and "--force" in refused.stderr
    assert "Traceback" not in refused.output
    assert "over its WIP limit" in planner.ok("move", "2", "doing", "--force")
    shown = planner.json("workflow", "show")
    assert [(s["key"], s["tasks"], s["wip_limit"]) for s in shown["states"]][2] == ("doing", 2, 1)


def test_workflow_add_use_and_state_commands(planner):
    planner.ok("project", "add", "support", "--stream")
    planner.ok("add", "Ticket", "-p", "support")
    planner.ok("workflow", "add", "tickets", "new:todo", "working:doing", "closed:done")
    assert "1 task changed state" in planner.ok("workflow", "use", "support", "tickets")
    assert planner.json("show", "1")["status"] == "new"
    planner.ok("workflow", "state", "add", "tickets", "waiting", "--category", "doing", "--after", "working")
    assert "new → working → waiting → closed" in planner.ok("workflow", "ls")
    bad = planner("workflow", "add", "broken", "open")
    assert bad.exit_code == 1 and "KEY:CATEGORY" in bad.stderr


def test_timer_start_start_stop_and_stop_without_start(planner):
    planner.ok("add", "First")
    planner.ok("add", "Second")
    assert planner.ok("timer", "start", "1").startswith("clocking #1 First since")
    second = planner.ok("timer", "start", "2")
    assert second.splitlines()[0].startswith("stopped #1 First after")
    assert "clocking #2 Second" in second
    assert planner.json("timer", "status")["task"] == 2
    assert planner.ok("timer", "stop").startswith("stopped #2 Second after")
    again = planner("timer", "stop")
    assert again.exit_code == 1
    assert again.stderr.strip() == "error: no timer is running for tester: `planner timer start ID` starts one"


def test_log_and_report_time(planner):
    planner.ok("add", "Spec", "-p", "web")
    planner.ok("add", "Deploy", "-p", "ops")
    assert "logged 1h30m on #1 Spec" in planner.ok("log", "1", "1h30m", "--note", "draft")
    planner.ok("log", "2", "45m", "--date", "yesterday")
    report = planner.json("report", "time", "--by", "project")
    assert report["from"] == "2026-11-23" and report["to"] == "2026-11-29"
    assert [(r["key"], r["hours"]) for r in report["rows"]] == [("web", 1.5), ("ops", 0.75)]
    text = planner.ok("report", "time", "--from", "2026-11-24", "--to", "2026-11-24", "--by", "task")
    assert "#2" in text and "45m" in text and "#1" not in text
    bad = planner("log", "1", "soon")
    assert bad.exit_code == 1 and "error:" in bad.stderr


def test_snooze_hides_a_task_from_the_queue(planner):
    planner.ok("add", "Call the bank")
    assert planner.ok("snooze", "1", "fri").strip() == "snoozed #1 Call the bank until 2026-11-27"
    assert planner.json("queue")["entries"] == []
    assert [e["id"] for e in planner.json("queue", "--date", "fri")["entries"]] == [1]
    assert planner.ok("snooze", "1", "none").startswith("woke #1")


def test_sprint_add_plan_and_burndown(planner):
    planner.ok("project", "add", "web")
    planner.ok("add", "A", "-p", "web", "--estimate", "4h")
    planner.ok("add", "B", "-p", "web", "--estimate", "6h")
    planner.ok("sprint", "add", "web", "Sprint 1", "--start", "2026-11-23", "--end", "2026-12-04")
    planner.ok("sprint", "plan", "web", "Sprint 1", "1", "2")
    planner.ok("done", "1")
    data = planner.json("sprint", "show", "web", "Sprint 1")
    assert data["total_hours"] == 10 and data["remaining_hours"] == 6
    assert [p["remaining_hours"] for p in data["burndown"][:4]] == [10, 10, 6, None]
    text = planner.ok("sprint", "show", "web", "Sprint 1")
    assert "1 of 2 tasks done" in text and "Ideal" in text


def test_sprint_rm_keeps_its_tasks_and_undo_brings_it_back(planner):
    planner.ok("add", "A", "-p", "web")
    planner.ok("sprint", "add", "web", "S1", "--start", "2026-11-23", "--end", "2026-12-04")
    planner.ok("sprint", "plan", "web", "S1", "1")
    assert "1 task(s) are in no sprint now" in planner.ok("sprint", "rm", "web", "S1")
    assert planner.json("sprint", "ls") == []
    assert planner.json("show", "1")["title"] == "A"
    planner.ok("undo")
    assert [(s["name"], s["tasks"]) for s in planner.json("sprint", "ls")] == [("S1", 1)]
    assert planner("sprint", "rm", "web", "nope").exit_code == 1


def test_team_add_and_team_queue(planner):
    assert planner.ok("team", "add", "design", "ana", "bo", "--create").strip() == "team design: ana bo"
    planner.ok("add", "Mockups", "-a", "ana", "--priority", "2")
    planner.ok("add", "Icons", "-a", "bo")
    data = planner.json("queue", "--team", "design")
    assert [(e["person"], e["title"]) for e in data["entries"]] == [("ana", "Mockups"), ("bo", "Icons")]
    text = planner.ok("queue", "--team", "design")
    assert "ana: 8h left" in text and "bo: 8h left" in text
    assert [t["name"] for t in planner.json("team", "ls")] == ["design"]


def test_recurring_add_skip_and_done(planner):
    out = planner.ok("add", "Weekly report", "--project", "content", "--recur", "every friday", "--policy", "fixed")
    assert out.strip() == "1"
    assert planner.json("show", "1")["due"] == "2026-11-27"
    assert "next is #2 due 2026-12-04" in planner.ok("recur", "skip", "1")
    planner.ok("done", "2")
    series = planner.json("recur", "ls")
    assert series[0]["open_task"] == 3 and series[0]["next_due"] == "2026-12-11"
    assert series[0]["skipped"] == ["2026-11-27"]
    planner.ok("recur", "end", "1")
    assert planner.json("recur", "ls") == []
    bad = planner("add", "X", "--recur", "whenever")
    assert bad.exit_code == 1 and "cannot read recurrence" in bad.stderr


def test_project_complete_hands_over_to_a_stream(planner):
    planner.ok("project", "add", "crm")
    planner.ok("project", "add", "crm-ops", "--stream")
    planner.ok("add", "Train staff", "-p", "crm")
    planner.ok("add", "Migrate contacts", "-p", "crm")
    planner.ok("done", "2")
    waiting = planner.ok("add", "Data hygiene", "-p", "crm-ops", "--recur", "every monday", "--starts-after", "crm")
    assert "starts when project crm completes" in waiting
    refused = planner("project", "complete", "crm")
    assert refused.exit_code == 1 and "--handoff STREAM" in refused.stderr
    out = planner.ok("project", "complete", "crm", "--handoff", "crm-ops")
    assert "handed 1 open task to crm-ops: #1" in out
    assert "started recurring 'Data hygiene': #3 due 2026-11-30" in out
    assert planner.json("show", "1")["project"] == "crm-ops"
    assert planner.json("project", "show", "crm")["completed"] is not None


def test_queue_plain_explain_and_plan(planner):
    planner.ok("add", "Urgent", "--priority", "3", "--due", "today", "--estimate", "5h")
    planner.ok("add", "Later", "--estimate", "4h")
    text = planner.ok("queue", "--explain")
    lines = text.splitlines()
    assert lines[0] == "tester: 8h left on Wed 2026-11-25 (8h calendar)"
    assert lines.index("── capacity cut: 8h fits today ──") == 5  # header, Urgent and its two factors
    assert "due today" in text and "priority 3 (high)" in text
    assert planner.ok("plan", "pin", "2").strip() == "today's plan: #2"
    assert [e["id"] for e in planner.json("queue")["entries"]] == [2, 1]
    planner.ok("plan", "order", "1", "2")
    assert [e["pinned"] for e in planner.json("queue")["entries"]] == [True, True]
    assert planner.ok("plan", "clear").strip() == "cleared 2 pins"
    planner.ok("log", "1", "1h")
    data = planner.json("queue", "--limit", "1")
    assert data["capacity"]["remaining_hours"] == 7 and data["total"] == 2 and len(data["entries"]) == 1


def test_queue_for_an_unknown_person_is_one_line(planner):
    result = planner("queue", "--user", "zed")
    assert result.exit_code == 1 and result.stderr.startswith("error: no person 'zed'")


def test_queue_imports_no_orm(tmp_path):
    """`planner queue` is a hot read command: no SQLAlchemy, SQLModel, Textual or pydantic, cache hit or miss."""
    import json
    import subprocess
    import sys

    db = str(tmp_path / "planner.db")
    env = {"PLANNER_CACHE_DIR": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin", "NO_COLOR": "1"}
    subprocess.run([sys.executable, "-m", "planner", "--db", db, "--as", "ana", "add", "Seed", "-p", "web",
                    "-a", "ana", "--due", "tomorrow"], check=True, capture_output=True, env=env)
    probe = ("import json, sys\nfrom planner.cli.main import app\n"
             "try:\n    app(sys.argv[1:], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
             "heavy = sorted({m.split('.')[0] for m in sys.modules} & "
             "{'sqlalchemy', 'sqlmodel', 'textual', 'alembic', 'pydantic'})\nprint(json.dumps(heavy), file=sys.stderr)\n")
    for _ in range(2):  # the first run computes the slack, the second reads it from the cache
        done = subprocess.run([sys.executable, "-c", probe, "--db", db, "--as", "ana", "queue"],
                              capture_output=True, text=True, check=True, env=env)
        assert "Seed" in done.stdout
        assert json.loads(done.stderr.strip().splitlines()[-1]) == []


def test_start_and_edit_status_respect_wip_limits_too(planner):
    planner.ok("workflow", "state", "edit", "default", "doing", "--wip", "1")
    planner.ok("add", "A")
    planner.ok("add", "B")
    planner.ok("start", "1")
    for args in (("start", "2"), ("edit", "2", "--status", "doing")):
        result = planner(*args)
        assert result.exit_code == 1 and "WIP limit" in result.stderr, args
    assert planner.json("show", "2")["status"] == "todo"
    planner.ok("move", "2", "doing", "--force")
