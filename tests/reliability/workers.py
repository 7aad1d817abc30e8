"""Process bodies for the reliability tests (importable by spawned processes)."""

from __future__ import annotations

import random
import traceback


def edit_worker(url: str, task_ids: list[int], edits: int, seed: int, results) -> None:  # noqa: ANN001
    """Read a task, then add 1 to its estimate guarded by the version read; count what landed."""
    from planner.domain.errors import StaleEditError
    from planner.services import queries
    from planner.services.tasks.operations import edit_task
    from tests.conftest import make_context

    ctx = make_context(url, actor=f"worker{seed}")
    rng = random.Random(seed)
    landed: dict[int, int] = {}
    stale = unhandled = 0
    for _ in range(edits):
        task_id = rng.choice(task_ids)
        try:
            task = queries.get_task(ctx, task_id)
            edit_task(ctx, task_id, {"estimate_hours": (task.estimate_hours or 0) + 1},
                      expected_version=task.version)
            landed[task_id] = landed.get(task_id, 0) + 1
        except StaleEditError:
            stale += 1
        except Exception:  # noqa: BLE001 - the test counts these
            unhandled += 1
            traceback.print_exc()
    results.put({"landed": landed, "stale": stale, "unhandled": unhandled})


def read_worker(url: str, stop, results) -> None:  # noqa: ANN001
    """List tasks in a loop until told to stop; count reads and failures."""
    from planner.services import queries
    from tests.conftest import make_context

    ctx = make_context(url, actor="reader")
    reads = failures = 0
    while not stop.is_set():
        try:
            queries.list_tasks(ctx, limit=50)
            reads += 1
        except Exception:  # noqa: BLE001
            failures += 1
            traceback.print_exc()
    results.put({"reads": reads, "failures": failures})


def holding_reader(path: str, last_count, stop, results) -> None:  # noqa: ANN001
    """Keep one SQLite connection open and read whole snapshots through it until told to stop.

    Each read takes the task count and the titles' first words in one read
    transaction; the test checks every snapshot was one of the states it wrote.
    """
    import sqlite3

    conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    snapshots: dict[str, int] = {}
    errors: list[str] = []
    while not stop.is_set():
        try:
            conn.execute("BEGIN")
            count = conn.execute("SELECT count(*) FROM task").fetchone()[0]
            words = sorted({title.split()[0] for (title,) in conn.execute("SELECT title FROM task")})
            conn.execute("COMMIT")
        except Exception as error:  # noqa: BLE001 - the test counts these
            errors.append(repr(error))
            conn.execute("ROLLBACK") if conn.in_transaction else None
            continue
        key = f"{count} {'+'.join(words)}"
        snapshots[key] = snapshots.get(key, 0) + 1
        last_count.value = count
    integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    conn.close()
    results.put({"snapshots": snapshots, "errors": errors, "integrity": integrity})
