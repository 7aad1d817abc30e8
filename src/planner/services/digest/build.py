"""The daily digest: what a person (or the team) needs to know this morning.

``build_digest`` returns a plain ``Digest`` record; ``render/digest.py`` turns
it into text, markdown, HTML or JSON and ``services/delivery.py`` mails it.
Sections, each left out when empty: overdue, due today, today's queue up to
the capacity cut, milestones at risk, blocked work, done yesterday, and the
notable changes since the recipient's previous digest.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from typing import Any

from planner.domain.errors import InvalidInputError, NotFoundError
from planner.services.context import Context
from planner.services.digest.changes import ChangeLine, db_time, load_changes
from planner.services.digest.risks import (
    RiskLine,
    commitments_at_risk,
    milestones_at_risk,
)
from planner.store import digest_views, views
from planner.store.dbapi import ReadConnection
from planner.store.views import TaskRow

__all__ = ["Blocker", "ChangeLine", "Digest", "PersonDigest", "RiskLine", "Section", "TaskLine", "build_digest",
           "MAX_LINES"]

#: A section lists at most this many lines and counts the rest.
MAX_LINES = 25
#: Without an earlier digest, changes of the last day are reported.
FIRST_DIGEST_LOOKBACK = timedelta(hours=24)


@dataclass(slots=True)
class Blocker:
    """An unfinished predecessor that holds a task back."""

    task_id: int
    title: str
    assignees: list[str]
    due: date | None

    def to_json(self) -> dict[str, Any]:
        """The JSON object of a blocker."""
        return {"id": self.task_id, "title": self.title, "assignees": self.assignees,
                "due": self.due.isoformat() if self.due else None}


@dataclass(slots=True)
class TaskLine:
    """A task as the digest lists it; the optional fields belong to particular sections."""

    task_id: int
    title: str
    project: str
    kind: str
    priority: int
    due: date | None
    estimate_hours: float | None
    assignees: list[str]
    finished: date | None = None
    score: float | None = None
    blockers: list[Blocker] = field(default_factory=list)
    today_hours: float | None = None  # in the queue: the share of a multi-day task's estimate that is today's

    @classmethod
    def of(cls, task: TaskRow) -> TaskLine:
        """A line from a task record."""
        return cls(task.id, task.title, task.project, task.kind, task.priority, task.due, task.estimate_hours,
                   list(task.assignees), task.actual_finish or (task.completed_at.date() if task.completed_at else None))

    def to_json(self) -> dict[str, Any]:
        """The JSON object of a task line."""
        data: dict[str, Any] = {"id": self.task_id, "title": self.title, "project": self.project, "kind": self.kind,
                                "priority": self.priority, "due": self.due.isoformat() if self.due else None,
                                "estimate_hours": self.estimate_hours, "assignees": self.assignees}
        if self.finished is not None:
            data["finished"] = self.finished.isoformat()
        if self.score is not None:
            data["score"] = self.score
        if self.today_hours is not None:
            data["today_hours"] = self.today_hours
        if self.blockers:
            data["blocked_by"] = [blocker.to_json() for blocker in self.blockers]
        return data


@dataclass(slots=True)
class SyncLine:
    """A calendar pairing: when it last synced, and the conflicts that sync resolved."""

    project: str
    url: str
    last_synced_at: datetime | None
    conflicts: list[str]

    def to_json(self) -> dict[str, Any]:
        """The JSON object of a sync line."""
        return {"project": self.project, "url": self.url, "conflicts": self.conflicts,
                "last_synced_at": self.last_synced_at.isoformat() if self.last_synced_at else None}


@dataclass(slots=True)
class Section:
    """One part of a digest: ``key`` names it, ``more`` counts lines left out.

    ``since`` is the first day of the "done" window; ``capacity_hours`` and
    ``planned_hours`` describe the queue's cut.
    """

    key: str
    lines: list[Any]
    more: int = 0
    since: date | None = None
    capacity_hours: float | None = None
    planned_hours: float | None = None

    def to_json(self) -> dict[str, Any]:
        """The JSON object of a section."""
        data: dict[str, Any] = {"section": self.key, "items": [line.to_json() for line in self.lines],
                                "more": self.more}
        if self.since is not None:
            data["since"] = self.since.isoformat()
        if self.capacity_hours is not None:
            data["capacity_hours"] = self.capacity_hours
            data["planned_hours"] = self.planned_hours
        return data


@dataclass(slots=True)
class PersonDigest:
    """One person's part of a team digest."""

    handle: str
    name: str
    email: str | None
    sections: list[Section]

    def to_json(self) -> dict[str, Any]:
        """The JSON object of a person's part."""
        return {"handle": self.handle, "name": self.name, "sections": [s.to_json() for s in self.sections]}


