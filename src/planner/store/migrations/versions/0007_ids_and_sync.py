"""join the two lines of migrations: ids never reused, and the CalDAV sync tables

Revision ID: 0007_ids_and_sync
Revises: 0003_ids_never_reused, 0006_caldav_sync

Whichever of the two ran first, the sync tables end with AUTOINCREMENT: the
rebuild of 0003 runs again and touches only tables that still lack it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

revision = "0007_ids_and_sync"
down_revision = ("0003_ids_never_reused", "0006_caldav_sync")
branch_labels = None
depends_on = None


def _ids_migration():  # noqa: ANN202 - the 0003 module
    spec = importlib.util.spec_from_file_location("planner_migration_0003",
                                                  Path(__file__).with_name("0003_ids_never_reused.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade() -> None:
    _ids_migration().upgrade()


def downgrade() -> None:
    """Nothing to undo here: each parent's downgrade undoes its own part."""
