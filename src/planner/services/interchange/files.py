"""Import and export use cases over the registered formats (``interop/formats.py``).

An import is all or nothing. The file is parsed into plain records
(``interop/``), matched against the store and validated as a whole — dates,
statuses, unknown dependencies, cycles through the stored and the imported
links together — before anything is written; then everything is written in
one unit of work. Records keep their source id in ``external_id`` and a
second import of the same file updates the matched tasks instead of adding
them again (``unchanged`` counts those it leaves as they are).

Speed: rows go in as bulk Core statements inside that one transaction, and
the import records ONE summary Event (entity ``import``, action
``imported``) with the counts, not one Event per row. So the activity log
and the digest see the import as one change, and ``planner undo`` cannot
revert an import row by row: to take an import back, restore a backup
(``planner db backup`` before a large import) or a JSON dump.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import IO, Any

from planner.domain.errors import ConflictError, InvalidInputError
from planner.interop.formats import InterchangeFormat, all_formats, find_format
from planner.interop.records import ExportData
from planner.services.context import Context
from planner.store import catalog_views


def format_named(name: str, *, for_import: bool = False) -> str:
    """The canonical format name for what a person typed, or InvalidInputError listing the formats."""
    return _format(name, for_import=for_import).NAME


def _format(name: str, *, for_import: bool = False) -> InterchangeFormat:
    found = find_format(name)
    if found is None or not (found.CAN_IMPORT if for_import else found.CAN_EXPORT):
        usable = [fmt.NAME for fmt in all_formats() if (fmt.CAN_IMPORT if for_import else fmt.CAN_EXPORT)]
        what = "import" if for_import else "export"
        raise InvalidInputError(f"cannot {what} {name!r}: use one of {', '.join(usable)}")
    return found


@dataclass(slots=True)
class ImportReport:
    """What an import did (or, with ``dry_run``, would do)."""

    format: str
    source: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    dry_run: bool = False
    projects_created: list[str] = field(default_factory=list)
    details: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The report as JSON for ``--json``."""
        return {"format": self.format, "source": self.source, "created": self.created, "updated": self.updated,
                "unchanged": self.unchanged, "skipped": self.skipped, "dry_run": self.dry_run,
                "projects_created": self.projects_created, "details": self.details, "warnings": self.warnings}


def read_document(fmt: str, source: str | Path | IO[Any], mapping: dict[str, str] | None = None, *,
                  project: str | None = None, today: date | None = None) -> Any:
    """Parse a file (a path, ``-`` for stdin, or an open stream) with the format's reader.

    Every reader gets the import's ``project`` and ``today`` besides the options it declares.
    """
    module = _format(fmt, for_import=True)
    if mapping and "mapping" not in module.READ_OPTIONS:
        raise InvalidInputError(f"--map only applies to CSV imports, not {module.NAME}")
    options: dict[str, Any] = {"mapping": mapping or None, "project": project, "today": today}
    if not isinstance(source, (str, Path)):
        return module.read(source, options)
    if str(source) == "-":
        stdin: IO[Any] = sys.stdin.buffer if module.MODE == "binary" else sys.stdin
        return module.read(stdin, options)
    from planner.store.paths import check_input_file

    path = check_input_file(source, what="file to import")
    if module.MODE == "binary":
        with path.open("rb") as stream:
            return module.read(stream, options)
    try:
        with path.open("r", encoding="utf-8-sig", newline="" if module.MODE == "csv" else None) as stream:
            return module.read(stream, options)
    except UnicodeDecodeError as error:
        raise InvalidInputError(f"{path.name}: not UTF-8 text ({error.reason} at byte {error.start})") from None


