"""The plan commands give the right answers in everyday cases: part-timers, load, slack, the Gantt."""

from __future__ import annotations


def test_part_time_people_can_be_leveled(planner):
    planner.ok("resource", "add", "lead", "--capacity", "0.5")
    planner.ok("project", "add", "ops", "--start", "2026-11-30")
    planner.ok("add", "A", "-p", "ops", "--duration", "2", "-a", "lead")
    planner.ok("add", "B", "-p", "ops", "--duration", "2", "-a", "lead")
    planner.ok("add", "C", "-p", "ops", "--duration", "1")
    planner.ok("assign", "3", "lead")
    assert [a["units"] for a in _assignments(planner)] == [0.5, 0.5, 0.5]
    leveled = planner.json("schedule", "ops", "--level")
    assert leveled["makespan_days"] == 5  # one task at a time, half a day each day
    assert sorted((t["es"], t["ef"]) for t in leveled["tasks"]) == [(0, 2), (2, 4), (4, 5)]


def test_rows_above_a_persons_capacity_are_leveled_at_the_capacity(planner):
    planner.ok("project", "add", "ops", "--start", "2026-11-30")
    planner.ok("add", "A", "-p", "ops", "--duration", "2", "-a", "lead")  # full time when assigned
    planner.ok("add", "B", "-p", "ops", "--duration", "2", "-a", "lead")
    planner.ok("resource", "edit", "lead", "--capacity", "0.5")
    assert planner.json("schedule", "ops", "--level")["makespan_days"] == 4


def test_impossible_demands_are_all_named_by_handle(planner):
    planner.ok("project", "add", "support", "--stream", "--reserve", "50%")
    planner.ok("add", "Tickets", "-p", "support", "-a", "ana")
    planner.ok("project", "add", "ops", "--start", "2026-11-30")
    planner.ok("add", "A", "-p", "ops", "--duration", "2", "-a", "ana")
    planner.ok("add", "B", "-p", "ops", "--duration", "2", "-a", "ana")
    result = planner("schedule", "ops", "--level")
    assert result.exit_code == 1
    message = result.stderr
    assert "#2 'A'" in message and "#3 'B'" in message and "of ana" in message
    assert "resource #" not in message and len(message.strip().splitlines()) == 1


def _assignments(planner):
    import sqlite3

    with sqlite3.connect(planner.db) as conn:
        return [{"units": row[0]} for row in conn.execute("SELECT units FROM assignment ORDER BY id")]


def test_imported_assignments_default_to_a_part_timers_capacity(planner, tmp_path):
    planner.ok("resource", "add", "lead", "--capacity", "0.5")
    source = tmp_path / "tasks.csv"
    source.write_text("title,assignees\nA,lead\nB,lead ana\n")
    planner.ok("import", "csv", str(source), "--project", "ops")
    assert [a["units"] for a in _assignments(planner)] == [0.5, 0.5, 1.0]
    people = {p["handle"]: p["capacity"] for p in planner.json("resource", "ls")}
    assert people == {"lead": 0.5, "ana": 1.0}  # the file did not say: the stored capacity stays