@dataclass(slots=True)
class Digest:
    """A digest for one person (``kind='person'``) or a team (``kind='team'``) on one day.

    A person's digest has all its sections in ``sections``; a team's has the
    shared ones there (milestones at risk, changes) and one ``PersonDigest``
    per member with something to report.
    """

    kind: str
    subject: str
    name: str
    email: str | None
    day: date
    changes_since: datetime | None
    since_previous_digest: bool
    sections: list[Section]
    people: list[PersonDigest] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    #: Charts of the digest's projects (render.charts Chart objects), filled by digest.charts.attach_charts.
    charts: list[Any] = field(default_factory=list)

    @property
    def log_kind(self) -> str:
        """What DigestLog calls this digest: ``person:ana``, ``team`` or ``team:design``."""
        if self.kind == "person":
            return f"person:{self.subject}"
        return "team" if self.subject == "everyone" else f"team:{self.subject}"

    def all_sections(self) -> list[Section]:
        """The shared sections and every person's."""
        return [*self.sections, *(section for person in self.people for section in person.sections)]

    def count(self, key: str) -> int:
        """How many lines the sections of this key hold in all (those left out included)."""
        return sum(len(s.lines) + (s.more if key != "queue" else 0) for s in self.all_sections() if s.key == key)

    @property
    def empty(self) -> bool:
        """Whether there is nothing to report."""
        return not self.all_sections()

    def to_json(self) -> dict[str, Any]:
        """The documented JSON object of a digest."""
        return {"kind": self.kind, "for": self.subject, "name": self.name, "day": self.day.isoformat(),
                "changes_since": self.changes_since.replace(tzinfo=timezone.utc).isoformat() if self.changes_since else None,
                "changes_since_previous_digest": self.since_previous_digest,
                "sections": [s.to_json() for s in self.sections], "people": [p.to_json() for p in self.people]}


@dataclass(slots=True)
class _Person:
    handle: str
    name: str
    email: str | None


def build_digest(ctx: Context, *, user: str | None = None, team: bool | str = False,
                 day: date | None = None) -> Digest:
    """The digest of ``user`` (default: the acting person) or, with ``team``, of every person.

    ``team`` may name a team (`planner team add`) to cover only its members.
    """
    if user and team:
        raise InvalidInputError("a digest is for one person (--user) or the team (--team), not both")
    day = day or ctx.today()
    with ctx.reader() as conn:
        if team:
            people = _team_people(ctx, conn, team)
            subject = team.strip().lower() if isinstance(team, str) else "everyone"
            kind, log_kind = "team", "team" if subject == "everyone" else f"team:{subject}"
        else:  # your own digest works before you are a resource, as your queue does (a solo user)
            mine = not user or user.strip().lower() == ctx.actor.strip().lower()
            people = [_self(conn, ctx.actor) if mine else _person(conn, user)]
            subject, kind, log_kind = people[0].handle, "person", f"person:{people[0].handle}"
        since_value, since, since_previous = _changes_bound(conn, log_kind, day)
        handles = {person.handle for person in people}
        changes = load_changes(conn, since_value, relevant=lambda line: team is True or bool(
            handles & ({*line.assignees} | _split(line.before) | _split(line.after))),
            skip_actors={people[0].handle} if kind == "person" else ())
        parts = {person.handle: _task_sections(conn, person.handle, day) for person in people}
        unassigned = _task_sections(conn, None, day) if team is True else []  # nobody's work is everyone's
        projects = _projects_of(conn, None if team is True else sorted(handles))
    queues = {person.handle: _queue_section(ctx, person.handle, day) for person in people}
    for person in people:
        coming = _coming_up(ctx, person.handle, day)
        if coming is not None:
            parts[person.handle].append(coming)
    risks = milestones_at_risk(ctx, projects, day) + commitments_at_risk(
        ctx, None if team is True else sorted(handles), day)
    shared = [section for section in (
        _capped("at_risk", risks), _capped("changes", changes), _capped("sync", _sync_lines(ctx)))
        if section is not None]
    if kind == "person":
        person = people[0]
        return Digest(kind, person.handle, person.name, person.email, day, since, since_previous,
                      _ordered(parts[person.handle], queues[person.handle], shared),
                      emails=[person.email] if person.email else [])
    members = []
    for person in people:
        sections = _ordered(parts[person.handle], queues[person.handle], [])
        if sections:
            members.append(PersonDigest(person.handle, person.name, person.email, sections))
    unassigned_sections = _ordered(unassigned, None, [])
    if unassigned_sections:
        members.append(PersonDigest("unassigned", "Unassigned", None, unassigned_sections))
    title = "Everyone" if subject == "everyone" else f"Team {subject}"
    return Digest(kind, subject, title, None, day, since, since_previous, shared, members,
                  emails=[person.email for person in people if person.email])


