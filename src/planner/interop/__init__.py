"""Importers and exporters, one module per format, over plain records.

Every format module turns a file into a :class:`Document` of plain records
(and records back into text); none of them touches the database. The
interchange service (``services/interchange.py``) resolves the records
against the store, validates the whole batch and writes it in one unit of
work. Parsers stream their input (line by line, or ``iterparse``) and raise
:class:`InvalidInputError` naming the line or item and the problem.

Ids: every imported record carries ``external_id`` ("tw:<uuid>",
"mspdi:<UID>", ...). ``alt_ids`` are bare ids (a UUID, an iCalendar UID) by
which a task exported by Planner itself is recognised when it comes back.
"""

from __future__ import annotations

import json
import uuid
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date, datetime, timedelta, timezone
from typing import IO, Any

from planner.domain.dates import in_range, quoted
from planner.domain.errors import InvalidInputError

#: Status categories every workflow has; a record may also name a state key.
CATEGORIES = ("todo", "doing", "done")


@dataclass(slots=True)
class LinkRecord:
    """A dependency on ``predecessor`` (an external id of the same file or store)."""

    predecessor: str
    type: str = "FS"
    lag_days: int = 0


@dataclass(slots=True)
class SeriesRecord:
    """A recurring series: an RFC 5545 RRULE, a policy and exceptions."""

    external_id: str
    rrule: str
    policy: str = "fixed"
    dtstart: date | None = None
    until: date | None = None
    skipped: list[date] = field(default_factory=list)
    extra_dates: list[date] = field(default_factory=list)
    template: dict[str, Any] = field(default_factory=dict)
    project: str | None = None


@dataclass(slots=True)
class TaskRecord:
    """A task or milestone as a file describes it (dates are calendar dates)."""

    external_id: str
    title: str
    where: str = ""
    project: str | None = None
    notes: str = ""
    kind: str = "task"
    status: str = "todo"
    priority: int = 0
    due: date | None = None
    start_no_earlier: date | None = None
    snoozed_until: date | None = None
    actual_start: date | None = None
    actual_finish: date | None = None
    completed_at: datetime | None = None
    created_at: datetime | None = None
    estimate_hours: float | None = None
    duration_days: int | None = None
    percent_done: int | None = None
    tags: list[str] = field(default_factory=list)
    links: list[LinkRecord] = field(default_factory=list)
    parent: str | None = None
    assignments: list[tuple[str, float]] = field(default_factory=list)
    series: str | None = None
    annotations: list[tuple[datetime | None, str]] = field(default_factory=list)
    alt_ids: tuple[str, ...] = ()
    # export only: the scheduled dates and the Planner id
    start: date | None = None
    finish: date | None = None
    critical: bool = False
    planner_id: int | None = None


@dataclass(slots=True)
class ResourceRecord:
    """A person or a pool (``kind``) with a capacity in units per working day."""

    external_id: str
    name: str
    where: str = ""
    handle: str | None = None
    email: str | None = None
    kind: str = "person"
    capacity: float = 1.0
    calendar: str | None = None


@dataclass(slots=True)
class CalendarRecord:
    """Working weekdays (0=Mon), hours per day and dated exceptions (True = working)."""

    external_id: str
    name: str
    where: str = ""
    working_weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)
    hours_per_day: float = 8.0
    exceptions: dict[date, bool] = field(default_factory=dict)
    base: str | None = None
    weekdays_given: bool = True


@dataclass(slots=True)
class ProjectRecord:
    """A project as a scheduling file describes it."""

    external_id: str
    name: str
    start: date | None = None
    finish: date | None = None
    deadline: date | None = None
    calendar: str | None = None
    key: str | None = None


