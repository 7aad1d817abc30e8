"""How every SQLite connection is tuned, whichever path opened it (the plain read side or the ORM's engine)."""

from __future__ import annotations

from typing import Any

#: How long a SQLite connection waits for another process's write lock before giving up.
BUSY_TIMEOUT_MS = 30_000
#: Rows ANALYZE reads per index: approximate statistics in milliseconds, as SQLite recommends beside PRAGMA optimize.
ANALYSIS_LIMIT = 1000


def optimize_on_close(raw: Any) -> None:
    """SQLite's ``PRAGMA optimize`` before a connection closes: it analyzes tables whose statistics are missing or
    stale for the queries this connection ran. Failing (a read-only file, a busy writer) only costs speed.
    """
    import sqlite3

    try:
        raw.execute("PRAGMA busy_timeout=200")  # never wait on another writer's lock for an optimization
        raw.execute("PRAGMA optimize")
    except sqlite3.Error:
        pass
