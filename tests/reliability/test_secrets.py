"""Passwords (the PostgreSQL URL's, the SMTP login's) appear in no output, no file written and no child's argv.

The commands run for real against a throwaway PostgreSQL (trust auth, so any
password in the URL is accepted and carried through every path a real one
would take). pg_dump and pg_restore are replaced first in PATH by a script
that records its argv and whether PGPASSWORD reached it, then runs the real
program.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

DB_PASSWORD = "Db-s3cret-Xq7"
SMTP_PASSWORD = "Smtp-s3cret-Zr9"
SECRETS = (DB_PASSWORD, SMTP_PASSWORD)

pytestmark = pytest.mark.postgres


def _recording_client(bin_dir: Path, name: str, log: Path) -> None:
    real = shutil.which(name)
    if real is None:
        pytest.skip(f"{name} is not installed")
    script = bin_dir / name
    script.write_text(
        f"#!{sys.executable}\n"
        "import os, sys\n"
        f"with open({str(log)!r}, 'a') as log:\n"
        "    given = 'set' if os.environ.get('PGPASSWORD') else 'unset'\n"
        "    log.write(repr(sys.argv) + ' PGPASSWORD=' + given + '\\n')\n"
        f"os.execv({real!r}, [{real!r}, *sys.argv[1:]])\n")
    script.chmod(0o755)


@pytest.fixture
def env(tmp_path, monkeypatch, postgres_admin_url, postgres_template):
    """A fresh PostgreSQL database reached through a URL with a password, SMTP with a login, a private HOME."""
    from tests.conftest import _clone_postgres, _drop_postgres

    url = _clone_postgres(postgres_admin_url, postgres_template)
    secret_url = url.replace("://postgres@", f"://postgres:{DB_PASSWORD}@", 1)
    assert DB_PASSWORD in secret_url
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "client-argv.log"
    for name in ("pg_dump", "pg_restore"):
        _recording_client(bin_dir, name, log)
    home = tmp_path / "home"
    home.mkdir()
    for name, value in {
        "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"), "XDG_DATA_HOME": str(home / ".local/share"),
        "XDG_CACHE_HOME": str(home / ".cache"), "PLANNER_DATABASE_URL": secret_url, "PLANNER_USER": "ana",
        "PLANNER_SMTP_HOST": "127.0.0.1", "PLANNER_SMTP_PORT": "9", "PLANNER_SMTP_USER": "mailer",
        "PLANNER_SMTP_PASSWORD": SMTP_PASSWORD, "PATH": f"{bin_dir}:{os.environ['PATH']}", "NO_COLOR": "1",
    }.items():
        monkeypatch.setenv(name, value)
    for name in ("PLANNER_CONFIG", "PLANNER_CRONTAB_FILE", "PLANNER_DATABASE_URL_FILE"):
        monkeypatch.delenv(name, raising=False)
    yield {"url": secret_url, "home": home, "log": log, "root": tmp_path}
    _drop_postgres(postgres_admin_url, url)


def _run(*args: str):
    from typer.testing import CliRunner

    from planner.cli.main import app

    result = CliRunner().invoke(app, list(args))
    for secret in SECRETS:
        assert secret not in result.stdout and secret not in result.stderr, (args, result.output)
    return result


def _files_holding_secrets(root: Path) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            if any(secret.encode() in data for secret in SECRETS):
                found.append(str(path.relative_to(root)))
    return found


def test_no_password_in_output_files_or_child_argv(env, monkeypatch):
    root = env["root"]
    assert _run("resource", "add", "ana", "--email", "ana@example.com").exit_code == 0
    assert _run("add", "Write the plan", "--project", "web").exit_code == 0

    # cron: the entry, what install prints, and the systemd fallback
    crontab = root / "crontab"
    installed = _run("cron", "install", "--user", "ana", "--send", "--to", "ops@example.com",
                     "--crontab-file", str(crontab))
    assert installed.exit_code == 0, installed.output
    assert _run("cron", "show", "--crontab-file", str(crontab)).exit_code == 0
    url_file = env["home"] / ".config" / "planner" / "database-url"
    assert url_file.read_text().strip() == env["url"]
    assert stat.S_IMODE(url_file.stat().st_mode) == 0o600
    assert f"PLANNER_DATABASE_URL_FILE={url_file}" in crontab.read_text()

    # the entry works as cron runs it: no environment but PATH, the URL read from the private file
    without_send = _run("cron", "install", "--user", "ana", "--crontab-file", str(crontab))
    assert without_send.exit_code == 0
    line = next(entry for entry in crontab.read_text().splitlines() if "planner-digest" in entry)
    command = line.split(" ", 5)[5].rsplit(" # ", 1)[0].replace(r"\%", "%")
    done = subprocess.run(["sh", "-c", command], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(env["home"])})
    assert done.returncode == 0, done.stderr
    assert "Digest for" in done.stdout and not any(secret in done.stdout + done.stderr for secret in SECRETS)

    # backup and restore through pg_dump / pg_restore: the password only in their environment
    backup = root / "backup.dump"
    assert _run("db", "backup", str(backup)).exit_code == 0
    assert _run("db", "restore", str(backup), "--yes").exit_code == 0
    calls = env["log"].read_text().splitlines()
    connecting = [call for call in calls if "--dbname" in call]  # restore also lists the archive, offline
    assert len(connecting) == 2 and all(call.endswith("PGPASSWORD=set") for call in connecting)

    # where the database is, and errors that name it
    shown = _run("db", "path")
    assert shown.stdout.startswith("postgresql+psycopg://postgres:***@")
    monkeypatch.setenv("PLANNER_DATABASE_URL", env["url"].split("?")[0] + "?host=127.0.0.1&port=1")
    assert _run("add", "nowhere").exit_code == 1
    assert _run("ls").exit_code == 1
    monkeypatch.setenv("PLANNER_DATABASE_URL", env["url"])
    assert _run("db", "copy", "--to", f"postgresql+psycopg://u:{DB_PASSWORD}@127.0.0.1:1/x").exit_code == 1
    assert _run("--db", f"mysql://u:{DB_PASSWORD}@h/x", "ls").exit_code == 1

    # a failed send: the SMTP password in no output and no recorded error
    failed = _run("digest", "--user", "ana", "--send")
    assert failed.exit_code == 1 and "cannot reach the SMTP server" in failed.stderr
    from tests.conftest import make_context

    with make_context(env["url"]).reader() as conn:
        errors = [row[0] for row in conn.rows("SELECT error FROM digestlog")]
    assert errors and not any(secret in (error or "") for error in errors for secret in SECRETS)

    # serve: the command each browser tab runs (printed by textual-serve) and the app's own output
    import textual_serve.server

    made = []

    class RecordingServer:
        def __init__(self, command, host, port, title):
            made.append(command)

        def serve(self):
            return None

    monkeypatch.setattr(textual_serve.server, "Server", RecordingServer)
    monkeypatch.setenv("PLANNER_DATABASE_URL", env["url"])
    served = _run("serve")
    assert served.exit_code == 0 and len(made) == 1
    assert not any(secret in made[0] for secret in SECRETS)
    assert os.environ["PLANNER_DATABASE_URL"] == env["url"]  # what the app processes inherit instead

    assert _files_holding_secrets(root) == [str(url_file.relative_to(root))]
