"""`planner import` and `planner export`: Taskwarrior, todo.txt, iCalendar, MSPDI, CSV, JSON, Mermaid."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from planner.cli.common import App, context, fail

app = App(help="Import and export.")

_FORMATS = "taskwarrior (tw), todotxt, ical (ics), mspdi (msproject), csv, json, psplib (import only)"


def _mapping(pairs: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs:
        column, sep, field = pair.partition("=")
        if not sep or not column.strip() or not field.strip():
            raise fail(f"--map wants COLUMN=FIELD, not {pair!r}", 2)
        mapping[column.strip()] = field.strip()
    return mapping


@app.command("import")
def import_command(
    fmt: Annotated[str, typer.Argument(metavar="FORMAT", help=f"One of: {_FORMATS}.")],
    file: Annotated[str, typer.Argument(metavar="FILE", help="The file to import ('-' reads stdin).")],
    project: Annotated[Optional[str], typer.Option("--project", "-p", help="Put every task into this project.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report what would change; write nothing.")] = False,
    map_: Annotated[Optional[list[str]], typer.Option("--map", help="CSV: COLUMN=FIELD (repeatable).")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="JSON dump: replace a database that holds data.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Import a file, all or nothing; importing it again updates the same tasks."""
    if fmt.lower() == "psplib":
        _import_psplib(file, project, dry_run)
        return
    from planner.services.interchange.files import import_file

    report = import_file(context(), fmt, file, project, dry_run=dry_run, mapping=_mapping(map_ or []),
                         replace=replace)
    if as_json:
        from planner.render.console import print_json

        print_json(report.to_json())
        return
    verb = "would import" if report.dry_run else "imported"
    line = (f"{verb} {report.format}: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged")
    if report.skipped:
        line += f", {report.skipped} skipped"
    typer.echo(line)
    if report.projects_created:
        typer.echo(f"new project(s): {', '.join(report.projects_created)}")
    for warning in report.warnings[:20]:
        typer.echo(f"warning: {warning}", err=True)
    if len(report.warnings) > 20:
        typer.echo(f"warning: ... and {len(report.warnings) - 20} more", err=True)


def _import_psplib(file: str, project: str | None, dry_run: bool) -> None:
    """A PSPLIB instance as a new project (one task per job, resources R1..Rn)."""
    from planner.services.interchange.psplib import import_psplib

    if project is None:
        raise fail("a PSPLIB import needs --project KEY (the new project's key)", 2)
    if dry_run:
        raise fail("--dry-run is not supported for PSPLIB (the import only ever creates a new project)", 2)
    result = import_psplib(context(), Path(file), project)
    typer.echo(f"imported psplib: project {result.project} with {result.tasks} tasks, {result.links} links, "
               f"resources {', '.join(result.resources)}, starting {result.start}")


@app.command("export")
def export_command(
    fmt: Annotated[str, typer.Argument(metavar="FORMAT", help=f"One of: {_FORMATS}, mermaid.")],
    project: Annotated[Optional[str], typer.Option("--project", "-p", help="Only this project.")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write to this file instead of stdout.")] = None,
) -> None:
    """Export tasks (or the whole database, for json) in another tool's format."""
    from planner.services.interchange.files import export_file

    content = export_file(context(), fmt, project)
    data = content.encode("utf-8") if isinstance(content, str) else content
    if out is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data) if hasattr(sys.stdout, "buffer") else sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()
        return
    from planner.services.output import write_output

    target = write_output(out, data, what="export")
    typer.echo(f"wrote {target}", err=True)
