"""`planner edit ID` with no options (and the app's `E`): the task as a TOML form in $VISUAL or $EDITOR."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from planner.domain.errors import InvalidInputError, PlannerError

if TYPE_CHECKING:
    from planner.services.context import Context

#: Runs the editor command (the form's path is its last word) and returns its exit status.
Launch = Callable[[list[str]], int]
#: How often an invalid form is reopened before giving up (a scripted editor must not loop forever).
MAX_ROUNDS = 10
FALLBACK_EDITORS = ("vi", "nano")


@dataclass(slots=True)
class EditorOutcome:
    """How an editor session ended: whether it went well, the line to show, the fields it changed."""

    ok: bool
    message: str
    changed: list[str] = field(default_factory=list)


def editor_command() -> list[str]:
    """$VISUAL, else $EDITOR (split like a shell would: ``code --wait``), else vi in a terminal; else refused."""
    for variable in ("VISUAL", "EDITOR"):
        value = os.environ.get(variable, "").strip()
        if not value:
            continue
        try:
            words = shlex.split(value)
        except ValueError as error:
            raise InvalidInputError(f"${variable} ({value!r}) cannot be read as a command: {error}") from None
        if words:
            return words
    if not stdin_is_terminal():  # a script or cron job: vi would wait for a terminal that never comes
        raise PlannerError("no $VISUAL or $EDITOR set and no terminal for vi: set one (e.g. EDITOR=nano), "
                           "or give an option (`planner edit -h` lists them)")
    for name in FALLBACK_EDITORS:
        if shutil.which(name):
            return [name]
    raise PlannerError("no text editor found: set $VISUAL or $EDITOR, e.g. export EDITOR=nano")


def stdin_is_terminal() -> bool:
    """Whether a person can type into an editor started here."""
    return sys.stdin.isatty()


def run_editor(command: list[str]) -> int:
    """Run the editor in this terminal and wait for it."""
    try:
        return subprocess.run(command, check=False).returncode
    except (FileNotFoundError, PermissionError):
        raise PlannerError(f"cannot run the editor {command[0]!r}: set $VISUAL or $EDITOR to an installed editor, "
                           "e.g. export EDITOR=nano") from None


def edit_with_editor(ctx: Context, task_id: int, launch: Launch = run_editor, *,
                     expected_version: int | None = None) -> EditorOutcome:
    """Open the task's form in the editor until it is applied, left unchanged, abandoned or in conflict."""
    from planner.domain.errors import StaleEditError
    from planner.domain.task_form import with_error
    from planner.services.tasks.form import FormConflictError, apply_form, open_form

    shown = open_form(ctx, task_id)
    if expected_version is not None and shown.version != expected_version:
        raise StaleEditError(f"task #{task_id} is at version {shown.version}, not {expected_version}; "
                             "reload it and edit again")
    command = editor_command()
    handle, path = tempfile.mkstemp(prefix=f"planner-task-{task_id}-", suffix=".toml")
    os.close(handle)
    text, last_error = shown.text, ""
    try:
        for _ in range(MAX_ROUNDS):
            _write(path, text)
            status = launch([*command, path])
            if status != 0:
                return EditorOutcome(False, f"the editor exited with status {status}: #{task_id} left unchanged")
            edited = _read(path)
            if edited == text:
                if last_error:
                    return EditorOutcome(False, f"the form still has an error ({last_error}): #{task_id} left unchanged")
                return EditorOutcome(True, f"no changes: #{task_id} left as it was")
            try:
                changed = apply_form(ctx, shown, edited)
            except FormConflictError as conflict:
                return EditorOutcome(False, f"{conflict}; your text is kept in {_keep(path, edited)}")
            except PlannerError as error:
                if not _still_there(ctx, task_id):  # removed while the form was open: nothing to fix it against
                    return EditorOutcome(False, f"task #{task_id} was removed while the form was open; "
                                                f"your text is kept in {_keep(path, edited)}")
                text, last_error = with_error(edited, str(error)), str(error)
                continue
            if not changed:
                return EditorOutcome(True, f"no changes: #{task_id} left as it was")
            return EditorOutcome(True, f"updated #{task_id}: {', '.join(changed)}", changed)
        return EditorOutcome(False, f"the form was refused {MAX_ROUNDS} times, last: {last_error}; "
                                    f"#{task_id} left unchanged")
    finally:
        Path(path).unlink(missing_ok=True)  # an editor may have removed it


def _write(path: str, text: str) -> None:
    """Write the form, readable by its owner only (notes may be private)."""
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8", newline="") as out:
        out.write(text)


def _keep(path: str, text: str) -> str:
    """Save the user's text beside the form (which is removed) and say where."""
    kept = path.removesuffix(".toml") + ".yours.toml"
    _write(kept, text)
    return kept


def _still_there(ctx: Context, task_id: int) -> bool:
    from planner.domain.errors import NotFoundError
    from planner.services.queries import get_task

    try:
        get_task(ctx, task_id)
    except NotFoundError:
        return False
    return True


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8", newline="") as form:
            return form.read()
    except FileNotFoundError:  # an editor that deleted the file: treat it like quitting unchanged
        return ""
    except UnicodeDecodeError:
        raise InvalidInputError(f"the form {path} is not UTF-8 text") from None


def edit_in_editor(cli_ctx: typer.Context, task_id: int, expected_version: int | None = None) -> None:
    """The CLI's `edit ID` without options: print the outcome; exit 1 when nothing could be applied."""
    from planner.cli.common import context, fail

    outcome = edit_with_editor(context(cli_ctx), task_id, expected_version=expected_version)
    if not outcome.ok:
        raise fail(outcome.message)
    typer.echo(outcome.message)
