"""Fuzzing the real CLI: every option type at its extremes exits 0, 1 or 2 with one line, never a traceback.

Dates at and past the ends of the calendar, integers wider than any store, non-finite floats, long and
unicode text and deeply nested or huge-numbered import files go through ``planner.cli.main``'s app.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

#: Commands tried per run (the README's reliability table quotes this).
EXAMPLES = 150

DATE = st.one_of(
    st.sampled_from(["0001-01-01", "9999-12-31", "1899-12-31", "1900-01-01", "2199-12-31", "2200-01-01",
                     "+999999d", "-999999y", "in 999999 years", "999999 months ago", "+100000w", "eoy", "2026-02-30"]),
    st.dates().map(lambda day: day.isoformat()),
    st.text(max_size=12),
)
PAST_DATE = st.one_of(DATE, st.dates(max_value=date(2026, 11, 25)).map(lambda day: day.isoformat()))
INT = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from([str(2**63), str(2**63 - 1), str(-(2**63) - 1), "9" * 5001, "0", "-1", "1e3", "0x10"]),
)
FLOAT = st.one_of(st.sampled_from(["nan", "inf", "-inf", "1e308", "1e-320", "-0", "1e400"]),
                  st.floats(allow_nan=True, allow_infinity=True).map(repr))
DURATION = st.one_of(st.sampled_from(["99999999999h", "1e400h", "100001d", "100000d", "9" * 400, "1:99", "0m"]),
                     st.text(max_size=10))
TEXT = st.one_of(st.text(alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"),
                         min_size=1, max_size=40),
                 st.sampled_from(["x" * 20000, "=cmd|' /C calc'!A0", "\u202e\u0645\u0631\u062d\u0628\u0627", "-"]))


def _deep_json(depth: int) -> str:
    return "[" * depth + "]" * depth


FILE = st.one_of(
    st.sampled_from([_deep_json(100000), _deep_json(900), '[{"uuid": 1' + "0" * 5000 + "}]",
                     '[{"description": "x", "uuid": "11111111-1111-1111-1111-111111111111", "due": "99991231T000000Z"}]',
                     '{"format": "planner", "version": 1, "tables": {"task": [{"id": ' + "9" * 30 + "}]}}"]),
    st.text(max_size=200),
)
RECUR = st.one_of(st.sampled_from(["daily", "every friday", "FREQ=DAILY;INTERVAL=99999999999", "FREQ=YEARLY;COUNT=" + "9" * 30,
                                   "every 999999 years", "yearly on feb 29"]), st.text(max_size=20))
WEEKDAYS = st.one_of(st.sampled_from(["mon-fri", "sun-sat", "mon,mon,mon"]), st.text(max_size=10))
FORMATS = st.sampled_from(["taskwarrior", "json", "csv", "todotxt", "ical", "mspdi"])

# Each template: the argv with typed holes filled by the strategies above.
TEMPLATES: list[tuple[Any, ...]] = [
    ("add", TEXT, "-p", "web", "--due", DATE, "--start", DATE),
    ("add", TEXT, "--estimate", DURATION, "--duration", DURATION, "--priority", INT),
    ("add", TEXT, "--recur", RECUR, "--due", DATE, "--until", DATE),
    ("edit", INT, "--title", TEXT, "--due", DATE, "--percent", INT),
    ("log", INT, DURATION, "--date", PAST_DATE),
    ("dep", "add", INT, "3", "--lag", INT),
    ("project", "add", TEXT, "--start", DATE, "--deadline", DATE),
    ("resource", "add", TEXT, "--capacity", FLOAT),
    ("resource", "vacation", "ana", DATE, DATE),
    ("sprint", "add", "web", TEXT, "--start", DATE, "--end", DATE),
    ("snooze", INT, DATE),
    ("assign", INT, "ana", "--units", FLOAT),
    ("calendar", "add", TEXT, "--hours", FLOAT, "--weekdays", WEEKDAYS),
    ("queue", "--date", DATE, "--limit", INT),
    ("schedule", "web", "--from", DATE, "--seed", INT),
    ("gantt", "web", "--width", INT, "--from", DATE),
    ("forecast", "web", "--runs", INT, "--seed", INT),
    ("load", "--from", DATE, "--to", DATE),
    ("digest", "--date", DATE),
    ("show", INT),
    ("ls", "--limit", INT),
    ("timer", "start", INT),
    ("project", "show", "web"),
    ("baseline", "save", "web", "--name", TEXT),
    ("export", "mspdi", "--project", "web"),
    ("import", FORMATS, FILE),
    ("rm", INT),
]


@pytest.fixture
def cli(tmp_path, monkeypatch):
    """Runs the real CLI app on a SQLite file holding a small project."""
    from planner.cli.main import app

    monkeypatch.delenv("PLANNER_DATABASE_URL", raising=False)
    monkeypatch.setenv("PLANNER_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(tmp_path / "cache"))
    runner, db = CliRunner(), str(tmp_path / "planner.db")

    def run(*args: str):
        return runner.invoke(app, ["--db", db, "--as", "ana", "--today", "2026-11-25", *args])

    for argv in (["add", "Spec", "-p", "web", "--due", "2026-12-04", "--estimate", "3h", "-a", "ana"],
                 ["add", "Review", "-p", "web", "--after", "1", "--due", "2199-12-31"]):
        assert run(*argv).exit_code == 0
    return run


def _filled(template: tuple[Any, ...], data: Any, tmp_path) -> list[str]:
    argv = []
    for part in template:
        value = part if isinstance(part, str) else data.draw(part)
        if part is FILE:
            path = tmp_path / "input.txt"
            path.write_text(value, encoding="utf-8", errors="surrogatepass")
            value = str(path)
        argv.append(value)
    return argv


def _assert_clean(result, argv: list[str]) -> None:
    shown = [arg[:40] for arg in argv]
    assert result.exit_code in (0, 1, 2), (shown, result.exit_code, result.output[-500:])
    assert result.exception is None or isinstance(result.exception, SystemExit), (shown, repr(result.exception))
    assert "Traceback" not in result.output, (shown, result.output[-2000:])
    if result.exit_code == 1:
        errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1, (shown, result.stderr[-500:])


def test_every_template_runs_with_ordinary_values(cli, tmp_path):
    """The fuzz templates are real commands: with plain values each one succeeds."""
    plain = {DATE: "2026-12-10", INT: "1", FLOAT: "1", DURATION: "2d", TEXT: "plain", PAST_DATE: "2026-11-20", RECUR: "weekly", WEEKDAYS: "mon-fri", FORMATS: "todotxt",
             FILE: "(A) a task from a file\n"}
    for template in TEMPLATES:
        argv = [part if isinstance(part, str) else plain[part] for part in template]
        if FILE in template:
            (tmp_path / "input.txt").write_text(plain[FILE])
            argv[-1] = str(tmp_path / "input.txt")
        result = cli(*argv)
        assert result.exit_code == 0, (argv, result.output)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_any_option_value_gives_an_exit_status_never_a_traceback(cli, tmp_path, data):
    template = data.draw(st.sampled_from(TEMPLATES))
    argv = _filled(template, data, tmp_path)
    _assert_clean(cli(*argv), argv)


@pytest.mark.parametrize("argv", [
    ["add", "far", "--due", "9999-12-31"], ["show", str(2**63)], ["ls", "--limit", "9" * 30],
    ["assign", "1", "ana", "--units", "inf"], ["resource", "add", "bo", "--capacity", "nan"],
    ["add", "long", "--duration", "100001"],
])
def test_values_out_of_range_are_refused_in_one_line(cli, argv):
    result = cli(*argv)
    assert result.exit_code in (1, 2) and "Traceback" not in result.output
    assert result.stderr.count("error:") == 1 and ("outside" in result.stderr or "too" in result.stderr
                                                   or "finite" in result.stderr)


def test_a_due_date_at_the_end_of_the_range_keeps_every_plan_view_working(cli):
    assert cli("add", "last", "-p", "web", "--due", "2199-12-31", "--duration", "100000").exit_code == 0
    for argv in (["queue"], ["schedule", "web"], ["gantt", "web"], ["forecast", "web", "--runs", "50"],
                 ["project", "show", "web"], ["load"], ["baseline", "save", "web", "--name", "b"],
                 ["export", "mspdi", "--project", "web"], ["export", "csv"], ["export", "ical"]):
        result = cli(*argv)
        assert result.exit_code == 0, (argv, result.output[-800:])


def test_deep_json_is_one_error_line_and_writes_nothing(cli, tmp_path):
    path = tmp_path / "deep.json"
    path.write_text(_deep_json(100000))
    for fmt in ("taskwarrior", "json"):
        result = cli("import", fmt, str(path))
        assert result.exit_code == 1 and "nested too deeply" in result.stderr
    path.write_text(json.dumps([{"uuid": "11111111-1111-1111-1111-111111111111", "description": "x"}])
                    .replace('"x"}', '"x", "urgency": ' + "9" * 5001 + "}"))
    result = cli("import", "taskwarrior", str(path))
    assert result.exit_code == 1 and "too many digits" in result.stderr
    assert len(json.loads(cli("ls", "--json").stdout)) == 2
