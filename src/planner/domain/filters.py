"""The filter language of ``planner ls``, parsed into a small tree (the store compiles it to SQL).

A filter is a list of terms, all of which must hold::

    project:web +docs -blocked status:doing due.before:fri assignee:me
    priority.over:1 "free text"

* ``key:value`` equality, ``key.before|after|over|under|not:value``
  comparisons (``.below``/``.above`` are aliases of under/over);
* ``+tag`` / ``-tag`` has / has not the tag; the virtual tags ``blocked``,
  ``overdue``, ``milestone``, ``done``, ``active``, ``snoozed``, ``today`` and
  ``unassigned`` test state instead;
* any other word is free text, matched literally against title and notes.

Parsing checks everything that needs no database: keys, comparisons, numbers
and their ranges, dates. Status names are checked against the workflows by
:func:`check_statuses`, given the known keys.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date

from planner.domain.errors import InvalidInputError

DateParser = Callable[[str, date], date]

_TERM = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)(?:\.(?P<op>[^\s:]*))?:(?P<value>.*)$", re.DOTALL)
_TAG_NAME = re.compile(r"^[\w][\w.-]*$")

ATTRIBUTES = ("project", "status", "priority", "due", "start", "assignee", "kind", "id", "sprint",
              "estimate", "title", "created", "external")
VIRTUAL_TAGS = ("blocked", "overdue", "milestone", "done", "active", "snoozed", "today", "unassigned")
OPEN_STATUSES = ("open", "pending")
DONE_STATUSES = ("done", "completed")
PRIORITY_RANGE = (0, 3)
ID_RANGE = (1, 2**63 - 1)  # SQLite's largest rowid; PostgreSQL ids are smaller still

# Comparison words as typed, and the relation each names.
COMPARISONS = {"is": "eq", "eq": "eq", "not": "ne", "before": "lt", "after": "gt", "under": "lt", "below": "lt",
               "over": "gt", "above": "gt", "by": "le"}
_DATE_KEYS = ("due", "start", "created")
_NUMBER_KEYS = ("priority", "id", "estimate")
_PRIORITY_WORDS = {"h": 3, "m": 2, "l": 1, "high": 3, "medium": 2, "low": 1, "none": 0}


@dataclass(frozen=True, slots=True)
class Field:
    """``key op value``: op is eq, ne, lt, gt, le or in; value is text, a number, a date, a tuple (in) or None."""

    key: str
    op: str
    value: object


@dataclass(frozen=True, slots=True)
class Tag:
    """The task has (present) or has not the tag ``name``."""

    name: str
    present: bool = True


@dataclass(frozen=True, slots=True)
class Virtual:
    """A state the task is (present) or is not in: one of :data:`VIRTUAL_TAGS`."""

    name: str
    present: bool = True


@dataclass(frozen=True, slots=True)
class Text:
    """Words that title or notes contain, literally (case-insensitive)."""

    words: str


Term = Field | Tag | Virtual | Text


@dataclass(frozen=True, slots=True)
class Filter:
    """Terms that must all hold, and whether finished tasks were asked for (open ones only otherwise)."""

    terms: tuple[Term, ...] = ()
    includes_done: bool = False
    today: date | None = None

    @property
    def statuses(self) -> list[str]:
        """The workflow status names the filter names (to check against the workflows)."""
        return [term.value for term in self.terms if isinstance(term, Field) and term.key == "status"
                and isinstance(term.value, str)]


def tokenize(text: str) -> list[str]:
    """Split a filter typed as one string, honouring double quotes."""
    import shlex

    try:
        return shlex.split(text)
    except ValueError as error:
        raise InvalidInputError(f"cannot read filter {text!r}: {error}") from None


def parse_filter(words: Sequence[str], *, me: str, today: date, parse_date: DateParser) -> Filter:
    """Parse filter words into a :class:`Filter`; anything malformed raises InvalidInputError."""
    terms: list[Term] = []
    includes_done = False
    for raw in words:
        word = raw.strip()
        if not word:
            continue
        if "\x00" in word:
            raise InvalidInputError(f"filter term {word!r} contains a NUL character: no task can match it")
        term = _parse_word(word, me=me, today=today, parse_date=parse_date)
        terms.append(term)
        includes_done = includes_done or _asks_for_done(term)
    return Filter(tuple(terms), includes_done, today)


def check_statuses(parsed: Filter, known: Collection[str]) -> None:
    """Raise InvalidInputError for a status name that is neither a workflow state key nor open/done."""
    for name in parsed.statuses:
        if name not in known:
            choices = ", ".join([*sorted(known), *(word for word in ("open", "done") if word not in known)])
            raise InvalidInputError(f"unknown status {name!r} in status:{name}: use one of {choices}")


def _asks_for_done(term: Term) -> bool:
    if isinstance(term, Virtual):
        return term.name == "done" and term.present
    return isinstance(term, Field) and term.key == "id"


def _parse_word(word: str, *, me: str, today: date, parse_date: DateParser) -> Term:
    if word[0] in "+-":
        name = word[1:]
        if not _TAG_NAME.match(name):
            raise InvalidInputError(
                f"{word!r} is not a tag term: write +TAG or -TAG with a tag name or one of the states "
                f"{', '.join(VIRTUAL_TAGS)}")
        name = name.lower()
        if name in VIRTUAL_TAGS:
            return Virtual(name, word[0] == "+")
        return Tag(name, word[0] == "+")
    match = _TERM.match(word)
    if match is None:
        return Text(word)
    key, op_word, value = match["key"].lower(), match["op"], match["value"]
    if key not in ATTRIBUTES:
        raise InvalidInputError(f"unknown filter key {match['key']!r} in {word!r}: use one of {', '.join(ATTRIBUTES)}")
    op = COMPARISONS.get((op_word if op_word is not None else "is").lower())
    if op is None:
        raise InvalidInputError(f"unknown comparison .{op_word} in {word!r}: use .before, .after, .over, .under, "
                                ".by or .not")
    return _field(key, op, value, word, me=me, today=today, parse_date=parse_date)


def _field(key: str, op: str, value: str, word: str, *, me: str, today: date, parse_date: DateParser) -> Term:
    if key in _DATE_KEYS:
        if value.lower() in ("", "none"):
            if op not in ("eq", "ne"):
                raise InvalidInputError(f"{word!r}: compare {key} with a date; {key}:none finds tasks without one")
            return Field(key, op, None)
        return Field(key, op, parse_date(value, today))
    if key in _NUMBER_KEYS:
        return _number_field(key, op, value, word)
    if op not in ("eq", "ne"):
        raise InvalidInputError(f"{key} takes only equality or .not, not {word!r}")
    if key == "status":
        lowered = value.lower()
        if lowered in DONE_STATUSES or lowered in OPEN_STATUSES:
            return Virtual("done", (lowered in DONE_STATUSES) == (op == "eq"))
    if key == "assignee":
        if value.lower() in ("", "none"):
            return Virtual("unassigned", op == "eq")
        value = me if value.lower() == "me" else value
    return Field(key, op, value)


def _number_field(key: str, op: str, value: str, word: str) -> Field:
    if key == "id" and "," in value:
        if op != "eq":
            raise InvalidInputError(f"{word!r}: a list of ids takes only equality (id:1,2,3)")
        return Field(key, "in", tuple(_integer(part, key, word) for part in value.split(",") if part.strip()))
    if key == "estimate":
        try:
            hours = float(value)
        except ValueError:
            raise InvalidInputError(f"{word!r}: {value!r} is not a number of hours") from None
        if not math.isfinite(hours):
            raise InvalidInputError(f"{word!r}: {value!r} is not a finite number of hours")
        return Field(key, op, hours)
    if key == "priority":
        value = str(_PRIORITY_WORDS.get(value.strip().lower(), value))
    return Field(key, op, _integer(value, key, word))


def _integer(text: str, key: str, word: str) -> int:
    low, high = PRIORITY_RANGE if key == "priority" else ID_RANGE
    stripped = text.strip()
    if not re.fullmatch(r"[+-]?\d+", stripped, re.ASCII):
        raise InvalidInputError(f"{word!r}: {text!r} is not a whole number ({key} is {low} to {high})")
    number = int(stripped) if len(stripped) <= 30 else math.inf  # int() refuses very long digit strings
    if not low <= number <= high:
        raise InvalidInputError(f"{word!r}: {key} {stripped} is out of range: use {low} to {high}")
    return number
