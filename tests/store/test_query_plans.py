"""The queue's and digest's id-list queries are driven by the id list, never by every task (EXPLAIN on both backends).

A query that filters one table by a list of ids and joins ``task`` is
quadratic when the database starts from all open tasks and probes the list
for each: 5.8 s of a 6.2 s ``planner queue`` on a Taskwarrior-shaped store.
The stores here are imports whose planner statistics are dropped, as on a store
written before Planner kept them.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from planner.services.digest.build import build_digest
from planner.services.interchange.files import import_file
from planner.services.people.resources import add_resource
from planner.services.queue.daily import daily_queue
from planner.store import dbapi
from tests.conftest import TODAY

_IN_LIST = re.compile(r"\b(\w+)\.\w+ IN \(\?")
_TASK_ALIAS = re.compile(r"\btask (\w+)\b")


@pytest.fixture(autouse=True)
def _cache_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(tmp_path / "cache"))


def _taskwarrior_file(tmp_path, count: int = 1500):
    """Pending tasks in 8 projects with tags and some due dates, no links, as Taskwarrior exports them."""
    items = []
    for index in range(count):
        item = {"uuid": f"00000000-0000-4000-8000-{index:012d}", "description": f"task {index}",
                "status": "pending", "project": f"proj{index % 8}", "entry": "20261101T000000Z"}
        if index % 3 == 0:
            item["due"] = (TODAY + timedelta(days=index % 40)).strftime("%Y%m%dT230000Z")
        if index % 4 == 0:
            item["tags"] = ["docs"]
        items.append(item)
    path = tmp_path / "tw.json"
    path.write_text("[\n" + ",\n".join(json.dumps(item) for item in items) + "\n]\n")
    return path


def _forget_statistics(ctx) -> None:
    """Drop the planner statistics the import left, as on a store written before they were kept."""
    with ctx.reader() as conn:
        if conn.dialect == "sqlite":
            conn.rows("DROP TABLE IF EXISTS sqlite_stat1")
            return
        tables = "'task'::regclass, 'dependency'::regclass, 'assignment'::regclass, 'project'::regclass"
        conn.raw.execute(f"DELETE FROM pg_statistic WHERE starelid IN ({tables})")
        conn.raw.execute(f"UPDATE pg_class SET reltuples = -1, relpages = 0 WHERE oid IN ({tables})")


def _traced(monkeypatch) -> list[tuple[str, tuple]]:
    """Every statement the read side runs from now on, with its parameters."""
    seen: list[tuple[str, tuple]] = []
    for name in ("rows", "one"):
        original = getattr(dbapi.ReadConnection, name)

        def wrapper(self, sql, params=(), _original=original):  # noqa: ANN001
            seen.append((sql, tuple(params)))
            return _original(self, sql, params)

        monkeypatch.setattr(dbapi.ReadConnection, name, wrapper)
    return seen


def sqlite_loop_order_problem(conn: dbapi.ReadConnection, sql: str, params: tuple) -> str | None:
    """Why this plan scans tasks around the id list's lookups, or None when the id list drives.

    EXPLAIN QUERY PLAN lists a join's loops outermost first; the table the
    ``IN (?, ...)`` list filters must not sit inside a loop over ``task``.
    """
    listed = set(_IN_LIST.findall(sql))
    tasks = set(_TASK_ALIAS.findall(sql)) - listed
    loops = [detail for _, parent, _, detail in conn.rows(f"EXPLAIN QUERY PLAN {sql}", params)
             if parent == 0 and detail.split()[0] in ("SCAN", "SEARCH")]
    outer_tasks: list[str] = []
    for detail in loops:
        alias = detail.split()[1]
        if alias in listed:
            return f"loops over task {outer_tasks} probe the id list: {loops}" if outer_tasks else None
        if alias in tasks and "PRIMARY KEY" not in detail:
            outer_tasks.append(detail)
    return None


def postgres_loop_order_problem(conn: dbapi.ReadConnection, sql: str, params: tuple) -> str | None:
    """Why this plan probes the id list once per task row, or None (EXPLAIN in PostgreSQL's JSON)."""
    plan = conn.scalar(f"EXPLAIN (FORMAT JSON) {sql}", params)
    plan = json.loads(plan) if isinstance(plan, str) else plan

    def scans_task(node: dict) -> bool:
        return node.get("Relation Name") == "task" or any(scans_task(child) for child in node.get("Plans", ()))

    def probes_list(node: dict) -> bool:
        own = " ".join(str(node.get(key, "")) for key in ("Index Cond", "Filter", "Recheck Cond"))
        return "ANY" in own or any(probes_list(child) for child in node.get("Plans", ()))

    def walk(node: dict) -> str | None:
        children = node.get("Plans", [])
        if node.get("Node Type") == "Nested Loop" and len(children) == 2:
            outer, inner = children
            if scans_task(outer) and not probes_list(outer) and probes_list(inner):
                return f"a loop over task probes the id list per row: {json.dumps(node)[:600]}"
        for child in children:
            found = walk(child)
            if found:
                return found
        return None

    return walk(plan[0]["Plan"])


def _problems(conn: dbapi.ReadConnection, statements: list[tuple[str, tuple]]) -> list[str]:
    check = sqlite_loop_order_problem if conn.dialect == "sqlite" else postgres_loop_order_problem
    found = []
    for sql, params in statements:
        if _IN_LIST.search(sql) and " task " in sql:
            problem = check(conn, sql, params)
            if problem:
                found.append(f"{sql[:200]}: {problem}")
    return found


def test_queue_and_digest_id_list_queries_never_loop_over_every_task(ctx, tmp_path, monkeypatch):
    import_file(ctx, "taskwarrior", _taskwarrior_file(tmp_path))
    add_resource(ctx, "tester", name="Tester", email="tester@example.com")
    _forget_statistics(ctx)
    seen = _traced(monkeypatch)
    queue = daily_queue(ctx, day=TODAY)
    build_digest(ctx, day=TODAY)
    monkeypatch.undo()
    assert len(queue.items) == 1500
    listed = [(sql, params) for sql, params in seen if _IN_LIST.search(sql) and " task " in sql]
    assert any("FROM dependency d" in sql for sql, _ in listed), "the successor count was not among the queries"
    _forget_statistics(ctx)  # PRAGMA optimize kept them as the queue's connections closed
    with ctx.reader() as conn:
        assert _problems(conn, listed) == []


def test_the_check_catches_the_quadratic_successor_count(ctx, tmp_path):
    """The old statement (task joined, id list on the link) is flagged on a store without statistics."""
    import_file(ctx, "taskwarrior", _taskwarrior_file(tmp_path))
    _forget_statistics(ctx)
    with ctx.reader() as conn:
        ids = tuple(int(row[0]) for row in conn.rows("SELECT id FROM task ORDER BY id LIMIT 500"))
        if conn.dialect == "postgresql":
            for setting in ("enable_hashjoin", "enable_mergejoin", "enable_material"):
                conn.raw.execute(f"SET {setting} = off")  # leave the planner only the nested loop to judge
        old = ("SELECT d.predecessor_id, count(*) FROM dependency d JOIN task s ON s.id = d.successor_id "
               f"WHERE s.completed_at IS NULL AND d.predecessor_id IN ({', '.join('?' for _ in ids)}) "
               "GROUP BY d.predecessor_id")
        assert _problems(conn, [(old, ids)]) != []


def test_imports_leave_planner_statistics_behind(sqlite_ctx, tmp_path):
    import_file(sqlite_ctx, "taskwarrior", _taskwarrior_file(tmp_path, count=300))
    with sqlite_ctx.reader() as conn:
        analyzed = {row[0] for row in conn.rows("SELECT tbl FROM sqlite_stat1")}
    assert {"task", "tasktag", "project"} <= analyzed  # ANALYZE leaves no row for an empty table


def _queue_read_steps(ctx) -> tuple[int, int]:
    """(candidates, SQLite VM steps in thousands) of the queue's candidate and successor queries, without stats."""
    from planner.store.queue_views import candidates, open_successor_counts, person

    with ctx.reader() as conn:
        conn.rows("DROP TABLE IF EXISTS sqlite_stat1")  # as a store written before statistics were kept
    with ctx.reader() as conn:
        counter = [0]

        def tick() -> int:
            counter[0] += 1
            return 0

        conn.raw.set_progress_handler(tick, 1000)
        found = candidates(conn, person(conn, "tester"), TODAY)
        open_successor_counts(conn, [row.id for row in found])
        return len(found), counter[0]


def test_the_queue_reads_grow_linearly_on_a_store_shaped_like_taskwarriors(sqlite_ctx, tmp_path):
    """Not a timing: SQLite's VM steps for 3x the open tasks stay within 3x (times a margin), not 9x."""
    import_file(sqlite_ctx, "taskwarrior", _taskwarrior_file(tmp_path, count=600))
    small_tasks, small_steps = _queue_read_steps(sqlite_ctx)
    import_file(sqlite_ctx, "taskwarrior", _taskwarrior_file(tmp_path, count=1800))
    large_tasks, large_steps = _queue_read_steps(sqlite_ctx)
    assert (small_tasks, large_tasks) == (600, 1800)
    assert large_steps < small_steps * 3 * 1.5, (small_steps, large_steps)
