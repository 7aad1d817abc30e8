"""`planner edit ID` with no options: the task as a form in $EDITOR, driven by scripted editors."""

from __future__ import annotations

import shlex
import sys
import textwrap
from pathlib import Path

import pytest


def scripted_editor(tmp_path: Path, monkeypatch, body: str, name: str = "editor.py") -> Path:
    """Make $EDITOR a Python script; ``path`` is the form, ``text`` its content, ``rounds`` counts the calls."""
    script = tmp_path / name
    log = tmp_path / "rounds"
    script.write_text(textwrap.dedent(f"""\
        import pathlib, re, subprocess, sys
        path = pathlib.Path(sys.argv[-1])
        text = path.read_text()
        log = pathlib.Path({str(log)!r})
        rounds = len(log.read_text().split("\\f")) if log.exists() else 0
        log.write_text((log.read_text() + "\\f" if log.exists() else "") + text)
        """) + textwrap.dedent(body))
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{shlex.quote(sys.executable)} {shlex.quote(str(script))}")
    return log


def shown_forms(log: Path) -> list[str]:
    """The form's text as each round of the editor saw it."""
    return log.read_text().split("\f")


def test_a_saved_form_changes_title_due_tags_people_and_links_in_one_undo_step(planner, tmp_path, monkeypatch):
    planner.ok("resource", "add", "ana")
    planner.ok("add", "Write spec", "--tag", "docs", "--tag", "old")
    planner.ok("add", "Research")
    planner.ok("add", "Draft", "--note", 'first line\nsays "hi" \\o/')
    log = scripted_editor(tmp_path, monkeypatch, """
        text = text.replace('title = "Write spec"', 'title = "Write the spec"')
        text = text.replace('due = ""', 'due = "fri"').replace('["docs", "old"]', '["docs", "urgent"]')
        text = text.replace("assignees = []", 'assignees = ["ana"]').replace("dependencies = []", "dependencies = [2]")
        path.write_text(text)
    """)
    before = planner.json("show", "1")
    result = planner("edit", "1")
    assert result.exit_code == 0, result.output
    assert "updated #1: title, due, tags, assignees, dependencies" in result.stdout
    task = planner.json("show", "1")
    assert task["title"] == "Write the spec" and task["due"] == "2026-11-27"  # --today is Wed 2026-11-25
    assert sorted(task["tags"]) == ["docs", "urgent"] and task["assignees"] == ["ana"]
    assert task["depends_on"] == [2] and task["version"] == before["version"] + 1
    form = shown_forms(log)[0]
    assert "# Task #1, version 1" in form and 'tags = ["docs", "old"]' in form

    assert "undid" in planner.ok("undo")
    task = planner.json("show", "1")
    assert (task["title"], task["due"], sorted(task["tags"]), task["assignees"], task["depends_on"]) == (
        "Write spec", None, ["docs", "old"], [], [])


def test_notes_and_links_round_trip_and_a_removed_predecessor_is_unlinked(planner, tmp_path, monkeypatch):
    planner.ok("add", "Research")
    planner.ok("add", "Draft", "--after", "1", "--estimate", "90m", "--note", 'first line\nsays "hi" \\o/ \'\'\'')
    scripted_editor(tmp_path, monkeypatch, """
        import tomllib
        data = tomllib.loads(text)
        assert data["notes"] == 'first line\\nsays "hi" \\\\o/ \\'\\'\\'', data["notes"]
        assert data["estimate"] == "1h30m" and data["dependencies"] == [1]
        path.write_text(text.replace("dependencies = [1]", "dependencies = []"))
    """)
    result = planner("edit", "2")
    assert result.exit_code == 0, result.output
    assert "updated #2: dependencies" in result.stdout
    assert planner.json("show", "2")["depends_on"] == []


