"""The digest as text, markdown, HTML email and JSON.

Every format is built from the same pieces — ``headline``, ``section_heading``
and ``line_parts`` — so the terminal, the mail and the JSON say the same thing.
The HTML is made for mail clients: inline styles only, no scripts, no external
resources, and every piece of user text goes through ``html.escape``.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

from planner.render.tasks import hours_text

#: The heading over a team digest's changes, after the people's parts.
TEAM_CHANGES = "Across the team"


@dataclass(slots=True)
class LineParts:
    """One digest line in pieces: a reference, a title, its project and facts; ``tone`` colours it."""

    ref: str
    title: str
    project: str
    facts: list[str]
    tone: str = "plain"  # plain | alert | warn | good | muted


def short_day(day: date, today: date) -> str:
    """'Mon 23 Nov' (with the year when it is not ``today``'s)."""
    text = f"{day:%a} {day.day} {day:%b}"
    return text if day.year == today.year else f"{text} {day.year}"


def long_day(day: date) -> str:
    """'Wednesday 25 November 2026'."""
    return f"{day:%A} {day.day} {day:%B} {day.year}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def headline(digest: Any) -> str:
    """'Digest for Ana Lopez (ana) — Wednesday 25 November 2026'."""
    who = digest.name if digest.kind == "team" or digest.name == digest.subject else f"{digest.name} ({digest.subject})"
    return f"Digest for {who} — {long_day(digest.day)}"


def subject_line(digest: Any) -> str:
    """The mail subject: the day and the counts that matter most."""
    counts = [(digest.count("overdue"), "overdue"), (digest.count("due_today"), "due today"),
              (digest.count("at_risk"), "at risk"), (digest.count("blocked"), "blocked")]
    said = ", ".join(f"{count} {what}" for count, what in counts if count)
    who = digest.name if digest.kind == "team" else digest.subject
    return f"Planner · {who} · {short_day(digest.day, digest.day)}" + (f": {said}" if said else "")


def section_heading(section: Any, digest: Any) -> str:
    """A section's title with its size, as every format shows it."""
    count = len(section.lines) + section.more
    match section.key:
        case "overdue":
            return f"Overdue ({count})"
        case "due_today":
            return f"Due today ({count})"
        case "queue":
            planned = hours_text(section.planned_hours or 0) or "0h"
            capacity = hours_text(section.capacity_hours or 0) or "0h"
            return f"Today's queue: {_plural(len(section.lines), 'task')}, {planned} of {capacity}"
        case "at_risk":
            return f"At risk ({count})"
        case "blocked":
            return f"Blocked ({count})"
        case "done":
            if section.since == digest.day - timedelta(days=1):
                return f"Done yesterday ({count})"
            return f"Done since {short_day(section.since, digest.day)} ({count})"
        case "changes":
            bound = "the last digest" if digest.since_previous_digest else "yesterday"
            return f"Changes since {bound} ({count})"
        case "sync":
            return f"Calendar sync ({count})"
        case "coming_up":
            return f"Coming up this week ({count})"
    return f"{section.key} ({count})"


def more_text(section: Any) -> str | None:
    """'… and 3 more' (for the queue: what does not fit today), or None."""
    if not section.more:
        return None
    if section.key == "queue":
        return f"+ {section.more} more that do not fit today"
    return f"… and {section.more} more"


def _names(handles: list[str]) -> str:
    return ", ".join(handles)


def line_parts(section_key: str, line: Any, today: date) -> LineParts:
    """The pieces of one line of a section."""
    match section_key:
        case "overdue":
            late = (today - line.due).days
            return LineParts(f"#{line.task_id}", line.title, line.project,
                             [f"due {short_day(line.due, today)}", f"{_plural(late, 'day')} overdue"], "alert")
        case "due_today":
            return LineParts(f"#{line.task_id}", line.title, line.project, _estimate(line), "warn")
        case "queue":
            facts = [*_estimate(line)]
            if line.due is not None:
                facts.append(f"due {short_day(line.due, today)}" if line.due != today else "due today")
            return LineParts(f"#{line.task_id}", line.title, line.project, facts)
        case "at_risk":
            return LineParts(f"#{line.task_id}" if line.task_id else "", line.title, line.project,
                             _risk_facts(line, today), "alert" if line.planned_late_days else "warn")
        case "blocked":
            waits = [f"#{b.task_id} {b.title}" + (f" ({_names(b.assignees)})" if b.assignees else "")
                     for b in line.blockers]
            return LineParts(f"#{line.task_id}", line.title, line.project,
                             [f"waits for {'; '.join(waits)}"], "muted")
        case "done":
            facts = [f"done {short_day(line.finished, today)}"] if line.finished and line.finished != \
                today - timedelta(days=1) else []
            return LineParts(f"#{line.task_id}", line.title, line.project, facts, "good")
        case "changes":
            return _change_parts(line, today)
        case "coming_up":
            when = line.warning or short_day(line.day, today)
            return LineParts(f"#{line.task_id}" if line.task_id else "", line.title, line.project or "",
                             [when, line.kind], "warn" if line.kind in ("deadline", "milestone") else "plain")
        case "sync":
            facts = [f"synced {short_day(line.last_synced_at.date(), today)} {line.last_synced_at:%H:%M} UTC"
                     if line.last_synced_at else "never synced"]
            if line.conflicts:
                facts.append(f"{_plural(len(line.conflicts), 'conflict')}: {line.conflicts[0]}")
            return LineParts("", urlsplit(line.url).netloc or line.url, line.project, facts,
                             "warn" if line.conflicts else "muted")
    raise ValueError(f"unknown digest section {section_key!r}")


def _estimate(line: Any) -> list[str]:
    if not line.estimate_hours:
        return []
    today_hours = getattr(line, "today_hours", None)
    if today_hours is not None and abs(today_hours - line.estimate_hours) >= 0.01:
        return [f"{hours_text(today_hours)} today of {hours_text(line.estimate_hours)}"]
    return [hours_text(line.estimate_hours)]


def _risk_facts(line: Any, today: date) -> list[str]:
    facts = [f"{line.date_kind} {short_day(line.deadline, today)}"] if line.deadline else []
    if line.planned_late_days:
        facts.append(f"planned {short_day(line.planned_finish, today)}, "
                     f"{_plural(line.planned_late_days, 'working day')} late")
    if line.p85 is not None and line.p85_late_days and line.p85 != line.planned_finish:
        facts.append(f"P85 {short_day(line.p85, today)}, {_plural(line.p85_late_days, 'working day')} late")
    probability = line.on_time_probability
    if probability is not None and not (line.planned_late_days and probability == 0):  # "late" says it already
        facts.append(f"{round(probability * 100)}% chance on time")
    return facts


def _change_parts(line: Any, today: date) -> LineParts:
    by = f"by {_names(line.actors)}"
    ref = f"#{line.task_id}" if line.task_id else ""
    match line.kind:
        case "new":
            facts = ["new", *([f"for {_names(line.assignees)}"] if line.assignees else []), by]
        case "slipped":
            facts = [f"due {_day_text(line.before, today)} → {_day_text(line.after, today)}", by]
        case "reassigned":
            facts = [f"{line.before or 'nobody'} → {line.after or 'nobody'}", by]
        case _:
            after = _day_text(line.after, today) if line.after else "none"
            facts = [f"deadline {_day_text(line.before, today)} → {after}", by]
    project = "" if line.kind == "deadline" and line.title == line.project else line.project  # the title says it
    return LineParts(ref, line.title, project, facts, "warn" if line.kind in ("slipped", "deadline") else "plain")


def _day_text(iso: str | None, today: date) -> str:
    return short_day(date.fromisoformat(iso), today) if iso else "none"


def blocks(digest: Any) -> list[tuple[str | None, list[Any]]]:
    """(person heading or None, sections) in reading order: risks, each person, then changes."""
    shared = {section.key: section for section in digest.sections}
    if digest.kind == "person":
        return [(None, digest.sections)]
    result: list[tuple[str | None, list[Any]]] = []
    if "at_risk" in shared:
        result.append((None, [shared["at_risk"]]))
    for person in digest.people:
        label = person.name if person.name == person.handle or person.handle == "unassigned" \
            else f"{person.name} ({person.handle})"
        result.append((label, person.sections))
    if "changes" in shared:
        result.append((TEAM_CHANGES, [shared["changes"]]))
    if "sync" in shared:
        result.append((None, [shared["sync"]]))
    return result


def _parts_text(parts: LineParts) -> str:
    pieces = [piece for piece in (parts.ref, parts.title) if piece]
    text = " ".join(pieces) + (f"  [{parts.project}]" if parts.project else "")
    return text + ("  " + " · ".join(parts.facts) if parts.facts else "")


def render_text(digest: Any) -> str:
    """Plain text: the terminal's and the mail's text part."""
    title = headline(digest)
    out = [title, "=" * len(title), ""]
    if digest.empty:
        out += ["Nothing to report: nothing overdue, due, queued, blocked or changed.", ""]
    for person, sections in blocks(digest):
        if person is not None:
            out += [person, "-" * len(person), ""]
        for section in sections:
            out.append(section_heading(section, digest))
            for index, line in enumerate(section.lines, 1):
                lead = f"{index:>2}. " if section.key == "queue" else "  - "
                out.append(lead + _parts_text(line_parts(section.key, line, digest.day)))
            extra = more_text(section)
            if extra:
                out.append("    " + extra)
            out.append("")
    return "\n".join(out).rstrip() + "\n"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|!~])")


