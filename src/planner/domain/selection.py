"""Task selections as people type them: ``4``, ``4,7``, ``2-5`` and several of those (``4,7 9 12-14``)."""

from __future__ import annotations

import re

from planner.domain.errors import InvalidInputError

#: The most ids one range may span (a typo such as ``2-20000`` should not touch a whole database).
MAX_RANGE = 1000

MAX_ID = 2**63 - 1
SELECTION_HINT = "e.g. 4, 4,7 or 2-5"
_PART = re.compile(r"^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$")


def looks_like_selection(word: str) -> bool:
    """Whether ``word`` is made of ids, commas and dashes only (``tag 4,7 home``: where the ids end)."""
    return bool(word) and bool(re.fullmatch(r"[\d,\- ]+", word)) and any(c.isdigit() for c in word)


def parse_selection(words: list[str]) -> list[int]:
    """The task ids ``words`` name, in the order given, each once; InvalidInputError names the bad part."""
    ids: dict[int, None] = {}
    for word in words:
        parts = word.split(",")
        if any(not part.strip() for part in parts):
            raise InvalidInputError(f"{word!r} is not a task id or range ({SELECTION_HINT})")
        for part in parts:
            for task_id in _ids_of(part.strip()):
                ids.setdefault(task_id, None)
    if not ids:
        raise InvalidInputError(f"give task ids ({SELECTION_HINT}) or --where FILTER")
    return list(ids)


def _ids_of(part: str) -> range:
    match = _PART.match(part)
    if match is None:
        raise InvalidInputError(f"{part} is not a task id or range ({SELECTION_HINT})")
    first = int(match.group(1))
    last = int(match.group(2)) if match.group(2) is not None else first
    if max(first, last) > MAX_ID:
        raise InvalidInputError(f"{part} is not a task id: ids go up to {MAX_ID}")
    if first == 0 or last == 0:
        raise InvalidInputError(f"{part}: task ids start at 1")
    if last < first:
        raise InvalidInputError(f"{part} is a reversed range: write {last}-{first}")
    if last - first + 1 > MAX_RANGE:
        raise InvalidInputError(f"{part} spans {last - first + 1:,} ids; a range may span at most {MAX_RANGE:,} "
                                "(use --where FILTER for more)")
    return range(first, last + 1)
