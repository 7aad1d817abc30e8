"""The README walks through Planner; every `planner` command in its sh blocks must work, in order, on a fresh store.

Commands are read from README.md itself. A block preceded by ``<!-- not run: REASON -->``
is skipped; a command whose comment starts with ``error:`` must fail with exit status 1.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
BLOCK = re.compile(r"(<!-- not run:[^>]*-->\s*)?```sh\n(.*?)```", re.S)


def readme_commands(text: str) -> list[tuple[list[str], bool]]:
    """Each `planner` command of the README's sh blocks in order, as (argv, expected_error)."""
    commands = []
    for match in BLOCK.finditer(text):
        if match.group(1):
            continue
        for line in match.group(2).splitlines():
            code, _, comment = line.partition("  #")
            expected_error = comment.strip().startswith("error:")
            lexer = shlex.shlex(code, posix=True, punctuation_chars=";&|")
            lexer.whitespace_split = True
            words: list[str] = []
            for token in [*lexer, ";"]:
                if token in (";", "&&", "||", "|"):
                    if words and words[0] == "planner":
                        commands.append((words[1:], expected_error))
                    words = []
                else:
                    words.append(token)
    return commands


def test_the_readme_parser_reads_chains_quotes_and_comments():
    text = ('```sh\nplanner add "Write spec" -p web  # a comment\nplanner start 1; planner done 1 && planner undo\n'
            'python3 -m venv .venv\nplanner dep add 3 1  # error: a cycle\n```\n'
            '<!-- not run: needs a server -->\n```sh\nplanner db upgrade\n```\n')
    assert readme_commands(text) == [
        (["add", "Write spec", "-p", "web"], False), (["start", "1"], False), (["done", "1"], False),
        (["undo"], False), (["dep", "add", "3", "1"], True)]


@pytest.fixture
def smtp_port():
    from tests.digest.conftest import start_smtp

    server = start_smtp()
    try:
        yield server.port
    finally:
        server.stop()


def test_every_readme_command_works_in_order_on_a_fresh_store(tmp_path, smtp_port):
    home = tmp_path / "home"
    work = tmp_path / "work"
    home.mkdir()
    work.mkdir()
    shutil.copy(ROOT / "tests" / "data" / "psplib" / "j301_1.sm", work / "j301_1.sm")
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("PLANNER_", "XDG_")) and name not in ("NO_COLOR",)}
    env.update(HOME=str(home), NO_COLOR="1", COLUMNS="120", PLANNER_CRONTAB_FILE=str(tmp_path / "crontab"),
               PLANNER_SMTP_HOST="127.0.0.1", PLANNER_SMTP_PORT=str(smtp_port), PLANNER_SMTP_SECURITY="none",
               PLANNER_SMTP_FROM="Planner <planner@example.com>")
    commands = readme_commands(README.read_text(encoding="utf-8"))
    assert len(commands) > 40
    for argv, expected_error in commands:
        result = subprocess.run([sys.executable, "-m", "planner", *argv], cwd=work, env=env, capture_output=True,
                                text=True, timeout=120)
        wanted = 1 if expected_error else 0
        assert result.returncode == wanted, (f"planner {shlex.join(argv)} exited {result.returncode}, not {wanted}:\n"
                                             f"{result.stdout}{result.stderr}")
        assert "Traceback" not in result.stderr, result.stderr
