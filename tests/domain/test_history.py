"""A command's changes from its row snapshots, named and put in words."""

from __future__ import annotations

from planner.domain.history import action_of, change_words, column_changes, set_change, words


def test_only_the_columns_a_person_sees_count_as_changes():
    before = {"id": 5, "title": "chore 6", "due": None, "version": 3, "updated_at": "2026-11-25T10:00:00",
              "estimate_hours": 3.0}
    after = {**before, "title": "chore six", "due": "2030-01-09", "version": 4, "updated_at": "2026-11-25T11:00:00"}
    assert column_changes(before, after) == {"title": ["chore 6", "chore six"], "due": [None, "2030-01-09"]}
    assert column_changes(before, {**before, "version": 9, "board_rank": 2.0}) == {}


def test_set_changes_give_whole_lists_or_nothing():
    assert set_change(["home"], ["garden"], []) == [["home"], ["garden", "home"]]
    assert set_change(["home"], [], ["home"]) == [["home"], []]
    assert set_change(["home"], ["home"], []) is None


def test_commands_are_named_by_what_they_changed():
    assert action_of(True, False, {}) == "add"
    assert action_of(False, True, {}) == "remove"
    assert action_of(False, False, {"status": ["todo", "done"], "finished": [None, "2026-11-25"]}) == "done"
    assert action_of(False, False, {"status": ["todo", "doing"], "started": [None, "2026-11-25"]}) == "start"
    assert action_of(False, False, {"status": ["todo", "review"]}) == "move"
    assert action_of(False, False, {"tags": [[], ["x"]]}) == "tag"
    assert action_of(False, False, {"assignees": [[], ["bo"]]}) == "assign"
    assert action_of(False, False, {"annotations": [[], ["note"]]}) == "annotate"
    assert action_of(False, False, {"annotations": [["note"], []]}) == "denotate"
    assert action_of(False, False, {"title": ["a", "b"], "tags": [[], ["x"]]}) == "edit"


def test_words_say_none_for_empty_values_and_hours_for_estimates():
    assert words({"title": ["chore 6", "chore six"], "due": [None, "2030-01-09"]}) == \
        "title: chore 6 → chore six, due: none → 2030-01-09"
    assert change_words("estimate", 1.5, 3.0) == "estimate: 1.5h → 3h"
    assert change_words("tags", ["home"], ["garden", "home"]) == "tags: home → garden, home"
    assert change_words("annotations", [], ["called the plumber"]) == "annotation: + called the plumber"
    assert change_words("notes", None, "x" * 100).endswith("…") and len(change_words("notes", None, "x" * 100)) < 90
