"""Where the database lives: URL parsing without importing SQLAlchemy."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

#: The Alembic revision this code writes; a database at another revision is
#: migrated (older) or refused (newer). tests/store/test_migrations.py keeps
#: it equal to the head of store/migrations/versions.
SCHEMA_HEAD = "0002_digest_claims"


@dataclass(frozen=True, slots=True)
class DatabaseLocation:
    """A parsed database URL: SQLite file path or PostgreSQL conninfo."""

    url: str
    dialect: str  # "sqlite" | "postgresql"
    sqlite_path: Path | None = None

    @property
    def libpq_conninfo(self) -> str:
        """The URL as libpq understands it (drops SQLAlchemy's ``+driver``)."""
        scheme, rest = self.url.split("://", 1)
        return "postgresql://" + rest


def parse_database_url(url: str) -> DatabaseLocation:
    """Parse ``sqlite:///path`` or ``postgresql+psycopg://...``; refuse anything else."""
    from planner.domain.errors import InvalidInputError

    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme == "sqlite":
        raw_path = unquote(urlsplit(url).path)
        if url.startswith("sqlite:////"):
            path = Path(raw_path)
        else:
            path = Path(raw_path.lstrip("/"))
        if not raw_path or raw_path in ("/", "/:memory:"):
            raise InvalidInputError("an in-memory SQLite database cannot be shared; give a file path")
        return DatabaseLocation(url, "sqlite", path.expanduser())
    if scheme in ("postgresql", "postgresql+psycopg", "postgres"):
        normalized = "postgresql+psycopg://" + url.split("://", 1)[1]
        return DatabaseLocation(normalized, "postgresql")
    raise InvalidInputError(
        f"unsupported database URL {url!r}: use sqlite:///PATH or postgresql+psycopg://USER@HOST/DB"
    )


def sqlite_url(path: str | os.PathLike[str]) -> str:
    """The URL of a SQLite file at ``path``."""
    return "sqlite:///" + str(Path(path).expanduser().absolute())


def file_identity(location: DatabaseLocation) -> tuple[int, int] | None:
    """The SQLite file's (device, inode), so a cached handle can tell the file was replaced; None otherwise."""
    if location.sqlite_path is None:
        return None
    try:
        status = location.sqlite_path.stat()
    except OSError:
        return None
    return status.st_dev, status.st_ino


def prepare_sqlite_file(path: Path) -> None:
    """Create the file (and its folder) with mode 0600 before SQLite opens it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    else:
        try:
            if path.stat().st_mode & 0o077:
                path.chmod(0o600)
        except PermissionError:
            pass
