"""Where the database lives: URL parsing without importing SQLAlchemy."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

#: The Alembic revision this code writes; a database at another revision is
#: migrated (older) or refused (newer). tests/store/test_migrations.py keeps
#: it equal to the head of store/migrations/versions.
SCHEMA_HEAD = "0008_project_priority"


@dataclass(frozen=True, slots=True)
class DatabaseLocation:
    """A parsed database URL: SQLite file path or PostgreSQL conninfo."""

    url: str
    dialect: str  # "sqlite" | "postgresql"
    sqlite_path: Path | None = None
    create_folder: bool = False  # only the default store's folder is created; a --db folder must exist

    @property
    def libpq_conninfo(self) -> str:
        """The URL as libpq understands it (drops SQLAlchemy's ``+driver``)."""
        scheme, rest = self.url.split("://", 1)
        return "postgresql://" + rest

    @property
    def password(self) -> str | None:
        """The password in the URL (user info or ``?password=``), decoded; None without one."""
        return split_password(self.url)[1]

    @property
    def libpq_conninfo_without_password(self) -> str:
        """The libpq URL with its password removed: safe for a child process's argv."""
        return "postgresql://" + split_password(self.url)[0].split("://", 1)[1]

    @property
    def shown(self) -> str:
        """What to print: the file path, or the URL with its password masked."""
        if self.sqlite_path is not None:
            return str(self.sqlite_path)
        return masked_url(self.url)


def split_password(url: str) -> tuple[str, str | None]:
    """(the URL without its password, the decoded password or None)."""
    if "://" not in url:
        return url, None
    parts = urlsplit(url)
    password: str | None = None
    netloc = parts.netloc
    userinfo, at, hosts = netloc.rpartition("@")
    if at and ":" in userinfo:
        user, _, raw_password = userinfo.partition(":")
        password = unquote(raw_password)
        netloc = f"{user}@{hosts}"
    query = parts.query
    pairs = parse_qsl(query, keep_blank_values=True)
    if any(key == "password" for key, _ in pairs):
        password = password or next(value for key, value in pairs if key == "password")
        query = urlencode([(key, value) for key, value in pairs if key != "password"])
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment)), password


def client_environment(location: DatabaseLocation) -> dict[str, str]:
    """The environment for pg_dump / pg_restore: the password goes in PGPASSWORD, never on a command line."""
    environment = dict(os.environ)
    if location.password is not None:
        environment["PGPASSWORD"] = location.password
    return environment


def masked_url(url: str) -> str:
    """The URL with its password replaced by ``***`` (for output and error messages)."""
    bare, password = split_password(url)
    if password is None:
        return url
    parts = urlsplit(bare)
    user, at, hosts = parts.netloc.rpartition("@")
    netloc = f"{user}:***@{hosts}" if at else parts.netloc
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def parse_database_url(url: str) -> DatabaseLocation:
    """Parse ``sqlite:///path`` or ``postgresql+psycopg://...``; refuse anything else."""
    from planner.domain.errors import InvalidInputError

    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme == "sqlite":
        raw_path = unquote(urlsplit(url).path)
        if url.startswith("sqlite:////"):
            path = Path("/" + raw_path.lstrip("/"))  # POSIX keeps a leading '//' that nobody means
        else:
            path = Path(raw_path.lstrip("/"))
        if not raw_path or raw_path in ("/", "/:memory:"):
            raise InvalidInputError("an in-memory SQLite database cannot be shared; give a file path")
        return DatabaseLocation(url, "sqlite", path.expanduser())
    if scheme in ("postgresql", "postgresql+psycopg", "postgres"):
        normalized = "postgresql+psycopg://" + url.split("://", 1)[1]
        return DatabaseLocation(normalized, "postgresql")
    raise InvalidInputError(
        f"unsupported database URL {masked_url(url)!r}: use sqlite:///PATH or postgresql+psycopg://USER@HOST/DB"
    )


def file_identity(location: DatabaseLocation) -> tuple[int, int] | None:
    """The SQLite file's (device, inode), so a cached handle can tell the file was replaced; None otherwise."""
    if location.sqlite_path is None:
        return None
    try:
        status = location.sqlite_path.stat()
    except OSError:
        return None
    return status.st_dev, status.st_ino
