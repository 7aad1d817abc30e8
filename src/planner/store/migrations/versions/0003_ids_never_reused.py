"""ids are never reused: SQLite tables get AUTOINCREMENT

Revision ID: 0003_ids_never_reused
Revises: 0002_digest_claims

Without AUTOINCREMENT SQLite hands the id of a deleted row (the highest one)
to the next insert, so `done 3` typed from an old listing could hit someone
else's new task. PostgreSQL sequences never go back; nothing changes there.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_ids_never_reused"
down_revision = "0002_digest_claims"
branch_labels = None
depends_on = None

def _id_tables(bind: sa.engine.Connection) -> list[str]:
    """Every table whose primary key is its integer ``id`` (each is referenced by Event.entity_id)."""
    inspector = sa.inspect(bind)
    return [name for name in sorted(inspector.get_table_names())
            if inspector.get_pk_constraint(name).get("constrained_columns") == ["id"]]


def _without_autoincrement(bind: sa.engine.Connection) -> list[str]:
    """The id tables SQLite would reuse ids in (the rebuild is idempotent: a later merge revision may run it again)."""
    created = dict(bind.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'table'")).all())
    return [name for name in _id_tables(bind) if "AUTOINCREMENT" not in (created.get(name) or "").upper()]


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    tables = _without_autoincrement(bind)
    for name in tables:  # the caller turned foreign keys off: dropping the old table cascades into nothing
        with op.batch_alter_table(name, recreate="always", table_kwargs={"sqlite_autoincrement": True}):
            pass
    # The highest id a table ever handed out: its rows, or the events of rows deleted since.
    for name in tables:
        highest = bind.execute(sa.text(
            f"SELECT max(COALESCE((SELECT max(id) FROM {name}), 0), "
            "COALESCE((SELECT max(entity_id) FROM event WHERE entity = :name), 0))"), {"name": name}).scalar() or 0
        bind.execute(sa.text("DELETE FROM sqlite_sequence WHERE name = :name"), {"name": name})
        bind.execute(sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES (:name, :seq)"),
                     {"name": name, "seq": highest})


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    for name in _id_tables(bind):
        with op.batch_alter_table(name, recreate="always", table_kwargs={"sqlite_autoincrement": False}):
            pass
