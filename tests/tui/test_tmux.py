"""The installed `planner` binary in a real terminal (tmux): it opens on the queue, switches screens, quits."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import require_tool

pytestmark = pytest.mark.slow


def _planner_binary() -> str:
    return shutil.which("planner") or str(Path(sys.executable).with_name("planner"))


class Terminal:
    """A tmux session of its own server (``-L``), 100×30, running one command."""

    def __init__(self, tmux: str, command: list[str], env: dict[str, str]) -> None:
        self.tmux, self.socket = tmux, f"planner-test-{uuid.uuid4().hex[:8]}"
        line = " ".join(["env", *(f"{k}={v}" for k, v in env.items()), *command])
        self._run("new-session", "-d", "-x", "100", "-y", "30", "-s", "main", line)
        self._run("set-option", "-t", "main", "remain-on-exit", "on")  # an app that dies leaves its last words

    def _run(self, *args: str) -> str:
        return subprocess.run([self.tmux, "-L", self.socket, *args], capture_output=True, text=True,
                              timeout=30).stdout

    def screen(self) -> str:
        return self._run("capture-pane", "-p", "-t", "main")

    def keys(self, *keys: str) -> None:
        self._run("send-keys", "-t", "main", *keys)

    def wait_for(self, text: str, seconds: float = 90) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the terminal shows:\n{self.screen()}")

    def alive(self) -> bool:
        dead = self._run("display-message", "-p", "-t", "main", "#{pane_dead}").strip()
        return dead == "0"

    def close(self) -> None:
        subprocess.run([self.tmux, "-L", self.socket, "kill-server"], capture_output=True)


def test_the_planner_binary_opens_the_queue_switches_to_the_board_and_quits(tmp_path):
    tmux = require_tool("tmux")
    planner = _planner_binary()
    store = tmp_path / "planner.db"
    env = {"HOME": str(tmp_path), "PLANNER_USER": "ana", "TERM": "xterm-256color",
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "PLANNER_CACHE_DIR": str(tmp_path / "cache")}
    demo = subprocess.run([planner, "--db", str(store), "demo"], env={**os.environ, **env}, capture_output=True,
                          text=True, timeout=120)
    assert demo.returncode == 0, demo.stderr
    terminal = Terminal(tmux, [planner, "--db", str(store)], env)
    try:
        queue = terminal.wait_for("fits today")  # the queue has loaded (the tab bar shows "Queue" at once)
        assert "ana" in queue
        terminal.keys("2")
        board = terminal.wait_for("Doing")
        assert "To do" in board and "Review" in board and "#" in board
        terminal.keys("q")
        deadline = time.monotonic() + 15
        while terminal.alive() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not terminal.alive(), terminal.screen()
    finally:
        terminal.close()
