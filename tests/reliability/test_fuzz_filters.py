"""Fuzzing the filter language: any input compiles to SQL that runs, or raises a PlannerError; the CLI never tracebacks."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.domain.errors import PlannerError
from planner.domain.filters import ATTRIBUTES, COMPARISONS, VIRTUAL_TAGS, parse_filter, tokenize
from planner.store.filter_sql import filter_sql
from tests.cli.conftest import Planner

TODAY = date(2026, 11, 25)


def _strict_date(text: str, today: date) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise PlannerError(f"cannot read date {text!r}") from None


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory):
    from planner.store.engine import ensure_schema
    from planner.store.location import parse_database_url

    path = tmp_path_factory.mktemp("fuzz") / "planner.db"
    ensure_schema(parse_database_url(f"sqlite:///{path}"))
    conn = sqlite3.connect(path)
    yield conn
    conn.close()


term = st.one_of(
    st.text(max_size=20),
    st.builds(lambda a, op, v: f"{a}{op}:{v}", st.sampled_from(ATTRIBUTES),
              st.sampled_from(["", ".zz", *(f".{word}" for word in COMPARISONS)]),
              st.one_of(st.text(max_size=12), st.from_regex(r"-?[0-9]{1,30}(,[0-9]{0,25})?", fullmatch=True))),
    st.builds(lambda sign, tag: sign + tag, st.sampled_from("+-"),
              st.one_of(st.sampled_from(VIRTUAL_TAGS), st.text(min_size=1, max_size=8))),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(term, max_size=5))
def test_any_filter_compiles_to_runnable_sql_or_a_planner_error(empty_db, terms):
    try:
        compiled = filter_sql(parse_filter(terms, me="ana", today=TODAY, parse_date=_strict_date))
    except PlannerError as error:
        assert str(error)
        return
    assert compiled.where.count("?") == len(compiled.params)
    empty_db.execute(f"SELECT t.id FROM task t JOIN project p ON p.id = t.project_id WHERE {compiled.where}",
                     compiled.params).fetchall()


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_tokenize_never_fails_with_anything_but_a_planner_error(text):
    try:
        tokenize(text)
    except PlannerError:
        pass


def test_injection_attempts_are_only_parameters(empty_db):
    compiled = filter_sql(parse_filter(["project:x' OR 1=1 --", "'; DROP TABLE task; --"], me="ana", today=TODAY,
                                       parse_date=_strict_date))
    assert "DROP" not in compiled.where and "1=1 --" not in compiled.where
    empty_db.execute(f"SELECT t.id FROM task t JOIN project p ON p.id = t.project_id WHERE {compiled.where}",
                     compiled.params).fetchall()
    assert empty_db.execute("SELECT count(*) FROM task").fetchone() == (0,)


@pytest.fixture(scope="module")
def cli_db(request, tmp_path_factory):
    """One database per backend for the whole module, holding a few tasks for filters to find."""
    url = request.param
    if url == "postgres":
        from tests.conftest import _clone_postgres, _drop_postgres

        admin = request.getfixturevalue("postgres_admin_url")
        url = _clone_postgres(admin, request.getfixturevalue("postgres_template"))
        request.addfinalizer(lambda: _drop_postgres(admin, url))
    with pytest.MonkeyPatch.context() as monkeypatch:
        planner = Planner(tmp_path_factory.mktemp("cli-fuzz") / "planner.db", monkeypatch)
        if url != "sqlite":
            planner.db = url
        planner.ok("add", "Cut 50% of_costs", "-p", "web", "--tag", "docs", "--due", "2026-11-27", "-a", "tester")
        planner.ok("add", "Second", "-p", "ops", "--after", "1", "--priority", "3")
        yield planner


@pytest.mark.parametrize("cli_db", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(term, max_size=4), st.booleans())
def test_ls_with_any_filter_exits_cleanly(cli_db, terms, as_json):
    """Through the real CLI: exit 0 with a listing, 1 with one error line, or 2 for usage; never a traceback."""
    result = cli_db("ls", *(["--json"] if as_json else []), "--", *terms)
    assert result.exit_code in (0, 1, 2), (terms, result.output)
    assert isinstance(result.exception, (SystemExit, type(None))), (terms, repr(result.exception))
    assert "Traceback" not in result.output
    if result.exit_code == 1:
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, (terms, result.stderr)
