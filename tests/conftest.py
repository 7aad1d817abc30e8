"""Fixtures: real databases (a SQLite file in tmp_path and a throwaway PostgreSQL)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import date

import pytest
from hypothesis import settings

TODAY = date(2026, 11, 25)  # a Wednesday

# Property tests draw the same examples on every run (CI must not turn red on a new random draw);
# PLANNER_FUZZ=random explores fresh inputs when hunting for bugs locally.
settings.register_profile("deterministic", derandomize=True, database=None)
settings.register_profile("random")
settings.load_profile("random" if os.environ.get("PLANNER_FUZZ") == "random" else "deterministic")


def require_tool(*names: str) -> str:
    """The path of the first of ``names`` installed; skips without it, fails when PLANNER_REQUIRE_TOOLS=1 (CI)."""
    import shutil

    for name in names:
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("PLANNER_REQUIRE_TOOLS") == "1":
        pytest.fail(f"{' or '.join(names)} is required (PLANNER_REQUIRE_TOOLS=1) but not installed")
    pytest.skip(f"{' or '.join(names)} is not installed")


def _require_postgres() -> bool:
    return os.environ.get("PLANNER_REQUIRE_PG") == "1"


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """An admin URL of a running PostgreSQL (CI's, or one started here)."""
    given = os.environ.get("PLANNER_TEST_PG_URL")
    if given:
        yield given
        return
    from tests.pgserver import start_cluster

    cluster = start_cluster()
    if cluster is None:
        if _require_postgres():
            pytest.fail("PostgreSQL is required (PLANNER_REQUIRE_PG=1) but initdb/pg_ctl are not installed")
        pytest.skip("PostgreSQL binaries not installed")
    try:
        yield cluster.url()
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def postgres_template(postgres_admin_url: str) -> str:
    """A migrated template database; each test clones it (fast)."""
    import psycopg

    from planner.store.engine import ensure_schema
    from planner.store.location import parse_database_url

    name = f"planner_template_{uuid.uuid4().hex[:8]}"
    admin = parse_database_url(postgres_admin_url)
    try:
        with psycopg.connect(admin.libpq_conninfo, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        if _require_postgres():
            pytest.fail(f"cannot reach PostgreSQL at {postgres_admin_url}: {error}")
        pytest.skip(f"PostgreSQL unreachable: {error}")
    url = postgres_admin_url.replace("/postgres?", f"/{name}?")
    location = parse_database_url(url)
    ensure_schema(location)
    from planner.store.engine import make_engine

    make_engine(location).dispose()
    return name


def _clone_postgres(admin_url: str, template: str) -> str:
    import psycopg

    from planner.store.location import parse_database_url

    name = f"planner_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(parse_database_url(admin_url).libpq_conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return admin_url.replace("/postgres?", f"/{name}?")


def _drop_postgres(admin_url: str, url: str) -> None:
    import psycopg

    from planner.store.engine import make_engine
    from planner.store.location import parse_database_url

    location = parse_database_url(url)
    make_engine(location).dispose()
    name = url.split("/")[-1].split("?")[0]
    with psycopg.connect(parse_database_url(admin_url).libpq_conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """A fresh SQLite file URL."""
    return f"sqlite:///{tmp_path / 'planner.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request, tmp_path) -> str:
    """A fresh database on each backend: one test body runs on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'planner.db'}"
    admin = request.getfixturevalue("postgres_admin_url")
    template = request.getfixturevalue("postgres_template")
    url = _clone_postgres(admin, template)
    request.addfinalizer(lambda: _drop_postgres(admin, url))
    return url


def make_context(url: str, actor: str = "tester", today: date = TODAY):
    """A service context on ``url`` acting as ``actor`` on a fixed day."""
    from planner.config import Settings
    from planner.services.context import Context

    return Context.from_settings(Settings(database_url=url, user=actor), today=today)


@pytest.fixture
def ctx(database_url: str):
    """A service context on a fresh database of each backend."""
    return make_context(database_url)


@pytest.fixture
def sqlite_ctx(sqlite_url: str):
    """A service context on a fresh SQLite file."""
    return make_context(sqlite_url)
