"""Alembic environment: runs migrations on the connection Planner hands over."""

from __future__ import annotations

from alembic import context

from planner.store.models import SQLModel

target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    """Migrate over ``config.attributes['connection']`` (set by store.migrate)."""
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