def test_an_invalid_form_reopens_with_the_error_on_top_until_fixed(planner, tmp_path, monkeypatch):
    planner.ok("resource", "add", "ana")
    planner.ok("add", "Write spec")
    log = scripted_editor(tmp_path, monkeypatch, """
        if rounds == 0:
            text = text.replace('due = ""', 'due = "someday soon"')
        elif rounds == 1:
            text = text.replace('due = "someday soon"', 'due = "2026-12-01"').replace("assignees = []", 'assignees = ["bob"]')
        elif rounds == 2:
            text = text.replace('"bob"', '"ana"') + "colour = 'red'\\n"
        elif rounds == 3:
            text = text.replace('title = "Write spec"', "title = Write spec")
        else:
            text = text.replace("title = Write spec", 'title = "Write the spec"').replace("colour = 'red'\\n", "")
        path.write_text(text)
    """)
    result = planner("edit", "1")
    assert result.exit_code == 0, result.output
    forms = shown_forms(log)
    assert len(forms) == 5
    assert forms[1].startswith("# ERROR: due: cannot read date") and "someday soon" in forms[1]
    assert forms[2].startswith("# ERROR: ") and "bob" in forms[2].splitlines()[0]
    assert forms[3].startswith("# ERROR: unknown field 'colour'")
    assert forms[4].startswith("# ERROR: the form is not valid TOML")
    assert forms[4].count("# ERROR:") == 1  # an earlier error is replaced, not stacked
    task = planner.json("show", "1")
    assert (task["title"], task["due"], task["assignees"]) == ("Write the spec", "2026-12-01", ["ana"])


def test_quitting_an_invalid_form_unchanged_changes_nothing(planner, tmp_path, monkeypatch):
    planner.ok("add", "Write spec")
    log = scripted_editor(tmp_path, monkeypatch, """
        if rounds == 0:
            path.write_text(text.replace('title = "Write spec"', 'title = "Better"').replace("priority = 0", "priority = 9"))
    """)
    result = planner("edit", "1")
    assert result.exit_code == 1
    assert "the form still has an error (" in result.stderr and "priority" in result.stderr
    assert "#1 left unchanged" in result.stderr
    assert "priority" in shown_forms(log)[1].splitlines()[0]
    task = planner.json("show", "1")
    assert (task["title"], task["priority"], task["version"]) == ("Write spec", 0, 1)


def test_a_concurrent_change_is_shown_and_the_users_text_kept(planner, tmp_path, monkeypatch):
    planner.ok("add", "Write spec")
    scripted_editor(tmp_path, monkeypatch, f"""
        other = [sys.executable, "-m", "planner", "--db", {planner.db!r}, "--as", "bob", "--today", "2026-11-25",
                 "edit", "1", "--due", "2026-12-24", "--priority", "2"]
        subprocess.run(other, check=True, capture_output=True)
        path.write_text(text.replace('title = "Write spec"', 'title = "My better title"'))
    """)
    result = planner("edit", "1")
    assert result.exit_code == 1
    message = result.stderr
    assert "task #1 changed while you were editing it: bob changed priority, due; nothing was applied" in message
    kept = Path(message.split("your text is kept in ")[1].strip())
    assert 'title = "My better title"' in kept.read_text()
    task = planner.json("show", "1")
    assert (task["title"], task["due"], task["priority"]) == ("Write spec", "2026-12-24", 2)
    assert kept.stat().st_mode & 0o777 == 0o600  # notes may be private
    kept.unlink()


def test_a_task_removed_while_its_form_is_open_keeps_the_users_text(planner, tmp_path, monkeypatch):
    planner.ok("add", "Write spec")
    log = scripted_editor(tmp_path, monkeypatch, f"""
        other = [sys.executable, "-m", "planner", "--db", {planner.db!r}, "--as", "bob", "--today", "2026-11-25",
                 "rm", "1", "--others"]
        subprocess.run(other, check=True, capture_output=True)
        path.write_text(text.replace('title = "Write spec"', 'title = "My better title"'))
    """)
    result = planner("edit", "1")
    assert result.exit_code == 1 and len(shown_forms(log)) == 1  # not reopened: there is nothing to fix
    assert "task #1 was removed while the form was open" in result.stderr
    kept = Path(result.stderr.split("your text is kept in ")[1].strip())
    assert 'title = "My better title"' in kept.read_text()
    kept.unlink()


