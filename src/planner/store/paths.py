"""Every file Planner opens or writes is checked here first.

A mistyped path must never cost data: a folder, a device, someone's notes or
a damaged database is refused with one line before anything is opened, and a
file's mode or content changes only when Planner created the file.
"""

from __future__ import annotations

import os
import shlex
import stat
import tempfile
import time
from pathlib import Path

from planner.domain.errors import PlannerError

SQLITE_HEADER = b"SQLite format 3\x00"


class UnusablePathError(PlannerError):
    """A path Planner will not read or write: a folder, a missing folder, a read-only place, not a database."""


def _absolute(path: str | os.PathLike[str]) -> Path:
    return Path(path).expanduser().absolute()


def _folder_ready(folder: Path, *, create: bool, what: str) -> None:
    """The folder exists (created only when ``create``), is a folder and is writable."""
    if not folder.exists():
        if not create:
            raise UnusablePathError(f"the folder {folder} does not exist: create it first "
                                    f"(mkdir -p {shlex.quote(str(folder))}) or choose another place for the {what}")
        try:
            folder.mkdir(parents=True, mode=0o700)
        except OSError as error:
            raise UnusablePathError(f"cannot create the folder {folder}: {error.strerror or error}") from None
    if not folder.is_dir():
        raise UnusablePathError(f"{folder} is not a folder: choose another place for the {what}")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise UnusablePathError(f"the folder {folder} is read-only for you: choose another place for the {what}")


def is_sqlite_file(path: Path) -> bool:
    """Whether the file starts with SQLite's header."""
    try:
        with path.open("rb") as stream:
            return stream.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def sqlite_damage(path: Path) -> str | None:
    """Why an existing file cannot be a whole SQLite database (None when its header and size agree).

    Another process's checkpoint writes page 1 (with the new page count) before
    the pages after it and then may delete its WAL, so a mismatch is believed
    only when no WAL explains it and it outlasts a few looks.
    """
    for attempt in range(4):
        problem = _damage_seen(path)
        if problem is None or problem == NOT_SQLITE:
            return problem
        wal = path.with_name(path.name + "-wal")
        if wal.exists() and wal.stat().st_size:
            return None  # SQLite completes the pages from the WAL
        time.sleep(0.05 * (attempt + 1))
    return problem


NOT_SQLITE = "it is not a SQLite database"


def _damage_seen(path: Path) -> str | None:
    with path.open("rb") as stream:
        header = stream.read(100)
    size = path.stat().st_size  # after the header: a checkpoint that wrote page 1 has grown the file since
    if not header:
        return None  # an empty file is an empty database (or one being created): nothing in it can be lost
    if not header.startswith(SQLITE_HEADER):
        return NOT_SQLITE
    if len(header) < 100:
        return "it is truncated (shorter than a SQLite header)"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return "its header is damaged"
    if size % page_size:
        return "it is truncated (its size is not a whole number of pages)"
    pages_in_header = int.from_bytes(header[28:32], "big")
    header_count_valid = header[92:96] == header[24:28]
    if header_count_valid and pages_in_header * page_size > size:
        return f"it is truncated ({size // page_size} of {pages_in_header} pages)"
    return None


