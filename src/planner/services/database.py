"""Database use cases: upgrade, check, backup."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from planner.services.context import Context
from planner.store.location import SCHEMA_HEAD


@dataclass(slots=True)
class CheckReport:
    """The outcome of `planner db check`."""

    revision: str | None
    head: str
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No problem found and the schema is current."""
        return not self.problems and self.revision == self.head


def upgrade(ctx: Context) -> str:
    """Migrate the database to this code's schema; returns the revision. A damaged file is refused untouched."""
    from planner.store.dbapi import damage
    from planner.store.engine import ensure_schema
    from planner.store.failures import StoreUnavailableError

    problem = damage(ctx.location)
    if problem:
        raise StoreUnavailableError(f"{ctx.location.shown} is damaged ({problem}): nothing was migrated; "
                                    "`planner db restore BACKUP` replaces it")
    return ensure_schema(ctx.location)


def check(ctx: Context) -> CheckReport:
    """Integrity, foreign keys, orphans, dependency cycles and the schema revision."""
    from planner.domain.graph import find_cycle
    from planner.store import catalog_views
    from planner.store.dbapi import schema_revision
    from planner.store.failures import StoreUnavailableError
    from planner.store.maintenance import integrity_problems
    from planner.store.paths import UnusablePathError

    try:
        with ctx.reader() as conn:
            revision = schema_revision(conn)
            problems = integrity_problems(conn)
            edges = [(int(a), int(b)) for a, b in catalog_views.dependency_edges(conn)]
    except (UnusablePathError, StoreUnavailableError) as error:
        return CheckReport(None, SCHEMA_HEAD, [str(error)])
    nodes = sorted({node for edge in edges for node in edge})
    cycle = find_cycle(nodes, edges)
    if cycle:
        problems.append("dependency cycle: " + " -> ".join(f"#{n}" for n in (*cycle, cycle[0])))
    return CheckReport(revision, SCHEMA_HEAD, problems)


def backup(ctx: Context, target: Path) -> Path:
    """A consistent backup file of the database (0600)."""
    from planner.store.maintenance import backup as backup_database
    from planner.store.paths import check_output_file

    return backup_database(ctx.location, check_output_file(target, what="backup", overwrite=False))


def restore(ctx: Context, source: Path) -> None:
    """Replace the database's contents with a verified backup; safe while other processes are connected."""
    from planner.store.maintenance import restore as restore_database
    from planner.store.paths import check_input_file

    restore_database(ctx.location, check_input_file(source, what="backup"))


def copy_to(ctx: Context, target_url: str) -> dict[str, int]:
    """Copy this database into another (e.g. SQLite into a team's PostgreSQL); rows per table."""
    from planner.store.dbapi import read_connection, refresh_statistics
    from planner.store.location import parse_database_url
    from planner.store.maintenance import copy_database

    target = parse_database_url(target_url)
    copied = copy_database(ctx.location, target)
    with read_connection(target) as conn:
        refresh_statistics(conn)  # the copy's first queue plans with statistics, as after an import
    return copied


def refresh_statistics(ctx: Context) -> None:
    """Fresh query-planner statistics after a bulk write, so the first queue after an import plans well."""
    from planner.store.dbapi import refresh_statistics as analyze

    with ctx.reader() as conn:
        analyze(conn)
