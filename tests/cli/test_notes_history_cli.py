"""Annotations and a task's history of changes, through the real CLI on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner


class Cli:
    """`planner --db URL --as USER ...` in-process, on one database."""

    def __init__(self, url: str, monkeypatch):
        self.url, self.runner = url, CliRunner()
        monkeypatch.delenv("PLANNER_DATABASE_URL", raising=False)
        monkeypatch.setenv("NO_COLOR", "1")

    def __call__(self, *args: str, user: str = "ana"):
        from planner.cli.main import app

        return self.runner.invoke(app, ["--db", self.url, "--as", user, "--today", "2026-11-25", *args])

    def ok(self, *args: str, user: str = "ana") -> str:
        result = self(*args, user=user)
        assert result.exit_code == 0, (result.output, result.exception)
        return result.stdout

    def show(self, task_id: int) -> dict:
        return json.loads(self.ok("show", str(task_id), "--json"))


@pytest.fixture
def cli(database_url, monkeypatch, tmp_path) -> Cli:
    monkeypatch.setenv("PLANNER_CONFIG", str(tmp_path / "no-config.toml"))
    return Cli(database_url, monkeypatch)


def _add(cli: Cli, *args: str) -> int:
    return json.loads(cli.ok("add", *args, "--json"))["id"]


def test_annotate_show_denotate_and_undo(cli):
    task = _add(cli, "chore 6", "-p", "home")
    assert "annotated #%d (1)" % task in cli.ok("annotate", str(task), "called the plumber,", "waiting for a quote")
    cli.ok("annotate", str(task), "quote came: 300", user="bo")
    notes = cli.show(task)["annotations"]
    assert [(n["n"], n["by"], n["text"]) for n in notes] == [
        (1, "ana", "called the plumber, waiting for a quote"), (2, "bo", "quote came: 300")]
    assert all(n["at"].startswith("20") for n in notes)
    text = cli.ok("show", str(task))
    assert "1. " in text and "ana: called the plumber, waiting for a quote" in text and "bo: quote came: 300" in text
    assert cli.ok("denotate", str(task), "1").strip() == \
        f"removed annotation 1 of #{task}: called the plumber, waiting for a quote"
    assert [n["text"] for n in cli.show(task)["annotations"]] == ["quote came: 300"]
    assert cli.ok("undo").strip() == f"undid denotate of #{task}: annotation: + called the plumber, waiting for a quote"
    assert [n["n"] for n in cli.show(task)["annotations"]] == [1, 2]
    cli.ok("annotate", str(task), "third")
    assert "undid annotate of #%d: annotation: - third" % task in cli.ok("undo")
    assert len(cli.show(task)["annotations"]) == 2


@pytest.mark.parametrize("args, message", [
    (("denotate", "{t}", "3"), "has 2 annotations: give N from 1 to 2"),
    (("denotate", "{t}", "0"), "has 2 annotations: give N from 1 to 2"),
    (("annotate", "{t}", "  "), "an annotation needs text"),
    (("annotate", "999", "x"), "no task #999"),
])
def test_bad_annotation_commands_say_why_in_one_line_and_change_nothing(cli, args, message):
    task = _add(cli, "chore", "-p", "home")
    cli.ok("annotate", str(task), "one")
    cli.ok("annotate", str(task), "two")
    before = cli.show(task)
    result = cli(*(a.format(t=task) for a in args))
    assert result.exit_code == 1
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert cli.show(task) == before


def test_a_task_without_annotations_refuses_denotate(cli):
    task = _add(cli, "chore", "-p", "home")
    result = cli("denotate", str(task), "1")
    assert result.exit_code == 1 and f"task #{task} has no annotations" in result.stderr


def test_removing_a_task_removes_its_annotations_and_undo_brings_them_back(cli):
    task = _add(cli, "chore", "-p", "home")
    cli.ok("annotate", str(task), "a note")
    cli.ok("rm", str(task))
    assert cli("show", str(task)).exit_code == 1
    other = _add(cli, "other", "-p", "home")
    assert cli.show(other)["annotations"] == []
    cli.ok("rm", str(other))
    cli.ok("undo")
    cli.ok("undo")
    cli.ok("undo")
    assert [n["text"] for n in cli.show(task)["annotations"]] == ["a note"]


def test_history_lists_each_change_with_old_and_new_values(cli):
    cli.ok("resource", "add", "bo", "--name", "Bo")
    task = _add(cli, "chore 6", "-p", "home", "--tag", "home")
    cli.ok("edit", str(task), "--title", "chore six")
    cli.ok("edit", str(task), "--due", "2030-01-09", "--estimate", "3h")
    cli.ok("edit", str(task), "--estimate", "90m", "--tag", "garden")
    cli.ok("assign", str(task), "bo")
    cli.ok("edit", str(task), "--status", "doing", user="bo")
    history = cli.show(task)["history"]
    assert [(h["action"], h["by"]) for h in history] == [
        ("add", "ana"), ("edit", "ana"), ("edit", "ana"), ("edit", "ana"), ("assign", "ana"), ("start", "bo")]
    assert history[1]["changes"] == {"title": ["chore 6", "chore six"]}
    assert history[2]["changes"] == {"due": [None, "2030-01-09"], "estimate": [None, 3.0]}
    assert history[3]["changes"] == {"estimate": [3.0, 1.5], "tags": [["home"], ["garden", "home"]]}
    assert history[4]["changes"] == {"assignees": [[], ["bo"]]}
    assert history[5]["changes"]["status"] == ["todo", "doing"]
    assert history[5]["changes"]["started"] == [None, "2026-11-25"]
    assert all(h["at"] and not h["undone"] for h in history)
    text = cli.ok("show", str(task))
    for words in ("ana edit: title: chore 6 → chore six", "due: none → 2030-01-09, estimate: none → 3h",
                  "estimate: 3h → 1.5h, tags: home → garden, home", "ana assign: assignees: none → bo",
                  "bo start: status: todo → doing"):
        assert words in text, text


def test_undo_says_what_it_reverts_and_the_history_marks_it_undone(cli):
    task = _add(cli, "chore 6", "-p", "home")
    cli.ok("edit", str(task), "--title", "chore six", "--due", "2030-01-09")
    assert cli.ok("undo").strip() == f"undid edit of #{task}: title: chore six → chore 6, due: 2030-01-09 → none"
    cli.ok("tag", str(task), "home")
    assert cli.ok("undo").strip() == f"undid tag of #{task}: tags: home → none"
    cli.ok("done", str(task))
    assert cli.ok("undo").strip().startswith(f"undid done of #{task}: status: done → todo")
    shown = cli.show(task)
    assert shown["title"] == "chore 6" and shown["status"] == "todo" and shown["tags"] == []
    assert [(h["action"], h["undone"]) for h in shown["history"]] == [
        ("add", False), ("edit", True), ("tag", True), ("done", True)]
    assert shown["history"][1]["changes"] == {"title": ["chore 6", "chore six"], "due": [None, "2030-01-09"]}
    assert "ana edit (undone): title: chore 6 → chore six" in cli.ok("show", str(task))


def test_history_names_the_project_a_task_moved_to(cli):
    task = _add(cli, "chore", "-p", "home")
    _add(cli, "seed", "-p", "work")
    cli.ok("edit", str(task), "--project", "work")
    assert cli.show(task)["history"][-1]["changes"] == {"project": ["home", "work"]}


def test_removing_a_task_with_someone_elses_annotation_asks_for_others(cli):
    task = _add(cli, "chore", "-p", "home")
    cli.ok("annotate", str(task), "mine too", user="bo")
    refused = cli("rm", str(task))
    assert refused.exit_code == 1 and "annotation" in refused.stderr and "--others" in refused.stderr
    assert len(cli.show(task)["annotations"]) == 1
    cli.ok("rm", str(task), "--others")
    assert cli("show", str(task)).exit_code == 1


def test_undo_of_a_command_on_many_tasks_names_the_first_ones_and_counts_the_rest(cli):
    tasks = [_add(cli, f"chore {n}", "-p", "home") for n in range(1, 6)]
    cli.ok("rm", *map(str, tasks))
    said = cli.ok("undo").strip()
    assert said == (f"undid remove of #{tasks[0]}; remove of #{tasks[1]}; remove of #{tasks[2]}; "
                    "and 2 more tasks")
    assert all(cli.show(task)["title"] for task in tasks)


def test_links_added_and_removed_are_in_the_history_and_undo_says_which(planner):
    for title in ("A", "B", "C"):
        planner.ok("add", title)
    planner.ok("dep", "add", "1", "3")
    planner.ok("dep", "add", "2", "3", "--type", "SS", "--lag", "2")
    assert planner.ok("undo").strip() == "undid link of #3: waits for: - #2 SS+2"
    planner.ok("dep", "rm", "1", "3")
    history = json.loads(planner.ok("show", "3", "--json"))["history"]
    assert [(h["action"], h["changes"], h["undone"]) for h in history[1:]] == [
        ("link", {"waits_for": [[], ["#1"]]}, False), ("link", {"waits_for": [[], ["#2 SS+2"]]}, True),
        ("link", {"waits_for": [["#1"], []]}, False)]
    assert "waits for: + #1" in planner.ok("show", "3")
