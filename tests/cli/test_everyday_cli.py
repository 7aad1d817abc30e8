"""What a new user hits in the first hour: each test failed before its fix (issue 13)."""

from __future__ import annotations

import json

import pytest


def test_h_is_help_on_the_app_groups_and_commands(planner):
    for args in (["-h"], ["ls", "-h"], ["sprint", "-h"], ["sprint", "add", "-h"], ["project", "edit", "-h"]):
        result = planner(*args)
        assert result.exit_code == 0, (args, result.output)
        assert "Usage: " in result.output and "-h, --help" in result.output


def test_a_relative_sprint_end_counts_from_its_start(planner):
    planner.ok("project", "add", "web")
    out = planner.ok("sprint", "add", "web", "Sprint 1", "--start", "mon", "--end", "+2w")
    assert "2026-11-30 → 2026-12-13" in out  # Monday to the Sunday two weeks on: two weeks, not one
    sprint = planner.json("sprint", "ls", "web")[0]
    assert (sprint["start"], sprint["end"]) == ("2026-11-30", "2026-12-13")
    planner.ok("sprint", "add", "web", "Sprint 2", "--start", "2026-12-14", "--end", "2026-12-24")
    planner.ok("sprint", "add", "web", "Week", "--start", "mon", "--end", "fri")
    ends = {sprint["name"]: sprint["end"] for sprint in planner.json("sprint", "ls", "web")}
    assert ends["Sprint 2"] == "2026-12-24"  # an absolute end is the last day
    assert ends["Week"] == "2026-12-04"  # the Friday of the sprint's week, not this week's


def test_digest_json_keeps_an_unassigned_task_unassigned(planner):
    planner.ok("resource", "add", "tester")
    planner.ok("add", "Fix login", "-p", "web", "--due", "today", "--estimate", "1h")
    data = json.loads(planner.ok("digest", "--format", "json"))
    queue = next(section for section in data["sections"] if section["section"] == "queue")
    assert [item["assignees"] for item in queue["items"]] == [[]]


def test_a_solo_user_who_is_no_resource_gets_a_digest_as_they_get_a_queue(planner):
    planner.ok("add", "Fix login", "--due", "today", "--estimate", "1h")
    assert "Fix login" in planner.ok("queue")
    assert "Fix login" in planner.ok("digest")
    assert "Fix login" in planner.ok("digest", "--user", "tester")  # naming yourself is the same
    for command in (["queue", "--user", "ghost"], ["digest", "--user", "ghost"]):
        result = planner(*command)
        assert result.exit_code == 1 and "no person 'ghost'" in result.stderr, command


@pytest.mark.parametrize("command", [
    ["assign", "1", "nobdy"],
    ["team", "add", "design", "ana", "nobdy"],
    ["add", "Another", "--assign", "nobdy"],
    ["edit", "1", "--assign", "nobdy"],
])
def test_a_typo_in_a_handle_is_refused_with_the_closest_match(planner, command):
    planner.ok("resource", "add", "nobody")
    planner.ok("resource", "add", "ana")
    planner.ok("add", "Write spec", "--assign", "nobody")
    result = planner(*command)
    assert result.exit_code == 1, result.output
    assert "no person or resource 'nobdy': did you mean 'nobody'?" in result.stderr
    assert "planner resource add nobdy" in result.stderr
    assert [person["handle"] for person in planner.json("resource", "ls")] == ["ana", "nobody"]
    assert planner.json("show", "1")["assignees"] == ["nobody"]
    assert planner.json("team", "ls") == []


def test_create_adds_a_new_person_on_purpose(planner):
    planner.ok("add", "Write spec")
    assert "assigned bo to #1" in planner.ok("assign", "1", "bo", "--create")
    assert "team design: ana bo" in planner.ok("team", "add", "design", "ana", "bo", "--create")
    assert [person["handle"] for person in planner.json("resource", "ls")] == ["ana", "bo"]


def test_an_unknown_option_to_ls_is_a_usage_error_not_search_text(planner):
    planner.ok("add", "Write spec", "--tag", "docs")
    result = planner("ls", "--al")
    assert result.exit_code == 2
    assert "No such option: --al" in result.output
    result = planner("ls", "--limt", "3")
    assert result.exit_code == 2 and "--limit" in result.output
    assert "Write spec" in planner.ok("ls", "-blocked", "+docs")  # single-dash filter terms still filter


def test_edit_without_options_says_nothing_changed(planner):
    planner.ok("add", "Write spec")
    result = planner("edit", "1")
    assert result.exit_code == 2
    assert "nothing to change on #1" in result.stderr
    assert planner.json("show", "1")["version"] == 1
    assert planner.json("edit", "1")["title"] == "Write spec"


def test_an_unknown_format_is_a_usage_error(planner):
    for command in (["export", "yaml"], ["import", "yaml", "x.yaml"], ["digest", "--format", "pdf"]):
        result = planner(*command)
        assert result.exit_code == 2, (command, result.output)


def test_counts_read_as_words(planner):
    planner.ok("add", "One day", "-p", "web", "--duration", "1")
    assert "1 working day\n" in planner.ok("show", "1") or "1 working day " in planner.ok("show", "1")
    assert "(1 working day)" in planner.ok("project", "show", "web")
    planner.ok("sprint", "add", "web", "S1", "--start", "mon", "--end", "fri")
    out = planner.ok("sprint", "show", "web", "S1")
    assert "0 of 0 tasks done, no estimates" in out and "0m of 0m" not in out
    planner.ok("sprint", "plan", "web", "S1", "1")
    assert "0 of 1 task done, 1h of 1h left" in planner.ok("sprint", "show", "web", "S1")
