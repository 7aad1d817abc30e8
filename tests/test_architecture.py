"""The layer rules hold: import-linter's contracts (pyproject.toml) and no private names across modules."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "planner"


def test_the_import_contracts_in_pyproject_are_kept():
    result = subprocess.run([sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()"],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def _module_of(path: Path, package: Path) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_module(dotted: str, package: Path) -> bool:
    relative = Path(*dotted.split(".")[1:])
    return (package / relative).with_suffix(".py").exists() or (package / relative / "__init__.py").exists()


def _private_imports(package: Path = PACKAGE) -> list[str]:
    """Every `from planner.x import _name` and `module._name` use of another planner module's private name."""
    found = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        here = _module_of(path, package)
        aliases: dict[str, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("planner"):
                for alias in node.names:
                    if alias.name.startswith("_") and not alias.name.startswith("__"):
                        found.append(f"{here} imports {node.module}.{alias.name}")
                    aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("planner"):
                        aliases[alias.asname or alias.name] = alias.name
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases
                    and node.attr.startswith("_") and not node.attr.startswith("__")
                    and _is_module(aliases[node.value.id], package)):
                found.append(f"{here} uses {aliases[node.value.id]}.{node.attr}")
    return found


def test_no_module_uses_another_modules_private_names():
    assert _private_imports() == []


def test_the_private_name_check_sees_both_kinds_of_violation(tmp_path):
    package = tmp_path / "planner"
    (package / "domain").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "domain" / "__init__.py").write_text("")
    (package / "domain" / "dates.py").write_text("_secret = 1\n")
    (package / "domain" / "probe.py").write_text(
        "from planner.domain.dates import _secret\nfrom planner.domain import dates\nvalue = dates._secret\n")
    assert _private_imports(package) == ["planner.domain.probe imports planner.domain.dates._secret",
                                         "planner.domain.probe uses planner.domain.dates._secret"]


def _table_models() -> set[str]:
    tree = ast.parse((PACKAGE / "store" / "models.py").read_text())
    return {node.name for node in tree.body if isinstance(node, ast.ClassDef)
            and any(keyword.arg == "table" for keyword in node.keywords)}


def test_no_use_case_hands_an_orm_object_to_a_face():
    """A public service function taking the context returns ids or plain records, never a table model."""
    models, leaking = _table_models(), []
    for path in sorted((PACKAGE / "services").rglob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if (isinstance(node, ast.FunctionDef) and not node.name.startswith("_") and node.args.args
                    and node.args.args[0].arg == "ctx" and node.returns is not None):
                named = set(re.findall(r"[A-Za-z_]+", ast.unparse(node.returns)))
                if named & models:
                    leaking.append(f"{_module_of(path, PACKAGE)}.{node.name} -> {ast.unparse(node.returns)}")
    assert "Task" in models and leaking == []



_SQL_TEXT = re.compile(r"^\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\b", re.IGNORECASE)
# The keyword alone also starts prose ("Update the FAQ") and HTTP verbs ("DELETE"), so a statement must go on like SQL.
_SQL_SHAPE = re.compile(r"^\s*(SELECT\b.*\bFROM\b|SELECT\s+(\d|\*|DISTINCT\b|\w+\.\w+|\w+\s*[,(])"
                        r"|INSERT\s+INTO\b|UPDATE\s+\S+\s+SET\b|DELETE\s+FROM\b|WITH\s+(RECURSIVE\s+)?\w+.*\bAS\s*\()",
                        re.IGNORECASE | re.DOTALL)


def _literal_text(node: ast.AST) -> str | None:
    """A string constant's text, or an f-string's literal parts with "{}" for each value; None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)
    return None


def _sql_text_in(package: Path) -> list[str]:
    """Every string literal (f-strings included) in a module under package that holds a SQL statement."""
    found = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(), str(path))
        skipped = {id(node.body[0].value) for node in ast.walk(tree)
                   if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                   and node.body and isinstance(node.body[0], ast.Expr)}  # docstrings are prose
        skipped |= {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}
        for node in ast.walk(tree):
            text = None if id(node) in skipped else _literal_text(node)
            if text is not None and _SQL_TEXT.match(text) and _SQL_SHAPE.match(text):
                found.append(f"{path.relative_to(package.parent).as_posix()}:{node.lineno}: {text.strip()[:40]}")
    return sorted(found)


def test_no_service_module_holds_sql_text():
    """SQL text lives in store/ read modules; services call them (the write side's expression language stays)."""
    assert _sql_text_in(PACKAGE / "services") == []


def test_the_sql_text_check_sees_plain_and_f_string_statements(tmp_path):
    services = tmp_path / "services"
    services.mkdir()
    (services / "probe.py").write_text(
        '"""Select the rows from the project: a docstring is prose."""\n'
        'KEYS = "  select key FROM project"\n'
        'def rows(conn, table, marks):\n'
        '    conn.rows(f"DELETE FROM task WHERE id IN ({marks})")\n'
        '    conn.rows(f"SELECT {table}.id FROM {table}")\n'
        '    return conn.rows("WITH open AS (SELECT id FROM task) " f"UPDATE task SET percent_done = {marks}")\n'
        'WORDS = ["Update the shipping FAQ", "DELETE", "with an error:", "Selection", "select a project"]\n')
    assert _sql_text_in(services) == ["services/probe.py:2: select key FROM project",
                                      "services/probe.py:4: DELETE FROM task WHERE id IN ({})",
                                      "services/probe.py:5: SELECT {}.id FROM {}",
                                      "services/probe.py:6: WITH open AS (SELECT id FROM task) UPDAT"]
