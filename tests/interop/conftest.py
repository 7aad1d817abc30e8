"""Interop fixtures: a Taskwarrior in a temp dir, helpers to write files and read the store."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.cli.conftest import planner  # noqa: F401  (the CLI fixture, for test_cli)
from tests.conftest import require_tool

DATA = Path(__file__).with_name("data")


class Taskwarrior:
    """Runs the real `task` binary with its own TASKRC / TASKDATA (no confirmations, no hooks)."""

    def __init__(self, root: Path):
        self.data = root / "taskdata"
        self.data.mkdir(parents=True)
        self.rc = root / "taskrc"
        self.rc.write_text(f"data.location={self.data}\nconfirmation=no\nhooks=off\nverbose=nothing\n"
                           "json.array=on\nrecurrence.confirmation=no\n")
        self.env = {**os.environ, "TASKRC": str(self.rc), "TASKDATA": str(self.data), "TZ": "UTC"}

    def __call__(self, *args: str, stdin: str | None = None) -> str:
        done = subprocess.run(["task", "rc.confirmation=no", *args], env=self.env, input=stdin, text=True,
                              capture_output=True, check=False, timeout=60)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        return done.stdout

    def export(self) -> list[dict]:
        return json.loads(self("export"))

    def by_description(self) -> dict[str, dict]:
        return {task["description"]: task for task in self.export()}


@pytest.fixture
def tw(tmp_path) -> Taskwarrior:
    """A throwaway Taskwarrior database (skips when `task` is not installed)."""
    require_tool("task")
    return Taskwarrior(tmp_path)


def write(tmp_path: Path, name: str, text: str) -> Path:
    """A file with this text in tmp_path."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def rows(ctx, sql: str, params=()) -> list[tuple]:
    """Rows of a query on the read side."""
    with ctx.reader() as conn:
        return conn.rows(sql, params)


def counts(ctx) -> dict[str, int]:
    """Rows per table: compare before and after a refused import."""
    tables = ("project", "task", "dependency", "tag", "tasktag", "resource", "assignment", "calendar",
              "calendarexception", "recurrence", "comment", "event")
    with ctx.reader() as conn:
        return {table: conn.scalar(f"SELECT count(*) FROM {table}") for table in tables}


def tasks_by_title(ctx) -> dict[str, dict]:
    """Every task as a dict of its columns, by title."""
    with ctx.reader() as conn:
        cursor = conn.raw.cursor()
        cursor.execute("SELECT * FROM task")
        names = [column[0] for column in cursor.description]
        found = {row[names.index("title")]: dict(zip(names, row)) for row in cursor.fetchall()}
        cursor.close()
    return found


def tags_of(ctx, title: str) -> set[str]:
    """The tags of the task with this title."""
    return {name for (name,) in rows(ctx, "SELECT g.name FROM tasktag tt JOIN tag g ON g.id = tt.tag_id "
                                          "JOIN task t ON t.id = tt.task_id WHERE t.title = ?", [title])}


def links(ctx) -> set[tuple[str, str, str, int]]:
    """Every dependency as (predecessor title, successor title, type, lag)."""
    return set(rows(ctx, "SELECT p.title, s.title, d.type, d.lag_days FROM dependency d "
                         "JOIN task p ON p.id = d.predecessor_id JOIN task s ON s.id = d.successor_id"))
