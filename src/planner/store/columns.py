"""The columns of task, project, dependency and resource: one definition the read side and bulk writes derive from.

It imports no SQLAlchemy, so hot read commands can build their SELECT lists
and records from it; ``tests/store/test_columns.py`` checks it against the
SQLModel tables (names, kinds, nullability, defaults). Records are filled by
field name: :func:`select_list` lists a record's columns in its field order,
:func:`reader` turns each row into the record.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import MISSING, dataclass, fields
from datetime import date, datetime
from typing import Any

class _Required:
    """The default of a column without one: a new row must give it (or the database numbers it)."""

    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its name, kind (int, float, str, bool, date, datetime), nullability and a new row's default."""

    name: str
    kind: str
    nullable: bool = False
    default: Any = REQUIRED


@dataclass(frozen=True, slots=True)
class Table:
    """A table's columns in their schema order."""

    name: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> tuple[str, ...]:
        """Every column name, in schema order."""
        return tuple(column.name for column in self.columns)

    def column(self, name: str) -> Column:
        """A column by name (KeyError for a name the table lacks)."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.name} has no column {name!r}")

    def pick(self, *names: str) -> tuple[str, ...]:
        """These column names, each checked to exist."""
        return tuple(self.column(name).name for name in names)

    def new_row_defaults(self) -> dict[str, Any]:
        """What a new row holds where it gives nothing: each column's default (None when nullable)."""
        return {column.name: None if column.default is REQUIRED else column.default
                for column in self.columns
                if column.default is not REQUIRED or (column.nullable and column.name != "id")}


def _c(name: str, kind: str, nullable: bool = False, default: Any = REQUIRED) -> Column:
    return Column(name, kind, nullable, None if nullable and default is REQUIRED else default)


TASK = Table("task", (
    _c("id", "int"), _c("project_id", "int"), _c("parent_id", "int", True), _c("title", "str"),
    _c("notes", "str", default=""), _c("kind", "str", default="task"), _c("status", "str", default="todo"),
    _c("priority", "int", default=0), _c("estimate_hours", "float", True), _c("duration_days", "int", True),
    _c("optimistic_days", "float", True), _c("likely_days", "float", True), _c("pessimistic_days", "float", True),
    _c("start_no_earlier", "date", True), _c("due", "date", True), _c("percent_done", "int", default=0),
    _c("actual_start", "date", True), _c("actual_finish", "date", True), _c("snoozed_until", "date", True),
    _c("board_rank", "float", default=0.0), _c("sprint_id", "int", True), _c("recurrence_id", "int", True),
    _c("instance_key", "str", True), _c("external_id", "str", True), _c("created_at", "datetime"),
    _c("updated_at", "datetime"), _c("completed_at", "datetime", True), _c("version", "int", default=1),
))

PROJECT = Table("project", (
    _c("id", "int"), _c("key", "str"), _c("name", "str"), _c("kind", "str", default="project"),
    _c("start", "date", True), _c("deadline", "date", True), _c("calendar_id", "int", True),
    _c("workflow_id", "int", True), _c("reserve_percent", "float", default=0.0), _c("archived", "bool", default=False),
    _c("completed_at", "datetime", True), _c("external_id", "str", True), _c("created_at", "datetime"),
    _c("updated_at", "datetime"), _c("priority", "int", default=0),
))

DEPENDENCY = Table("dependency", (
    _c("id", "int"), _c("predecessor_id", "int"), _c("successor_id", "int"), _c("type", "str", default="FS"),
    _c("lag_days", "int", default=0),
))

RESOURCE = Table("resource", (
    _c("id", "int"), _c("handle", "str"), _c("name", "str", default=""), _c("email", "str", True),
    _c("kind", "str", default="person"), _c("capacity", "float", default=1.0), _c("calendar_id", "int", True),
    _c("external_id", "str", True),
))

TABLES = (TASK, PROJECT, DEPENDENCY, RESOURCE)


def as_date(value: Any) -> date | None:
    """A DATE column value as a date (SQLite returns text, PostgreSQL a date)."""
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(str(value)[:10])


def as_datetime(value: Any) -> datetime | None:
    """A DATETIME column value as an aware-or-naive UTC datetime."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _as_bool(value: Any) -> bool | None:
    return None if value is None else bool(value)


_CONVERTERS: dict[str, Callable[[Any], Any] | None] = {
    "date": as_date, "datetime": as_datetime, "bool": _as_bool, "float": None, "int": None, "str": None,
}


@dataclass(frozen=True, slots=True)
class RowQuery:
    """A record's SELECT list and the function that turns one of its rows into the record."""

    select: str
    build: Callable[[Sequence[Any]], Any]


def row_query(record: type, table: Table, alias: str,
              computed: Mapping[str, tuple[str, str]] | None = None) -> RowQuery:
    """The SELECT list filling ``record`` field by field, and its row reader.

    A field named after a column of ``table`` reads ``alias.column``;
    ``computed`` gives other fields as ``(SQL expression, kind)``. The fields
    read must come first in the record; the rest keep their defaults. Each
    value is converted by its column's kind (SQLite's text dates, say).
    """
    computed = computed or {}
    expressions, converters = [], []
    reading = True
    for item in fields(record):
        if item.name in computed:
            expression, kind = computed[item.name]
        elif item.name in table.names:
            expression, kind = f"{alias}.{item.name}", table.column(item.name).kind
        elif item.default is MISSING and item.default_factory is MISSING:
            raise KeyError(f"{record.__name__}.{item.name} is neither a column of {table.name} nor computed")
        else:
            reading = False
            continue
        if not reading:
            raise ValueError(f"{record.__name__}.{item.name} comes after a field no query fills: move it up")
        expressions.append(expression)
        converters.append(_CONVERTERS[kind])
    plan = tuple((index, convert) for index, convert in enumerate(converters) if convert is not None)
    if not plan:
        return RowQuery(", ".join(expressions), lambda row: record(*row))

    def build(row: Sequence[Any]) -> Any:
        values = list(row)
        for index, convert in plan:
            values[index] = convert(values[index])
        return record(*values)

    return RowQuery(", ".join(expressions), build)
