"""Fuzzing the filter language: any input compiles to SQL that runs, or raises a PlannerError."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.domain.errors import PlannerError
from planner.domain.filters import ATTRIBUTES, VIRTUAL_TAGS, compile_filter, tokenize

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
              st.sampled_from(["", ".before", ".after", ".over", ".under", ".not", ".zz"]), st.text(max_size=12)),
    st.builds(lambda sign, tag: sign + tag, st.sampled_from("+-"),
              st.one_of(st.sampled_from(VIRTUAL_TAGS), st.text(min_size=1, max_size=8))),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(term, max_size=5))
def test_any_filter_compiles_to_runnable_sql_or_a_planner_error(empty_db, terms):
    try:
        compiled = compile_filter(terms, me="ana", today=TODAY, parse_date=_strict_date)
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
    compiled = compile_filter(["project:x' OR 1=1 --", "'; DROP TABLE task; --"], me="ana", today=TODAY,
                              parse_date=_strict_date)
    assert "DROP" not in compiled.where and "1=1 --" not in compiled.where
    empty_db.execute(f"SELECT t.id FROM task t JOIN project p ON p.id = t.project_id WHERE {compiled.where}",
                     compiled.params).fetchall()
    assert empty_db.execute("SELECT count(*) FROM task").fetchone() == (0,)
