"""The task editor's form as plain data: what was typed, read into values, and the edit it amounts to.

No Textual here, so the reading and the diff are easy to test: dates and
durations are read with the same phrase parsers as the CLI, and the diff is
the argument list of ``services.tasks.edit_task``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from planner.domain.errors import InvalidInputError


@dataclass(slots=True)
class FormText:
    """The editor's fields as typed."""

    title: str = ""
    project: str = ""
    status: str = ""
    priority: int = 0
    due: str = ""
    start_no_earlier: str = ""
    estimate: str = ""
    duration: str = ""
    percent_done: str = "0"
    assignees: str = ""
    tags: str = ""
    notes: str = ""


@dataclass(slots=True)
class FormValues:
    """The fields read into values."""

    title: str
    project: str
    status: str
    priority: int
    due: date | None
    start_no_earlier: date | None
    estimate_hours: float | None
    duration_days: int | None
    percent_done: int
    assignees: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    notes: str = ""


def _words(text: str) -> list[str]:
    return [word.lstrip("@+#").lower() for word in text.replace(",", " ").split() if word.lstrip("@+#")]


def _read(label: str, text: str, parse: Any) -> Any:
    if not text.strip():
        return None
    try:
        return parse(text.strip())
    except InvalidInputError as error:
        raise InvalidInputError(f"{label}: {error}") from None


def read_form(form: FormText, today: date) -> FormValues:
    """Read the typed fields; InvalidInputError names the field that cannot be read."""
    from planner.domain.dates import parse_date, parse_duration_hours, parse_working_days

    if not form.title.strip():
        raise InvalidInputError("Title: a task needs a title")
    try:
        percent = int(form.percent_done.strip() or "0")
    except ValueError:
        raise InvalidInputError(f"% done: {form.percent_done!r} is not a whole number from 0 to 100") from None
    return FormValues(
        title=form.title.strip(), project=form.project.strip().lower(), status=form.status,
        priority=form.priority,
        due=_read("Due", form.due, lambda text: parse_date(text, today)),
        start_no_earlier=_read("Start", form.start_no_earlier, lambda text: parse_date(text, today)),
        estimate_hours=_read("Estimate", form.estimate, parse_duration_hours),
        duration_days=_read("Duration", form.duration, parse_working_days),
        percent_done=percent, assignees=_words(form.assignees), tags=_words(form.tags), notes=form.notes,
    )


def form_of(task: Any) -> FormText:
    """The fields of an existing task, as the editor shows them."""
    return FormText(
        title=task.title, project=task.project, status=task.status, priority=task.priority,
        due=task.due.isoformat() if task.due else "",
        start_no_earlier=task.start_no_earlier.isoformat() if task.start_no_earlier else "",
        estimate=f"{task.estimate_hours:g}h" if task.estimate_hours is not None else "",
        duration=str(task.duration_days) if task.duration_days is not None and task.kind != "milestone" else "",
        percent_done=str(task.percent_done), assignees=" ".join(task.assignees), tags=" ".join(task.tags),
        notes=task.notes or "",
    )


@dataclass(slots=True)
class TaskEdit:
    """The arguments of ``edit_task`` that turn ``task`` into the form's values."""

    changes: dict[str, Any]
    project: str | None = None
    status: str | None = None
    add_tags: list[str] = field(default_factory=list)
    remove_tags: list[str] = field(default_factory=list)
    assign: list[str] = field(default_factory=list)
    unassign: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """Nothing to change."""
        return not (self.changes or self.project or self.status or self.add_tags or self.remove_tags
                    or self.assign or self.unassign)

    def kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``edit_task``."""
        return {"project": self.project, "status": self.status, "add_tags": self.add_tags,
                "remove_tags": self.remove_tags, "assign": self.assign, "unassign": self.unassign}


def edit_between(task: Any, values: FormValues) -> TaskEdit:
    """What changed between a task record and the form."""
    changes: dict[str, Any] = {}
    for name in ("title", "priority", "due", "start_no_earlier", "estimate_hours", "percent_done", "notes"):
        if getattr(task, name) != getattr(values, name):
            changes[name] = getattr(values, name)
    if task.kind != "milestone" and task.duration_days != values.duration_days:
        changes["duration_days"] = values.duration_days
    old_people, old_tags = set(task.assignees), set(task.tags)
    return TaskEdit(
        changes,
        project=values.project if values.project and values.project != task.project else None,
        status=values.status if values.status and values.status != task.status else None,
        add_tags=[t for t in values.tags if t not in old_tags],
        remove_tags=sorted(old_tags - set(values.tags)),
        assign=[p for p in values.assignees if p not in old_people],
        unassign=sorted(old_people - set(values.assignees)),
    )
