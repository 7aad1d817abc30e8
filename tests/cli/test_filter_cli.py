"""The filter language through `planner ls` on SQLite and PostgreSQL: literal text, ranges, unknown names."""

from __future__ import annotations

import pytest

from tests.cli.conftest import Planner


@pytest.fixture
def cli(database_url, tmp_path, monkeypatch) -> Planner:
    """The CLI in-process over a fresh database of each backend, holding tasks whose titles have LIKE's wildcards."""
    planner = Planner(tmp_path / "planner.db", monkeypatch)
    planner.db = database_url
    for title in ("Cut costs by 50%", "Rename snake_case fields", "Fix temp\\dir path", "Plain task"):
        planner.ok("add", title, "-p", "web")
    planner.ok("add", "Other project", "-p", "web_x")
    planner.ok("add", "Look-alike subproject", "-p", "webax.sub")
    return planner


def _ids(cli: Planner, *terms: str) -> list[int]:
    return sorted(task["id"] for task in cli.json("ls", *terms))


def test_free_text_matches_percent_underscore_and_backslash_literally(cli):
    assert _ids(cli, "%") == [1]
    assert _ids(cli, "50%") == [1]
    assert _ids(cli, "_") == [2]
    assert _ids(cli, "e_c") == [2]
    assert _ids(cli, "p\\d") == [3]
    assert _ids(cli, "\\") == [3]
    assert _ids(cli, "s%") == []


def test_title_key_matches_its_value_literally(cli):
    assert _ids(cli, "title:%") == [1]
    assert _ids(cli, "title:_") == [2]
    assert _ids(cli, "title:ke_c") == [2]
    assert _ids(cli, "title:p%k") == []


def test_project_key_takes_wildcards_literally(cli):
    assert _ids(cli, "project:web") == [1, 2, 3, 4]
    assert _ids(cli, "project:web_x") == [5]
    assert _ids(cli, "project:webax") == [6]
    assert _ids(cli, "project:we_") == []


@pytest.mark.parametrize(("term", "expected"), [
    ("id:999999999999999999999999", "id 999999999999999999999999 is out of range: use 1 to 9223372036854775807"),
    pytest.param("id:1," + "9" * 5000, "is out of range: use 1 to 9223372036854775807", id="id-5000-digits"),
    ("priority:99999999999999999999", "priority 99999999999999999999 is out of range: use 0 to 3"),
    ("priority.under:-1", "priority -1 is out of range: use 0 to 3"),
    ("estimate.over:nan", "is not a finite number of hours"),
    ("id:x", "'x' is not a whole number"),
])
def test_numbers_out_of_range_are_one_error_line(cli, term, expected):
    result = cli("ls", term)
    assert result.exit_code == 1, result.output
    assert expected in result.stderr and result.stderr.count("\n") == 1, result.stderr
    assert result.stdout == ""


def test_ids_in_range_but_absent_find_nothing(cli):
    assert cli.ok("ls", "id:9223372036854775807").strip() == "no matching tasks"
    assert _ids(cli, "id:2,5") == [2, 5]
    assert _ids(cli, "priority:0") == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize(("terms", "expected"), [
    (["status:bogus"], "unknown status 'bogus' in status:bogus: use one of backlog, doing, done, review, todo, open"),
    (["+"], "'+' is not a tag term"),
    (["--", "-"], "'-' is not a tag term"),
    (["+#x"], "'+#x' is not a tag term"),
    (["colour:red"], "unknown filter key 'colour' in 'colour:red': use one of project, status, priority, due"),
    (["due-date.before:fri"], "unknown filter key 'due-date'"),
    (["due.soon:fri"], "unknown comparison .soon"),
])
def test_unknown_names_are_errors_listing_the_choices(cli, terms, expected):
    result = cli("ls", *terms)
    assert result.exit_code == 1, result.output
    assert expected in result.stderr and result.stderr.count("\n") == 1, result.stderr


def test_known_statuses_and_open_done_still_filter(cli):
    cli.ok("start", "1")
    cli.ok("done", "2")
    assert _ids(cli, "status:doing") == [1]
    assert _ids(cli, "status:done") == [2]
    assert _ids(cli, "status:open") == [1, 3, 4, 5, 6]
    assert _ids(cli, "status.not:todo") == [1]
    assert _ids(cli, "assignee:none", "-blocked", "12:30") == []