def test_quitting_unchanged_or_a_failing_editor_changes_nothing(planner, tmp_path, monkeypatch):
    planner.ok("add", "Write spec")
    monkeypatch.setenv("EDITOR", "true")
    result = planner("edit", "1")
    assert result.exit_code == 0 and "no changes: #1 left as it was" in result.stdout
    scripted_editor(tmp_path, monkeypatch, "path.unlink()\n", name="deleting.py")
    result = planner("edit", "1")  # an editor that removed the form: nothing to apply
    assert result.exit_code == 0 and "no changes: #1 left as it was" in result.stdout
    scripted_editor(tmp_path, monkeypatch, """
        path.write_text(text.replace('title = "Write spec"', 'title = "Changed"'))
        sys.exit(3)
    """)
    result = planner("edit", "1")
    assert result.exit_code == 1 and "the editor exited with status 3: #1 left unchanged" in result.stderr
    task = planner.json("show", "1")
    assert (task["title"], task["version"]) == ("Write spec", 1)


def test_editor_variables_visual_first_with_arguments_and_a_clear_error_without_one(planner, tmp_path, monkeypatch):
    planner.ok("add", "chore six")
    monkeypatch.setenv("VISUAL", "sed -i s/chore\\ six/chore\\ seven/")
    monkeypatch.setenv("EDITOR", "false")
    assert planner("edit", "1").exit_code == 0
    assert planner.json("show", "1")["title"] == "chore seven"
    monkeypatch.delenv("VISUAL")
    monkeypatch.delenv("EDITOR")
    result = planner("edit", "1")  # no terminal here (CliRunner): vi is not started
    assert result.exit_code == 1 and "no $VISUAL or $EDITOR set and no terminal for vi" in result.stderr
    monkeypatch.setattr("planner.cli.edit_form.stdin_is_terminal", lambda: True)
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    result = planner("edit", "1")
    assert result.exit_code == 1 and "no text editor found: set $VISUAL or $EDITOR" in result.stderr
    monkeypatch.setenv("EDITOR", "no-such-editor --wait")
    result = planner("edit", "1")
    assert result.exit_code == 1 and "cannot run the editor 'no-such-editor'" in result.stderr


def test_edit_json_alone_still_shows_the_task_and_a_stale_if_version_is_refused(planner, monkeypatch):
    planner.ok("add", "Write spec")
    monkeypatch.setenv("EDITOR", "false")
    assert planner.json("edit", "1")["title"] == "Write spec"
    result = planner("edit", "1", "--if-version", "7")
    assert result.exit_code == 1 and "not 7" in result.stderr


@pytest.mark.parametrize("editor", ["sed -i s/chore\\ six/chore\\ seven/"])
def test_the_installed_command_runs_the_form_through_a_real_process(tmp_path, editor):
    import os
    import subprocess

    env = {**os.environ, "HOME": str(tmp_path), "EDITOR": editor, "PLANNER_CONFIG": str(tmp_path / "none.toml")}
    env.pop("VISUAL", None)
    env.pop("PLANNER_DATABASE_URL", None)
    db = str(tmp_path / "p.db")
    run = [sys.executable, "-m", "planner", "--db", db]
    subprocess.run([*run, "add", "chore six"], env=env, check=True, capture_output=True)
    result = subprocess.run([*run, "edit", "1"], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "chore seven" in subprocess.run([*run, "show", "1"], env=env, capture_output=True, text=True).stdout


def test_a_value_the_form_rounds_is_not_a_change(planner, tmp_path, monkeypatch):
    planner.ok("add", "Write spec", "--estimate", "2.71h")
    scripted_editor(tmp_path, monkeypatch, """
        path.write_text(text.replace('title = "Write spec"', 'title = "Write it"'))
    """)
    assert "updated #1: title" in planner.ok("edit", "1")
    assert planner.json("show", "1")["estimate_hours"] == 2.71
