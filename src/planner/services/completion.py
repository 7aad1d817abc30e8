"""What the shell completes: task ids with titles, project keys, handles, tags and filter terms.

Every lookup reads the store read-only and gives nothing (never an error) when it is missing or unreachable:
completion runs on every Tab and must not create, migrate or wait for a database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from planner.domain.filters import ATTRIBUTES, COMPARISONS, VIRTUAL_TAGS

#: A candidate: the word to insert and a short description ("" for none).
Candidate = tuple[str, str]

_DATE_KEYS = ("due", "start", "created")
_NUMBER_KEYS = ("priority", "id", "estimate")
_DATE_WORDS = ("today", "tomorrow", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "eow", "eom", "+3d", "+1w")
_KEY_HELP = {"project": "project or stream key", "status": "workflow state", "priority": "0 to 3",
             "due": "due date", "start": "start no earlier than", "assignee": "person handle or me",
             "kind": "task or milestone", "id": "task id", "sprint": "sprint", "estimate": "hours",
             "title": "words in the title", "created": "creation date", "external": "external id"}


def _read(database: str | None, query: Callable[[Any], list[Any]]) -> list[Any]:
    """``query(conn)`` on the store ``database`` names (or the configured one); [] when that fails."""
    try:
        from planner.config import load_settings
        from planner.store.completion_views import completion_reader
        from planner.store.location import parse_database_url

        location = parse_database_url(load_settings(database=database).database_url)
        with completion_reader(location) as conn:
            return [] if conn is None else query(conn)
    except Exception:  # noqa: BLE001 - a Tab must never print a traceback; no store means no candidates
        return []


def task_ids(database: str | None, prefix: str) -> list[Candidate]:
    """Task ids starting with ``prefix`` with their titles (open tasks first); ``4,7-1`` completes its last id."""
    import re

    from planner.store.completion_views import task_titles

    typed = re.fullmatch(r"((?:\d+[,-])*)(\d*)", prefix)
    if typed is None:
        return []
    head, digits = typed.groups()
    return [(head + task_id, title) for task_id, title in _read(database, lambda conn: task_titles(conn, digits))]


def project_keys(database: str | None, prefix: str) -> list[Candidate]:
    """Project and stream keys starting with ``prefix``, with their names."""
    from planner.store.completion_views import project_names

    return _read(database, lambda conn: project_names(conn, prefix))


def handles(database: str | None, prefix: str) -> list[Candidate]:
    """Person handles starting with ``prefix``, with their names."""
    from planner.store.completion_views import person_names

    return _read(database, lambda conn: person_names(conn, prefix))


def tags(database: str | None, prefix: str) -> list[Candidate]:
    """Tags starting with ``prefix``."""
    from planner.store.completion_views import tag_names

    return [(name, "") for name in _read(database, lambda conn: tag_names(conn, prefix))]


def filter_keys(prefix: str) -> list[Candidate]:
    """``key:`` and ``key.op:`` words of the filter language starting with ``prefix``."""
    words: list[Candidate] = []
    for key in ATTRIBUTES:
        words.append((f"{key}:", _KEY_HELP.get(key, "")))
        ops = ("before", "after", "by") if key in _DATE_KEYS else ("over", "under") if key in _NUMBER_KEYS else ()
        words += [(f"{key}.{op}:", _KEY_HELP.get(key, "")) for op in (*ops, "not") if op in COMPARISONS]
    return [word for word in words if word[0].startswith(prefix)]


def filter_values(database: str | None, key: str, prefix: str) -> list[Candidate]:
    """Values of one filter key (``project`` -> project keys, ``due`` -> date words ...) starting with ``prefix``."""
    base = key.split(".", 1)[0]
    if base == "project":
        return project_keys(database, prefix)
    if base == "assignee":
        return [word for word in [("me", "yourself"), *handles(database, prefix)] if word[0].startswith(prefix)]
    if base == "status":
        from planner.store.completion_views import status_names

        names = [*_read(database, status_names), "open", "done"]
        return [(name, "") for name in dict.fromkeys(names) if name.startswith(prefix)]
    if base == "kind":
        return [(word, "") for word in ("task", "milestone") if word.startswith(prefix)]
    if base == "priority":
        return [(word, "") for word in ("0", "1", "2", "3", "h", "m", "l") if word.startswith(prefix)]
    if base in _DATE_KEYS:
        return [(word, "") for word in (*_DATE_WORDS, "none") if word.startswith(prefix)]
    if base == "id":
        return task_ids(database, prefix)
    return []


def filter_terms(database: str | None, incomplete: str) -> list[Candidate]:
    """Candidates for one word of a filter: ``+tag``/``-tag``, ``key:value`` or a key to start one."""
    if incomplete[:1] in ("+", "-"):
        sign, rest = incomplete[0], incomplete[1:]
        known = [*(name for name in VIRTUAL_TAGS if name.startswith(rest)), *(t for t, _ in tags(database, rest))]
        return [(sign + name, "state" if name in VIRTUAL_TAGS else "tag") for name in dict.fromkeys(known)]
    key, colon, value = incomplete.partition(":")
    if colon:
        return [(f"{key}:{word}", note) for word, note in filter_values(database, key, value)]
    return filter_keys(incomplete)
