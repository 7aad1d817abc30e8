"""Annotations: timestamped notes on a task by whoever adds them (Taskwarrior's annotate, Org's log notes).

They are the ``comment`` rows of a task, numbered from 1 oldest first. Adding
or removing one bumps the task's version (the task changed, as Taskwarrior
counts it), which also puts the change in the task's history and its undo.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from planner.domain.errors import InvalidInputError
from planner.domain.text import clean_text
from planner.services import lookup
from planner.services.context import Context
from planner.services.history import Annotation
from planner.store.models import Comment, utcnow


def annotate(ctx: Context, task_id: int, text: str) -> Annotation:
    """Add an annotation by the acting person, stamped now."""
    body = clean_text(text).strip()
    if not body:
        raise InvalidInputError('an annotation needs text, e.g. planner annotate 5 "called the plumber"')
    with ctx.uow() as uow:
        task = lookup.task(uow, task_id)
        row = uow.add(Comment(task_id=task.id, author=ctx.actor, body=body))
        uow.update(task, updated_at=utcnow())
        count = len(_rows(uow, task_id))
        uow.commit()
        return Annotation(count, row.created_at, row.author, row.body)


def denotate(ctx: Context, task_id: int, n: int) -> Annotation:
    """Remove the ``n``-th annotation (1 the oldest, as `show` numbers them)."""
    with ctx.uow() as uow:
        task = lookup.task(uow, task_id)
        rows = _rows(uow, task_id)
        if not rows:
            raise InvalidInputError(f"task #{task_id} has no annotations to remove")
        if not 1 <= n <= len(rows):
            raise InvalidInputError(f"task #{task_id} has {len(rows)} annotation{'s' if len(rows) > 1 else ''}: "
                                    f"give N from 1 to {len(rows)} (`planner show {task_id}` numbers them)")
        row = rows[n - 1]
        removed = Annotation(n, row.created_at, row.author, row.body)
        uow.delete(row)
        uow.update(task, updated_at=utcnow())
        uow.commit()
        return removed


def _rows(uow: Any, task_id: int) -> list[Comment]:
    return uow.all(select(Comment).where(Comment.task_id == task_id).order_by(Comment.created_at, Comment.id))