def md_escape(text: str) -> str:
    """Markdown-safe text: the characters that would format are backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def render_markdown(digest: Any) -> str:
    """Markdown (a wiki page, a chat message)."""
    out = [f"# {md_escape(headline(digest))}", ""]
    if digest.empty:
        out += ["Nothing to report: nothing overdue, due, queued, blocked or changed.", ""]
    for person, sections in blocks(digest):
        if person is not None:
            out += [f"## {md_escape(person)}", ""]
        level = "###" if digest.kind == "team" else "##"
        for section in sections:
            out += [f"{level} {md_escape(section_heading(section, digest))}", ""]
            for index, line in enumerate(section.lines, 1):
                parts = line_parts(section.key, line, digest.day)
                lead = f"{index}." if section.key == "queue" else "-"
                ref = f"{parts.ref} " if parts.ref else ""
                facts = "".join(f" · {md_escape(fact)}" for fact in parts.facts)
                out.append(f"{lead} **{ref}{md_escape(parts.title)}** `{parts.project}`{facts}")
            extra = more_text(section)
            if extra:
                out.append(f"\n_{md_escape(extra)}_")
            out.append("")
    return "\n".join(out).rstrip() + "\n"


def render_json(digest: Any) -> str:
    """JSON: the digest's record plus the subject and headline every other format shows."""
    data = digest.to_json()
    data["subject"] = subject_line(digest)
    data["headline"] = headline(digest)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def escape(text: str) -> str:
    """HTML-escape user text (quotes too)."""
    return html.escape(text, quote=True)
