"""The filter language of ``planner ls``, compiled to SQL with bound parameters.

A filter is a list of terms, all of which must hold::

    project:web +docs -blocked status:doing due.before:fri assignee:me
    priority.over:1 "free text"

* ``attr:value`` equality, ``attr.before|after|over|under|not:value``
  comparisons (``.below``/``.above`` are aliases of under/over);
* ``+tag`` / ``-tag`` has / has not the tag; the virtual tags ``blocked``,
  ``overdue``, ``milestone``, ``done``, ``active``, ``snoozed`` and ``today``
  test state instead;
* any other word is free text, matched against title and notes.

The compiler never evaluates anything: it produces a WHERE fragment over the
aliases ``t`` (task) and ``p`` (project) and a list of parameters.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

from planner.domain.errors import InvalidInputError

DateParser = Callable[[str, date], date]

_TERM = re.compile(r"^(?P<attr>[a-z_]+)(?:\.(?P<op>[a-z]+))?:(?P<value>.*)$", re.IGNORECASE)
_TAG_NAME = re.compile(r"^[\w][\w.-]*$")

_BLOCKED = (
    "EXISTS (SELECT 1 FROM dependency d JOIN task pt ON pt.id = d.predecessor_id "
    "WHERE d.successor_id = t.id AND pt.completed_at IS NULL)"
)
_HAS_TAG = "EXISTS (SELECT 1 FROM tasktag tt JOIN tag g ON g.id = tt.tag_id WHERE tt.task_id = t.id AND g.name = ?)"
_ASSIGNED = (
    "EXISTS (SELECT 1 FROM assignment a JOIN resource r ON r.id = a.resource_id "
    "WHERE a.task_id = t.id AND r.handle = ?)"
)
_UNASSIGNED = "NOT EXISTS (SELECT 1 FROM assignment a WHERE a.task_id = t.id)"

ATTRIBUTES = ("project", "status", "priority", "due", "start", "assignee", "kind", "id", "sprint",
              "estimate", "title", "created", "external")
VIRTUAL_TAGS = ("blocked", "overdue", "milestone", "done", "active", "snoozed", "today", "unassigned")
_OPS = {"is": "=", "eq": "=", "not": "<>", "before": "<", "after": ">", "under": "<", "below": "<",
        "over": ">", "above": ">", "by": "<="}


@dataclass(slots=True)
class CompiledFilter:
    """A WHERE fragment and its parameters; ``includes_done`` tells if finished tasks were asked for."""

    where: str = "1=1"
    params: list[object] = field(default_factory=list)
    includes_done: bool = False
    text_terms: list[str] = field(default_factory=list)


def tokenize(text: str) -> list[str]:
    """Split a filter typed as one string, honouring double quotes."""
    import shlex

    try:
        return shlex.split(text)
    except ValueError as error:
        raise InvalidInputError(f"cannot read filter {text!r}: {error}") from None


def compile_filter(terms: Sequence[str], *, me: str, today: date, parse_date: DateParser) -> CompiledFilter:
    """Compile filter terms into SQL; unknown attributes raise InvalidInputError."""
    clauses: list[str] = []
    params: list[object] = []
    includes_done = False
    text_terms: list[str] = []
    for raw in terms:
        term = raw.strip()
        if not term:
            continue
        if term[0] in "+-" and len(term) > 1 and _TAG_NAME.match(term[1:]):
            positive = term[0] == "+"
            name = term[1:].lower()
            clause, clause_params = _tag_clause(name, today)
            if name == "done" and positive:
                includes_done = True
            clauses.append(clause if positive else f"NOT ({clause})")
            params.extend(clause_params)
            continue
        match = _TERM.match(term)
        if match and match["attr"].lower() in ATTRIBUTES:
            attr, op, value = match["attr"].lower(), (match["op"] or "is").lower(), match["value"]
            clause, clause_params, wants_done = _attribute_clause(attr, op, value, me=me, today=today,
                                                                  parse_date=parse_date)
            includes_done = includes_done or wants_done
            clauses.append(clause)
            params.extend(clause_params)
            continue
        if match and match["op"] is None and " " not in term:
            raise InvalidInputError(
                f"unknown filter attribute {match['attr']!r} in {term!r}: use one of {', '.join(ATTRIBUTES)}"
            )
        text_terms.append(term)
        clauses.append("(lower(t.title) LIKE ? OR lower(t.notes) LIKE ?)")
        pattern = "%" + term.lower().replace("\\", "").replace("%", "").replace("_", "") + "%"
        params.extend([pattern, pattern])
    if not includes_done:
        clauses.append("t.completed_at IS NULL")
    return CompiledFilter(" AND ".join(clauses) if clauses else "1=1", params, includes_done, text_terms)


def _tag_clause(name: str, today: date) -> tuple[str, list[object]]:
    iso_today = today.isoformat()
    match name:
        case "blocked":
            return _BLOCKED, []
        case "overdue":
            return "(t.due IS NOT NULL AND t.due < ? AND t.completed_at IS NULL)", [iso_today]
        case "today":
            return "(t.due = ?)", [iso_today]
        case "milestone":
            return "t.kind = 'milestone'", []
        case "done":
            return "t.completed_at IS NOT NULL", []
        case "active":
            return "(t.actual_start IS NOT NULL AND t.completed_at IS NULL)", []
        case "snoozed":
            return "(t.snoozed_until IS NOT NULL AND t.snoozed_until > ?)", [iso_today]
        case "unassigned":
            return _UNASSIGNED, []
    return _HAS_TAG, [name]


def _sql_op(op: str, term: str) -> str:
    try:
        return _OPS[op]
    except KeyError:
        raise InvalidInputError(
            f"unknown comparison .{op} in {term!r}: use .before, .after, .over, .under or .not"
        ) from None


def _attribute_clause(attr: str, op: str, value: str, *, me: str, today: date,
                      parse_date: DateParser) -> tuple[str, list[object], bool]:
    term = f"{attr}.{op}:{value}" if op != "is" else f"{attr}:{value}"
    sql_op = _sql_op(op, term)
    if attr in ("due", "start", "created"):
        column = {"due": "t.due", "start": "t.start_no_earlier", "created": "date(t.created_at)"}[attr]
        if value.lower() in ("", "none"):
            return (f"{column} IS NULL" if sql_op == "=" else f"{column} IS NOT NULL"), [], False
        day = parse_date(value, today).isoformat()
        if attr == "created":
            column = "substr(CAST(t.created_at AS TEXT), 1, 10)"
        return f"({column} IS NOT NULL AND {column} {sql_op} ?)", [day], False
    if attr in ("priority", "id", "estimate"):
        number_type = float if attr == "estimate" else int
        column = {"priority": "t.priority", "id": "t.id", "estimate": "t.estimate_hours"}[attr]
        if attr == "id" and "," in value and sql_op == "=":
            ids = [_number(part, int, term) for part in value.split(",") if part]
            return f"t.id IN ({', '.join('?' for _ in ids)})", list(ids), True
        if attr == "priority":
            value = {"h": "3", "m": "2", "l": "1", "high": "3", "medium": "2", "low": "1"}.get(value.lower(), value)
        return f"({column} IS NOT NULL AND {column} {sql_op} ?)", [_number(value, number_type, term)], attr == "id"
    if sql_op not in ("=", "<>"):
        raise InvalidInputError(f"{attr} takes only equality or .not, not {term!r}")
    negate = sql_op == "<>"
    match attr:
        case "project":
            clause, params = "(p.key = ? OR p.key LIKE ?)", [value, value + ".%"]
        case "status":
            if value.lower() in ("done", "completed"):
                clause, params = "(t.status = ? OR t.completed_at IS NOT NULL)", [value]
                return (f"NOT {clause}" if negate else clause), params, not negate
            if value.lower() in ("open", "pending"):
                return ("t.completed_at IS NOT NULL" if negate else "t.completed_at IS NULL"), [], negate
            clause, params = "t.status = ?", [value]
        case "assignee":
            if value.lower() in ("", "none"):
                clause, params = _UNASSIGNED, []
            else:
                clause, params = _ASSIGNED, [me if value.lower() == "me" else value]
        case "kind":
            clause, params = "t.kind = ?", [value]
        case "sprint":
            clause, params = "EXISTS (SELECT 1 FROM sprint s WHERE s.id = t.sprint_id AND s.name = ?)", [value]
        case "title":
            clause, params = "lower(t.title) LIKE ?", ["%" + value.lower() + "%"]
        case "external":
            clause, params = "t.external_id = ?", [value]
        case _:  # pragma: no cover - ATTRIBUTES is exhaustive
            raise InvalidInputError(f"unknown attribute {attr!r}")
    return (f"NOT ({clause})" if negate else clause), params, False


def _number(value: str, number_type: type, term: str) -> int | float:
    try:
        return number_type(value)
    except ValueError:
        raise InvalidInputError(f"{term!r}: {value!r} is not a number") from None
