"""Start-up is a feature: hot read commands import no ORM and no Textual (checked in a subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

PROBE = """
import json, sys
from planner.cli.main import app
try:
    app(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
heavy = sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'sqlmodel', 'textual', 'alembic', 'pydantic'})
print(json.dumps(heavy), file=sys.stderr)
"""


def _heavy_modules(db: str, *args: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", PROBE, "--db", db, *args], capture_output=True, text=True,
                          check=True)
    return json.loads(done.stderr.strip().splitlines()[-1])


@pytest.fixture
def seeded_db(tmp_path) -> str:
    db = str(tmp_path / "planner.db")
    subprocess.run([sys.executable, "-m", "planner", "--db", db, "add", "Seed", "--due", "tomorrow"], check=True,
                   capture_output=True)
    return db


@pytest.mark.parametrize("args", [["ls"], ["ls", "--json"], ["show", "1"], ["ls", "project:inbox", "+overdue"],
                                  ["queue"], ["queue", "--json"]])
def test_hot_read_commands_import_no_orm_nor_textual(seeded_db, args, tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(tmp_path / "cache"))  # a cold slack cache: every project scheduled
    assert _heavy_modules(seeded_db, *args) == []


def test_importing_the_cli_imports_no_textual():
    code = "import sys, planner.cli.main; print('textual' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"


def test_python_dash_m_planner_help_runs():
    done = subprocess.run([sys.executable, "-m", "planner", "--help"], capture_output=True, text=True, check=True)
    assert "Usage" in done.stdout and "add" in done.stdout


def test_installed_planner_executable_works(tmp_path):
    import shutil
    from pathlib import Path

    executable = shutil.which("planner") or str(Path(sys.executable).with_name("planner"))
    db = str(tmp_path / "p.db")
    done = subprocess.run([executable, "--db", db, "add", "From", "the", "shell"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    listing = subprocess.run([executable, "--db", db, "ls"], capture_output=True, text=True, check=True).stdout
    assert "From the shell" in listing


def test_each_command_runs_in_an_app_holding_only_its_group():
    from planner.cli.main import _app_for, _command_name, app

    assert _command_name(["--db", "x.db", "--as", "ana", "show", "3"]) == "show"
    assert _command_name(["--version"]) is None
    assert _app_for(None) is app and _app_for("no-such-command") is app
    for name in ("add", "ls", "show", "queue", "schedule", "project", "digest", "import", "tui", "log"):
        lean = _app_for(name)
        assert lean is not app and len(lean.registered_groups) == 1, name


CHART_PROBE = """
import json, sys
from planner.cli.main import app
try:
    app(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m == 'PIL' or m.startswith('planner.render.charts'))), file=sys.stderr)
"""


@pytest.mark.parametrize("args", [["ls"], ["show", "1"], ["queue"]])
def test_hot_commands_import_no_chart_code(seeded_db, args):
    done = subprocess.run([sys.executable, "-c", CHART_PROBE, "--db", seeded_db, *args], capture_output=True,
                          text=True, check=True)
    assert json.loads(done.stderr.strip().splitlines()[-1]) == []


def test_a_charted_command_in_a_pipe_imports_no_chart_code(seeded_db):
    done = subprocess.run([sys.executable, "-c", CHART_PROBE, "--db", seeded_db, "load"], capture_output=True,
                          text=True, check=True)
    assert json.loads(done.stderr.strip().splitlines()[-1]) == []