_ORDER = ("overdue", "due_today", "queue", "at_risk", "blocked", "done", "coming_up", "changes", "sync")


def _ordered(parts: list[Section], queue: Section | None, shared: list[Section]) -> list[Section]:
    sections = [*parts, *([queue] if queue is not None else []), *shared]
    return sorted(sections, key=lambda section: _ORDER.index(section.key))


def _coming_up(ctx: Context, handle: str, day: date) -> Section | None:
    """The rest of the week from tomorrow for one person, as `planner agenda` finds it: their own dated work and
    their projects' deadlines (days off and plain scheduled starts aside)."""
    from planner.services.agenda import agenda

    if handle not in {r.handle for r in _resources(ctx)}:
        return None
    items = [item for agenda_day in agenda(ctx, first=day + timedelta(days=1), days=6, user=handle).days
             for item in agenda_day.items
             if item.kind not in ("holiday", "vacation", "scheduled") and not (item.warning or "").endswith("ago")]
    # a deadline announced ahead counts its days from today, as `planner agenda` does, not from tomorrow
    items = [replace(item, warning=f"in {(item.day - day).days} d.") if (item.warning or "").startswith("in ") else item
             for item in items]
    mine = [item for item in items if handle in item.people]  # their own work; a digest never fills up on others'
    projects = {item.project for item in mine}
    return _capped("coming_up", [item for item in items if item in mine or
                                 (item.kind == "deadline" and item.project in projects)])


def _resources(ctx: Context) -> list[Any]:
    from planner.services.queries import list_resources

    return list_resources(ctx)


def _sync_lines(ctx: Context) -> list[SyncLine]:
    """Every calendar pairing of the store (`planner sync ls`), with its last sync's conflicts."""
    from planner.services.sync.pairings import list_pairings

    return [SyncLine(p.project, p.url, p.last_synced_at, list((p.last_report or {}).get("conflicts") or []))
            for p in list_pairings(ctx)]


def _split(text: str | None) -> set[str]:
    return {part.strip() for part in text.split(",")} if text else set()


def _capped(key: str, lines: list[Any], **extra: Any) -> Section | None:
    if not lines:
        return None
    return Section(key, lines[:MAX_LINES], max(0, len(lines) - MAX_LINES), **extra)


def _person(conn: ReadConnection, handle: str) -> _Person:
    row = digest_views.person_contact(conn, handle.strip().lower())
    if row is None:
        raise NotFoundError(f"no person {handle!r}: `planner resource add {handle} --email ADDRESS` adds them, "
                            "`planner resource ls` lists people")
    return _Person(row[0], row[1] or row[0], row[2])


def _self(conn: ReadConnection, handle: str) -> _Person:
    row = digest_views.person_contact(conn, handle.strip().lower())
    if row is None:
        return _Person(handle.strip().lower(), handle.strip(), None)
    return _Person(row[0], row[1] or row[0], row[2])


def _team_people(ctx: Context, conn: ReadConnection, team: bool | str) -> list[_Person]:
    if isinstance(team, str):
        from planner.services.people.teams import team_members

        handles = team_members(ctx, team)
        if not handles:
            raise InvalidInputError(f"team {team!r} has no members: `planner team add {team} HANDLE...`")
        return [_person(conn, handle) for handle in handles]
    rows = digest_views.people_contacts(conn)
    if not rows:
        raise NotFoundError("nobody to write a digest for: `planner resource add HANDLE --email ADDRESS` adds people")
    return [_Person(r[0], r[1] or r[0], r[2]) for r in rows]


def _changes_bound(conn: ReadConnection, log_kind: str, day: date) -> tuple[Any, datetime, bool]:
    """Since when changes count: the previous digest of this kind that went out, else the last day.

    Returns the bound as the database stores it, as a naive UTC datetime, and
    whether it came from a previous digest.
    """
    row = digest_views.last_sent_digest(conn, log_kind, day)
    if row is not None and row[0] is not None:
        return row[0], views.as_datetime(row[0]), True
    moment = datetime.now(timezone.utc).replace(tzinfo=None) - FIRST_DIGEST_LOOKBACK
    return db_time(conn, moment), moment, False


