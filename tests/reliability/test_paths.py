"""Every path a command opens or writes, given a folder, the wrong file, a read-only place or a missing folder.

Each command must answer with one line and exit 1, and leave the path as it
was: same mode, same content, nothing created. Root ignores permission bits,
so the read-only cases are skipped when the tests run as root (the check they
exercise is os.access, which still refuses a read-only mount for root).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest

from tests.cli.conftest import Planner

AS_ROOT = os.geteuid() == 0

# (name, kind, arguments with P for the path)
STORE = [
    ("ls", ["--db", "P", "ls"]),
    ("add", ["--db", "P", "add", "x"]),
    ("db check", ["--db", "P", "db", "check"]),
    ("db upgrade", ["--db", "P", "db", "upgrade"]),
]
OUTPUT = [
    ("db backup", ["db", "backup", "P"]),
    ("export --out", ["export", "csv", "--out", "P"]),
    ("digest --out", ["digest", "--user", "tester", "--out", "P"]),
    ("gantt --svg", ["gantt", "web", "--svg", "P"]),
    ("gantt --html", ["gantt", "web", "--html", "P"]),
    ("cron --crontab-file", ["cron", "install", "--user", "tester", "--crontab-file", "P"]),
]
INPUT = [
    ("db restore", ["db", "restore", "P", "--yes"]),
    ("import", ["import", "csv", "P"]),
    ("import json", ["import", "json", "P"]),
]
SITES = [(name, "store", args) for name, args in STORE] + [(name, "output", args) for name, args in OUTPUT] + \
        [(name, "input", args) for name, args in INPUT]


@pytest.fixture(scope="module")
def template_store(tmp_path_factory) -> Path:
    """A store with a person (tester), project web and 40 tasks, checkpointed into one file."""
    from planner.services.people.resources import add_resource
    from planner.services.tasks.operations import TaskDraft, add_task
    from tests.conftest import make_context

    path = tmp_path_factory.mktemp("template") / "planner.db"
    ctx = make_context(f"sqlite:///{path}")
    add_resource(ctx, "tester", email="tester@example.com")
    for number in range(40):
        add_task(ctx, TaskDraft(f"Build {number} " + "x" * 300, project="web", estimate_hours=3))
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def planner(template_store, tmp_path, monkeypatch) -> Planner:
    """A working store; the paths under test live in tmp_path/victims."""

    monkeypatch.delenv("PLANNER_CRONTAB_FILE", raising=False)
    shutil.copyfile(template_store, tmp_path / "planner.db")
    (tmp_path / "victims").mkdir()
    yield Planner(tmp_path / "planner.db", monkeypatch)


def _tree(root: Path) -> dict[str, tuple]:
    """Every entry under root with its mode and content hash."""
    state: dict[str, tuple] = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        readable = stat.S_ISREG(info.st_mode) and os.access(path, os.R_OK)
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if readable else None
        state[str(path.relative_to(root))] = (stat.S_IMODE(info.st_mode), digest)
    return state


def _database(path: Path) -> Path:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE t (x)")
        conn.executemany("INSERT INTO t VALUES (?)", [("row",)] * 500)
    return path


def _victim(case: str, kind: str, victims: Path, monkeypatch) -> Path:
    """The path a mistaken user hands over, set up for ``case``."""
    if case == "folder":
        folder = victims / "a folder"
        folder.mkdir(mode=0o755)
        (folder / "keep.txt").write_text("mine")
        folder.chmod(0o755)
        return folder
    if case == "missing folder":
        return victims / "no such folder" / "file"
    if case == "read-only folder":
        folder = victims / "locked"
        folder.mkdir()
        if kind == "input":
            target = folder / "unreadable"
            target.write_text("secret")
            target.chmod(0o200)
        folder.chmod(0o500)
        return folder / ("unreadable" if kind == "input" else "new-file")
    # the wrong file: text as a store, a database as an output, a FIFO (a read would hang) as an input
    if kind == "store":
        notes = victims / "notes.txt"
        notes.write_text("my notes\n")
        notes.chmod(0o644)
        return notes
    if kind == "output":
        database = _database(victims / "someone.db")
        database.chmod(0o640)
        return database
    fifo = victims / "pipe"
    os.mkfifo(fifo, 0o644)
    return fifo


@pytest.mark.parametrize("case", ["folder", "wrong file", "read-only folder", "missing folder"])
@pytest.mark.parametrize(("name", "kind", "args"), SITES, ids=[site[0] for site in SITES])
def test_a_bad_path_is_refused_in_one_line_and_left_as_it_was(planner, tmp_path, monkeypatch, case, name, kind,
                                                              args):
    if case == "read-only folder" and AS_ROOT:
        pytest.skip("running as root: permission bits do not stop root (the read-only check is os.access)")
    victims = tmp_path / "victims"
    path = _victim(case, kind, victims, monkeypatch)
    before = _tree(victims)
    argv = [str(path) if word == "P" else word for word in args]
    runner_args = argv[2:] if argv[:1] == ["--db"] else argv
    try:
        if argv[:1] == ["--db"]:
            result = Planner(path, monkeypatch)(*runner_args)
        else:
            result = planner(*runner_args)
        assert isinstance(result.exception, SystemExit), (name, case, result.exception, result.output)
        assert result.exit_code == 1, (name, case, result.output)
        if name == "db check":  # its job is to report the problem: one problem line, then NOT OK
            assert result.stdout.startswith("problem: ") and "NOT OK" in result.stdout
            assert str(path.parent) in result.stdout
        else:
            lines = result.stderr.strip().splitlines()
            assert len(lines) == 1 and lines[0].startswith("error: "), (name, case, result.stderr)
        assert _tree(victims) == before, (name, case)
    finally:
        if case == "read-only folder":
            (victims / "locked").chmod(0o700)


@pytest.mark.parametrize("damage", ["random bytes", "truncated mid-page", "truncated at a page", "damaged page",
                                    "empty header"])
@pytest.mark.parametrize(("name", "args"), STORE, ids=[site[0] for site in STORE])
def test_a_damaged_store_is_refused_and_left_as_it_was(template_store, tmp_path, monkeypatch, damage, name, args):
    good = template_store
    with sqlite3.connect(good) as conn:
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'task'").fetchone()[0]
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    victim = tmp_path / "victim" / "planner.db"
    victim.parent.mkdir()
    data = good.read_bytes()
    if damage == "random bytes":
        data = os.urandom(8192)
    elif damage == "truncated mid-page":
        data = data[: len(data) // 2 + 100]
    elif damage == "truncated at a page":
        data = data[: page_size * 3]
    elif damage == "damaged page":
        start = page_size * (root - 1)
        data = data[:start] + b"\x07" * page_size + data[start + page_size:]
    else:
        data = data[:50]
    victim.write_bytes(data)
    victim.chmod(0o644)
    before = _tree(victim.parent)
    result = Planner(victim, monkeypatch)(*args[2:])
    assert isinstance(result.exception, SystemExit), (result.exception, result.output)
    assert result.exit_code == 1
    if name == "db check":
        assert result.stdout.startswith("problem: ") and "NOT OK" in result.stdout
    else:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    after = _tree(victim.parent)
    assert after.get("planner.db") == before["planner.db"]
    assert set(after) - {"planner.db-wal", "planner.db-shm"} == set(before)  # SQLite's own side files at most


def test_the_default_store_folder_is_created_but_a_db_folder_never_is(tmp_path, monkeypatch):
    from planner.cli.main import app
    from typer.testing import CliRunner

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("PLANNER_CONFIG", str(tmp_path / "none.toml"))
    monkeypatch.delenv("PLANNER_DATABASE_URL", raising=False)
    runner = CliRunner()
    path = runner.invoke(app, ["db", "path"])
    assert path.stdout.strip() == str(tmp_path / "data" / "planner" / "planner.db")  # one leading slash
    assert runner.invoke(app, ["add", "first"]).exit_code == 0
    store = tmp_path / "data" / "planner" / "planner.db"
    assert stat.S_IMODE(store.stat().st_mode) == 0o600
    missing = runner.invoke(app, ["--db", str(tmp_path / "elsewhere" / "x.db"), "ls"])
    assert missing.exit_code == 1 and "does not exist" in missing.stderr
    assert not (tmp_path / "elsewhere").exists()


def test_an_existing_store_keeps_its_mode(tmp_path, monkeypatch):
    """Planner sets 0600 on files it creates, and never chmods one it did not."""
    shared = tmp_path / "shared.db"
    Planner(shared, monkeypatch).ok("add", "created by planner")
    assert stat.S_IMODE(shared.stat().st_mode) == 0o600
    shared.chmod(0o640)  # the owner shares it with a group on purpose
    Planner(shared, monkeypatch).ok("add", "another")
    assert stat.S_IMODE(shared.stat().st_mode) == 0o640


def test_outputs_are_written_whole_and_keep_an_existing_files_mode(planner, tmp_path):
    report = tmp_path / "victims" / "report.csv"
    report.write_text("old content")
    report.chmod(0o644)
    planner.ok("export", "csv", "--out", str(report))
    assert "Build 0" in report.read_text() and stat.S_IMODE(report.stat().st_mode) == 0o644
    chart = tmp_path / "victims" / "chart"
    planner.ok("gantt", "web", "--svg", f"{chart}.svg", "--html", f"{chart}.html")
    assert "<svg" in Path(f"{chart}.svg").read_text() and "Build 0" in Path(f"{chart}.html").read_text()
    assert stat.S_IMODE(Path(f"{chart}.svg").stat().st_mode) == 0o600
    assert not [p for p in (tmp_path / "victims").iterdir() if p.name.endswith(".part")]
    shutil.rmtree(tmp_path / "victims")


def test_a_checkpoint_cut_short_is_not_mistaken_for_a_truncated_store(template_store, tmp_path, monkeypatch):
    """Page 1 (with the new page count) is written before the pages after it; the WAL still holds them all."""
    store = tmp_path / "store" / "planner.db"
    store.parent.mkdir()
    shutil.copyfile(template_store, store)
    writer = sqlite3.connect(store)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("CREATE TABLE filler (x)")
    writer.executemany("INSERT INTO filler VALUES (?)", [("y" * 2000,)] * 200)
    writer.commit()
    page_size = writer.execute("PRAGMA page_size").fetchone()[0]
    pages = writer.execute("PRAGMA page_count").fetchone()[0]
    snapshot = tmp_path / "crashed"
    snapshot.mkdir()
    for suffix in ("", "-wal"):
        shutil.copyfile(f"{store}{suffix}", snapshot / f"planner.db{suffix}")
    writer.close()
    crashed = snapshot / "planner.db"
    assert crashed.stat().st_size < pages * page_size
    with crashed.open("r+b") as stream:  # the checkpoint wrote page 1 and was killed
        stream.seek(28)
        stream.write(pages.to_bytes(4, "big"))
        stream.seek(92)
        counter = stream.read(4)
        stream.seek(24)
        stream.write(counter)
    listing = Planner(crashed, monkeypatch)("ls")
    assert listing.exit_code == 0 and "Build 0" in listing.stdout


@pytest.mark.parametrize("config", ["folder", "binary", "broken toml"])
def test_a_config_path_that_is_no_config_file_is_one_line(tmp_path, monkeypatch, config):

    target = tmp_path / "config"
    if config == "folder":
        target.mkdir()
    elif config == "binary":
        target.write_bytes(b"\xff\xfe\x00junk")
    else:
        target.write_text("user = [unclosed\n")
    tool = Planner(tmp_path / "planner.db", monkeypatch)
    monkeypatch.setenv("PLANNER_CONFIG", str(target))
    result = tool("ls")
    assert isinstance(result.exception, SystemExit) and result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1 and str(target) in result.stderr
