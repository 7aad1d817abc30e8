"""The column registry (store/columns.py) agrees with the SQLModel tables, and records are read by field name."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from datetime import date, datetime

import pytest
from sqlalchemy import Boolean, Date, DateTime, Float, Integer, String

from planner.store import columns
from planner.store.models import SQLModel


def _kind(column) -> str:  # noqa: ANN001
    column_type = getattr(column.type, "impl", column.type)
    for kind, types in (("bool", Boolean), ("datetime", DateTime), ("date", Date), ("float", Float),
                        ("int", Integer), ("str", String)):
        if isinstance(column_type, types):
            return kind
    raise AssertionError(f"{column} has a type the registry has no kind for: {column.type!r}")


def _default(column):  # noqa: ANN001, ANN202
    if column.default is None or callable(column.default.arg):
        return None if column.nullable else columns.REQUIRED
    return column.default.arg


@pytest.mark.parametrize("registered", columns.TABLES, ids=lambda table: table.name)
def test_the_registry_matches_the_sqlmodel_table(registered):
    table = SQLModel.metadata.tables[registered.name]
    assert registered.names == tuple(column.name for column in table.columns)
    for column in table.columns:
        entry = registered.column(column.name)
        assert entry.kind == _kind(column), column.name
        assert entry.nullable == bool(column.nullable), column.name
        if column.primary_key:
            continue
        assert entry.default == _default(column), column.name


def test_new_row_defaults_are_what_the_orm_writes_for_an_empty_task():
    from planner.store.models import Task

    defaults = columns.TASK.new_row_defaults()
    empty = Task(project_id=1, title="x")
    for name, value in defaults.items():
        assert getattr(empty, name) == value, name
    assert "title" not in defaults and "project_id" not in defaults and "created_at" not in defaults


@dataclass(slots=True)
class _Shown:
    id: int
    due: date | None
    project: str
    created_at: datetime | None
    archived_note: str = ""


def test_a_row_query_lists_columns_by_field_name_and_converts_by_kind():
    query = columns.row_query(_Shown, columns.TASK, "t", {"project": ("p.key", "str")})
    assert query.select == "t.id, t.due, p.key, t.created_at"
    built = query.build((7, "2026-12-01", "web", "2026-11-30 10:00:00.000000"))
    assert built == _Shown(7, date(2026, 12, 1), "web", datetime(2026, 11, 30, 10, 0))


def test_a_field_neither_column_nor_computed_is_refused():
    @dataclass
    class Wrong:
        id: int
        colour: str

    with pytest.raises(KeyError, match="colour"):
        columns.row_query(Wrong, columns.TASK, "t")

    @dataclass
    class Gap:
        id: int
        note: str = ""
        due: date | None = None

    with pytest.raises(ValueError, match="due"):
        columns.row_query(Gap, columns.TASK, "t")


def test_the_registry_imports_no_sqlalchemy():
    code = "import sys, planner.store.columns, planner.store.views; print('sqlalchemy' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
