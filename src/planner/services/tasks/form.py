"""Editing a task as a text form: the form of a task, and applying an edited form as one `edit`."""

from __future__ import annotations

from dataclasses import dataclass

from planner.domain.errors import StaleEditError
from planner.domain.task_form import TaskForm, changed_fields, parse_form, render_form
from planner.services.context import Context
from planner.services.queries import get_task
from planner.store import views
from planner.store.views import TaskRow


@dataclass(frozen=True, slots=True)
class OpenForm:
    """A task's form as it was shown: its id, the version it was read at, its values and its text."""

    task_id: int
    version: int
    values: TaskForm
    text: str


class FormConflictError(StaleEditError):
    """Someone else changed the task while its form was open; ``fields`` are the form fields they changed."""

    def __init__(self, task_id: int, fields: list[str], actor: str | None):
        self.task_id = task_id
        self.fields = fields
        who = actor or "someone"
        what = ", ".join(fields) if fields else "fields outside this form"
        super().__init__(f"task #{task_id} changed while you were editing it: {who} changed {what}; "
                         "nothing was applied")


def _values(task: TaskRow) -> TaskForm:
    return TaskForm(
        title=task.title, project=task.project, status=task.status, priority=task.priority, due=task.due,
        start=task.start_no_earlier, estimate=task.estimate_hours, duration=task.duration_days,
        tags=tuple(task.tags), assignees=tuple(task.assignees), dependencies=tuple(task.depends_on),
        notes=task.notes or "",
    )


def open_form(ctx: Context, task_id: int) -> OpenForm:
    """The task's current form (NotFoundError for an unknown id)."""
    task = get_task(ctx, task_id)
    with ctx.reader() as conn:
        statuses = sorted(views.status_keys(conn))
    values = _values(task)
    return OpenForm(task_id, task.version, values, render_form(values, task_id=task_id, version=task.version,
                                                               statuses=statuses))


def apply_form(ctx: Context, shown: OpenForm, text: str) -> list[str]:
    """Apply an edited form as one edit (one undo step); returns the fields changed, [] when none.

    Raises InvalidInputError (and the other PlannerErrors of `edit`) for a form that cannot be applied,
    and FormConflictError when the task changed since ``shown`` was read.
    """
    from planner.services.tasks.operations import edit_task

    # Compared with the shown text read back, so a value the form rounds (an estimate of 2.71 h) is no change.
    before = parse_form(shown.text, base=shown.values, today=ctx.today())
    edited = parse_form(text, base=before, today=ctx.today())
    changed = changed_fields(before, edited)
    if not changed:
        return []
    current = get_task(ctx, shown.task_id)
    if current.version != shown.version:
        raise FormConflictError(shown.task_id, changed_fields(shown.values, _values(current)),
                                _last_actor(ctx, shown.task_id))
    after = edited
    columns = {"title": "title", "priority": "priority", "due": "due", "start": "start_no_earlier",
               "estimate": "estimate_hours", "duration": "duration_days", "notes": "notes"}
    changes = {column: getattr(after, key) for key, column in columns.items() if key in changed}
    try:
        edit_task(
            ctx, shown.task_id, changes,
            project=after.project if "project" in changed else None,
            status=after.status if "status" in changed else None,
            add_tags=[t for t in after.tags if t not in before.tags],
            remove_tags=[t for t in before.tags if t not in after.tags],
            assign=[h for h in after.assignees if h not in before.assignees],
            unassign=[h for h in before.assignees if h not in after.assignees],
            after=[i for i in after.dependencies if i not in before.dependencies],
            unlink=[i for i in before.dependencies if i not in after.dependencies],
            expected_version=shown.version,
        )
    except StaleEditError:  # changed between the check above and the write
        current = get_task(ctx, shown.task_id)
        raise FormConflictError(shown.task_id, changed_fields(shown.values, _values(current)),
                                _last_actor(ctx, shown.task_id)) from None
    return changed


def _last_actor(ctx: Context, task_id: int) -> str | None:
    with ctx.reader() as conn:
        history = views.events_for(conn, "task", task_id)
    return history[-1].actor if history else None
