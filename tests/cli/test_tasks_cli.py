"""The task commands as a Taskwarrior user types them, on a real SQLite file."""

from __future__ import annotations

import json
import sqlite3


def test_add_ls_show_done_round_trip(planner):
    assert planner.ok("add", "Write spec", "--project", "web", "--due", "fri", "--estimate", "3h",
                      "--priority", "2", "--tag", "docs").strip() == "1"
    listing = planner.ok("ls")
    assert "Write spec" in listing and "web" in listing and "in 2d" in listing and "3h" in listing
    task = planner.json("show", "1")
    assert task["due"] == "2026-11-27" and task["estimate_hours"] == 3 and task["tags"] == ["docs"]
    assert planner.ok("done", "1").startswith("done #1")
    assert planner.ok("ls").strip() == "no matching tasks"
    assert [t["id"] for t in planner.json("ls", "+done")] == [1]


def test_add_json_prints_the_task(planner):
    task = planner.json("add", "Ship", "-p", "web", "--milestone", "--due", "2026-12-24")
    assert task["kind"] == "milestone" and task["duration_days"] == 0 and task["project"] == "web"


def test_filter_language_on_the_command_line(planner):
    planner.ok("add", "Spec", "-p", "web", "--tag", "docs", "--priority", "3", "--due", "tomorrow", "-a", "tester")
    planner.ok("add", "Blocked one", "-p", "web", "--after", "1", "--tag", "docs")
    planner.ok("add", "Other", "-p", "ops", "--priority", "1")
    ids = lambda *terms: [t["id"] for t in planner.json("ls", *terms)]  # noqa: E731
    assert ids("project:web") == [1, 2]
    assert ids("+docs", "-blocked") == [1]
    assert ids("+blocked") == [2]
    assert ids("assignee:me") == [1]
    assert ids("priority.over:1") == [1]
    assert ids("due.before:fri") == [1]
    assert ids("Other") == [3]


def test_edit_changes_only_given_fields_and_guards_versions(planner):
    planner.ok("add", "A", "--priority", "1", "--due", "2026-12-01")
    planner.ok("edit", "1", "--title", "B", "--tag", "x", "--if-version", "1")
    task = planner.json("show", "1")
    assert (task["title"], task["priority"], task["due"], task["tags"]) == ("B", 1, "2026-12-01", ["x"])
    stale = planner("edit", "1", "--title", "C", "--if-version", "1")
    assert stale.exit_code == 1
    assert "changed since you loaded it" in stale.stderr
    assert planner.json("show", "1")["title"] == "B"
    planner.ok("edit", "1", "--due", "none")
    assert planner.json("show", "1")["due"] is None


def test_undo_restores_a_removed_task(planner):
    planner.ok("add", "Keep me", "--tag", "x")
    planner.ok("rm", "1")
    assert planner("show", "1").exit_code == 1
    assert "undid" in planner.ok("undo")
    assert planner.json("show", "1")["tags"] == ["x"]


def _row_count(db: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT count(*) FROM task").fetchone()[0]


def test_bad_input_is_one_line_exit_1_and_changes_nothing(planner):
    planner.ok("add", "A")
    planner.ok("add", "B", "--after", "1")
    cases = {
        ("show", "99"): "no task #99",
        ("add", "X", "--due", "someday-ish"): "cannot read date",
        ("dep", "add", "2", "1"): "dependency cycle",
        ("project", "show", "nope"): "no project 'nope'",
        ("edit", "1", "--project", "nope"): "no project 'nope'",
        ("edit", "1", "--title", "Z", "--if-version", "7"): "changed since you loaded it",
        ("add", "X", "--estimate", "lots"): "",
    }
    for args, expected in cases.items():
        result = planner(*args)
        assert result.exit_code == 1, (args, result.output)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), (args, result.stderr)
        assert expected in lines[0], (args, lines[0])
        assert "Traceback" not in result.output
    assert _row_count(planner.db) == 2
    assert planner.json("show", "1")["title"] == "A"


def test_usage_errors_exit_2(planner):
    assert planner("show", "not-a-number").exit_code == 2
    assert planner("add", "X", "--priority", "9").exit_code == 2
    assert planner("frobnicate").exit_code == 2


def test_projects_resources_and_dependencies(planner):
    assert "created project web" in planner.ok("project", "add", "web", "--name", "Website",
                                                "--start", "2026-12-01", "--deadline", "2027-02-26")
    assert planner.json("project", "show", "web")["deadline"] == "2027-02-26"
    planner.ok("resource", "add", "ana", "--email", "ana@example.com", "--capacity", "0.8")
    assert planner.json("resource", "ls")[0]["capacity"] == 0.8
    planner.ok("add", "A", "-p", "web")
    planner.ok("add", "B", "-p", "web")
    planner.ok("dep", "add", "1", "2", "--type", "SS", "--lag", "-1")
    assert planner.json("dep", "ls") == [{"predecessor": 1, "successor": 2, "type": "SS", "lag_days": -1}]
    planner.ok("assign", "2", "ana")
    assert planner.json("show", "2")["assignees"] == ["ana"]
    planner.ok("project", "archive", "web")
    assert planner.json("project", "ls") == []


def test_db_check_and_backup(planner, tmp_path):
    import stat

    planner.ok("add", "A")
    assert "ok" in planner.ok("db", "check")
    target = tmp_path / "backup.db"
    planner.ok("db", "backup", str(target))
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with sqlite3.connect(target) as conn:
        assert conn.execute("SELECT title FROM task").fetchall() == [("A",)]
    again = planner("db", "backup", str(target))
    assert again.exit_code == 1 and "exists" in again.stderr


def test_db_restore_refuses_a_backup_from_a_newer_planner_in_one_line(planner, tmp_path):
    from contextlib import closing

    planner.ok("add", "A")
    target = tmp_path / "backup.db"
    planner.ok("db", "backup", str(target))
    with closing(sqlite3.connect(target)) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_later'")
        conn.commit()
    planner.ok("add", "B")
    refused = planner("db", "restore", "--yes", str(target))
    assert refused.exit_code == 1
    assert len(refused.stderr.strip().splitlines()) == 1 and "newer Planner" in refused.stderr
    assert [t["title"] for t in planner.json("ls")] == ["A", "B"]


def test_undo_refuses_to_pretend_it_reverted_an_import(planner, tmp_path):
    source = tmp_path / "todo.txt"
    source.write_text("(A) Call the bank +home\nWater plants\n")
    planner.ok("import", "todotxt", str(source))
    result = planner("undo")
    assert result.exit_code == 1 and "cannot revert" in result.stderr
    assert len(planner.json("ls")) == 2


def test_each_run_builds_its_context_from_its_own_flags_and_environment(tmp_path, monkeypatch):
    """Two in-process runs with the same flags but another PLANNER_USER act as different people."""
    from typer.testing import CliRunner

    from planner.cli.main import app

    monkeypatch.setenv("PLANNER_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.delenv("PLANNER_DATABASE_URL", raising=False)
    runner, db = CliRunner(), str(tmp_path / "planner.db")
    assert runner.invoke(app, ["--db", db, "resource", "add", "ana"]).exit_code == 0
    assert runner.invoke(app, ["--db", db, "add", "Mine", "-a", "ana"]).exit_code == 0
    mine = {}
    for person in ("ana", "bo"):
        monkeypatch.setenv("PLANNER_USER", person)
        result = runner.invoke(app, ["--db", db, "ls", "assignee:me", "--json"])
        assert result.exit_code == 0, result.output
        mine[person] = [task["title"] for task in json.loads(result.stdout)]
    assert mine == {"ana": ["Mine"], "bo": []}
