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


def test_edit_without_options_opens_the_editor_and_quitting_changes_nothing(planner, monkeypatch):
    planner.ok("add", "Write spec")
    monkeypatch.setenv("EDITOR", "true")
    monkeypatch.delenv("VISUAL", raising=False)
    result = planner("edit", "1")
    assert result.exit_code == 0
    assert "no changes: #1 left as it was" in result.stdout
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


def test_one_name_per_concept_with_the_old_spellings_hidden(planner):
    planner.ok("project", "add", "web", "--start", "2026-11-30")
    planner.ok("add", "Design", "-p", "web", "--duration", "3", "--note", "first draft")
    assert planner.json("show", "1")["notes"] == "first draft"
    planner.ok("edit", "1", "--notes", "second draft")  # the old spelling still works
    assert planner.json("show", "1")["notes"] == "second draft"
    by_date = planner.json("schedule", "web", "--date", "2026-12-02")
    assert by_date == planner.json("schedule", "web", "--from", "2026-12-02") and by_date["tasks"][0]["es"] == 2
    assert planner("schedule", "web", "--date", "2026-12-02", "--from", "2026-12-03").exit_code == 2
    assert planner.json("project", "show", "web", "--date", "2026-12-01") == planner.json(
        "project", "show", "web", "--at", "2026-12-01")
    for command, hidden in ((["schedule", "-h"], "--from"), (["gantt", "-h"], "--from"),
                            (["project", "show", "-h"], "--at"), (["add", "-h"], "--notes"), (["edit", "-h"], "--notes")):
        shown = planner.ok(*command)
        assert "--date" in shown or "--note" in shown
        assert f"{hidden} " not in shown, command
    digest_help = planner.ok("digest", "-h")
    assert "-u, --user" in digest_help and "-o, --out" in digest_help and "-T, --team" in digest_help
    assert "--everyone" in digest_help and "--team-name" not in digest_help


def test_digest_team_names_a_team_as_queue_team_does_and_everyone_covers_all(planner, tmp_path):
    from planner.cli.main import legacy_digest_argv

    planner.ok("resource", "add", "ana")
    planner.ok("resource", "add", "bo")
    planner.ok("team", "add", "design", "ana")
    planner.ok("add", "Mockups", "-a", "ana", "--due", "today")
    planner.ok("add", "Icons", "-a", "bo", "--due", "today")
    team = json.loads(planner.ok("digest", "--team", "design", "--format", "json"))
    assert team["for"] == "design" and [p["handle"] for p in team["people"]] == ["ana"]
    everyone = json.loads(planner.ok("digest", "--everyone", "--format", "json"))
    assert [p["handle"] for p in everyone["people"]] == ["ana", "bo"]
    assert json.loads(planner.ok("digest", "--team-name", "design", "--format", "json"))["for"] == "design"
    # crontab lines written before --team took a name still mean everyone
    assert legacy_digest_argv(["--db", "x", "digest", "--team", "--send"]) == ["--db", "x", "digest", "--everyone", "--send"]
    assert legacy_digest_argv(["digest", "--team"]) == ["digest", "--everyone"]
    assert legacy_digest_argv(["digest", "--team", "design"]) == ["digest", "--team", "design"]
    assert legacy_digest_argv(["queue", "--team"]) == ["queue", "--team"]


def test_dep_add_says_which_link_it_replaced(planner):
    planner.ok("add", "Write spec")
    planner.ok("add", "Review spec", "--after", "1")
    out = planner.ok("dep", "add", "1", "2", "--type", "SS", "--lag", "1")
    assert "replaced FS link #1→#2 with SS+1" in out
    assert "already depends on #1 (SS+1)" in planner.ok("dep", "add", "1", "2", "--type", "SS", "--lag", "1")


def test_rm_says_which_links_went_with_the_task(planner):
    planner.ok("add", "Build")
    planner.ok("add", "Launch", "--milestone", "--after", "1")
    planner.ok("add", "Announce", "--after", "2")
    out = planner.ok("rm", "2")
    assert "removed #2 Launch" in out and "dropped its links: #1→#2 (FS), #2→#3 (FS)" in out


def test_pinning_a_blocked_task_says_it_will_not_show_yet(planner):
    planner.ok("add", "Build")
    planner.ok("add", "Ship", "--after", "1")
    result = planner("plan", "pin", "2")
    assert result.exit_code == 0 and "today's plan: #2" in result.stdout
    assert "#2 is blocked" in result.stderr
    assert "blocked" not in planner("plan", "pin", "1").stderr


def test_timer_start_says_it_moved_the_task_to_doing(planner):
    planner.ok("add", "Build")
    assert "moved #1 to doing" in planner.ok("timer", "start", "1")
    planner.ok("timer", "stop")
    assert "moved" not in planner.ok("timer", "start", "1")


