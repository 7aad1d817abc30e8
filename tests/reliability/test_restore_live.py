"""`planner db restore` while another process holds the database open and reads it.

The restore goes through SQLite's online backup API into the live file, so the
reader sees the old contents or the restored ones, whole, and nothing breaks.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import time

from planner.services import database, queries
from tests.conftest import make_context

KEPT, LATER = 60, 30


def _planner(path, *args: str) -> None:  # noqa: ANN001
    done = subprocess.run([sys.executable, "-m", "planner", "--db", str(path), *args],
                          env=dict(os.environ, PLANNER_USER="tester"), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def _add(path, word: str, count: int) -> None:  # noqa: ANN001
    """Add tasks titled "WORD i" in one import."""
    source = path.with_name(f"{word}.json")
    source.write_text("".join(json.dumps({"uuid": f"00000000-0000-4000-8000-{len(word)}{index:011d}",
                                          "description": f"{word} {index}", "status": "pending",
                                          "entry": "20261101T000000Z", "project": "p"}) + "\n"
                              for index in range(count)))
    _planner(path, "import", "taskwarrior", str(source))


def _wait_until_seen(last_count, count: int) -> None:  # noqa: ANN001
    deadline = time.monotonic() + 60
    while last_count.value != count:
        assert time.monotonic() < deadline, f"the reader never saw {count} tasks"
        time.sleep(0.01)


def test_restore_while_another_process_holds_the_database_and_reads(tmp_path):
    from tests.reliability.workers import holding_reader

    path = tmp_path / "planner.db"
    ctx = make_context(f"sqlite:///{path}")
    _add(path, "kept", KEPT)
    smaller = database.backup(ctx, tmp_path / "kept.db")
    _add(path, "later", LATER)
    larger = database.backup(ctx, tmp_path / "all.db")

    spawn = multiprocessing.get_context("spawn")
    last_count, stop, results = spawn.Value("i", -1), spawn.Event(), spawn.Queue()
    reader = spawn.Process(target=holding_reader, args=(str(path), last_count, stop, results))
    reader.start()
    try:
        _wait_until_seen(last_count, KEPT + LATER)
        _planner(path, "db", "restore", "--yes", str(smaller))
        _wait_until_seen(last_count, KEPT)
        _planner(path, "db", "restore", "--yes", str(larger))
        _wait_until_seen(last_count, KEPT + LATER)
    finally:
        stop.set()
    seen = results.get(timeout=60)
    reader.join(timeout=30)
    assert reader.exitcode == 0
    assert seen["errors"] == []
    assert seen["integrity"] == ["ok"]
    assert set(seen["snapshots"]) == {f"{KEPT + LATER} kept+later", f"{KEPT} kept"}
    assert database.check(ctx).ok
    assert queries.list_tasks(ctx).total == KEPT + LATER
    print(f"\nreader kept one connection through 2 restores: {sum(seen['snapshots'].values())} snapshots, "
          f"all whole ({seen['snapshots']})")
