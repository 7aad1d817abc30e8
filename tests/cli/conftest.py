"""CLI fixtures: a CliRunner bound to a fresh SQLite file."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner


class Planner:
    """Runs `planner --db FILE --as tester --today 2026-11-25 ...` in-process."""

    def __init__(self, db_path, monkeypatch):
        self.db = str(db_path)
        self.runner = CliRunner()
        monkeypatch.delenv("PLANNER_DATABASE_URL", raising=False)
        monkeypatch.setenv("PLANNER_CONFIG", str(db_path.parent / "no-config.toml"))
        monkeypatch.setenv("NO_COLOR", "1")

    def __call__(self, *args: str, user: str = "tester"):
        from planner.cli.main import app

        return self.runner.invoke(app, ["--db", self.db, "--as", user, "--today", "2026-11-25", *args])

    def ok(self, *args: str, user: str = "tester") -> str:
        result = self(*args, user=user)
        assert result.exit_code == 0, (result.output, result.exception)
        return result.stdout

    def json(self, *args: str):
        return json.loads(self.ok(*args, "--json"))


@pytest.fixture
def planner(tmp_path, monkeypatch) -> Planner:
    """The CLI over a fresh SQLite file."""
    return Planner(tmp_path / "planner.db", monkeypatch)
