"""`planner project complete KEY --handoff STREAM`: finishing a project hands its open work to a stream.

The command joins the `project` group (cli/projects.py) from here, so the
hand-over lives with the rest of the work-management commands.
"""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from planner.cli.common import context
from planner.render.console import plural
from planner.cli.projects import app


@app.command("complete")
def complete(
    key: Annotated[str, typer.Argument(help="Project key.")],
    handoff: Annotated[Optional[str], typer.Option("--handoff", help="Stream that takes over its open tasks and chores.")] = None,
    archive: Annotated[bool, typer.Option("--archive", help="Also hide the project from lists.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Mark a project complete; --handoff moves its open tasks into a stream and starts its follow-up chores."""
    from planner.render.console import print_json
    from planner.services.flow.streams import complete_project

    result = complete_project(context(), key, handoff=handoff, archive=archive)
    if as_json:
        print_json(result.to_json())
        return
    typer.echo(f"completed {result.project}")
    if result.moved_task_ids:
        ids = " ".join(f"#{task_id}" for task_id in result.moved_task_ids)
        typer.echo(f"handed {plural(len(result.moved_task_ids), 'open task')} to {result.handoff}: {ids}")
    for series in result.started:
        first = f": #{series.first_task_id} due {series.first_due}" if series.first_task_id else " (no dates left)"
        typer.echo(f"started recurring {series.title!r}{first}")
