"""Settings: the config file, overridden by PLANNER_* variables, overridden by flags.

The file is ``$XDG_CONFIG_HOME/planner/config.toml`` (platformdirs); the
database URL may instead come from ``PLANNER_DATABASE_URL`` or from a file
named by ``PLANNER_DATABASE_URL_FILE`` (what `planner cron` uses when the URL
holds a password)::

    user = "ana"
    database_url = "postgresql+psycopg://planner@db.example/planner"
    bulk_confirm_above = 10   # or PLANNER_BULK_CONFIRM: more tasks in one command ask first

    [ranking]          # daily-queue weights (see `planner queue --explain`)
    critical = 12.0

    [smtp]
    host = "smtp.example.com"
    port = 587
    security = "starttls"   # none | starttls | ssl
    user = "planner@example.com"
    from = "Planner <planner@example.com>"
"""

from __future__ import annotations

import getpass
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.domain.errors import InvalidInputError

APP_NAME = "planner"


def config_dir() -> Path:
    """The folder of config.toml."""
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    """The folder of the default SQLite database."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_database_url() -> str:
    """``sqlite:///…/planner.db`` in the user data dir."""
    return "sqlite:///" + str(data_dir() / "planner.db")


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """Where and how the digest is mailed (the password never lives here)."""

    host: str | None = None
    port: int = 25
    security: str = "none"
    user: str | None = None
    sender: str | None = None


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a face needs to build a service context."""

    database_url: str
    user: str
    ranking: dict[str, float] = field(default_factory=dict)
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    default_estimate_hours: float = 1.0
    config_path: Path | None = None
    bulk_confirm_above: int = 10  # a command changing more tasks asks first (or needs --yes)


def _read_file(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise InvalidInputError(f"cannot read {path}: {error}") from None
    except OSError as error:  # a folder, an unreadable file
        raise InvalidInputError(f"cannot read the config file {path}: {error.strerror or error}") from None


def load_settings(*, database: str | None = None, user: str | None = None,
                  environ: dict[str, str] | None = None, config_path: Path | None = None) -> Settings:
    """Merge file, environment and flags (flags win)."""
    env = os.environ if environ is None else environ
    path = Path(env["PLANNER_CONFIG"]) if "PLANNER_CONFIG" in env else (config_path or config_dir() / "config.toml")
    file = _read_file(path)
    smtp_file = file.get("smtp", {})

    database_url = (database or env.get("PLANNER_DATABASE_URL") or _url_from_file(env.get("PLANNER_DATABASE_URL_FILE"))
                    or file.get("database_url") or default_database_url())
    if "://" not in database_url:
        database_url = "sqlite:///" + str(Path(database_url).expanduser().absolute())
    who = _clean_name(user or env.get("PLANNER_USER") or file.get("user")) or _login_name()

    try:
        port = int(env.get("PLANNER_SMTP_PORT") or smtp_file.get("port") or 25)
    except ValueError:
        raise InvalidInputError("PLANNER_SMTP_PORT must be a number, e.g. 587") from None
    smtp = SmtpSettings(
        host=env.get("PLANNER_SMTP_HOST") or smtp_file.get("host"),
        port=port,
        security=(env.get("PLANNER_SMTP_SECURITY") or smtp_file.get("security") or "none").lower(),
        user=env.get("PLANNER_SMTP_USER") or smtp_file.get("user"),
        sender=env.get("PLANNER_SMTP_FROM") or smtp_file.get("from"),
    )
    if smtp.security not in ("none", "starttls", "ssl"):
        raise InvalidInputError(f"SMTP security {smtp.security!r} unknown: use none, starttls or ssl")
    ranking = {str(k): float(v) for k, v in file.get("ranking", {}).items()}
    return Settings(database_url=database_url, user=who, ranking=ranking, smtp=smtp,
                    default_estimate_hours=float(file.get("default_estimate_hours", 1.0)),
                    config_path=path, bulk_confirm_above=_bulk_confirm_above(env, file))


def _bulk_confirm_above(env: Any, file: dict[str, Any]) -> int:
    """How many tasks one command may change without asking (PLANNER_BULK_CONFIRM or bulk_confirm_above)."""
    given = env.get("PLANNER_BULK_CONFIRM") or file.get("bulk_confirm_above", 10)
    try:
        count = int(given)
    except (TypeError, ValueError):
        count = -1
    if count < 0:
        raise InvalidInputError(f"PLANNER_BULK_CONFIRM / bulk_confirm_above must be a whole number >= 0, not {given!r}")
    return count


def _url_from_file(name: str | None) -> str | None:
    """The database URL kept in a private file (how cron gets a URL with a password in it)."""
    if not name:
        return None
    try:
        return Path(name).expanduser().read_text(encoding="utf-8").strip() or None
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        raise InvalidInputError(f"cannot read PLANNER_DATABASE_URL_FILE {name}: {reason}") from None


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "me"


def _clean_name(name: str | None) -> str | None:
    """A user name without control characters or surrounding blanks (None when nothing is left)."""
    from planner.domain.text import clean_line

    cleaned = clean_line(name or "").strip()
    return cleaned or None
