"""The daily queue on SQLite and PostgreSQL: candidates, ranking with slack, the capacity cut, day plans."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from planner.config import Settings
from planner.domain.errors import InvalidInputError, NotFoundError
from planner.services.queue import daily as q
from planner.services.people.calendars import add_vacation
from planner.services.tasks.dependencies import add_dependency
from planner.services.planning.projects import add_project
from planner.services.people.resources import add_resource
from planner.services.tasks.operations import TaskDraft, add_task, complete_task, snooze_task
from planner.services.people.teams import add_to_team
from planner.services.flow.timetracking import log_time, start_timer
from tests.conftest import TODAY, make_context


@pytest.fixture(autouse=True)
def _cache_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(tmp_path / "cache"))


def _add(ctx, title: str, project: str = "web", who: str | None = "tester", **fields) -> int:
    return add_task(ctx, TaskDraft(title, project=project, assignees=[who] if who else [], **fields)).task_id


def _ids(ctx, **options) -> list[int]:
    return [item.task_id for item in q.daily_queue(ctx, **options).items]


def _by_id(ctx, **options) -> dict[int, q.QueueItem]:
    return {item.task_id: item for item in q.daily_queue(ctx, **options).items}


def test_a_critical_path_task_outranks_a_priority_3_task_with_ten_days_of_slack(ctx):
    add_project(ctx, "launch", start=TODAY, deadline=date(2026, 11, 26))
    add_project(ctx, "web", start=TODAY)
    critical = _add(ctx, "Finish the launch build", project="launch", duration_days=2)
    add_resource(ctx, "ana")
    _add(ctx, "Long research", who="ana", duration_days=15)  # the web project runs three weeks
    relaxed = _add(ctx, "Polish the footer", priority=3, duration_days=1, due=date(2026, 12, 9))
    items = _by_id(ctx)
    assert items[critical].entry.scored.candidate.critical
    assert items[critical].entry.scored.candidate.slack_days == 0
    assert items[relaxed].entry.scored.candidate.slack_days == 10
    assert _ids(ctx) == [critical, relaxed]
    factors = items[critical].to_json()["factors"]
    assert factors["slack"]["points"] > factors["priority"]["points"] == 0


def test_a_blocked_task_is_absent_until_its_predecessor_is_done(ctx):
    first = _add(ctx, "Design")
    second = _add(ctx, "Build")
    add_dependency(ctx, first, second)
    assert _ids(ctx) == [first]
    complete_task(ctx, first)
    assert _ids(ctx) == [second]


def test_a_snoozed_task_returns_on_its_date(ctx):
    task_id = _add(ctx, "Call the bank")
    snooze_task(ctx, task_id, date(2026, 11, 27))
    assert task_id not in _ids(ctx)
    assert task_id not in _ids(ctx, day=date(2026, 11, 26))
    assert task_id in _ids(ctx, day=date(2026, 11, 27))
    assert task_id in _ids(make_context(ctx.settings.database_url, today=date(2026, 11, 27)))
    with pytest.raises(InvalidInputError, match="later day"):
        snooze_task(ctx, task_id, TODAY)


def test_the_capacity_cut_moves_when_time_is_clocked(ctx):
    ids = [_add(ctx, f"Task {n}", estimate_hours=3, priority=3 - n) for n in range(3)]
    fits = lambda: [item.entry.fits for item in q.daily_queue(ctx).items]  # noqa: E731
    assert _ids(ctx) == ids and fits() == [True, True, False]
    ctx.now_override = datetime.combine(TODAY, datetime.min.time()) + timedelta(hours=15)
    log_time(ctx, ids[0], 2.5)
    queue = q.daily_queue(ctx).queues[0]
    assert queue.capacity.clocked_hours == pytest.approx(2.5) and queue.capacity.remaining_hours == pytest.approx(5.5)
    assert fits() == [True, False, False]


def test_a_running_timer_counts_as_clocked_time(ctx):
    task_id = _add(ctx, "Long one", estimate_hours=6)
    ctx.now_override = datetime.combine(TODAY, datetime.min.time()) + timedelta(hours=9)
    start_timer(ctx, task_id)
    ctx.now_override += timedelta(hours=3)
    capacity = q.daily_queue(ctx).queues[0].capacity
    assert capacity.clocked_hours == pytest.approx(3) and capacity.remaining_hours == pytest.approx(5)


def test_a_pinned_task_stays_first(ctx):
    urgent = _add(ctx, "Urgent", priority=3, due=TODAY)
    minor = _add(ctx, "Minor")
    other = _add(ctx, "Other", priority=1)
    assert _ids(ctx)[0] == urgent
    assert q.pin(ctx, [minor]) == [minor]
    queue = q.daily_queue(ctx).queues[0]
    assert [item.task_id for item in queue.items] == [minor, urgent, other]
    assert queue.items[0].entry.pinned and not queue.items[1].entry.pinned
    _add(ctx, "Even more urgent", priority=3, due=TODAY - timedelta(days=3))
    assert _ids(ctx)[0] == minor
    assert _ids(ctx, day=TODAY + timedelta(days=1))[0] != minor  # a plan is for one day
    q.order(ctx, [other, minor])
    assert _ids(ctx)[:2] == [other, minor]
    assert q.unpin(ctx, [other]) == [minor]
    assert q.clear(ctx) == 1
    assert _ids(ctx)[0] != minor


def test_pins_are_per_person(ctx):
    mine = _add(ctx, "Mine")
    q.pin(ctx, [mine], person="ana")
    assert not q.daily_queue(ctx).queues[0].items[0].entry.pinned


def test_done_tasks_cannot_be_planned(ctx):
    task_id = _add(ctx, "Done already")
    complete_task(ctx, task_id)
    with pytest.raises(InvalidInputError, match="done"):
        q.pin(ctx, [task_id])


def test_candidates_are_mine_or_unassigned_in_my_streams(ctx):
    add_project(ctx, "support", kind="stream")
    add_resource(ctx, "bo")
    mine = _add(ctx, "Mine")
    theirs = _add(ctx, "Theirs", who="bo")
    my_ticket = _add(ctx, "My ticket", project="support")
    open_ticket = _add(ctx, "Open ticket", project="support", who=None)
    milestone = _add(ctx, "Release", milestone=True)
    parent = _add(ctx, "Epic")
    child = add_task(ctx, TaskDraft("Child", project="web", parent_id=parent, assignees=["tester"])).task_id
    later = _add(ctx, "Not yet", start_no_earlier=TODAY + timedelta(days=2))
    assert set(_ids(ctx)) == {mine, my_ticket, open_ticket, child}
    assert set(_ids(ctx, person="bo")) == {theirs}
    assert theirs not in _ids(ctx) and milestone not in _ids(ctx) and later not in _ids(ctx)


def test_unowned_work_is_everyones(ctx):
    task_id = add_task(ctx, TaskDraft("Solo inbox task")).task_id
    assert _ids(ctx) == [task_id]


def test_a_recurring_instance_joins_on_its_due_date(ctx):
    result = add_task(ctx, TaskDraft("Weekly report", project="content", recur="every friday",
                                     assignees=["tester"]))
    assert result.task_id not in _ids(ctx)
    assert result.task_id in _ids(ctx, day=date(2026, 11, 27))


def test_stream_reservations_and_capacity_units_shrink_the_day(ctx):
    add_project(ctx, "support", kind="stream", reserve_percent=25)
    _add(ctx, "Ticket", project="support")
    from planner.services.people.resources import edit_resource

    edit_resource(ctx, "tester", capacity=0.5)
    capacity = q.daily_queue(ctx).queues[0].capacity
    assert capacity.calendar_hours == 4 and capacity.reserved_hours == 1 and capacity.remaining_hours == 3
    assert capacity.to_json()["reservations"] == [{"stream": "support", "percent": 25.0}]


def test_days_off_have_no_capacity(ctx):
    _add(ctx, "Something", estimate_hours=1)
    add_vacation(ctx, "tester", date(2026, 11, 26), date(2026, 11, 26))
    assert q.daily_queue(ctx, day=date(2026, 11, 26)).queues[0].capacity.remaining_hours == 0
    saturday = q.daily_queue(ctx, day=date(2026, 11, 28)).queues[0]
    assert not saturday.capacity.working_day and not saturday.items[0].entry.fits


def test_a_team_queue_shows_each_entry_with_its_person(ctx):
    add_to_team(ctx, "design", ["ana", "bo"], create=True)
    first = _add(ctx, "Mockups", who="ana")
    second = _add(ctx, "Icons", who="bo")
    daily = q.daily_queue(ctx, team="design")
    assert [(item.person, item.task_id) for item in daily.items] == [("ana", first), ("bo", second)]
    data = daily.to_json()
    assert data["team"] == "design" and [p["person"] for p in data["people"]] == ["ana", "bo"]
    assert [e["person"] for e in data["entries"]] == ["ana", "bo"]


def test_queue_json_carries_score_factors_and_fit(ctx):
    _add(ctx, "Write spec", estimate_hours=2, priority=2, due=TODAY + timedelta(days=1))
    data = q.daily_queue(ctx).to_json()
    entry = data["entries"][0]
    assert set(entry["factors"]) == {"due", "slack", "priority", "unblocks", "in_progress", "age"}
    assert entry["fits"] is True and entry["cumulative_hours"] == 2 and entry["score"] > 0
    assert entry["factors"]["due"]["reason"] == "due tomorrow"
    assert data["capacity"]["remaining_hours"] == 8 and data["person"] == "tester"


def test_weights_come_from_the_config(ctx):
    add_project(ctx, "launch", start=TODAY, deadline=date(2026, 11, 26))
    critical = _add(ctx, "Critical", project="launch", duration_days=2)
    loud = _add(ctx, "Loud", priority=3)
    assert _ids(ctx) == [critical, loud]
    from planner.services.context import Context

    tuned = Context.from_settings(Settings(database_url=ctx.settings.database_url, user="tester",
                                           ranking={"priority": 100}), today=TODAY)
    assert _ids(tuned) == [loud, critical]
    wrong = Context.from_settings(Settings(database_url=ctx.settings.database_url, user="tester",
                                           ranking={"loudness": 1}), today=TODAY)
    with pytest.raises(InvalidInputError, match="unknown ranking weight"):
        q.daily_queue(wrong)


def test_unknown_people_and_teams_are_reported(ctx):
    with pytest.raises(NotFoundError, match="no person 'zed'"):
        q.daily_queue(ctx, person="zed")
    with pytest.raises(NotFoundError, match="no team"):
        q.daily_queue(ctx, team="ghosts")
    with pytest.raises(InvalidInputError, match="not both"):
        q.daily_queue(ctx, person="tester", team="ghosts")


def test_a_first_queue_schedules_only_the_projects_holding_its_candidates(ctx, monkeypatch):
    """A large store's first queue need not schedule every project: the person's projects, then others as asked."""
    from planner.services.queue import slack as cache
    from planner.services.planning.schedule import open_task_slack

    scheduled: list[set[int]] = []
    real = cache._schedule_projects
    monkeypatch.setattr(cache, "_schedule_projects",
                        lambda c, conn, projects, per: scheduled.append(set(projects)) or real(c, conn, projects, per))
    monkeypatch.setattr(cache, "_schedule_all", lambda *args: pytest.fail("scheduled every project"))
    add_resource(ctx, "ana", name="Ana", email="ana@example.com")
    add_project(ctx, "mine", start=TODAY, deadline=date(2026, 12, 4))
    add_project(ctx, "hers", start=TODAY, deadline=date(2026, 12, 1))
    mine = _add(ctx, "Mine", project="mine", duration_days=2)
    hers = _add(ctx, "Hers", project="hers", who="ana", duration_days=1)
    fresh = {k: (v.slack_days, v.critical) for k, v in open_task_slack(ctx).items()}
    mine_id, hers_id = (lookup_project(ctx, key) for key in ("mine", "hers"))

    assert q.daily_queue(ctx).queues[0].items[0].entry.scored.candidate.slack_days == fresh[mine][0]
    assert scheduled == [{mine_id}]
    ana = q.daily_queue(ctx, person="ana").queues[0].items[0].entry.scored.candidate
    assert (ana.task_id, ana.slack_days) == (hers, fresh[hers][0])
    assert scheduled == [{mine_id}, {hers_id}]
    q.daily_queue(ctx)
    q.daily_queue(ctx, person="ana")
    assert len(scheduled) == 2  # both known now: from the cache


def lookup_project(ctx, key: str) -> int:
    with ctx.reader() as conn:
        return int(conn.scalar("SELECT id FROM project WHERE key = ?", [key]))


def test_cached_slack_follows_every_change(ctx, monkeypatch):
    """The slack cache is brought up to date project by project and always equals a fresh schedule."""
    from planner.services.queue import slack as cache
    from planner.services.queue.slack import queue_slack
    from planner.services.planning.schedule import open_task_slack

    full_runs = []
    schedule_all = cache._schedule_all
    monkeypatch.setattr(cache, "_schedule_all", lambda *args: full_runs.append(1) or schedule_all(*args))

    def fresh():
        return {k: (v.slack_days, v.critical) for k, v in open_task_slack(ctx).items()
                if v.slack_days is not None or v.critical}

    def cached():
        with ctx.reader() as conn:
            return queue_slack(ctx, conn)

    add_project(ctx, "launch", start=TODAY, deadline=date(2026, 12, 4))
    add_project(ctx, "other", start=TODAY)
    a = _add(ctx, "A", project="launch", duration_days=3)
    b = _add(ctx, "B", project="launch", duration_days=2)
    c = _add(ctx, "C", project="other", duration_days=1, due=date(2026, 12, 2))
    # B can slip 6 working days before the project deadline (Fri 12-04, 8 working days away) is missed
    assert cached() == fresh() and cached()[b] == (6, False)
    add_dependency(ctx, a, b)
    assert cached() == fresh() and cached()[b] == (3, False)
    complete_task(ctx, a)
    assert cached() == fresh() and a not in cached()
    from planner.services.planning.projects import edit_project

    edit_project(ctx, "launch", deadline=date(2026, 11, 26))
    assert cached() == fresh() and cached()[b][0] < 0
    assert len(full_runs) == 1  # links, completions and project edits: only the touched project again
    add_vacation(ctx, "tester", TODAY, TODAY)  # a calendar change: everything is scheduled again
    assert cached() == fresh() and len(full_runs) == 2
    assert c in cached()
