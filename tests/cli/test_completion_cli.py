"""Shell completion through the real `planner` entry point and the shell's own variables."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest


def complete(tmp_path, words: str, shell: str = "zsh", **extra: str) -> subprocess.CompletedProcess:
    """Run `planner` as zsh/fish (``_TYPER_COMPLETE_ARGS``) or bash (``COMP_WORDS``) does on a Tab."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PLANNER_", "_TYPER", "COMP_"))}
    env.update(HOME=str(tmp_path / "home"), PLANNER_CONFIG=str(tmp_path / "none.toml"),
               XDG_DATA_HOME=str(tmp_path / "home" / "data"), _PLANNER_COMPLETE=f"complete_{shell}", **extra)
    if shell == "bash":
        env.update(COMP_WORDS=words, COMP_CWORD=str(len(words.split()) - (0 if words.endswith(" ") else 1)))
    else:
        env["_TYPER_COMPLETE_ARGS"] = words
        env["_TYPER_COMPLETE_FISH_ACTION"] = "get-args"
    return subprocess.run([sys.executable, "-m", "planner"], env=env, capture_output=True, text=True, timeout=60)


@pytest.fixture
def store(planner):
    planner.ok("project", "add", "web", "--name", "Web site")
    planner.ok("resource", "add", "ana", "--name", "Ana Lopez")
    planner.ok("add", "Buy milk", "-p", "web", "--tag", "errands")
    planner.ok("add", "Call: mom's birthday", "--tag", "family")
    return planner.db


def test_task_ids_complete_with_their_titles(tmp_path, store):
    zsh = complete(tmp_path, f"planner --db {store} show ")
    assert zsh.returncode == 0 and zsh.stderr == ""
    assert '"1":"Buy milk"' in zsh.stdout and '"2":"Call\\\\: mom\'\'s birthday"' in zsh.stdout
    fish = complete(tmp_path, f"planner --db {store} done ", shell="fish")
    assert fish.stdout.splitlines() == ["1\tBuy milk", "2\tCall: mom's birthday"]
    bash = complete(tmp_path, f"planner --db {store} edit ", shell="bash")
    assert bash.stdout.split() == ["1", "2"]
    assert '"2":' in complete(tmp_path, f"planner --db {store} edit 1 --after ").stdout


def test_projects_handles_tags_and_filter_keys(tmp_path, store):
    assert '"web":"Web site"' in complete(tmp_path, f"planner --db {store} add Tea --project w").stdout
    assert '"ana":"Ana Lopez"' in complete(tmp_path, f"planner --db {store} edit 1 --assign ").stdout
    assert '"ana":"Ana Lopez"' in complete(tmp_path, f"planner --db {store} --as a").stdout
    assert complete(tmp_path, f"planner --db {store} tag 1 f", shell="fish").stdout.strip() == "family"
    assert '"errands"' in complete(tmp_path, f"planner --db {store} edit 2 --untag ").stdout
    ls = complete(tmp_path, f"planner --db {store} ls due.", shell="fish").stdout.splitlines()
    assert [line.split("\t")[0] for line in ls] == ["due.before:", "due.after:", "due.by:", "due.not:"]
    assert "project:web\tWeb site" in complete(tmp_path, f"planner --db {store} ls project:", shell="fish").stdout
    assert "+errands\ttag" in complete(tmp_path, f"planner --db {store} ls +e", shell="fish").stdout
    # bash splits project:w at the colon and inserts only the value
    assert complete(tmp_path, f"planner --db {store} ls project : w", shell="bash").stdout.split() == ["web"]


def test_a_missing_store_completes_nothing_without_a_traceback_or_a_file(tmp_path):
    for words in ("planner show ", "planner --db " + str(tmp_path / "gone.db") + " ls project:",
                  "planner --db " + str(tmp_path / "no" / "dir.db") + " edit 1 --assign "):
        result = complete(tmp_path, words)
        assert (result.returncode, result.stdout.strip(), result.stderr) == (0, "_files", ""), words
    assert not (tmp_path / "gone.db").exists() and not (tmp_path / "home").exists()


def test_a_tab_is_fast_and_commands_still_complete(tmp_path, store):
    complete(tmp_path, f"planner --db {store} show ")  # warm the bytecode cache
    started = time.perf_counter()
    result = complete(tmp_path, f"planner --db {store} show ")
    elapsed = time.perf_counter() - started
    assert '"1":"Buy milk"' in result.stdout
    assert elapsed < 3.0, elapsed  # ~0.3 s on an idle machine; generous for a loaded CI runner
    assert '"edit":' in complete(tmp_path, "planner ed").stdout
    assert '"add":' in complete(tmp_path, "planner dep a").stdout


def test_the_installed_bash_script_completes_ids(tmp_path, store):
    import shutil
    from pathlib import Path

    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    bin_dir = Path(sys.executable).parent
    env = {**os.environ, "HOME": str(tmp_path), "SHELL": bash, "PATH": f"{bin_dir}:{os.environ['PATH']}",
           "PLANNER_CONFIG": str(tmp_path / "none.toml")}
    # the script `--show-completion` prints in bash, asked for by name (shell detection needs a shell ancestor)
    script = subprocess.run(["planner"], env={**env, "_PLANNER_COMPLETE": "source_bash"}, capture_output=True,
                            text=True, timeout=60)
    assert script.returncode == 0 and "_PLANNER_COMPLETE=complete_bash" in script.stdout
    session = (script.stdout + f'\nCOMP_WORDS=(planner --db {store} show ""); COMP_CWORD=4\n'
               '_planner_completion planner; echo "${COMPREPLY[*]}"\n')
    result = subprocess.run([bash, "--norc", "-c", session], env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["1", "2"], result.stderr