def test_a_recurring_chore_in_a_project_is_announced_as_planned(planner):
    planner.ok("project", "add", "web")
    result = planner("add", "Weekly report", "-p", "web", "--recur", "every friday")
    assert result.exit_code == 0 and "planned like any task" in result.stderr
    planner.ok("project", "add", "support", "--stream")
    assert "planned like any task" not in planner("add", "Triage", "-p", "support", "--recur", "daily").stderr


def test_edit_commands_without_options_and_existing_names_point_to_edit(planner):
    planner.ok("project", "add", "web")
    planner.ok("resource", "add", "ana")
    planner.ok("calendar", "add", "team")
    for command in (["project", "edit", "web"], ["resource", "edit", "ana"], ["calendar", "edit", "team"]):
        result = planner(*command)
        assert result.exit_code == 2 and "nothing to change" in result.stderr, command
    assert "planner resource edit ana" in planner("resource", "add", "ana").stderr
    assert "planner project edit web" in planner("project", "add", "web").stderr
    for command in (["project", "edit", "-h"], ["resource", "edit", "-h"], ["calendar", "edit", "-h"],
                    ["calendar", "on", "-h"]):
        options = planner.ok(*command).split("Options:")[1]
        described = [line for line in options.splitlines() if line.strip().startswith("--")]
        assert all(len(line.split()) > 2 for line in described), (command, described)


def test_calendar_ls_and_show_take_json(planner):
    planner.ok("calendar", "add", "team", "--weekdays", "mon-thu")
    planner.ok("calendar", "off", "team", "2026-12-24", "--note", "Christmas Eve")
    names = [c["name"] for c in planner.json("calendar", "ls")]
    assert "team" in names
    shown = planner.json("calendar", "show", "team", "--from", "2026-12-01", "--to", "2026-12-31")
    assert shown["weekdays"] == ["mon", "tue", "wed", "thu"]
    assert {"date": "2026-12-24", "reason": "Christmas Eve"} in shown["days_off"]


def test_tui_refuses_an_unknown_project_before_opening_and_knows_the_load_screen(planner):
    result = planner("tui", "-p", "nope", "--screen", "board")
    assert result.exit_code == 1 and "no project 'nope'" in result.stderr
    result = planner("tui", "--screen", "load", "-p", "nope")
    assert result.exit_code == 1 and "--screen" not in result.stderr  # load is a screen; the project is the problem
    assert planner("tui", "--screen", "pie").exit_code == 2
    assert "queue, board, gantt, load, agenda or charts" in planner.ok("tui", "-h")


def test_newcomer_pass_words_and_names(planner):
    planner.ok("resource", "add", "ghost-writer")
    result = planner("queue", "--user", "ghostwriter")
    assert result.exit_code == 1 and "did you mean 'ghost-writer'?" in result.stderr
    assert planner.json("digest")["kind"] == "person"  # digest takes --json like every read command
    assert planner("digest", "--json", "--format", "html").exit_code == 2
    assert "0 none .. 3 highest" in planner.ok("recur", "edit", "-h")
    planner.ok("add", "Build")
    planner.ok("plan", "pin", "1")
    assert planner.ok("plan", "clear").strip() == "cleared 1 pin"
    assert "undid 1 change: removed day plan" in planner.ok("undo")


def test_importing_a_dump_into_a_store_with_data_says_how_in_words(planner, tmp_path):
    planner.ok("add", "Build", "-p", "web")
    dump = tmp_path / "dump.json"
    planner.ok("export", "json", "-o", str(dump))
    result = planner("import", "json", str(dump))
    assert result.exit_code == 1
    assert "already holds data (1 task, 1 project)" in result.stderr
    assert "--db new.db import json" in result.stderr and "--replace" in result.stderr
    assert "taskevent" not in result.stderr and " event" not in result.stderr


def test_a_mistyped_project_key_gets_the_closest_one_as_a_hint(planner):
    planner.ok("project", "add", "web")
    for command in (("forecast", "webb"), ("schedule", "wbe"), ("project", "show", "wev")):
        result = planner(*command)
        assert result.exit_code == 1 and "did you mean 'web'?" in result.stderr, (command, result.stderr)


def test_restore_without_yes_and_without_a_terminal_asks_for_yes_in_one_line(planner, tmp_path):
    planner.ok("add", "Keep me")
    backup = tmp_path / "backup.db"
    planner.ok("db", "backup", str(backup))
    refused = planner("db", "restore", str(backup))
    assert refused.exit_code == 2 and "add --yes" in refused.stderr and "Aborted" not in refused.output


def test_a_plan_beyond_the_calendar_names_its_project(planner):
    planner.ok("project", "add", "big")
    planner.ok("add", "t0", "-p", "big", "--duration", "100000")
    for index in range(1, 23):
        planner.ok("add", f"t{index}", "-p", "big", "--duration", "100000", "--after", str(index))
    result = planner("schedule", "big")
    assert result.exit_code == 1 and "the plan of project big runs beyond the calendar" in result.stderr
