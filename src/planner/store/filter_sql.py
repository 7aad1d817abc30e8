"""Filters (planner.domain.filters) compiled to a WHERE fragment with bound ``?`` parameters.

The fragment reads the aliases ``t`` (task) and ``p`` (project), as every
task query in store/views.py does. The task predicates shared with other
queries (:data:`BLOCKED`, :data:`UNASSIGNED`) are defined here once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from planner.domain.filters import Field, Filter, Tag, Term, Text, Virtual

BLOCKED = (
    "EXISTS (SELECT 1 FROM dependency d JOIN task pt ON pt.id = d.predecessor_id "
    "WHERE d.successor_id = t.id AND pt.completed_at IS NULL)"
)
UNASSIGNED = "NOT EXISTS (SELECT 1 FROM assignment a WHERE a.task_id = t.id)"

_HAS_TAG = "EXISTS (SELECT 1 FROM tasktag tt JOIN tag g ON g.id = tt.tag_id WHERE tt.task_id = t.id AND g.name = ?)"
_ASSIGNED = ("EXISTS (SELECT 1 FROM assignment a JOIN resource r ON r.id = a.resource_id "
             "WHERE a.task_id = t.id AND r.handle = ?)")
_IN_SPRINT = "EXISTS (SELECT 1 FROM sprint s WHERE s.id = t.sprint_id AND s.name = ?)"
_RELATIONS = {"eq": "=", "ne": "<>", "lt": "<", "gt": ">", "le": "<="}
_DATE_COLUMNS = {"due": "t.due", "start": "t.start_no_earlier", "created": "substr(CAST(t.created_at AS TEXT), 1, 10)"}
_NUMBER_COLUMNS = {"priority": "t.priority", "id": "t.id", "estimate": "t.estimate_hours"}
_TEXT_COLUMNS = {"status": "t.status", "kind": "t.kind", "external": "t.external_id"}
LIKE_ESCAPE = "\\"


@dataclass(slots=True)
class SqlFilter:
    """A WHERE fragment and its parameters, in order."""

    where: str = "1=1"
    params: list[object] = field(default_factory=list)


def like_literal(text: str) -> str:
    """``text`` with LIKE's wildcards and the escape character escaped (use with ``ESCAPE '\\'``)."""
    return text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%").replace("_", LIKE_ESCAPE + "_")


def filter_sql(parsed: Filter) -> SqlFilter:
    """The WHERE fragment for a parsed filter; open tasks only unless it asks for finished ones."""
    clauses: list[str] = []
    params: list[object] = []
    for term in parsed.terms:
        clause, clause_params = _term_sql(term, parsed)
        clauses.append(clause)
        params.extend(clause_params)
    if not parsed.includes_done:
        clauses.append("t.completed_at IS NULL")
    return SqlFilter(" AND ".join(clauses) if clauses else "1=1", params)


def _term_sql(term: Term, parsed: Filter) -> tuple[str, list[object]]:
    if isinstance(term, Text):
        pattern = "%" + like_literal(term.words.lower()) + "%"
        return "(lower(t.title) LIKE ? ESCAPE '\\' OR lower(t.notes) LIKE ? ESCAPE '\\')", [pattern, pattern]
    if isinstance(term, Tag):
        return (_HAS_TAG if term.present else f"NOT {_HAS_TAG}"), [term.name]
    if isinstance(term, Virtual):
        clause, params = _virtual_sql(term.name, parsed)
        return (clause if term.present else f"NOT ({clause})"), params
    return _field_sql(term)


def _virtual_sql(name: str, parsed: Filter) -> tuple[str, list[object]]:
    iso_today = parsed.today.isoformat() if parsed.today else None
    match name:
        case "blocked":
            return BLOCKED, []
        case "overdue":
            return "(t.due IS NOT NULL AND t.due < ? AND t.completed_at IS NULL)", [iso_today]
        case "today":
            return "(t.due IS NOT NULL AND t.due = ?)", [iso_today]
        case "milestone":
            return "t.kind = 'milestone'", []
        case "done":
            return "t.completed_at IS NOT NULL", []
        case "active":
            return "(t.actual_start IS NOT NULL AND t.completed_at IS NULL)", []
        case "snoozed":
            return "(t.snoozed_until IS NOT NULL AND t.snoozed_until > ?)", [iso_today]
        case "unassigned":
            return UNASSIGNED, []
    raise ValueError(f"no SQL for the state {name!r}")  # the parser makes only VIRTUAL_TAGS


def _field_sql(term: Field) -> tuple[str, list[object]]:
    key, op, value = term.key, term.op, term.value
    if op == "in":
        return f"t.id IN ({', '.join('?' for _ in value)})" if value else "1=0", list(value)
    relation = _RELATIONS[op]
    if key in _DATE_COLUMNS:
        column = _DATE_COLUMNS[key]
        if value is None:
            return (f"{column} IS NULL" if op == "eq" else f"{column} IS NOT NULL"), []
        return f"({column} IS NOT NULL AND {column} {relation} ?)", [value.isoformat()]
    if key in _NUMBER_COLUMNS:
        column = _NUMBER_COLUMNS[key]
        return f"({column} IS NOT NULL AND {column} {relation} ?)", [value]
    match key:
        case "project":
            clause, params = "(p.key = ? OR p.key LIKE ? ESCAPE '\\')", [value, like_literal(value) + ".%"]
        case "assignee":
            clause, params = _ASSIGNED, [value]
        case "sprint":
            clause, params = _IN_SPRINT, [value]
        case "title":
            clause, params = "lower(t.title) LIKE ? ESCAPE '\\'", ["%" + like_literal(str(value).lower()) + "%"]
        case _:
            clause, params = f"{_TEXT_COLUMNS[key]} = ?", [value]
    return (f"NOT ({clause})" if op == "ne" else clause), params
