"""`planner agenda`: a week with a holiday, a vacation, a recurring chore, a milestone and a deadline."""

from __future__ import annotations

import json


def _week(planner) -> dict[str, list[tuple[str, str, str | None]]]:
    data = json.loads(planner.ok("agenda", "--from", "2030-01-07", "--days", "7", "--json", user="ana"))
    return {day["date"]: [(item["kind"], item["title"], item.get("warning")) for item in day["items"]]
            for day in data["days"]}


def test_a_week_shows_each_dated_thing_on_its_day_and_warns_ahead(planner):
    planner.ok("resource", "add", "ana")
    planner.ok("project", "add", "h", "--name", "Home move", "--start", "2030-01-07", "--deadline", "2030-01-18")
    planner.ok("add", "Pay the rent", "-p", "h", "--due", "2030-01-09", user="ana")
    planner.ok("add", "Pick up the parcel", "-p", "h", "--start", "2030-01-08", user="ana")
    planner.ok("add", "Launch", "-p", "h", "--milestone", "--due", "2030-01-10", user="ana")
    planner.ok("add", "Water the plants", "-p", "h", "--recur", "every wednesday", "--due", "2030-01-09", user="ana")
    planner.ok("add", "Pack boxes", "-p", "h", "--duration", "2", "--assign", "ana", "--after", "2", user="ana")
    planner.ok("add", "Renew lease", "-p", "h", "--due", "2030-01-20", user="ana")
    planner.ok("add", "Forgotten", "-p", "h", "--due", "2030-01-02", user="ana")
    planner.ok("resource", "add", "bo")
    planner.ok("add", "Bo's thing", "-p", "h", "--due", "2030-01-09", "--assign", "bo", user="ana")
    planner.ok("calendar", "off", "standard", "2030-01-11", "--note", "team offsite")
    planner.ok("resource", "vacation", "ana", "2030-01-10", "2030-01-10")
    week = _week(planner)
    assert len(week) == 7
    assert ("due", "Pay the rent", None) in week["2030-01-09"]
    assert ("recurring", "Water the plants", None) in week["2030-01-09"]
    assert ("start", "Pick up the parcel", None) in week["2030-01-08"]
    assert ("milestone", "Launch", None) in week["2030-01-10"]
    assert ("holiday", "Team offsite", None) in week["2030-01-11"]
    assert ("vacation", "ana: vacation", None) in week["2030-01-10"]
    assert ("deadline", "Home move", "in 11 d.") in week["2030-01-07"]  # beyond the week: announced ahead
    assert ("due", "Renew lease", "in 13 d.") in week["2030-01-07"]
    assert ("due", "Forgotten", "5 d. ago") in week["2030-01-07"]
    assert all(title != "Bo's thing" for items in week.values() for _k, title, _w in items)  # someone else's
    scheduled = [day for day, items in week.items() if ("scheduled", "Pack boxes", None) in items]
    assert scheduled == ["2030-01-09"]  # the day after the parcel (one day from the 8th), by the plan
    text = planner.ok("agenda", "--from", "2030-01-07", "--days", "3", user="ana")
    assert "Mon 07 Jan" in text and "in 3 d.: milestone" in text and "Wed 09 Jan" in text and "Thu 10" not in text


def test_agenda_refuses_nonsense_in_one_line(planner):
    assert planner("agenda", "--days", "0").exit_code == 1
    assert planner("agenda", "--from", "someday").exit_code in (1, 2)
    both = planner("agenda", "--user", "ana", "--team", "x")
    assert both.exit_code == 1 and "not both" in both.stderr


def test_the_digest_counts_a_deadline_ahead_from_today_as_the_agenda_does(planner):
    planner.ok("resource", "add", "ana")
    planner.ok("project", "add", "h", "--name", "Home move", "--start", "2026-11-23")
    planner.ok("add", "Renew lease", "-p", "h", "--due", "2026-12-05", "--assign", "ana", user="ana")
    planner.ok("add", "Pack", "-p", "h", "--due", "2026-11-27", "--assign", "ana", user="ana")
    agenda = planner.ok("agenda", user="ana")  # --today is Wed 2026-11-25
    digest = planner.ok("digest", "--user", "ana")
    assert "in 10 d." in agenda and "Renew lease" in digest
    assert "in 10 d." in digest and "in 9 d." not in digest
