"""`planner cron`: one marked entry in a crontab file, replaced on install, runnable as written."""

from __future__ import annotations

import subprocess

import pytest

from planner.services.digest.cron import MARKER
from tests.cli.conftest import Planner


@pytest.fixture
def cli(tmp_path, digest_env):
    """The CLI over a SQLite file with Ana in it; the config path has a '%' (special to cron)."""
    planner = Planner(tmp_path / "planner.db", digest_env)
    digest_env.setenv("PLANNER_CONFIG", str(tmp_path / "conf%dir" / "config.toml"))
    planner.ok("resource", "add", "ana", "--name", "Ana Lopez", "--email", "ana@example.com")
    return planner


@pytest.fixture
def crontab(tmp_path):
    """A crontab file with someone else's entries in it."""
    path = tmp_path / "crontab"
    path.write_text("MAILTO=me@example.com\n0 3 * * * /usr/local/bin/backup --all # nightly backup\n")
    return path


def _marked(path) -> list[str]:
    return [line for line in path.read_text().splitlines() if MARKER in line]


def test_install_twice_leaves_one_entry_and_other_lines_alone(cli, crontab):
    first = cli.ok("cron", "install", "--at", "07:30", "--user", "ana", "--send", "--crontab-file", str(crontab))
    assert first.startswith(f"installed in {crontab}:") and "keyring set planner-smtp" in first
    second = cli.ok("cron", "install", "--at", "06:45", "--everyone", "--weekdays", "--crontab-file", str(crontab))
    assert second.startswith(f"replaced the entry in {crontab}:")
    [entry] = _marked(crontab)
    assert entry.startswith("45 6 * * 1-5 ")
    assert " digest --everyone" in entry and "--send" not in entry and "--user" not in entry
    text = crontab.read_text()
    assert "MAILTO=me@example.com" in text and "0 3 * * * /usr/local/bin/backup --all # nightly backup" in text


def test_entry_names_the_executable_and_database_and_escapes_percent(cli, crontab):
    cli.ok("cron", "install", "--user", "ana", "--send", "--to", "ops@example.com", "--crontab-file", str(crontab))
    [entry] = _marked(crontab)
    assert entry.startswith("30 7 * * * ")
    assert f"--db sqlite:///{cli.db} digest --user ana --send --to ops@example.com >/dev/null" in entry
    assert r"conf\%dir" in entry  # a bare % would end cron's command line
    executable = entry.split("PLANNER_CONFIG=")[1].split(" ", 2)[1]
    assert executable.startswith("/") and executable.endswith("planner")


def test_installed_command_runs_as_cron_would(cli, crontab, tmp_path):
    cli.ok("cron", "install", "--user", "ana", "--crontab-file", str(crontab))
    [entry] = _marked(crontab)
    command = entry.split(" ", 5)[5].rsplit(" # ", 1)[0].replace(r"\%", "%")  # as cron reads it
    config = tmp_path / "conf%dir" / "config.toml"
    config.parent.mkdir()
    config.write_text("[smtp]\nsecurity = 'none'\n")
    done = subprocess.run(["sh", "-c", command], capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Digest for Ana Lopez (ana)")
    config.write_text("[smtp]\nsecurity = 'bogus'\n")  # proves the entry reads this very config file
    done = subprocess.run(["sh", "-c", command], capture_output=True, text=True, env={"PATH": "/usr/bin:/bin"})
    assert done.returncode == 1 and "SMTP security 'bogus' unknown" in done.stderr


def test_show_and_remove(cli, crontab, digest_env):
    digest_env.setenv("PLANNER_CRONTAB_FILE", str(crontab))
    assert cli.ok("cron", "show").startswith("no digest entry")
    cli.ok("cron", "install", "--at", "08:00", "--user", "ana")
    shown = cli.ok("cron", "show").strip()
    assert shown.startswith("0 8 * * * ") and shown.endswith(MARKER) and "--user ana" in shown
    assert cli.ok("cron", "remove").strip() == "removed the digest entry"
    assert _marked(crontab) == [] and "/usr/local/bin/backup" in crontab.read_text()
    assert cli.ok("cron", "remove").strip() == "there was no digest entry"


def test_without_cron_it_prints_the_line_and_a_systemd_timer(cli, monkeypatch):
    import planner.services.digest.cron as cron

    monkeypatch.setattr(cron.shutil, "which", lambda name: None)
    output = cli.ok("cron", "install", "--at", "07:05", "--user", "ana", "--send", "--weekdays")
    assert "There is no crontab program here" in output
    assert "5 7 * * 1-5 " in output and MARKER in output
    assert "[Timer]\nOnCalendar=Mon..Fri *-*-* 07:05:00\nPersistent=true" in output
    assert "ExecStart=/" in output and f"--db sqlite:///{cli.db} digest --user ana --send" in output
    assert "Environment=PLANNER_CONFIG=" in output and "conf%%dir" in output  # systemd's own escape
    assert "systemctl --user daemon-reload && systemctl --user enable --now planner-digest.timer" in output
    result = cli("cron", "show")
    assert result.exit_code == 1 and "no crontab program" in result.stderr


def test_bad_time_unknown_person_and_conflicting_scope_are_refused(cli, crontab):
    result = cli("cron", "install", "--at", "7.30", "--crontab-file", str(crontab))
    assert result.exit_code == 1 and "HH:MM" in result.stderr
    result = cli("cron", "install", "--user", "nobody", "--crontab-file", str(crontab))
    assert result.exit_code == 1 and "no person 'nobody'" in result.stderr
    result = cli("cron", "install", "--user", "ana", "--everyone", "--crontab-file", str(crontab))
    assert result.exit_code == 1 and "not both" in result.stderr
    assert _marked(crontab) == []
