"""The complete JSON dump of a database and its restore (``planner export json`` / ``import json``).

The dump holds every table of the schema — the entities undo and the
digest know (``models.ENTITIES``) plus the event log and the digest log —
so a restore into an empty database gives back the same rows with the same
ids. A restore replaces everything in one transaction: into a database that
already holds work it needs ``replace`` (``--replace``), and it records one
summary Event. Dumps from an older schema restore when their columns are a
subset of today's; unknown tables or columns are refused by name.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timezone
from pathlib import Path
from typing import IO, Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.exc import StatementError

from planner.domain.dates import in_range
from planner.domain.errors import ConflictError, InvalidInputError
from planner.interop import jsondump
from planner.services.context import Context
from planner.store.dialect_ops import advance_sequences
from planner.store.models import SQLModel, table_models
from planner.store.uow import restore_values

#: Rows Planner creates in every new database (default workflow, standard calendar).
_SEEDED = ("workflow", "workflowstate", "calendar")


def _tables() -> list[Any]:
    return list(SQLModel.metadata.sorted_tables)


def _models() -> dict[str, Any]:
    """Table name -> SQLModel class, for turning dump values back into column values."""
    return table_models()


def dump_database(ctx: Context) -> str:
    """Every row of every table, as Planner's versioned JSON dump."""
    from planner.store.engine import make_engine
    from planner.store.location import SCHEMA_HEAD

    with ctx.uow():  # migrates a new database first
        pass
    with make_engine(ctx.location).connect() as conn:
        def rows_of(table: Any) -> Any:
            order = table.c.id if "id" in table.c else list(table.c)[0]
            for row in conn.execute(select(table).order_by(order)):
                yield {key: _plain(value) for key, value in row._mapping.items()}

        return jsondump.write(jsondump.DatabaseRows(((table.name, rows_of(table)) for table in _tables()),
                                                    SCHEMA_HEAD, datetime.now(timezone.utc)))


def _plain(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc).isoformat()
    return value.isoformat() if hasattr(value, "isoformat") else value


def _read(path: str | Path | IO[str]) -> jsondump.Dump:
    if not isinstance(path, (str, Path)):
        return jsondump.read(path)
    from planner.store.paths import check_input_file

    source = check_input_file(path, what="file to restore")
    with source.open("r", encoding="utf-8") as stream:
        return jsondump.read(stream)


def _rows_for(dump: jsondump.Dump) -> dict[str, list[dict[str, Any]]]:
    """Dump rows as column values, checked against today's tables."""
    tables = {table.name: table for table in _tables()}
    models = _models()
    unknown = sorted(set(dump.tables) - set(tables))
    if unknown:
        raise InvalidInputError(f"the dump has tables this Planner does not know: {', '.join(unknown)} "
                                f"(it comes from schema {dump.schema!r}; upgrade Planner)")
    result: dict[str, list[dict[str, Any]]] = {}
    for name, rows in dump.tables.items():
        columns = set(tables[name].c.keys())
        converted = []
        for index, row in enumerate(rows, start=1):
            extra = set(row) - columns
            if extra:
                raise InvalidInputError(f"table {name}, row {index}: unknown column(s) {', '.join(sorted(extra))}")
            try:
                values = restore_values(models[name], row) if name in models else dict(row)
            except (ValueError, TypeError, OverflowError) as error:
                raise InvalidInputError(f"table {name}, row {index}: {error}") from None
            _check_values(values, f"table {name}, row {index}", name)
            converted.append(values)
        result[name] = converted
    return result


#: The widest integer both stores hold (a 64-bit signed BIGINT).
_INTEGER_LIMIT = 2**63 - 1


#: Tables of dates the scheduler computed (a plan may end past the last date a person can enter).
_COMPUTED_DATES = frozenset({"baselinetask"})


def _check_values(values: dict[str, Any], where: str, table: str = "") -> None:
    """Dates inside Planner's range (entered ones) and integers a database column can hold."""
    for column, value in values.items():
        if isinstance(value, (date, datetime)):
            if table not in _COMPUTED_DATES:
                in_range(value, what=f"{where}: {column}")
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > _INTEGER_LIMIT:
            raise InvalidInputError(f"{where}: {column} is a number too large to store")
        elif isinstance(value, float) and not math.isfinite(value):
            raise InvalidInputError(f"{where}: {column} is not a finite number")


def restore_dump(ctx: Context, path: str | Path | IO[str], *, dry_run: bool = False, replace: bool = False,
                 report: Any) -> Any:
    """Replace the whole database with a dump (all or nothing); ``report`` is filled and returned."""
    dump = _read(path)
    rows = _rows_for(dump)
    report.dry_run = dry_run
    report.details = {name: len(values) for name, values in rows.items()}
    report.created = len(rows.get("task", []))
    with ctx.uow() as uow:
        conn = uow.session.connection()
        held = {table.name: conn.execute(select(func.count()).select_from(table)).scalar() or 0
                for table in _tables() if table.name not in _SEEDED}
        held_work = {name: count for name, count in held.items() if count}
        if held_work and not replace:
            names = (("task", "task", "tasks"), ("project", "project", "projects"), ("resource", "person", "people"))
            listing = ", ".join(f"{held[table]} {one if held[table] == 1 else many}"
                                for table, one, many in names if held.get(table))
            raise ConflictError(f"the database already holds data ({listing or 'records of its own'}); a dump "
                                "replaces all of it: import it into a fresh store (`planner --db new.db import json "
                                "FILE`) or add --replace (after `planner db backup FILE`)")
        report.updated = held.get("task", 0)
        if dry_run:
            return report
        try:
            _replace_all(conn, rows)
        except (StatementError, OverflowError) as error:
            detail = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
            raise InvalidInputError(f"the dump does not fit the database: {detail}") from None
        uow.record("import", None, "restored", None, {"format": "json", "schema": dump.schema,
                                                       **report.details})
        uow.commit()
    from planner.services.database import refresh_statistics

    refresh_statistics(ctx)
    return report


def _replace_all(conn: Any, rows: dict[str, list[dict[str, Any]]]) -> None:
    tables = _tables()
    task_table = next(table for table in tables if table.name == "task")
    conn.execute(update(task_table).values(parent_id=None))
    for table in reversed(tables):
        conn.execute(delete(table))
    parents: list[dict[str, Any]] = []
    for table in tables:
        values = rows.get(table.name, [])
        if table.name == "task":
            parents = [{"_id": row["id"], "_parent": row["parent_id"]} for row in values if row.get("parent_id")]
            values = [{**row, "parent_id": None} for row in values]
        if values:
            for columns, group in _by_columns(values).items():
                conn.execute(insert(table), group)
    if parents:
        conn.execute(update(task_table).where(task_table.c.id == bindparam("_id"))
                     .values(parent_id=bindparam("_parent")), parents)
    advance_sequences(conn, [table.name for table in tables if "id" in table.c])


def _by_columns(values: list[dict[str, Any]]) -> dict[tuple[str, ...], list[dict[str, Any]]]:
    """Rows grouped by their set of columns (an executemany needs the same keys in every row)."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in values:
        groups.setdefault(tuple(sorted(row)), []).append(row)
    return groups

