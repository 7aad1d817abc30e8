"""The writes whose SQL differs between SQLite and PostgreSQL: locks, id sequences, bulk-write setup."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, text


def lock_for(session: Any, dialect: str, key: str) -> None:
    """Serialize one kind of change until the transaction ends.

    SQLite's BEGIN IMMEDIATE already serializes every writer; PostgreSQL takes
    a transaction-scoped advisory lock on the key.
    """
    if dialect == "postgresql":
        session.exec(text("SELECT pg_advisory_xact_lock(hashtext(:key))").bindparams(key=key))


def prepare_bulk_write(conn: Connection, *, writes: bool) -> None:
    """Set a connection up for an import: a large page cache (SQLite) or writers queued behind it (PostgreSQL)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA cache_size = -131072")  # 128 MB for this connection's bulk writes
    elif writes:
        # No edit lands between the import's read of a task and its update: what BEGIN IMMEDIATE gives SQLite.
        conn.exec_driver_sql("LOCK TABLE task IN SHARE ROW EXCLUSIVE MODE")


def allocate_ids(conn: Connection, table_name: str, count: int) -> list[int]:
    """``count`` new primary keys for a table.

    SQLite: the import holds the write lock from its first statement
    (BEGIN IMMEDIATE), so the ids after the highest one ever handed out (the
    rows' or AUTOINCREMENT's sqlite_sequence, which the insert then advances)
    are free. PostgreSQL: drawn from the table's sequence in one query, so
    concurrent writers never get the same ones.
    """
    if conn.dialect.name == "postgresql":
        return [row[0] for row in conn.execute(
            text(f"SELECT nextval(pg_get_serial_sequence('{table_name}', 'id')) FROM generate_series(1, :count)"),
            {"count": count})]
    highest = conn.execute(text(
        f"SELECT max(COALESCE((SELECT MAX(id) FROM {table_name}), 0), "
        "COALESCE((SELECT seq FROM sqlite_sequence WHERE name = :name), 0))"), {"name": table_name}).scalar()
    first = (highest or 0) + 1
    return list(range(first, first + count))


def advance_sequences(conn: Connection, table_names: Iterable[str]) -> None:
    """After rows were written with explicit ids, move PostgreSQL's sequences past them (never back)."""
    if conn.dialect.name != "postgresql":
        return  # SQLite's AUTOINCREMENT follows the largest id written
    for name in table_names:
        sequence = f"pg_get_serial_sequence('{name}', 'id')"
        conn.execute(text(f"SELECT setval({sequence}, GREATEST(nextval({sequence}), "
                          f"COALESCE((SELECT max(id) FROM {name}), 0) + 1), false)"))


def sqlite_insert_statement(table_name: str, keys: list[str]) -> str:
    """The qmark INSERT a bulk sqlite3 executemany writes one row of these columns with."""
    return f"INSERT INTO {table_name} ({', '.join(keys)}) VALUES ({', '.join('?' for _ in keys)})"


def postgres_copy_statement(table_name: str, keys: list[str]) -> str:
    """The COPY FROM STDIN that streams rows of these columns into a PostgreSQL table."""
    columns = ", ".join(f'"{key}"' for key in keys)
    return f'COPY "{table_name}" ({columns}) FROM STDIN'
