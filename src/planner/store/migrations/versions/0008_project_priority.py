"""project priority: the order in which portfolio leveling books people (higher first)

Revision ID: 0008_project_priority
Revises: 0007_ids_and_sync
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_project_priority"
down_revision = "0007_ids_and_sync"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.add_column(sa.Column("priority", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_column("priority")
