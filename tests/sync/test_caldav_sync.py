"""Two-way sync with a real CalDAV server (Radicale), a phone-like second client changing things between syncs."""

from __future__ import annotations

from datetime import date

import pytest

from planner.domain.errors import PlannerError
from planner.services.planning.projects import add_project
from planner.services.queries import list_tasks, task_detail
from planner.services.sync.caldav import sync_caldav
from planner.services.sync.pairings import list_pairings, remove_pairing
from planner.services.tasks.dependencies import add_dependency
from planner.services.tasks.operations import TaskDraft, add_task, complete_task, delete_task, edit_task
from planner.services.undo import undo_last
from tests.sync.conftest import USER


def _open_titles(ctx, project: str = "home") -> list[str]:
    return sorted(task.title for task in list_tasks(ctx, [f"project:{project}"], limit=0).tasks)


def _sync(ctx, url: str, **options):
    (report,) = sync_caldav(ctx, url=url, project="home", user=USER, **options)
    return report


@pytest.fixture
def home(sync_ctx):
    add_project(sync_ctx, "home", name="Home")
    for title, due in (("Renew passport", date(2030, 2, 1)), ("Book dentist", None), ("Fix the bike light", None)):
        add_task(sync_ctx, TaskDraft(title, project="home", due=due, tags=["errands"], priority=2))
    return sync_ctx


def test_first_sync_sends_open_tasks_with_their_fields_and_a_second_sync_changes_nothing(home, calendar_url, phone):
    report = _sync(home, calendar_url)
    assert (report.created_there, report.created_here) == (3, 0)
    todos = phone.todos()
    assert sorted(todos) == ["Book dentist", "Fix the bike light", "Renew passport"]
    passport = todos["Renew passport"].icalendar_component
    assert passport.decoded("DUE") == date(2030, 2, 1)
    assert [str(c) for c in passport.get("CATEGORIES").cats] == ["errands"] and int(passport["PRIORITY"]) == 5
    again = _sync(home, calendar_url)
    assert again.changes == 0 and again.requests == 1  # the collection's ctag said nothing changed


def test_what_the_phone_completes_renames_and_adds_comes_back_and_a_local_rename_goes_out(home, calendar_url,
                                                                                            phone):
    _sync(home, calendar_url)
    todos = phone.todos()
    todos["Renew passport"].complete()
    dentist = todos["Book dentist"]
    dentist.icalendar_component["SUMMARY"] = "Book dentist for March"
    dentist.save()
    phone.add("Buy stamps (added on the phone)")
    report = _sync(home, calendar_url)
    assert (report.created_here, report.updated_here) == (1, 2)
    assert _open_titles(home) == ["Book dentist for March", "Buy stamps (added on the phone)", "Fix the bike light"]
    done = [t for t in list_tasks(home, ["project:home", "+done"], limit=0).tasks]
    assert [t.title for t in done] == ["Renew passport"]
    bike = next(t for t in list_tasks(home, ["project:home", "bike"]).tasks)
    edit_task(home, bike.id, {"title": "Fix the bike light before winter"})
    _sync(home, calendar_url)
    _sync(home, calendar_url)
    assert phone.summaries() == ["Book dentist for March", "Buy stamps (added on the phone)",
                                 "Fix the bike light before winter", "Renew passport"]


def test_deletions_travel_both_ways_and_undo_brings_a_task_back_everywhere(home, calendar_url, phone):
    _sync(home, calendar_url)
    phone.todos()["Book dentist"].delete()
    report = _sync(home, calendar_url)
    assert report.deleted_here == 1 and "Book dentist" not in _open_titles(home)
    undo_last(home)  # the sync's local changes are one command
    assert "Book dentist" in _open_titles(home)
    _sync(home, calendar_url)
    assert "Book dentist" in phone.summaries()
    bike = next(t for t in list_tasks(home, ["project:home", "bike"]).tasks)
    delete_task(home, bike.id)
    assert _sync(home, calendar_url).deleted_there == 1
    assert "Fix the bike light" not in phone.summaries()


