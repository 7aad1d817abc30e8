"""The format registry: every format keeps the protocol, round-trips through SQLite, and one more is one module.

Import-only formats are read over real files in test_real_files.py (PSPLIB in tests/cli and tests/services).
"""

from __future__ import annotations

import ast
import sqlite3
from pathlib import Path

import pytest

from planner.interop import formats
from tests.cli.conftest import Planner

INTEROP = Path(formats.__file__).parent
PROTOCOL_CONSTANTS = {"NAME": str, "ALIASES": tuple, "PREFIX": str, "MODE": str, "SUFFIX": str, "CAN_IMPORT": bool,
                      "CAN_EXPORT": bool, "SCOPE": str, "READ_OPTIONS": frozenset, "EXPORT_NEEDS": frozenset}


@pytest.mark.parametrize("name", list(formats.FORMAT_MODULES))
def test_each_format_module_keeps_the_protocol(name):
    module = formats.format_module(name)
    assert module.NAME == name
    for constant, kind in PROTOCOL_CONSTANTS.items():
        assert isinstance(getattr(module, constant), kind), (name, constant)
    assert module.ONE_PROJECT is None or isinstance(module.ONE_PROJECT, str)
    assert module.MODE in ("text", "csv", "binary") and module.SCOPE in ("tasks", "database")
    assert module.EXPORT_NEEDS <= formats.EXPORT_NEEDS
    assert callable(module.read) and callable(module.write)
    assert formats.find_format(name.upper()) is module
    for alias in module.ALIASES:
        assert formats.find_format(alias) is module


def test_aliases_name_one_format_each():
    spelled = [word for module in formats.all_formats() for word in (module.NAME, *module.ALIASES)]
    assert len(spelled) == len(set(spelled))


def test_interop_modules_import_no_store_and_no_services():
    for path in INTEROP.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            forbidden = [name for name in names if name.startswith(("planner.store", "planner.services"))]
            assert not forbidden, (path.name, forbidden)


def _seed(planner: Planner) -> None:
    planner.ok("project", "add", "web", "--start", "2026-11-30")
    planner.ok("resource", "add", "ana")
    planner.ok("add", "Design", "-p", "web", "--duration", "3", "-a", "ana")
    planner.ok("add", "Build", "-p", "web", "--duration", "4", "--after", "1")
    planner.ok("add", "Launch", "-p", "web", "--milestone", "--after", "2")


def _store(db: str) -> tuple[list[str], int]:
    with sqlite3.connect(db) as conn:
        titles = sorted(row[0] for row in conn.execute("SELECT title FROM task"))
        return titles, conn.execute("SELECT count(*) FROM dependency").fetchone()[0]


@pytest.mark.parametrize("name", list(formats.FORMAT_MODULES))
def test_every_registered_format_round_trips_through_sqlite(name, tmp_path, monkeypatch):
    module = formats.format_module(name)
    source = Planner(tmp_path / "source.db", monkeypatch)
    _seed(source)
    if not module.CAN_EXPORT:  # an import-only format (PSPLIB benchmarks): refused by name
        refused = source("export", name, "--project", "web")
        assert refused.exit_code == 2 and f"cannot export {name!r}" in refused.output  # a usage error
        return
    scope = ["--project", "web"] if module.ONE_PROJECT else []
    exported = tmp_path / f"export{module.SUFFIX}"
    assert source("export", name, *scope, "--out", str(exported)).exit_code == 0
    assert exported.stat().st_size > 0
    if not module.CAN_IMPORT:
        refused = source("import", name, str(exported))
        assert refused.exit_code == 2 and f"cannot import {name!r}" in refused.output  # a usage error
        return
    target = Planner(tmp_path / "target.db", monkeypatch)
    first = target("import", name, str(exported))
    assert first.exit_code == 0, first.output
    assert _store(target.db) == _store(source.db) == (["Build", "Design", "Launch"], 2)
    if module.SCOPE == "tasks":  # a dump replaces the database; task formats match what they wrote
        again = target.ok("import", name, str(exported))
        assert again.startswith(f"imported {name}: 0 created, 0 updated, 3 unchanged"), again


NEW_FORMAT = '''
"""A test format: one task title per line."""
import io
from planner.interop.records import Document, ExchangeTask, identify, source_or_uuid

NAME, ALIASES, PREFIX, MODE, SUFFIX = "lines", ("ln",), "lines:", "text", ".txt"
CAN_IMPORT = CAN_EXPORT = True
SCOPE, ONE_PROJECT = "tasks", None
READ_OPTIONS, EXPORT_NEEDS = frozenset(), frozenset({"records"})


def read(stream, options=None):
    document = Document(NAME, prefix=PREFIX, fields=frozenset({"title"}))
    for number, line in enumerate(stream, start=1):
        if line.strip():
            document.tasks.append(ExchangeTask(f"{PREFIX}{number}", line.strip(), f"line {number}"))
    return document


def write(data, options=None):
    identify(data, source_or_uuid(PREFIX))
    return "".join(task.title + "\\n" for task in data.tasks)
'''


def test_a_new_format_is_one_module_and_one_registry_line(tmp_path, monkeypatch):
    (tmp_path / "lines_format.py").write_text(NEW_FORMAT, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(formats.FORMAT_MODULES, "lines", "lines_format")
    planner = Planner(tmp_path / "planner.db", monkeypatch)
    path = tmp_path / "list.txt"
    path.write_text("Buy milk\nCall Ana\n", encoding="utf-8")
    assert planner.ok("import", "ln", str(path)).startswith("imported lines: 2 created")
    assert planner.ok("import", "lines", str(path)).startswith("imported lines: 0 created, 0 updated, 2 unchanged")
    assert planner.ok("export", "lines").splitlines() == ["Buy milk", "Call Ana"]
    unknown = planner("import", "nope", str(path))
    assert unknown.exit_code == 2 and "lines" in unknown.output
