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
    """Migrate the database to this code's schema; returns the revision."""
    from planner.store.engine import ensure_schema

    return ensure_schema(ctx.location)


def check(ctx: Context) -> CheckReport:
    """Integrity, foreign keys, orphans, dependency cycles and the schema revision."""
    from planner.domain.graph import find_cycle
    from planner.store.dbapi import schema_revision
    from planner.store.maintenance import integrity_problems

    with ctx.reader() as conn:
        revision = schema_revision(conn)
        problems = integrity_problems(conn)
        edges = [(int(a), int(b)) for a, b in conn.rows("SELECT predecessor_id, successor_id FROM dependency")]
    nodes = sorted({node for edge in edges for node in edge})
    cycle = find_cycle(nodes, edges)
    if cycle:
        problems.append("dependency cycle: " + " -> ".join(f"#{n}" for n in (*cycle, cycle[0])))
    return CheckReport(revision, SCHEMA_HEAD, problems)


def backup(ctx: Context, target: Path) -> Path:
    """A consistent backup file of the database (0600)."""
    from planner.store.maintenance import backup as backup_database

    return backup_database(ctx.location, target)


def restore(ctx: Context, source: Path) -> None:
    """Replace the database's contents with a verified backup; safe while other processes are connected."""
    from planner.store.maintenance import restore as restore_database

    restore_database(ctx.location, source)


def copy_to(ctx: Context, target_url: str) -> dict[str, int]:
    """Copy this database into another (e.g. SQLite into a team's PostgreSQL); rows per table."""
    from planner.store.location import parse_database_url
    from planner.store.maintenance import copy_database

    return copy_database(ctx.location, parse_database_url(target_url))
