"""Earned value: finished work earns its budget, not its actual duration."""

from __future__ import annotations

from datetime import date

from planner.services.planning.progress import project_progress
from planner.services.people.resources import add_resource
from planner.services.planning.projects import add_project
from planner.services.tasks.operations import TaskDraft, add_task, complete_task


def test_a_task_finished_early_earns_its_whole_budget(ctx):
    add_project(ctx, "web", start=date(2026, 11, 25))
    a = add_task(ctx, TaskDraft("A", project="web", duration_days=3)).task_id
    add_task(ctx, TaskDraft("B", project="web", duration_days=2, after=[a]))
    complete_task(ctx, a)  # done on its first day: one actual day instead of three
    progress = project_progress(ctx, "web", runs=20)
    assert progress.earned_value_hours == 24.0  # 3 days x 8 h, not 1 day x 8 h
    assert progress.percent_complete == 60.0  # 24 of 40 budgeted hours


def test_budget_counts_estimates_and_assigned_units(ctx):
    add_project(ctx, "web", start=date(2026, 11, 25))
    add_resource(ctx, "ana")
    add_resource(ctx, "bo")
    a = add_task(ctx, TaskDraft("A", project="web", duration_days=2, assignees=["ana", "bo"])).task_id
    add_task(ctx, TaskDraft("B", project="web", estimate_hours=8, after=[a]))
    complete_task(ctx, a)
    progress = project_progress(ctx, "web", runs=20)
    assert progress.earned_value_hours == 32.0  # 2 days x 8 h x 2 people
    assert progress.percent_complete == 80.0


def test_a_done_milestone_is_shown_done(ctx):
    add_project(ctx, "web", start=date(2026, 11, 25))
    launch = add_task(ctx, TaskDraft("Launch", project="web", milestone=True)).task_id
    add_task(ctx, TaskDraft("Later", project="web", duration_days=2))
    complete_task(ctx, launch)
    milestone = project_progress(ctx, "web", runs=20).milestones[0]
    assert milestone.percent_complete == 100.0
