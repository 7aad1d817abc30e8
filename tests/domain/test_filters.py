"""The filter language parses to a tree of plain terms, checked without a database."""

from __future__ import annotations

from datetime import date

import pytest

from planner.domain.errors import InvalidInputError
from planner.domain.filters import Field, Filter, Tag, Text, Virtual, check_statuses, parse_filter

TODAY = date(2026, 11, 25)


def _parse(*words: str) -> Filter:
    return parse_filter(words, me="ana", today=TODAY, parse_date=lambda text, _today: date.fromisoformat(text))


def test_terms_become_fields_tags_states_and_text():
    parsed = _parse("project:web", "+Docs", "-blocked", "due.before:2026-12-01", "assignee:me", "priority.over:high",
                    "id:3,4", "status.not:open", "assignee:none", "50% off")
    assert parsed.terms == (
        Field("project", "eq", "web"), Tag("docs", True), Virtual("blocked", False),
        Field("due", "lt", date(2026, 12, 1)), Field("assignee", "eq", "ana"), Field("priority", "gt", 3),
        Field("id", "in", (3, 4)), Virtual("done", True), Virtual("unassigned", True), Text("50% off"),
    )
    assert parsed.includes_done and parsed.today == TODAY


def test_open_tasks_only_unless_done_or_ids_are_asked_for():
    assert not _parse("status:doing", "-done").includes_done
    assert _parse("+done").includes_done and _parse("id:7").includes_done and _parse("status:completed").includes_done


def test_status_names_are_checked_against_the_known_ones():
    parsed = _parse("status:doing", "status:open")
    assert parsed.statuses == ["doing"]
    check_statuses(parsed, {"todo", "doing", "done"})
    with pytest.raises(InvalidInputError, match="unknown status 'doing' in status:doing: use one of done, todo, open$"):
        check_statuses(parsed, {"todo", "done"})


@pytest.mark.parametrize(("word", "message"), [
    ("priority:4", "priority 4 is out of range: use 0 to 3"),
    ("id:0", "id 0 is out of range: use 1 to 9223372036854775807"),
    ("estimate:inf", "not a finite number of hours"),
    ("due.before:none", "compare due with a date"),
    ("id.over:1,2", "a list of ids takes only equality"),
    ("title.before:x", "title takes only equality or .not"),
    ("nokey:1", "unknown filter key 'nokey'"),
    ("-", "'-' is not a tag term"),
    ("a\x00b", "contains a NUL character"),
])
def test_malformed_terms_are_errors(word, message):
    with pytest.raises(InvalidInputError, match=message):
        _parse(word)
