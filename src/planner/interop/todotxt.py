"""todo.txt (github.com/todotxt/todo.txt) with its common extensions.

One task per line: ``x`` and a completion date for done tasks, ``(A)``
priority (A -> 3, B -> 2, C and below -> 1; ``pri:A`` on done tasks),
creation date, ``+project`` (the first is the project, more become tags),
``@context`` (a tag), ``due:``, ``t:`` (threshold: start no earlier),
``rec:`` (``rec:1w`` after completion, ``rec:+1w`` on a fixed schedule), and
topydo's ``id:`` / ``p:`` links (a task with ``p:X`` must be done before the
task with ``id:X``). Other ``key:value`` words stay in the title.

A line without ``id:`` is identified by its title and project, so marking it
done or moving its due date updates it on the next import.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time
from typing import IO, Any

from planner.domain.errors import InvalidInputError
from planner.interop.records import (
    Document, ExchangeTask, ExportData, LinkRecord, SeriesRecord, identify, source_or_uuid,
)
from planner.interop.timestamps import parse_day
from planner.interop.periods import recur_to_rrule

NAME = "todotxt"
ALIASES = ("todo", "todo.txt")
PREFIX = "todo:"
MODE = "text"
SUFFIX = ".txt"
CAN_IMPORT = True
CAN_EXPORT = True
SCOPE = "tasks"
ONE_PROJECT: str | None = None
READ_OPTIONS: frozenset[str] = frozenset()
EXPORT_NEEDS = frozenset({"records"})

FIELDS = frozenset({"title", "project", "status", "priority", "due", "start_no_earlier", "completed_at",
                    "actual_finish", "tags", "links", "series"})
_DATE = r"\d{4}-\d{2}-\d{2}"
_HEAD = re.compile(rf"^(?:(x) (?:({_DATE}) )?)?(?:\(([A-Z])\) )?(?:({_DATE}) )?(.*)$")
_KEY_VALUE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*):([^\s/][^\s]*)$")
_PRIORITY_IN = {"A": 3, "B": 2}
_PRIORITY_OUT = {3: "A", 2: "B", 1: "C"}


def read(stream: IO[str], options: Mapping[str, Any] | None = None) -> Document:
    """Parse todo.txt lines into a Document (blank lines are skipped)."""
    document = Document("todotxt", prefix=PREFIX, fields=FIELDS)
    by_id: dict[str, ExchangeTask] = {}
    blockers: list[tuple[ExchangeTask, str]] = []
    seen_keys: dict[str, int] = {}
    for number, raw in enumerate(stream, start=1):
        text = raw.strip()
        if not text:
            continue
        task, own_id, blocks, recur = _parse_line(text, f"line {number}")
        if own_id is None:
            digest = hashlib.sha1(f"{task.project}|{task.title}".encode()).hexdigest()[:12]
            seen_keys[digest] = seen_keys.get(digest, 0) + 1
            task.external_id = PREFIX + digest + (f"-{seen_keys[digest]}" if seen_keys[digest] > 1 else "")
        else:
            if own_id in by_id:
                raise InvalidInputError(f"line {number}: id:{own_id} is used again (first at {by_id[own_id].where})")
            by_id[own_id] = task
            task.external_id = PREFIX + own_id
            task.alt_ids = (own_id,)
        blockers.extend((task, target) for target in blocks)
        if recur is not None:
            key = f"{task.external_id}:rec"
            document.series[key] = SeriesRecord(
                key, recur_to_rrule(recur, task.where), policy="fixed" if recur.startswith("+") else "after_completion",
                dtstart=task.due, template={"title": task.title, "priority": task.priority, "tags": task.tags},
                project=task.project)
            task.series = key
        document.tasks.append(task)
    for task, target in blockers:
        if target not in by_id:
            raise InvalidInputError(f"{task.where}: p:{target} names no task with id:{target}")
        by_id[target].links.append(LinkRecord(task.external_id))
    return document


def _parse_line(text: str, where: str) -> tuple[ExchangeTask, str | None, list[str], str | None]:
    """A task, its ``id:``, the ids its ``p:`` words block, and its ``rec:`` value."""
    match = _HEAD.match(text)
    assert match is not None  # the pattern accepts any line
    done_mark, completed, priority, created, rest = match.groups()
    words, tags, projects, blocks = [], [], [], []
    values: dict[str, str] = {}
    own_id: str | None = None
    for word in rest.split():
        if word.startswith("+") and len(word) > 1:
            projects.append(word[1:])
        elif word.startswith("@") and len(word) > 1:
            tags.append(word[1:])
        elif (pair := _KEY_VALUE.match(word)) and pair.group(1).lower() in ("due", "t", "rec", "id", "p", "pri"):
            key, value = pair.group(1).lower(), pair.group(2)
            if key == "p":
                blocks.append(value)
            elif key == "id":
                own_id = value
            else:
                values[key] = value
        else:
            words.append(word)
    title = " ".join(words)
    if not title:
        raise InvalidInputError(f"{where}: the task has no description")
    priority = priority or values.get("pri", "").upper() or None
    if priority is not None and not re.fullmatch(r"[A-Z]", priority):
        raise InvalidInputError(f"{where}: priority {priority!r} is not a letter A-Z")
    done = done_mark == "x"
    finished = parse_day(completed, where, "completion date") if completed else None
    task = ExchangeTask(
        external_id="", title=title, where=where, project=projects[0] if projects else None,
        status="done" if done else "open", priority=_PRIORITY_IN.get(priority, 1) if priority else 0,
        due=parse_day(values.get("due"), where, "due"), start_no_earlier=parse_day(values.get("t"), where, "t"),
        actual_finish=finished, completed_at=datetime.combine(finished, time(12)) if finished else None,
        created_at=datetime.combine(parse_day(created, where, "creation date"), time(12)) if created else None,  # type: ignore[arg-type]
        tags=[*tags, *projects[1:]],
    )
    return task, own_id, blocks, values.get("rec")


def write(data: ExportData, options: Mapping[str, Any] | None = None) -> str:
    """The tasks of an export as todo.txt lines (each named by its todo.txt id, else its export UUID)."""
    identify(data, source_or_uuid(PREFIX))
    out = io.StringIO()
    write_records(data.tasks, data.series, out)
    return out.getvalue()


def write_records(tasks: Iterable[ExchangeTask], series: dict[str, SeriesRecord], out: IO[str]) -> None:
    """Write tasks as todo.txt lines; ``external_id`` is written as ``id:`` and links as ``p:``."""
    tasks = list(tasks)
    successors: dict[str, list[str]] = {}
    for task in tasks:
        for link in task.links:
            successors.setdefault(link.predecessor, []).append(task.external_id)
    for task in tasks:
        out.write(_line(task, successors.get(task.external_id, []), series.get(task.series or "")) + "\n")


def _line(task: ExchangeTask, blocks: list[str], recurring: SeriesRecord | None) -> str:
    parts: list[str] = []
    letter = _PRIORITY_OUT.get(task.priority)
    created = _day(task.created_at)
    if task.status == "done":
        parts.append("x")
        finished = task.actual_finish or _day(task.completed_at)
        if finished:
            parts.append(finished.isoformat())
            if created:
                parts.append(created.isoformat())
    else:
        if letter:
            parts.append(f"({letter})")
        if created:
            parts.append(created.isoformat())
    parts.append(" ".join(task.title.split()))
    if task.project:
        parts.append("+" + re.sub(r"\s+", "-", task.project))
    parts.extend("@" + tag for tag in sorted(task.tags))
    if task.due:
        parts.append(f"due:{task.due.isoformat()}")
    if task.start_no_earlier:
        parts.append(f"t:{task.start_no_earlier.isoformat()}")
    if task.status == "done" and letter:
        parts.append(f"pri:{letter}")
    if recurring is not None:
        parts.append(f"rec:{recur_word(recurring.rrule, recurring.policy)}")
    parts.append(f"id:{task.external_id}")
    parts.extend(f"p:{target}" for target in blocks)
    return " ".join(parts)


def _day(stamp: datetime | date | None) -> date | None:
    if stamp is None:
        return None
    if isinstance(stamp, datetime):
        return (stamp.astimezone() if stamp.tzinfo else stamp).date()
    return stamp


def recur_word(rrule: str, policy: str) -> str:
    """The ``rec:`` value of a series: ``+`` for a fixed schedule, then a count and d / w / m / y / b."""
    parts = dict(part.split("=", 1) for part in rrule.upper().removeprefix("RRULE:").split(";") if "=" in part)
    interval = int(parts.get("INTERVAL", "1") or 1)
    if parts.get("FREQ") == "WEEKLY" and parts.get("BYDAY") == "MO,TU,WE,TH,FR":
        period = "1b"
    else:
        period = f"{interval}{ {'DAILY': 'd', 'WEEKLY': 'w', 'MONTHLY': 'm', 'YEARLY': 'y'}.get(parts.get('FREQ', ''), 'd')}"
    return ("+" if policy != "after_completion" else "") + period