def check_store_file(path: Path, *, create_folder: bool = False) -> bool:
    """Make sure ``path`` is, or can become, a Planner SQLite store; create a new one with mode 0600.

    Returns True when the file was created here. Never changes an existing file.
    """
    path = _absolute(path)
    if path.is_dir():
        raise UnusablePathError(f"{path} is a folder: the database is a file, e.g. {path / 'planner.db'}")
    _folder_ready(path.parent, create=create_folder, what="database")
    if not path.exists():
        if path.is_symlink():
            raise UnusablePathError(f"{path} is a broken symbolic link: fix it or choose another database file")
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        except FileExistsError:
            return False  # another process created it a moment ago
        except OSError as error:
            raise UnusablePathError(f"cannot create {path}: {error.strerror or error}") from None
        os.close(fd)
        return True
    if not stat.S_ISREG(path.stat().st_mode):
        raise UnusablePathError(f"{path} is not a regular file: the database is a file, e.g. ~/planner.db")
    if not os.access(path, os.R_OK):
        raise UnusablePathError(f"{path} is not readable for you: check its owner and mode")
    damage = sqlite_damage(path)
    if damage:
        raise UnusablePathError(f"{path} is not a usable Planner database: {damage}; check --db / "
                                "PLANNER_DATABASE_URL, or `planner db restore BACKUP` a damaged one")
    if not os.access(path, os.W_OK):
        raise UnusablePathError(f"{path} is read-only for you: Planner writes to its database (copy it somewhere "
                                "writable to look at it)")
    return False


def check_existing_store(path: Path) -> Path:
    """A SQLite store that must already exist (to back up, say): refused when missing, never created."""
    path = _absolute(path)
    if not path.exists() and not path.is_symlink():
        raise UnusablePathError(f"there is no database at {path}: check --db / PLANNER_DATABASE_URL")
    check_store_file(path)
    return path


def check_input_file(path: str | os.PathLike[str], *, what: str = "file") -> Path:
    """An existing, readable regular file to read from (an import, a backup to restore)."""
    path = _absolute(path)
    if not path.exists():
        raise UnusablePathError(f"no {what} {path}")
    if path.is_dir():
        raise UnusablePathError(f"{path} is a folder, not a {what}")
    if not stat.S_ISREG(path.stat().st_mode):
        raise UnusablePathError(f"{path} is not a regular file: give a {what}")
    if not os.access(path, os.R_OK):
        raise UnusablePathError(f"{path} is not readable for you: check its owner and mode")
    return path


def check_output_file(path: str | os.PathLike[str], *, what: str = "file", overwrite: bool = True) -> Path:
    """A place to write a file: its folder exists and is writable, and it is not a folder, device or database."""
    path = _absolute(path)
    if path.is_dir():
        raise UnusablePathError(f"{path} is a folder: give a file name, e.g. {path / 'planner-out'}")
    _folder_ready(path.parent, create=False, what=what)
    if path.exists():
        if not overwrite:
            raise UnusablePathError(f"{path} exists: choose a new file name (a {what} never overwrites)")
        if not stat.S_ISREG(path.stat().st_mode):
            raise UnusablePathError(f"{path} is not a regular file: give a file name for the {what}")
        if is_sqlite_file(path):
            raise UnusablePathError(f"{path} is a database: Planner will not overwrite it with a {what}")
        if not os.access(path, os.W_OK):
            raise UnusablePathError(f"{path} is read-only for you: choose another name for the {what}")
    return path


def write_file(path: str | os.PathLike[str], data: bytes, *, what: str = "file", overwrite: bool = True) -> Path:
    """Write ``data`` to a checked path, whole or not at all (a new file gets mode 0600, an old one keeps its mode)."""
    target = check_output_file(path, what=what, overwrite=overwrite)
    old_mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else None
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if old_mode is not None:
            os.chmod(temporary, old_mode)  # the temporary file is ours; it takes the replaced file's mode
        if overwrite:
            os.replace(temporary, target)
        else:
            os.link(temporary, target)  # fails if someone created the name meanwhile
            os.unlink(temporary)
    except FileExistsError:
        os.unlink(temporary)
        raise UnusablePathError(f"{target} exists: choose a new file name (a {what} never overwrites)") from None
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise UnusablePathError(f"cannot write {target}: {error.strerror or error}") from None
    return target


def write_private_file(path: str | os.PathLike[str], data: bytes, *, what: str = "file") -> Path:
    """Write a secret to a checked path: a new file of mode 0600 replaces any old one (never readable by others)."""
    target = check_output_file(path, what=what)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise UnusablePathError(f"cannot write {target}: {error.strerror or error}") from None
    return target