@dataclass(slots=True)
class Document:
    """Everything one file holds, as plain records.

    ``fields`` names the task fields the format carries: on re-import only
    those are compared and updated, the rest of a task is left as it was.
    ``tags``/``links``/``assignments`` are replaced on matched tasks only when
    the format carries them (listed in ``fields`` too). ``prefix`` starts the
    format's external ids (``tw:``). ``scope`` is the id
    prefix of formats whose ids are only unique within one project (MSPDI
    UIDs): the import puts the project key after it.
    """

    format: str
    tasks: list[TaskRecord] = field(default_factory=list)
    series: dict[str, SeriesRecord] = field(default_factory=dict)
    resources: list[ResourceRecord] = field(default_factory=list)
    calendars: list[CalendarRecord] = field(default_factory=list)
    project: ProjectRecord | None = None
    fields: frozenset[str] = frozenset()
    skipped: int = 0
    warnings: list[str] = field(default_factory=list)
    dropped: set[str] = field(default_factory=set)
    scope: str | None = None
    prefix: str = ""


def iter_json_values(stream: IO[str], *, chunk_chars: int = 1 << 16) -> Iterator[tuple[int, Any]]:
    """Yield ``(line, value)`` for each value of a top-level JSON array, or of JSON lines.

    Reads the stream in chunks, so a 100k-task export never sits in memory
    as one string. Bad JSON raises InvalidInputError naming the line.
    """
    reader = _ChunkReader(stream, chunk_chars)
    decoder = json.JSONDecoder()
    opened = closed = False
    while reader.skip_separators():
        char = reader.buffer[reader.position]
        if char == "[" and not opened and not closed:
            opened = True
            reader.position += 1
            continue
        if char == "]" and opened and not closed:
            closed = True
            reader.position += 1
            continue
        if closed:
            raise InvalidInputError(f"line {reader.line}: bad JSON (text after the closing bracket)")
        while True:
            try:
                value, end = decoder.raw_decode(reader.buffer, reader.position)
            except json.JSONDecodeError as error:
                truncated = "\n" not in reader.buffer[error.pos:]
                if truncated and reader.read_more():
                    continue
                bad_line = reader.line + reader.buffer.count("\n", reader.position, error.pos)
                raise InvalidInputError(f"line {bad_line}: bad JSON ({error.msg})") from None
            except (RecursionError, ValueError) as error:
                raise InvalidInputError(f"line {reader.line}: bad JSON ({json_limit(error)})") from None
            if end == len(reader.buffer) and reader.read_more():
                continue  # a number or literal may go on in the next chunk
            break
        yield reader.line, value
        reader.line += reader.buffer.count("\n", reader.position, end)
        reader.position = end
    if opened and not closed:
        raise InvalidInputError(f"line {reader.line}: bad JSON (the array is not closed with ])")


def json_limit(error: RecursionError | ValueError) -> str:
    """What a JSON text exceeded when the decoder gave up on it (nesting, or digits of an integer)."""
    if isinstance(error, RecursionError):
        return "nested too deeply"
    return "a number with too many digits" if "digits" in str(error) else str(error).splitlines()[0]


class _ChunkReader:
    """A window over a text stream: the unread text, its position and line."""

    def __init__(self, stream: IO[str], chunk_chars: int):
        self.stream, self.chunk_chars = stream, chunk_chars
        self.buffer, self.position, self.line, self.eof = "", 0, 1, False

    def read_more(self) -> bool:
        """Append the next chunk (dropping what was consumed); False at the end."""
        if self.eof:
            return False
        chunk = self.stream.read(self.chunk_chars)
        if not chunk:
            self.eof = True
            return False
        self.buffer = self.buffer[self.position:] + chunk
        self.position = 0
        return True

    def skip_separators(self) -> bool:
        """Skip blanks and commas between values; False when the stream is done."""
        while True:
            buffer, position = self.buffer, self.position
            while position < len(buffer) and buffer[position] in " \t\r\n,":
                if buffer[position] == "\n":
                    self.line += 1
                position += 1
            self.position = position
            if position < len(buffer):
                return True
            if not self.read_more():
                return False


_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z)?)?$")


def parse_datetime(text: str, where: str, what: str = "date") -> datetime:
    """A timestamp in ISO 8601 or Taskwarrior's compact ``20261125T100000Z``.

    Naive results are local time; aware ones keep their offset.
    """
    stamp = _timestamp(str(text).strip())
    if stamp is None:
        raise InvalidInputError(f"{where}: {what} {quoted(str(text))} is not a date (use YYYY-MM-DD)")
    return in_range(stamp, str(text), what=f"{where}: {what}")


