"""Every importer over files other programs wrote (tests/data/real/, sources in its README).

Each file goes through the real CLI into a fresh SQLite file and either imports (exit 0, the task
count it should, and a second import changes nothing) or is refused with one ``error:`` line, exit 1,
no traceback and nothing written. ``expected.json`` pins each file's outcome: a change in what a real
file does shows up here as a diff to review.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

REAL = Path(__file__).parents[1] / "data" / "real"
EXPECTED: dict[str, dict] = json.loads((REAL / "expected.json").read_text(encoding="utf-8"))
FILES = sorted(path for path in REAL.glob("*/*") if path.is_file())


def _table_counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        tables = [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {table: conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}


@pytest.fixture(scope="module")
def empty_store(tmp_path_factory) -> Path:
    """A migrated, empty SQLite file each test copies (migrating once keeps 200 files quick)."""
    db = tmp_path_factory.mktemp("real") / "empty.db"
    _run(db, "ls")
    return db


def _run(db: Path, *args: str):
    from planner.cli.main import app

    return CliRunner().invoke(app, ["--db", str(db), "--as", "tester", "--today", "2026-11-25", *args])


@pytest.fixture(autouse=True)
def _no_config(tmp_path, monkeypatch):
    monkeypatch.delenv("PLANNER_DATABASE_URL", raising=False)
    monkeypatch.setenv("PLANNER_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("NO_COLOR", "1")


def test_every_file_has_an_expected_outcome_and_a_source():
    names = {f"{path.parent.name}/{path.name}" for path in FILES}
    assert names == set(EXPECTED), "expected.json and tests/data/real/ list different files"
    readme = (REAL / "README.md").read_text(encoding="utf-8")
    for folder in {path.parent.name for path in FILES}:
        assert f"`{folder}/`" in readme, f"README.md does not say where {folder}/ files come from"


@pytest.mark.parametrize("path", FILES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_real_file_imports_or_is_refused_in_one_line(path, empty_store, tmp_path):
    expected = EXPECTED[f"{path.parent.name}/{path.name}"]
    db = tmp_path / "planner.db"
    shutil.copy(empty_store, db)
    before = _table_counts(db)
    result = _run(db, "import", path.parent.name, str(path))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    if expected["exit"] == 1:
        assert result.exit_code == 1
        assert result.output.strip().splitlines() == [f"error: {expected['error']}"]
        assert _table_counts(db) == before, "a refused file wrote something"
        return
    assert result.exit_code == 0, result.output
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"imported {path.parent.name}: {expected['created']} created, 0 updated"), first
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM task").fetchone()[0] >= expected["created"]
    again = _run(db, "import", path.parent.name, str(path))
    assert again.exit_code == 0, again.output
    assert again.stdout.startswith(f"imported {path.parent.name}: 0 created, 0 updated"), again.stdout
