"""build_digest on SQLite and PostgreSQL: the sections, their bounds, the team view."""

from __future__ import annotations

from datetime import date

import pytest

from planner.domain.errors import InvalidInputError, NotFoundError
from planner.services.digest.build import build_digest
from tests.conftest import TODAY, make_context
from tests.digest.conftest import YESTERDAY, build_scenario, mark_sent


def _section(sections, key):
    found = [section for section in sections if section.key == key]
    return found[0] if found else None


def _ids(section):
    return [line.task_id for line in section.lines] if section else []


def test_person_digest_has_each_section_with_the_right_tasks(database_url):
    s = build_scenario(database_url)
    digest = build_digest(make_context(database_url), user="ana", day=TODAY)
    keys = [section.key for section in digest.sections]
    assert keys == ["overdue", "due_today", "queue", "at_risk", "done", "changes"]  # nothing of Ana's is blocked
    assert _ids(_section(digest.sections, "overdue")) == [s.design, s.login]
    assert _ids(_section(digest.sections, "due_today")) == [s.notes]
    done = _section(digest.sections, "done")
    assert _ids(done) == [s.chore] and done.since == YESTERDAY
    assert digest.emails == ["ana@example.com"] and digest.log_kind == "person:ana"


def test_changes_since_the_previous_digest_are_new_slipped_reassigned_and_deadlines(database_url):
    s = build_scenario(database_url)
    digest = build_digest(make_context(database_url), user="ana", day=TODAY)
    assert digest.since_previous_digest
    changes = {(line.kind, line.task_id): line for line in _section(digest.sections, "changes").lines}
    # the tasks made before yesterday's digest are not "new"; the two due moves collapse into one slip
    assert set(changes) == {("new", s.review), ("slipped", s.login), ("reassigned", s.qa), ("deadline", None)}
    slip = changes[("slipped", s.login)]
    assert (slip.before, slip.after, slip.actors) == ("2026-11-20", "2026-11-23", ["bo"])
    handover = changes[("reassigned", s.qa)]
    assert (handover.before, handover.after) == ("bo", "ana")
    deadline = changes[("deadline", None)]
    assert (deadline.project, deadline.before, deadline.after, deadline.actors) == ("web", "2026-12-04",
                                                                                    "2026-12-09", ["lead"])


def test_own_changes_are_not_news_to_oneself(database_url):
    s = build_scenario(database_url)
    digest = build_digest(make_context(database_url), user="bo", day=TODAY)
    changes = _section(digest.sections, "changes")
    # Bo never had a digest: the last day counts. He made the slip, the new task and the hand-over himself;
    # only what the lead did is news to him
    assert not digest.since_previous_digest
    assert [(line.kind, line.task_id) for line in changes.lines] == [("new", s.build), ("deadline", None)]
    blocked = _section(digest.sections, "blocked")
    assert _ids(blocked) == [s.build]
    assert [(b.task_id, b.assignees) for b in blocked.lines[0].blockers] == [(s.design, ["ana"])]


def test_a_later_digest_bounds_the_changes(database_url):
    build_scenario(database_url)
    mark_sent(database_url, "ana@example.com", TODAY, "person:ana")
    digest = build_digest(make_context(database_url), user="ana", day=date(2026, 11, 26))
    assert _section(digest.sections, "changes") is None


def test_milestones_at_risk_say_how_late(database_url):
    s = build_scenario(database_url)
    digest = build_digest(make_context(database_url), user="ana", day=TODAY)
    risk = _section(digest.sections, "at_risk").lines
    # the milestone, then the release notes due today that ana's leveled plan (overdue work first) cannot fit
    assert [line.task_id for line in risk] == [s.launch, s.notes]
    assert risk[1].title == "Write release notes (ana)" and risk[1].deadline == TODAY
    # overdue design is rescheduled from today (Wed 25 - Fri 27 Nov), then build 8 days: Launch ends Wed 9 Dec
    assert risk[0].deadline == date(2026, 12, 1)
    assert risk[0].planned_finish == date(2026, 12, 9) and risk[0].planned_late_days == 6  # Wed 2 .. Wed 9


def test_team_digest_is_per_person_with_shared_risks_and_changes(database_url):
    s = build_scenario(database_url)
    digest = build_digest(make_context(database_url), team=True, day=TODAY)
    assert digest.kind == "team" and digest.log_kind == "team"
    assert [section.key for section in digest.sections] == ["at_risk", "changes"]
    people = {person.handle: person for person in digest.people}
    assert set(people) == {"ana", "bo"}
    assert _ids(_section(people["bo"].sections, "blocked")) == [s.build]
    assert _ids(_section(people["ana"].sections, "overdue")) == [s.design, s.login]
    assert sorted(digest.emails) == ["ana@example.com", "bo@example.com"]
    # the team's previous digest bounds the team's changes: all four kinds, by whoever made them
    assert {line.kind for line in digest.sections[1].lines} == {"new", "slipped", "reassigned", "deadline"}


def test_named_team_covers_only_its_members(database_url):
    from planner.services.people.teams import add_to_team

    build_scenario(database_url)
    ctx = make_context(database_url)
    add_to_team(ctx, "platform", ["bo"])
    digest = build_digest(ctx, team="platform", day=TODAY)
    assert [person.handle for person in digest.people] == ["bo"] and digest.log_kind == "team:platform"


def test_unassigned_overdue_work_shows_in_the_team_digest(database_url):
    from planner.services.people.resources import add_resource
    from planner.services.tasks.operations import TaskDraft, add_task

    ctx = make_context(database_url)
    add_resource(ctx, "ana", email="ana@example.com")
    orphan = add_task(ctx, TaskDraft("Nobody's job", due=date(2026, 11, 2))).task_id
    digest = build_digest(ctx, team=True, day=TODAY)
    unassigned = [person for person in digest.people if person.handle == "unassigned"]
    assert unassigned and _ids(_section(unassigned[0].sections, "overdue")) == [orphan]


def test_monday_digest_reports_what_was_done_since_friday(database_url):
    from planner.services.people.resources import add_resource
    from planner.services.tasks.operations import TaskDraft, add_task, complete_task

    add_resource(make_context(database_url), "ana")
    ids = {}
    for day in (date(2026, 11, 26), date(2026, 11, 27), date(2026, 11, 28)):  # Thu, Fri, Sat
        ctx = make_context(database_url, today=day)
        ids[day] = add_task(ctx, TaskDraft(f"Done {day}", assignees=["ana"])).task_id
        complete_task(ctx, ids[day])
    digest = build_digest(make_context(database_url), user="ana", day=date(2026, 11, 30))
    done = _section(digest.sections, "done")
    assert done.since == date(2026, 11, 27)
    assert _ids(done) == [ids[date(2026, 11, 27)], ids[date(2026, 11, 28)]]


def test_a_person_with_nothing_going_on_gets_an_empty_digest(database_url):
    from planner.services.people.resources import add_resource

    ctx = make_context(database_url)
    add_resource(ctx, "cy")
    digest = build_digest(ctx, user="cy", day=TODAY)
    assert digest.empty and digest.sections == []


def test_unknown_person_and_both_scopes_are_refused(sqlite_ctx):
    with pytest.raises(NotFoundError, match="resource add nobody"):
        build_digest(sqlite_ctx, user="nobody")
    with pytest.raises(InvalidInputError, match="not both"):
        build_digest(sqlite_ctx, user="ana", team=True)
