"""`planner db ...`: upgrade, check, backup."""

from __future__ import annotations

import sys

from pathlib import Path
from typing import Annotated

import typer

from planner.cli.common import App, context, fail

app = App(help="The database: migrations, integrity, backups.")


@app.command("upgrade")
def upgrade(cli_ctx: typer.Context) -> None:
    """Migrate the database to this version's schema."""
    from planner.services.database import upgrade as run_upgrade

    revision = run_upgrade(context(cli_ctx))
    typer.echo(f"database at schema {revision}")


@app.command("check")
def check(
    cli_ctx: typer.Context, as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False
) -> None:
    """Check integrity, foreign keys, cycles and the schema version; exit 1 on problems."""
    from planner.render.console import print_json
    from planner.services.database import check as run_check

    report = run_check(context(cli_ctx))
    if as_json:
        print_json({"ok": report.ok, "revision": report.revision, "head": report.head, "problems": report.problems})
    else:
        for problem in report.problems:
            typer.echo(f"problem: {problem}")
        typer.echo(f"schema {report.revision} (code {report.head}): {'ok' if report.ok else 'NOT OK'}")
    if not report.ok:
        raise typer.Exit(1)


@app.command("backup")
def backup(cli_ctx: typer.Context, target: Annotated[Path, typer.Argument(help="New file to write.")]) -> None:
    """Write a consistent backup (SQLite online backup or pg_dump), mode 0600."""
    from planner.services.database import backup as run_backup

    path = run_backup(context(cli_ctx), target)
    typer.echo(f"backup written to {path}")


@app.command("restore")
def restore(
    cli_ctx: typer.Context,
    source: Annotated[Path, typer.Argument(help="A backup file written by `planner db backup`.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Replace the database with a backup."""
    from planner.services.database import restore as run_restore

    if not yes:
        if not sys.stdin.isatty():
            raise fail("restore replaces the whole database: add --yes to confirm (there is no terminal to ask)", 2)
        if not typer.confirm(f"Replace the current database with {source}?"):
            raise fail("nothing restored", 1)
    run_restore(context(cli_ctx), source)
    typer.echo(f"restored from {source}")


@app.command("copy")
def copy(
    cli_ctx: typer.Context,
    target: Annotated[str, typer.Option("--to", help="Target database URL, e.g. postgresql+psycopg://planner@db/planner.")],
) -> None:
    """Copy every row into another, empty database (SQLite to a team's PostgreSQL)."""
    from planner.services.database import copy_to

    counts = copy_to(context(cli_ctx), target)
    typer.echo(f"copied {sum(counts.values())} rows in {sum(1 for n in counts.values() if n)} tables")


@app.command("path")
def path(cli_ctx: typer.Context) -> None:
    """Print where the database is."""
    ctx = context(cli_ctx)
    typer.echo(ctx.location.shown)
