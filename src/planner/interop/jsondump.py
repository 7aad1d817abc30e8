"""Planner's own JSON dump: every table of the database, versioned, one row per line.

Layout::

    {"format": "planner-dump", "version": 1, "schema": "<alembic revision>",
     "exported_at": "...", "tables": {
    "calendar": [
    {"id": 1, "name": "standard", ...},
    ...
    ]}}

Dates and timestamps are ISO 8601 text, JSON columns stay JSON. ``version``
is the version of this layout; ``schema`` the database revision the rows
come from. Reading checks the layout and names the table and row of a
problem; turning values back into column types is the restore's job.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from planner.domain.errors import InvalidInputError
from planner.interop.jsonstream import json_limit

NAME = "json"
ALIASES = ("dump",)
PREFIX = ""
MODE = "text"
SUFFIX = ".json"
CAN_IMPORT = True
CAN_EXPORT = True
SCOPE = "database"
ONE_PROJECT: str | None = None
READ_OPTIONS: frozenset[str] = frozenset()
EXPORT_NEEDS: frozenset[str] = frozenset()

FORMAT = "planner-dump"
VERSION = 1


@dataclass(slots=True)
class DatabaseRows:
    """What a dump holds, as the restore service reads it from the database: (table, rows) pairs."""

    tables: Iterable[tuple[str, Iterable[dict[str, Any]]]]
    schema: str | None
    exported_at: datetime


@dataclass(slots=True)
class Dump:
    """A parsed dump: its layout version, schema revision and rows per table."""

    version: int
    schema: str | None
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"cannot write {type(value).__name__} to a dump")


def write(data: DatabaseRows, options: Mapping[str, Any] | None = None) -> str:
    """The dump of every table's rows."""
    out = io.StringIO()
    head = {"format": FORMAT, "version": VERSION, "schema": data.schema, "exported_at": data.exported_at.isoformat()}
    out.write(json.dumps(head)[:-1] + ', "tables": {')
    first_table = True
    for name, rows in data.tables:
        out.write(("\n" if first_table else ",\n") + json.dumps(name) + ": [")
        first_table = False
        first_row = True
        for row in rows:
            out.write(("\n" if first_row else ",\n") + json.dumps(row, default=_plain, ensure_ascii=False))
            first_row = False
        out.write("\n]")
    out.write("\n}}\n")
    return out.getvalue()


def read(stream: IO[str], options: Mapping[str, Any] | None = None) -> Dump:
    """Parse and check a dump (layout, version, one list of row objects per table)."""
    try:
        data = json.load(stream)
    except json.JSONDecodeError as error:
        raise InvalidInputError(f"line {error.lineno}: bad JSON ({error.msg})") from None
    except UnicodeDecodeError as error:
        raise InvalidInputError(f"byte {error.start}: not UTF-8 text, so not a Planner dump") from None
    except (RecursionError, ValueError) as error:
        raise InvalidInputError(f"bad JSON ({json_limit(error)})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InvalidInputError(f"not a Planner dump (no \"format\": \"{FORMAT}\"); "
                                "`planner export json` writes one")
    version = data.get("version")
    if not isinstance(version, int) or version > VERSION or version < 1:
        raise InvalidInputError(f"dump layout version {version!r} is not supported (this Planner reads 1 to {VERSION})")
    tables = data.get("tables")
    if not isinstance(tables, dict):
        raise InvalidInputError("the dump has no \"tables\" object")
    dump = Dump(version, data.get("schema"))
    for name, rows in tables.items():
        if not isinstance(rows, list):
            raise InvalidInputError(f"table {name}: expected a list of rows")
        for index, row in enumerate(rows, start=1):
            if not isinstance(row, dict):
                raise InvalidInputError(f"table {name}, row {index}: expected an object")
            if not isinstance(row.get("id"), int) and "id" in row:
                raise InvalidInputError(f"table {name}, row {index}: id {row.get('id')!r} is not a whole number")
        dump.tables[name] = rows
    return dump
