"""4 processes x 250 guarded edits plus a reader, on SQLite and PostgreSQL.

Every edit either lands or is reported stale; the final estimates equal the
sum of the landed edits; nothing else goes wrong.
"""

from __future__ import annotations

import multiprocessing

from planner.services import queries
from planner.services.tasks.operations import TaskDraft, add_task

WRITERS, EDITS_PER_WRITER, TASKS = 4, 250, 8


def test_concurrent_guarded_edits_are_never_lost(ctx, database_url, record_property):
    from tests.reliability.workers import edit_worker, read_worker

    task_ids = [add_task(ctx, TaskDraft(f"shared {i}", estimate_hours=0)).task_id for i in range(TASKS)]
    spawn = multiprocessing.get_context("spawn")
    results, stop = spawn.Queue(), spawn.Event()
    reader = spawn.Process(target=read_worker, args=(database_url, stop, results))
    writers = [spawn.Process(target=edit_worker, args=(database_url, task_ids, EDITS_PER_WRITER, seed, results))
               for seed in range(WRITERS)]
    reader.start()
    for process in writers:
        process.start()
    outcomes = [results.get(timeout=240) for _ in writers]
    stop.set()
    reading = results.get(timeout=60)
    for process in [*writers, reader]:
        process.join(timeout=30)
        assert process.exitcode == 0

    landed: dict[int, int] = {}
    for outcome in outcomes:
        for task_id, count in outcome["landed"].items():
            landed[task_id] = landed.get(task_id, 0) + count
    total_landed = sum(landed.values())
    total_stale = sum(o["stale"] for o in outcomes)
    assert sum(o["unhandled"] for o in outcomes) == 0
    assert total_landed + total_stale == WRITERS * EDITS_PER_WRITER
    assert total_landed > 0
    final = {task.id: task.estimate_hours for task in queries.list_tasks(ctx).tasks}
    assert final == {task_id: float(landed.get(task_id, 0)) for task_id in task_ids}
    assert reading["failures"] == 0 and reading["reads"] > 0
    record_property("landed", total_landed)
    record_property("stale", total_stale)
    print(f"\n{database_url.split(':')[0]}: {total_landed} edits landed, {total_stale} reported stale, "
          f"{reading['reads']} reads")
