"""Read side of teams and calendars: members, memberships, calendars and their exception notes.

Plain SQL on the DB-API connection (``?`` placeholders), returning plain values.
"""

from __future__ import annotations

from planner.store.dbapi import ReadConnection


def team_id(conn: ReadConnection, name: str) -> int | None:
    """The id of the team with this (normalized) name, or None."""
    return conn.scalar("SELECT id FROM team WHERE name = ?", [name])


def team_member_handles(conn: ReadConnection, team: int) -> list[str]:
    """Handles of a team's members, sorted."""
    return [row[0] for row in conn.rows("SELECT r.handle FROM teammember m JOIN resource r ON r.id = m.resource_id "
                                        "WHERE m.team_id = ? ORDER BY r.handle", [team])]


def first_team_of(conn: ReadConnection, handle: str) -> str | None:
    """The first team (by name) the person with this (normalized) handle belongs to, or None."""
    return conn.scalar("SELECT t.name FROM team t JOIN teammember m ON m.team_id = t.id "
                       "JOIN resource r ON r.id = m.resource_id WHERE r.handle = ? ORDER BY t.name LIMIT 1",
                       [handle])


def calendar_id(conn: ReadConnection, name: str) -> int | None:
    """The id of the calendar with this name, or None."""
    row = conn.one("SELECT id FROM calendar WHERE name = ?", [name])
    return None if row is None else row[0]


def calendar_exception_notes(conn: ReadConnection, calendar: int) -> dict:
    """A calendar's exception notes by day (as the database returns the day)."""
    return {d: n for d, n in conn.rows("SELECT day, note FROM calendarexception WHERE calendar_id = ?", [calendar])}


def calendar_summaries(conn: ReadConnection) -> list[tuple]:
    """(name, working_weekdays, hours_per_day, country) of every calendar, by name."""
    return conn.rows("SELECT name, working_weekdays, hours_per_day, country FROM calendar ORDER BY name")