def test_a_field_changed_on_both_sides_goes_to_the_later_change_and_is_reported(home, calendar_url, phone):
    _sync(home, calendar_url)
    bike = next(t for t in list_tasks(home, ["project:home", "bike"]).tasks)
    edit_task(home, bike.id, {"title": "Bike light (local)"})
    todo = phone.todos()["Fix the bike light"]
    todo.icalendar_component["SUMMARY"] = "Bike light (phone)"
    todo.icalendar_component.pop("LAST-MODIFIED", None)
    from datetime import datetime, timedelta, timezone

    todo.icalendar_component.add("LAST-MODIFIED", datetime.now(timezone.utc) + timedelta(hours=1))
    todo.save()
    report = _sync(home, calendar_url)
    assert any("title changed on both sides" in c and "server" in c for c in report.conflicts)
    assert "Bike light (phone)" in _open_titles(home)
    assert "Bike light (local)" not in phone.summaries() and "Bike light (phone)" in phone.summaries()


def test_a_field_changed_on_one_side_each_merges_both(home, calendar_url, phone):
    _sync(home, calendar_url)
    bike = next(t for t in list_tasks(home, ["project:home", "bike"]).tasks)
    edit_task(home, bike.id, {"due": date(2030, 5, 1)})
    todo = phone.todos()["Fix the bike light"]
    todo.icalendar_component["SUMMARY"] = "Fix both bike lights"
    todo.save()
    report = _sync(home, calendar_url)
    assert report.conflicts == []
    detail = task_detail(home, bike.id)
    assert (detail.task.title, detail.task.due) == ("Fix both bike lights", date(2030, 5, 1))
    assert phone.todos()["Fix both bike lights"].icalendar_component.decoded("DUE") == date(2030, 5, 1)


def test_dependencies_travel_as_related_to_depends_on(home, calendar_url, phone):
    tasks = {t.title: t.id for t in list_tasks(home, ["project:home"]).tasks}
    add_dependency(home, tasks["Book dentist"], tasks["Renew passport"])
    _sync(home, calendar_url)
    todos = phone.todos()
    related = todos["Renew passport"].icalendar_component.get("RELATED-TO")
    assert related is not None and related.params["RELTYPE"] == "DEPENDS-ON"
    assert str(related) == str(todos["Book dentist"].icalendar_component["UID"])


def test_a_recurring_chore_completed_on_the_phone_brings_its_next_instance_there(home, calendar_url, phone):
    add_task(home, TaskDraft("Water the plants", project="home", recur="every monday", due=date(2026, 11, 30)))
    _sync(home, calendar_url)
    chore = phone.todos()["Water the plants"]
    assert "RRULE" in chore.icalendar_component
    chore.complete()
    _sync(home, calendar_url)
    _sync(home, calendar_url)
    dues = sorted(t.icalendar_component.decoded("DUE") for t in phone.calendar.todos(include_completed=True)
                  if str(t.icalendar_component["SUMMARY"]) == "Water the plants")
    assert dues == [date(2026, 11, 30), date(2026, 12, 7)]


def test_a_dry_run_writes_nothing_on_either_side(home, calendar_url, phone):
    report = _sync(home, calendar_url, dry_run=True)
    assert report.created_there == 3 and phone.summaries() == [] and list_pairings(home) == []


def test_pairings_are_remembered_listed_and_forgotten(home, calendar_url):
    _sync(home, calendar_url)
    (pairing,) = list_pairings(home)
    assert (pairing.project, pairing.url, pairing.user) == ("home", calendar_url, USER)
    assert pairing.last_report["there"]["created"] == 3
    assert [r.project for r in sync_caldav(home)] == ["home"]  # every remembered pairing
    assert remove_pairing(home, "home") == 1 and list_pairings(home) == []
    with pytest.raises(PlannerError, match="not paired"):
        remove_pairing(home, "home")


