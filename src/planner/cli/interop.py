"""`planner import` and `planner export`: Taskwarrior, todo.txt, iCalendar, MSPDI, CSV, JSON, Mermaid."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from planner.cli.common import App, context, fail

app = App(help="Import and export.")

_FORMATS = "taskwarrior (tw), todotxt, ical (ics), mspdi (msproject), csv, json, psplib (import only, needs --project)"


def _mapping(pairs: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs:
        column, sep, field = pair.partition("=")
        if not sep or not column.strip() or not field.strip():
            raise fail(f"--map wants COLUMN=FIELD, not {pair!r}", 2)
        mapping[column.strip()] = field.strip()
    return mapping


def _check_format(name: str, *, for_import: bool) -> None:
    """An unknown FORMAT is a usage error (exit 2), as a bad option value is."""
    from planner.domain.errors import InvalidInputError
    from planner.services.interchange.files import format_named

    try:
        format_named(name, for_import=for_import)
    except InvalidInputError as error:
        raise fail(str(error), 2) from None


@app.command("import")
def import_command(
    cli_ctx: typer.Context,
    fmt: Annotated[str, typer.Argument(metavar="FORMAT", help=f"One of: {_FORMATS}.")],
    file: Annotated[str, typer.Argument(metavar="FILE", help="The file to import ('-' reads stdin).")],
    project: Annotated[Optional[str], typer.Option("--project", "-p", help="Put every task into this project.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report what would change; write nothing.")] = False,
    map_: Annotated[Optional[list[str]], typer.Option("--map", help="CSV: COLUMN=FIELD (repeatable).")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="JSON dump: replace a database that holds data.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Import a file, all or nothing; importing it again updates the same tasks."""
    _check_format(fmt, for_import=True)
    from planner.services.interchange.files import import_file

    report = import_file(context(cli_ctx), fmt, file, project, dry_run=dry_run, mapping=_mapping(map_ or []),
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
        typer.echo(f"new {'project' if len(report.projects_created) == 1 else 'projects'}: "
                   f"{', '.join(report.projects_created)}")
    for warning in report.warnings[:20]:
        typer.echo(f"warning: {warning}", err=True)
    if len(report.warnings) > 20:
        typer.echo(f"warning: ... and {len(report.warnings) - 20} more", err=True)


@app.command("export")
def export_command(
    cli_ctx: typer.Context,
    fmt: Annotated[str, typer.Argument(metavar="FORMAT", help=f"One of: {_FORMATS}, mermaid.")],
    project: Annotated[Optional[str], typer.Option("--project", "-p", help="Only this project.")] = None,
    out: Annotated[Optional[Path], typer.Option("--out", "-o", help="Write to this file instead of stdout.")] = None,
) -> None:
    """Export tasks (or the whole database, for json) in another tool's format."""
    from planner.services.interchange.files import export_file

    _check_format(fmt, for_import=False)
    content = export_file(context(cli_ctx), fmt, project)
    data = content.encode("utf-8") if isinstance(content, str) else content
    if out is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data) if hasattr(sys.stdout, "buffer") else sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()
        return
    from planner.services.output import write_output

    target = write_output(out, data, what="export")
    typer.echo(f"wrote {target}", err=True)
