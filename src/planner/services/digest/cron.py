"""`planner cron`: one marked crontab entry that runs the daily digest.

The entry carries the absolute path of the planner executable and the
database it should read (cron starts with an almost empty environment) — a
URL with a password is kept in a 0600 file the entry names instead — and a
comment marker, so installing again replaces it and ``remove`` finds it.
Where there is no ``crontab`` program the same command is offered as a
systemd user timer instead. Tests (and people with an unusual setup) point
``PLANNER_CRONTAB_FILE`` — or ``crontab_file`` — at a plain file.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from planner.domain.errors import InvalidInputError, NotFoundError, PlannerError
from planner.services.context import Context
from planner.store import catalog_views

MARKER = "planner-digest (managed by `planner cron`)"
UNIT_NAME = "planner-digest"
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$")


@dataclass(slots=True)
class CronPlan:
    """What to run and when: the cron schedule, the command, and its systemd twin."""

    hour: int
    minute: int
    weekdays_only: bool
    argv: list[str]
    env: dict[str, str]
    quiet: bool

    @property
    def schedule(self) -> str:
        """The five cron time fields."""
        return f"{self.minute} {self.hour} * * {'1-5' if self.weekdays_only else '*'}"

    @property
    def command(self) -> str:
        """The shell command cron runs (stdout dropped when mailing, so cron mails only errors)."""
        words = [f"{name}={shlex.quote(value)}" for name, value in self.env.items()]
        words += [shlex.quote(word) for word in self.argv]
        return " ".join(words) + (" >/dev/null" if self.quiet else "")

    @property
    def line(self) -> str:
        """The crontab line as installed (a bare ``%`` would end cron's command: it is escaped)."""
        return f"{self.schedule} {self.command.replace('%', chr(92) + '%')} # {MARKER}"

    def systemd_units(self) -> tuple[str, str]:
        """(service, timer) unit files that do the same as the crontab entry."""
        environment = "".join(f"Environment={_systemd_quote(f'{k}={v}')}\n" for k, v in self.env.items())
        exec_start = " ".join(_systemd_quote(word) for word in self.argv)
        days = "Mon..Fri " if self.weekdays_only else ""
        service = (f"[Unit]\nDescription=Planner daily digest\n\n[Service]\nType=oneshot\n{environment}"
                   f"ExecStart={exec_start}\n")
        timer = (f"[Unit]\nDescription=Planner daily digest at {self.hour:02d}:{self.minute:02d}\n\n"
                 f"[Timer]\nOnCalendar={days}*-*-* {self.hour:02d}:{self.minute:02d}:00\nPersistent=true\n\n"
                 "[Install]\nWantedBy=timers.target\n")
        return service, timer


@dataclass(slots=True)
class CronResult:
    """The outcome of install: written where, replacing how many entries; or the fallback to print."""

    plan: CronPlan
    written_to: str | None
    replaced: int


def _systemd_quote(word: str) -> str:
    escaped = word.replace("%", "%%")
    if re.search(r"[\s\"'\\;]", escaped):
        return '"' + escaped.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return escaped


def parse_time(text: str) -> tuple[int, int]:
    """'07:30' -> (7, 30); InvalidInputError for anything that is not a time of day."""
    match = _TIME.match(text.strip())
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise InvalidInputError(f"--at wants a time of day as HH:MM, e.g. 07:30, not {text!r}")
    return int(match[1]), int(match[2])


def planner_executable() -> list[str]:
    """The absolute command that starts this Planner (the script beside this Python, else on PATH)."""
    beside = Path(sys.executable).with_name("planner")
    if beside.exists():
        return [str(beside.absolute())]
    found = shutil.which("planner")
    if found:
        return [str(Path(found).absolute())]
    return [str(Path(sys.executable).absolute()), "-m", "planner"]


def plan_entry(ctx: Context, *, at: str = "07:30", user: str | None = None, team: bool = False,
               team_name: str | None = None, send: bool = False, to: str | None = None,
               weekdays_only: bool = False) -> CronPlan:
    """The command cron should run: planner, the database, and the digest's options."""
    if user and (team or team_name):
        raise InvalidInputError("the digest is for one person (--user) or the team (--team), not both")
    hour, minute = parse_time(at)
    argv = ["digest"]
    if team_name:
        from planner.services.people.teams import team_members

        team_members(ctx, team_name)  # refuses an unknown team now rather than at 07:30 every day
        argv += ["--team", team_name.strip().lower()]
    elif team:
        argv.append("--everyone")
    else:
        yourself = not user or user.strip().lower() == ctx.actor.strip().lower()
        # your own digest works before you are a resource, unless it is to be mailed to your (missing) address
        argv += ["--user", _known_person(ctx, user or ctx.actor, may_be_unknown=yourself and (not send or bool(to)))]
    if send:
        argv.append("--send")
        if to:
            from planner.services.digest.delivery import parse_recipients

            for address in parse_recipients([to]):  # refused now rather than at 07:30 every day
                argv += ["--to", address]
    env = {"PLANNER_CONFIG": os.environ["PLANNER_CONFIG"]} if os.environ.get("PLANNER_CONFIG") else {}
    if ctx.location.password is None:
        argv = [*planner_executable(), "--db", ctx.settings.database_url, *argv]
    else:  # a crontab line is no place for a password: cron reads the URL from a private file
        env["PLANNER_DATABASE_URL_FILE"] = str(_save_database_url(ctx.settings.database_url))
        argv = [*planner_executable(), *argv]
    return CronPlan(hour, minute, weekdays_only, argv, env, quiet=send)


def _save_database_url(url: str) -> Path:
    """The URL in ``database-url`` in Planner's config folder, mode 0600 (the folder is created, mode 0700)."""
    from planner.config import config_dir
    from planner.store.paths import write_private_file

    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return write_private_file(folder / "database-url", url.encode("utf-8") + b"\n", what="database URL file")


def _known_person(ctx: Context, handle: str, *, may_be_unknown: bool = False) -> str:
    wanted = handle.strip().lower()
    with ctx.reader() as conn:
        if not may_be_unknown and not catalog_views.resource_exists(conn, wanted):
            raise NotFoundError(f"no person {handle!r}: `planner resource add {wanted} --email ADDRESS` adds them")
    return wanted


def _crontab_file(crontab_file: str | os.PathLike[str] | None) -> Path | None:
    from planner.store.paths import check_output_file

    chosen = crontab_file or os.environ.get("PLANNER_CRONTAB_FILE")
    return check_output_file(chosen, what="crontab file") if chosen else None


def _open(path: Path | None):  # noqa: ANN202 - crontab.CronTab
    from crontab import CronTab

    if path is not None:
        return CronTab(tabfile=str(path)) if path.exists() else CronTab(tab="")
    if shutil.which("crontab") is None:
        return None
    try:
        return CronTab(user=True)
    except OSError as error:
        raise PlannerError(f"cannot read your crontab: {error}") from None


def _save(tab, path: Path | None) -> None:  # noqa: ANN001
    try:
        if path is not None:
            tab.write(str(path))
        else:
            tab.write()
    except OSError as error:
        raise PlannerError(f"cannot write the crontab: {error}") from None


def install(plan: CronPlan, *, crontab_file: str | os.PathLike[str] | None = None) -> CronResult:
    """Write the plan as the one marked entry (replacing earlier ones); without cron, write nothing."""
    path = _crontab_file(crontab_file)
    tab = _open(path)
    if tab is None:
        return CronResult(plan, None, 0)
    replaced = len(list(tab.find_comment(MARKER)))
    tab.remove_all(comment=MARKER)
    job = tab.new(command=plan.command, comment=MARKER)
    job.setall(plan.schedule)
    _save(tab, path)
    return CronResult(plan, str(path) if path else "your crontab", replaced)


def show(*, crontab_file: str | os.PathLike[str] | None = None) -> list[str] | None:
    """The marked entries as crontab lines (None when there is no cron to ask)."""
    tab = _open(_crontab_file(crontab_file))
    if tab is None:
        return None
    return [job.render() for job in tab.find_comment(MARKER)]


def remove(*, crontab_file: str | os.PathLike[str] | None = None) -> int | None:
    """Delete the marked entries; how many there were (None when there is no cron)."""
    path = _crontab_file(crontab_file)
    tab = _open(path)
    if tab is None:
        return None
    count = len(list(tab.find_comment(MARKER)))
    if count:
        tab.remove_all(comment=MARKER)
        _save(tab, path)
    return count
