"""Annotation commands: `annotate` adds a timestamped note to a task, `denotate` removes one."""

from typing import Annotated

import typer

from planner.cli.common import App, context

app = App()


@app.command("annotate")
def annotate(
    cli_ctx: typer.Context,
    task_id: Annotated[int, typer.Argument(help="Task id.")],
    text: Annotated[list[str], typer.Argument(help="The note (words are joined by spaces).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the annotation as JSON.")] = False,
) -> None:
    """Add a timestamped note to a task, signed by you (`show` lists them)."""
    from planner.render.console import print_json
    from planner.services.annotations import annotate as add

    note = add(context(cli_ctx), task_id, " ".join(text))
    if as_json:
        print_json(note.to_json())
    else:
        typer.echo(f"annotated #{task_id} ({note.n}): {note.text}")


@app.command("denotate")
def denotate(
    cli_ctx: typer.Context,
    task_id: Annotated[int, typer.Argument(help="Task id.")],
    n: Annotated[int, typer.Argument(help="Which annotation: 1 is the oldest, as `planner show ID` numbers them.")],
) -> None:
    """Remove a task's N-th annotation (undo brings it back)."""
    from planner.services.annotations import denotate as remove

    note = remove(context(cli_ctx), task_id, n)
    typer.echo(f"removed annotation {note.n} of #{task_id}: {note.text}")
