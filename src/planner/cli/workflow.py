"""`planner workflow ...`: board states, their categories and WIP limits."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from planner.cli.common import App, context
from planner.render.console import plural

app = App(help="Workflows: ordered board states (todo / doing / done) with optional WIP limits.")
state_app = App(help="Add, change or remove the states of a workflow.")
app.add_typer(state_app, name="state")

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
WorkflowArg = Annotated[str, typer.Argument(help="Workflow name, e.g. default.")]
StateArg = Annotated[str, typer.Argument(help="State key, e.g. review.")]


def _wip(text: str | None) -> object:
    """'none' lifts the limit; a number sets it; absent keeps it."""
    from planner.domain.errors import InvalidInputError
    from planner.services.flow.workflows import KEEP_WIP_LIMIT

    if text is None:
        return KEEP_WIP_LIMIT
    if text.strip().lower() in ("none", "0", "-"):
        return None
    try:
        return int(text)
    except ValueError:
        raise InvalidInputError(f"WIP limit {text!r}: give a number of tasks, or 'none'") from None


def _print(info, as_json: bool) -> None:  # noqa: ANN001
    from planner.render.console import print_json, print_rows

    if as_json:
        print_json(info.to_json())
        return
    typer.echo(f"workflow {info.name}" + (f" (used by {', '.join(info.projects)})" if info.projects else ""))
    print_rows([[str(index + 1), s.key, s.name, s.category,
                 f"{s.task_count}/{s.wip_limit}" if s.wip_limit else str(s.task_count)]
                for index, s in enumerate(info.states)], ["#", "Key", "Name", "Category", "Tasks/WIP"], {0, 4})


@app.command("ls")
def list_workflows(cli_ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """List workflows with their states."""
    from planner.render.console import print_json
    from planner.services.flow.workflows import list_workflows as query

    workflows = query(context(cli_ctx))
    if as_json:
        print_json([w.to_json() for w in workflows])
        return
    for info in workflows:
        states = " → ".join(s.key + (f"[{s.wip_limit}]" if s.wip_limit else "") for s in info.states)
        typer.echo(f"{info.name}: {states}")


@app.command("show")
def show(
    cli_ctx: typer.Context,
    name: Annotated[Optional[str], typer.Argument(help="Workflow name (default: default).")] = None,
    project: Annotated[Optional[str], typer.Option("--project", "-p", help="The workflow this project uses.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Show a workflow's states, task counts and WIP limits."""
    from planner.services.flow.workflows import show_workflow

    _print(show_workflow(context(cli_ctx), name, project=project), as_json)


@app.command("add")
def add(
    cli_ctx: typer.Context,
    name: WorkflowArg,
    states: Annotated[Optional[list[str]], typer.Argument(help="States as KEY:CATEGORY, e.g. open:todo wip:doing shipped:done.")] = None,
    copy: Annotated[str, typer.Option("--from", help="Copy the states of this workflow (when none are given).")] = "default",
) -> None:
    """Create a workflow (a copy of another one, or from KEY:CATEGORY states)."""
    from planner.domain.errors import InvalidInputError
    from planner.services.flow.workflows import add_workflow

    parsed = []
    for item in states or []:
        key, _, category = item.partition(":")
        if not category:
            raise InvalidInputError(f"state {item!r}: write KEY:CATEGORY, e.g. wip:doing")
        parsed.append((key, category))
    info = add_workflow(context(cli_ctx), name, copy_from=copy, states=parsed or None)
    typer.echo(f"created workflow {info.name}: {' → '.join(s.key for s in info.states)}")


@app.command("use")
def use(
    cli_ctx: typer.Context,
    project: Annotated[str, typer.Argument(help="Project or stream key.")],
    name: WorkflowArg,
) -> None:
    """Make a project use a workflow (tasks in states it lacks move to the matching category)."""
    from planner.services.flow.workflows import use_workflow

    moved = use_workflow(context(cli_ctx), project, name)
    typer.echo(f"{project} now uses workflow {name}" + (f"; {plural(moved, 'task')} changed state" if moved else ""))


@state_app.command("add")
def state_add(
    cli_ctx: typer.Context,
    workflow: WorkflowArg,
    key: StateArg,
    category: Annotated[str, typer.Option("--category", "-c", help="todo, doing or done.")] = "todo",
    name: Annotated[Optional[str], typer.Option("--name", help="Display name.")] = None,
    after: Annotated[Optional[str], typer.Option("--after", help="Place it right after this state.")] = None,
    wip: Annotated[Optional[int], typer.Option("--wip", min=1, help="WIP limit: at most this many open tasks.")] = None,
) -> None:
    """Add a state to a workflow."""
    from planner.services.flow.workflows import add_state

    info = add_state(context(cli_ctx), workflow, key, name=name, category=category, after=after, wip_limit=wip)
    typer.echo(f"{info.name}: {' → '.join(s.key for s in info.states)}")


@state_app.command("edit")
def state_edit(
    cli_ctx: typer.Context,
    workflow: WorkflowArg,
    key: StateArg,
    name: Annotated[Optional[str], typer.Option("--name", help="Display name.")] = None,
    category: Annotated[Optional[str], typer.Option("--category", "-c", help="todo, doing or done.")] = None,
    wip: Annotated[Optional[str], typer.Option("--wip", help="WIP limit (a number, or 'none').")] = None,
    position: Annotated[Optional[int], typer.Option("--position", min=1, help="Move it to this place (1 = first).")] = None,
) -> None:
    """Rename a state, change its category, WIP limit or place."""
    from planner.services.flow.workflows import edit_state

    info = edit_state(context(cli_ctx), workflow, key, name=name, category=category, wip_limit=_wip(wip),
                      position=position)
    _print(info, False)


@state_app.command("rm")
def state_remove(
    cli_ctx: typer.Context,
    workflow: WorkflowArg,
    key: StateArg,
    to: Annotated[Optional[str], typer.Option("--to", help="Where its tasks go.")] = None,
) -> None:
    """Remove a state (its tasks move to --to)."""
    from planner.services.flow.workflows import remove_state

    info = remove_state(context(cli_ctx), workflow, key, move_to=to)
    typer.echo(f"{info.name}: {' → '.join(s.key for s in info.states)}")
