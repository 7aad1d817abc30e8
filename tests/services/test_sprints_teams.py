"""Sprints with burndown data, and teams, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from planner.domain.errors import ConflictError, InvalidInputError, NotFoundError
from planner.services.planning.projects import add_project
from planner.services.flow.sprints import add_sprint, list_sprints, plan_into_sprint, remove_sprint, sprint_report
from planner.services.tasks.operations import TaskDraft, add_task, complete_task
from planner.services.people.teams import add_to_team, list_teams, remove_from_team, team_members
from tests.conftest import make_context


def test_burndown_counts_remaining_estimate_per_working_day(ctx):
    add_project(ctx, "web")
    ids = [add_task(ctx, TaskDraft(f"T{i}", project="web", estimate_hours=hours)).task_id
           for i, hours in enumerate((4, 6, 10))]
    add_sprint(ctx, "web", "Sprint 1", start=date(2026, 11, 23), end=date(2026, 12, 4))
    plan_into_sprint(ctx, "web", "Sprint 1", ids)
    complete_task(make_context(ctx.settings.database_url, today=date(2026, 11, 24)), ids[0])
    complete_task(ctx, ids[1])  # today, the 25th
    report = sprint_report(ctx, "web", "Sprint 1")
    assert report.total_hours == 20 and report.remaining_hours == 10
    days = [point.day for point in report.burndown]
    assert len(days) == 10 and date(2026, 11, 28) not in days  # working days only
    remaining = [point.remaining_hours for point in report.burndown]
    assert remaining[:3] == [20, 16, 10] and remaining[3:] == [None] * 7
    assert report.burndown[0].ideal_hours == 18 and report.burndown[-1].ideal_hours == 0
    data = report.to_json()
    assert data["burndown"][2] == {"day": "2026-11-25", "remaining_hours": 10, "ideal_hours": 14}
    assert [t["id"] for t in data["task_list"]] == ids


def test_unestimated_tasks_count_with_the_default_estimate(ctx):
    task_id = add_task(ctx, TaskDraft("Vague", project="web")).task_id
    add_sprint(ctx, "web", "S", start=date(2026, 11, 23), end=date(2026, 11, 27))
    plan_into_sprint(ctx, "web", "S", [task_id])
    assert sprint_report(ctx, "web", "S").total_hours == ctx.settings.default_estimate_hours


def test_sprint_rules(ctx):
    add_project(ctx, "web")
    other = add_task(ctx, TaskDraft("Elsewhere", project="ops")).task_id
    with pytest.raises(InvalidInputError, match="before it starts"):
        add_sprint(ctx, "web", "S", start=date(2026, 12, 4), end=date(2026, 11, 23))
    add_sprint(ctx, "web", "S", start=date(2026, 11, 23), end=date(2026, 12, 4))
    with pytest.raises(ConflictError):
        add_sprint(ctx, "web", "S", start=date(2026, 11, 23), end=date(2026, 12, 4))
    with pytest.raises(InvalidInputError, match="not in web"):
        plan_into_sprint(ctx, "web", "S", [other])
    with pytest.raises(NotFoundError, match="sprint ls web"):
        sprint_report(ctx, "web", "Nope")


def test_tasks_leave_a_sprint_and_sprints_can_be_removed(ctx):
    task_id = add_task(ctx, TaskDraft("A", project="web")).task_id
    add_sprint(ctx, "web", "S", start=date(2026, 11, 23), end=date(2026, 12, 4))
    assert plan_into_sprint(ctx, "web", "S", [task_id]).tasks == 1
    assert plan_into_sprint(ctx, "web", "S", [task_id], remove=True).tasks == 0
    plan_into_sprint(ctx, "web", "S", [task_id])
    assert [s.name for s in list_sprints(ctx, "web")] == ["S"]
    remove_sprint(ctx, "web", "S")
    assert list_sprints(ctx) == []


def test_team_add_creates_people_only_when_asked_and_is_idempotent(ctx):
    with pytest.raises(NotFoundError, match="resource add ana"):
        add_to_team(ctx, "design", ["ana"])
    assert add_to_team(ctx, "design", ["ana", "bo"], create=True).members == ["ana", "bo"]
    assert add_to_team(ctx, "design", ["bo", "cy"], create=True).members == ["ana", "bo", "cy"]
    assert team_members(ctx, "design") == ["ana", "bo", "cy"]
    assert remove_from_team(ctx, "design", ["bo"]).members == ["ana", "cy"]
    assert [t.to_json() for t in list_teams(ctx)] == [{"name": "design", "members": ["ana", "cy"]}]
    assert remove_from_team(ctx, "design") is None
    with pytest.raises(NotFoundError, match="team add"):
        team_members(ctx, "design")