@lru_cache(maxsize=65536)
def _timestamp(value: str) -> datetime | None:
    """The timestamp a text denotes, or None (cached: exports repeat the same stamps)."""
    match = _COMPACT.match(value)
    try:
        if match:
            year, month, day, hour, minute, second, zulu = match.groups()
            stamp = datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
            return stamp.replace(tzinfo=timezone.utc) if zulu else stamp
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, OverflowError):
        return None


def parse_day(text: str | None, where: str, what: str = "date") -> date | None:
    """A calendar date from an ISO date, an ISO timestamp or a compact stamp (UTC stamps become local dates)."""
    if text is None or str(text).strip() == "":
        return None
    stamp = parse_datetime(str(text), where, what)  # one clear error for a non-date or a date out of range
    day = _local_day(str(text).strip())
    return day if day is not None else stamp.date()


@lru_cache(maxsize=65536)
def _local_day(value: str) -> date | None:
    stamp = _timestamp(value)
    if stamp is None:
        return None
    try:
        return (stamp.astimezone() if stamp.tzinfo is not None else stamp).date()
    except (ValueError, OverflowError):
        return None


def local_midnight_utc(day: date) -> datetime:
    """Local midnight of ``day`` in UTC (how Taskwarrior stores a due date typed as a date)."""
    return datetime(day.year, day.month, day.day).astimezone().astimezone(timezone.utc)


def compact_utc(stamp: datetime | date) -> str:
    """A date (local midnight) or a timestamp as ``YYYYMMDDTHHMMSSZ``."""
    if not isinstance(stamp, datetime):
        stamp = local_midnight_utc(stamp)
    elif stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=timezone.utc)
    return stamp.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def as_utc(stamp: datetime | None) -> datetime | None:
    """A timestamp as the aware UTC the store keeps (naive input is taken as local time)."""
    if stamp is None:
        return None
    if stamp.tzinfo is None:
        stamp = stamp.astimezone()
    return stamp.astimezone(timezone.utc)


_SLUG_DROP = re.compile(r"[^a-z0-9_.-]+")


@lru_cache(maxsize=4096)
def slug(text: str, fallback: str = "imported") -> str:
    """A project key or handle from a free-form name (``"Home Garden"`` -> ``home-garden``)."""
    value = _SLUG_DROP.sub("-", text.strip().lower()).strip("-.")
    if not value or not value[0].isalnum():
        value = f"{fallback}-{value}".strip("-") if value else fallback
    return value[:40].rstrip("-.") or fallback


def clean_tag(text: str) -> str:
    """A tag as Planner stores it: lower case, one word."""
    return re.sub(r"\s+", "-", text.strip().lstrip("+@").lower())


def day_range(first: date, last: date) -> Iterator[date]:
    """Every date from ``first`` to ``last`` inclusive."""
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


_PLANNER_NAMESPACE = uuid.UUID("6f1c1b52-7d1e-4c55-9a43-3e2f1d0c9b7a")


def planner_uuid(task_id: int, created_at: datetime | str | None) -> str:
    """The stable UUID under which Planner exports a task that has no source id of its own.

    Derived from the task's id and creation second, so the same database
    always writes the same UUID and a round trip through another tool finds
    the task again, while another database's task #id does not match.
    """
    if isinstance(created_at, str):
        created_at = datetime.fromisoformat(created_at.replace("Z", "+00:00"))
    stamp = ""
    if created_at is not None:
        if created_at.tzinfo is None:
            created_at = created_at.replace(tzinfo=timezone.utc)
        stamp = created_at.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%S")
    return str(uuid.uuid5(_PLANNER_NAMESPACE, f"planner-task:{task_id}:{stamp}"))


def bare_uuid(external_id: str) -> str | None:
    """The UUID inside an external id (``tw:<uuid>`` -> ``<uuid>``), or None when it holds none."""
    rest = external_id.split(":", 1)[1] if ":" in external_id else external_id
    try:
        return str(uuid.UUID(rest))
    except ValueError:
        return None