def test_wrong_credentials_and_a_server_that_is_down_are_one_clear_error_and_change_nothing(home, calendar_url,
                                                                                            phone, monkeypatch):
    monkeypatch.setenv("PLANNER_CALDAV_PASSWORD", "wrong")
    with pytest.raises(PlannerError, match="refused the credentials of ana"):
        _sync(home, calendar_url)
    with pytest.raises(PlannerError, match="cannot reach the CalDAV server"):
        sync_caldav(home, url="http://127.0.0.1:9/nowhere/", project="home", user=USER)
    assert phone.summaries() == []
    assert all(p.last_synced_at is None for p in list_pairings(home))


def test_completing_here_completes_there(home, calendar_url, phone):
    _sync(home, calendar_url)
    passport = next(t for t in list_tasks(home, ["project:home", "passport"]).tasks)
    complete_task(home, passport.id)
    _sync(home, calendar_url)
    todo = phone.todos()["Renew passport"].icalendar_component
    assert str(todo["STATUS"]) == "COMPLETED" and "COMPLETED" in todo


def test_the_sync_runs_on_postgresql_too(ctx, calendar_url, phone, monkeypatch):
    monkeypatch.setenv("PLANNER_CALDAV_PASSWORD", "s3cret-Pw")
    add_project(ctx, "home", name="Home")
    add_task(ctx, TaskDraft("Call the plumber", project="home"))
    _sync(ctx, calendar_url)
    phone.add("Buy bulbs")
    _sync(ctx, calendar_url)
    assert _open_titles(ctx) == ["Buy bulbs", "Call the plumber"]
    assert phone.summaries() == ["Buy bulbs", "Call the plumber"]


def test_the_digest_says_when_each_pairing_last_synced_and_its_conflicts(home, calendar_url, phone):
    from planner.render.digest import render_text
    from planner.services.digest.build import build_digest
    from planner.services.people.resources import add_resource

    _sync(home, calendar_url)
    bike = next(t for t in list_tasks(home, ["project:home", "bike"]).tasks)
    edit_task(home, bike.id, {"title": "Bike light (local)"})
    todo = phone.todos()["Fix the bike light"]
    todo.icalendar_component["SUMMARY"] = "Bike light (phone)"
    todo.save()
    _sync(home, calendar_url)
    add_resource(home, "ana", email="ana@example.com")
    digest = build_digest(home, team=True)
    (section,) = [s for s in digest.sections if s.key == "sync"]
    assert section.to_json()["items"][0]["project"] == "home"
    assert "title changed on both sides" in section.to_json()["items"][0]["conflicts"][0]
    text = render_text(digest)
    assert "Calendar sync (1)" in text and "1 conflict" in text and "127.0.0.1" in text


def test_a_url_with_a_password_in_it_is_refused_before_anything_is_stored(home):
    with pytest.raises(PlannerError, match="holds a password"):
        sync_caldav(home, url="https://ana:hunter2@dav.example.com/ana/tasks/", project="home")
    assert list_pairings(home) == []


def test_one_calendar_per_project_and_one_project_per_calendar(home, calendar_url, radicale):
    add_project(home, "web", name="Web")
    _sync(home, calendar_url)
    with pytest.raises(PlannerError, match="already syncs project home"):
        sync_caldav(home, url=calendar_url, project="web", user=USER)
    with pytest.raises(PlannerError, match="project home already syncs with"):
        sync_caldav(home, url=radicale.new_calendar(), project="home", user=USER)
    assert [(p.project, p.url) for p in list_pairings(home)] == [("home", calendar_url)]


def test_a_first_sync_that_cannot_reach_the_server_remembers_nothing(home):
    with pytest.raises(PlannerError, match="cannot reach the CalDAV server at http://127.0.0.1:9/x/: connection refused"):
        sync_caldav(home, url="http://127.0.0.1:9/x/", project="home", user=USER)
    assert list_pairings(home) == []