def import_file(ctx: Context, fmt: str, path: str | Path | IO[Any], project: str | None = None, *,
                dry_run: bool = False, mapping: dict[str, str] | None = None, replace: bool = False) -> ImportReport:
    """Import a file all or nothing; re-importing updates the tasks matched by external id."""
    module = _format(fmt, for_import=True)
    fmt = module.NAME
    source = str(path) if isinstance(path, (str, Path)) else getattr(path, "name", "<stream>")
    if module.SCOPE == "database":
        from planner.services.interchange.dump import restore_dump

        if project:
            raise InvalidInputError(f"a {fmt} dump restores the whole database: --project does not apply")
        return restore_dump(ctx, path, dry_run=dry_run, replace=replace, report=ImportReport(fmt, source))
    document = read_document(fmt, path, mapping, project=project, today=ctx.today())
    from planner.services.interchange.writing import apply_plan
    from planner.services.interchange.matching import plan_import
    from planner.services.interchange.stored_state import StoredState
    from planner.store.dialect_ops import prepare_bulk_write

    now = datetime.now(timezone.utc)
    with ctx.uow() as uow:
        conn = uow.session.connection()
        prepare_bulk_write(conn, writes=not dry_run)
        plan = plan_import(document, StoredState(conn), project=project, now=now, today=ctx.today())
        _refuse_removing_others(uow, conn, plan, ctx.actor)
        report = ImportReport(fmt, source, plan.created, plan.updated, plan.unchanged, document.skipped, dry_run,
                              sorted(plan.new_projects), warnings=plan.warnings)
        if dry_run:
            return report
        try:
            report.details = apply_plan(conn, plan, actor=ctx.actor, now=now)
        except Exception as error:  # the raw drivers' errors too (sqlite3 executemany, psycopg COPY)
            raise _write_error(error) from None
        if not (report.created or report.updated or any(report.details.values())):
            return report  # the file matches the store: nothing to log
        uow.record("import", None, "imported", None, {
            "format": fmt, "source": source, "created": report.created, "updated": report.updated,
            "unchanged": report.unchanged, "skipped": report.skipped, "projects_created": report.projects_created,
            **report.details})
        uow.commit()
    from planner.services.database import refresh_statistics

    refresh_statistics(ctx)
    return report


def _write_error(error: Exception) -> Exception:
    """A database refusal during the bulk write as one line (nothing was written); anything else unchanged."""
    from sqlalchemy.exc import DBAPIError

    orig = error.orig if isinstance(error, DBAPIError) else error
    if type(orig).__name__ in ("IntegrityError", "UniqueViolation", "ForeignKeyViolation", "DataError",
                               "NumericValueOutOfRange", "OverflowError", "CheckViolation", "NotNullViolation"):
        detail = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
        return ConflictError(f"the import conflicts with stored data ({detail}); nothing was written")
    return error


def _refuse_removing_others(uow: Any, conn: Any, plan: Any, actor: str) -> None:
    """An import never deletes another person's links, assignments, tags or calendar days."""
    from planner.services import ownership
    from planner.services.interchange.writing import removed_rows

    foreign = ownership.foreign_rows(uow, removed_rows(conn, plan), actor)
    if foreign:
        raise ConflictError(f"the import would remove other people's rows ({ownership.describe_all(foreign)}); "
                            "add those to the file, or import as that person (--as)")


def export_file(ctx: Context, fmt: str, project: str | None = None) -> str | bytes:
    """The store (or one project) in a format: text, or bytes for a binary format (MSPDI)."""
    module = _format(fmt)
    if module.SCOPE == "database":
        from planner.services.interchange.dump import dump_database

        if project:
            raise InvalidInputError(f"a {module.NAME} dump holds the whole database: leave out --project")
        return dump_database(ctx)
    if module.ONE_PROJECT and project is None:
        raise InvalidInputError(f"{module.ONE_PROJECT}: add --project KEY")
    needs = module.EXPORT_NEEDS
    data = ExportData()
    if "records" in needs:
        from planner.services.interchange.export_records import load_export

        data = load_export(ctx, project)
        if module.ONE_PROJECT and data.project is None:
            raise InvalidInputError(f"{module.ONE_PROJECT}: add --project KEY")
    if "scheduled-dates" in needs or "milestone-dates" in needs:
        _scheduled_dates(ctx, data, milestones_only="scheduled-dates" not in needs)
    if "schedule" in needs and project is not None:
        from planner.services.planning.schedule import schedule_project

        data.schedule = schedule_project(ctx, project)
    return module.write(data, {})


def _scheduled_dates(ctx: Context, data: Any, *, milestones_only: bool = False) -> None:
    """Fill scheduled start/finish from the schedule of each project the tasks belong to."""
    from planner.services.planning.schedule import schedule_project

    wanted = [task for task in data.tasks if not milestones_only or task.kind == "milestone"]
    if not wanted:
        return
    with ctx.reader() as conn:
        keys = catalog_views.project_keys_of_tasks(conn)
    by_project: dict[str, list[Any]] = {}
    for task in wanted:
        if task.planner_id in keys:
            by_project.setdefault(keys[task.planner_id], []).append(task)
    for key, tasks in by_project.items():
        scheduled = {item.id: item for item in schedule_project(ctx, key).tasks}
        for task in tasks:
            item = scheduled.get(task.planner_id)
            if item is not None:
                task.start, task.finish, task.critical = item.start, item.finish, item.critical
