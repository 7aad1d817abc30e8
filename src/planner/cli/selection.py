"""What the commands that change tasks share: the selection arguments, --where, --yes and the confirmation."""

from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from planner.cli.common import context, fail
from planner.cli.completion import complete_filter, complete_task_ids

IdsArg = Annotated[Optional[list[str]], typer.Argument(
    help="Task ids: 4, 4,7, 2-5 or several of those (or use --where).", show_default=False,
    autocompletion=complete_task_ids)]
WhereOpt = Annotated[Optional[str], typer.Option(
    "--where", "-w", help='Select the tasks with a filter, as `planner ls` takes it: "project:home +phone".',
    autocompletion=complete_filter)]
YesOpt = Annotated[bool, typer.Option(
    "--yes", "-y", help="Change more tasks than the confirmation threshold without asking.")]
AtOpt = Annotated[Optional[str], typer.Option(
    "--at", help='When it happened, not in the future: "yesterday 17:00", 2026-11-02, "mon 9:00".')]

#: How many titles the confirmation shows before "and N more".
SHOWN_TITLES = 3


def select(cli_ctx: typer.Context, words: list[str] | None, where: str | None, if_version: int | None = None):  # noqa: ANN201
    """The tasks named by ids or ``--where`` (a services Selection); ``--if-version`` with several is a usage error."""
    from planner.domain.selection import SELECTION_HINT
    from planner.services.tasks.bulk import select_tasks

    from planner.domain.errors import InvalidInputError
    from planner.domain.selection import parse_selection

    if not words and where is None:
        raise fail(f"give task ids ({SELECTION_HINT}) or --where FILTER", 2)
    try:
        if words:
            parse_selection(list(words))  # a malformed id or range is a usage error, like `show abc`
    except InvalidInputError as error:
        raise fail(str(error), 2) from None
    selection = select_tasks(context(cli_ctx), list(words or []), where)
    if if_version is not None and len(selection) > 1:
        raise fail(f"--if-version guards one task, not {len(selection)}: give one id", 2)
    return selection


def confirm(cli_ctx: typer.Context, selection, verb: str, yes: bool) -> None:  # noqa: ANN001
    """Above the threshold, ask on a terminal; elsewhere require ``--yes`` (usage error, nothing changed)."""
    limit = context(cli_ctx).settings.bulk_confirm_above
    count = len(selection)
    if count <= limit or yes:
        return
    shown = ", ".join(f"#{task_id} {title}" for task_id, title in
                      zip(selection.ids[:SHOWN_TITLES], selection.titles[:SHOWN_TITLES]))
    more = f" and {count - SHOWN_TITLES} more" if count > SHOWN_TITLES else ""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise fail(f"{verb} would change {count} tasks (more than {limit}): add --yes to go ahead "
                   "(nothing changed; PLANNER_BULK_CONFIRM sets the threshold)", 2)
    if not typer.confirm(f"{verb} {count} tasks: {shown}{more}. Go ahead?", default=False):
        raise fail("nothing changed", 1)


def split_leading_ids(words: list[str], where: str | None, what: str) -> tuple[list[str], list[str]]:
    """``tag 4,7 9 home work``: the leading id words and the rest (all of it is the rest with --where)."""
    from planner.domain.selection import looks_like_selection

    if where is not None:
        ids, rest = [], list(words)
    else:
        count = 0
        while count < len(words) and looks_like_selection(words[count]):
            count += 1
        ids, rest = words[:count], words[count:]
        if not ids:
            raise fail(f"give task ids first, then the {what} (e.g. 4,7 or 2-5), or select with --where", 2)
    if not rest:
        raise fail(f"give at least one {what}", 2)
    return ids, rest


def split_last(words: list[str], what: str) -> tuple[list[str], str]:
    """``move 4,7 9 doing``: the id words and the last word (the value every task gets)."""
    if not words:
        raise fail(f"give the {what}", 2)
    return words[:-1], words[-1]


def parse_moment(cli_ctx: typer.Context, text: str | None):  # noqa: ANN201 - datetime | None
    """An ``--at`` option as naive local time, refused when it is in the future (this run's today counts)."""
    if text is None:
        return None
    from planner.domain.dates import parse_past_moment
    from planner.services.tasks.lifecycle import local_now

    return parse_past_moment(text, local_now(context(cli_ctx)))
