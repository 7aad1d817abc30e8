"""Fixtures for the app tests: a demo store made once, copied into each test's own SQLite file."""

from __future__ import annotations

import asyncio
import inspect
import shutil
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

TODAY = date(2026, 11, 25)  # a Wednesday
NOW = datetime(2026, 11, 25, 10, 30)
ME = "ana"


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run ``async def`` tests here in a fresh event loop (no async plugin needed)."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    arguments = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    asyncio.run(pyfuncitem.obj(**arguments))
    return True


def context_for(path: Path, *, actor: str = ME):
    """A context on a SQLite file, acting as ``actor`` on the frozen day and time."""
    from planner.config import Settings
    from planner.services.context import Context

    ctx = Context.from_settings(Settings(database_url=f"sqlite:///{path}", user=actor), today=TODAY)
    return replace(ctx, now_override=NOW)


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    """The queue's slack cache lives in the test's directory."""
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The demo store, made once per session through the services."""
    from planner.services.demo import create_demo

    import sqlite3

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    create_demo(context_for(path))
    with sqlite3.connect(path) as conn:  # everything into the main file, so a plain copy is complete
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def demo_db(demo_template, tmp_path) -> Path:
    """A private copy of the demo store."""
    path = tmp_path / "planner.db"
    shutil.copy(demo_template, path)
    return path


@pytest.fixture
def demo_ctx(demo_db):
    """A context on the private demo store."""
    return context_for(demo_db)


def make_test_app(ctx, screen: str = "queue", **kwargs):
    """The app as the CLI makes it, without polling unless asked."""
    from planner.app import make_app

    kwargs.setdefault("poll_seconds", 0)
    return make_app(ctx, screen=screen, **kwargs)


async def settle(app, pilot, rounds: int = 3) -> None:
    """Wait until workers are done and their messages handled."""
    for _ in range(rounds):
        await app.workers.wait_for_complete()
        await pilot.pause()
    await pilot.pause(0.05)
