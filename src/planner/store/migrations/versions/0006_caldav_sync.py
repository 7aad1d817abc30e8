"""CalDAV pairings and what each synced task and calendar object last agreed on

Revision ID: 0006_caldav_sync
Revises: 0002_digest_claims
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006_caldav_sync"
down_revision = "0002_digest_claims"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "syncpairing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("uid_prefix", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("ctag", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("last_synced_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("last_report", sa.JSON(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["project.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("url", "project_id"),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_syncpairing_project_id"), "syncpairing", ["project_id"], unique=False)
    op.create_table(
        "syncitem",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pairing_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("uid", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("href", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("etag", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("task_version", sa.Integer(), nullable=False),
        sa.Column("base", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(["pairing_id"], ["syncpairing.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("pairing_id", "uid"),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_syncitem_pairing_id"), "syncitem", ["pairing_id"], unique=False)
    op.create_index(op.f("ix_syncitem_task_id"), "syncitem", ["task_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_syncitem_task_id"), table_name="syncitem")
    op.drop_index(op.f("ix_syncitem_pairing_id"), table_name="syncitem")
    op.drop_table("syncitem")
    op.drop_index(op.f("ix_syncpairing_project_id"), table_name="syncpairing")
    op.drop_table("syncpairing")