def _filtered(conn: ReadConnection, terms: list[str], day: date, *, where: str = "", params: list[Any] | None = None,
              order: str = views.DEFAULT_ORDER) -> list[TaskRow]:
    """Tasks matching filter-language terms (dates as ISO, ``day`` as today) and an extra WHERE fragment."""
    from planner.domain.filters import parse_filter
    from planner.store.filter_sql import filter_sql

    compiled = filter_sql(parse_filter(terms, me="", today=day,
                                       parse_date=lambda text, _today: date.fromisoformat(text)))
    clause = f"({compiled.where}) AND ({where})" if where else compiled.where
    return views.select_tasks(conn, clause, [*compiled.params, *(params or [])], order=order)


def _task_sections(conn: ReadConnection, handle: str | None, day: date) -> list[Section]:
    """Overdue, due today, blocked and recently done tasks of one person (None: nobody's)."""
    who = f"assignee:{handle}" if handle else "assignee:none"
    sections: list[Section | None] = [
        _capped("overdue", [TaskLine.of(t) for t in _filtered(conn, [who, f"due.before:{day}"], day)]),
        _capped("due_today", [TaskLine.of(t) for t in _filtered(conn, [who, f"due:{day}"], day)]),
    ]
    if handle is None:
        return [s for s in sections if s is not None]
    blocked = [TaskLine.of(t) for t in _filtered(conn, [who, "+blocked"], day)]
    _attach_blockers(conn, blocked)
    sections.append(_capped("blocked", blocked))
    since = _previous_workday(day)
    done = _filtered(conn, [who, "+done"], day, where="t.actual_finish >= ? AND t.actual_finish < ?",
                     params=[since.isoformat(), day.isoformat()], order="t.actual_finish, t.id")
    sections.append(_capped("done", [TaskLine.of(t) for t in done], since=since))
    return [s for s in sections if s is not None]


def _previous_workday(day: date) -> date:
    """The last weekday before ``day`` (Friday for a Monday digest)."""
    previous = day - timedelta(days=1)
    while previous.weekday() >= 5:
        previous -= timedelta(days=1)
    return previous


def _attach_blockers(conn: ReadConnection, lines: list[TaskLine]) -> None:
    if not lines:
        return
    by_id = {line.task_id: line for line in lines}
    rows = digest_views.open_blockers(conn, list(by_id))
    predecessors = views.select_tasks(conn, f"t.id IN ({', '.join('?' for _ in rows)})",
                                      [r[1] for r in rows]) if rows else []
    found = {task.id: task for task in predecessors}
    for successor, predecessor in rows:
        task = found[predecessor]
        by_id[successor].blockers.append(Blocker(task.id, task.title, list(task.assignees), task.due))


def _projects_of(conn: ReadConnection, handles: list[str] | None) -> list[str]:
    """Keys of active projects with open work (of these people, when given)."""
    if handles is not None and not handles:
        return []
    return digest_views.active_project_keys(conn, handles)


def _queue_section(ctx: Context, handle: str, day: date) -> Section | None:
    """A person's daily queue up to the capacity cut (ranked by the queue service); None when nothing fits."""
    from planner.services.queue.daily import daily_queue

    queue = daily_queue(ctx, person=handle, day=day).queues[0]
    fitting = [item.entry for item in queue.fitting]
    if not fitting:
        return None
    ids = [entry.scored.candidate.task_id for entry in fitting]
    with ctx.reader() as conn:  # the real assignees: unassigned work in a person's streams stays unassigned
        assignees = {task.id: list(task.assignees)
                     for task in views.select_tasks(conn, f"t.id IN ({', '.join('?' for _ in ids)})", ids)}
    lines = []
    for entry in fitting:
        candidate = entry.scored.candidate
        lines.append(TaskLine(candidate.task_id, candidate.title, candidate.project_key, "task", candidate.priority,
                              candidate.due, candidate.estimate_hours, assignees.get(candidate.task_id, []),
                              score=round(entry.scored.total, 2), today_hours=candidate.today_hours))
    return Section("queue", lines, more=queue.total - len(fitting),
                   capacity_hours=round(queue.capacity.remaining_hours, 2),
                   planned_hours=round(fitting[-1].cumulative_hours, 2))
