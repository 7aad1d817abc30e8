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
    planner.ok("resource", "add", "lead")
    planner.ok("project", "add", "ops", "--start", "2026-11-30")
    planner.ok("add", "A", "-p", "ops", "--duration", "2", "-a", "lead")  # full time when assigned
    planner.ok("add", "B", "-p", "ops", "--duration", "2", "-a", "lead")
    planner.ok("resource", "edit", "lead", "--capacity", "0.5")
    assert planner.json("schedule", "ops", "--level")["makespan_days"] == 4


def test_impossible_demands_are_all_named_by_handle(planner):
    planner.ok("resource", "add", "ana")
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


def _week(planner, *args, person="ana", week="2026-11-30"):
    found = [w for w in planner.json("load", "--from", "2026-11-30", "--to", "2026-12-20", *args)
             if w["person"] == person and w["week"] == week]
    return found[0]


def test_load_spreads_the_estimate_not_whole_days(planner):
    planner.ok("resource", "add", "ana")
    planner.ok("project", "add", "ops", "--start", "2026-11-30")
    planner.ok("add", "Audit", "-p", "ops", "--duration", "4", "--estimate", "16h", "-a", "ana")
    assert _week(planner)["planned_hours"] == 16.0


def test_load_level_follows_the_leveled_schedule_around_a_vacation(planner):
    planner.ok("resource", "add", "ana")
    planner.ok("project", "add", "ops", "--start", "2026-11-30")
    planner.ok("add", "A", "-p", "ops", "--duration", "5", "-a", "ana")
    planner.ok("add", "B", "-p", "ops", "--duration", "5", "-a", "ana")
    planner.ok("resource", "vacation", "ana", "2026-12-07", "2026-12-11")
    assert _week(planner)["over"] and _week(planner)["planned_hours"] == 80.0
    leveled = {week: _week(planner, "--level", week=week) for week in ("2026-11-30", "2026-12-07", "2026-12-14")}
    assert [leveled[w]["planned_hours"] for w in sorted(leveled)] == [40.0, 0.0, 40.0]
    assert not any(w["over"] for w in leveled.values())
    starts = sorted(t["start"] for t in planner.json("schedule", "ops", "--level")["tasks"])
    assert starts == ["2026-11-30", "2026-12-14"]  # the load agrees with the leveled schedule


def test_load_counts_stream_reservations_as_the_queue_does(planner):
    planner.ok("resource", "add", "ana")
    planner.ok("project", "add", "support", "--stream", "--reserve", "20%")
    planner.ok("add", "Tickets", "-p", "support", "-a", "ana")
    planner.ok("project", "add", "ops", "--start", "2026-11-30")
    planner.ok("add", "A", "-p", "ops", "--duration", "5", "--estimate", "36h", "-a", "ana")
    week = _week(planner)
    assert (week["planned_hours"], week["reserved_hours"], week["over"]) == (36.0, 8.0, True)
    assert planner.json("queue", "--user", "ana", "--date", "2026-11-30")["capacity"]["reserved_hours"] == 1.6
    assert "36+8/40h !" in planner.ok("load", "--from", "2026-11-30", "--to", "2026-12-06")


def test_load_gives_a_solo_users_unassigned_work_to_them(planner):
    planner.ok("project", "add", "home", "--start", "2026-11-30")
    planner.ok("add", "Paint the fence", "-p", "home", "--duration", "2", "--estimate", "6h")
    assert _week(planner, person="tester")["planned_hours"] == 6.0
    assert [e["title"] for e in planner.json("queue", "--date", "2026-11-30")["entries"]] == ["Paint the fence"]
