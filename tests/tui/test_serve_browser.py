"""`planner serve` in a real browser: headless Chromium loads the page, the app starts and draws the queue.

Chromium is driven over the DevTools protocol (aiohttp, already installed with textual-serve): the test
opens the served page, watches the WebSocket frames the app sends to xterm.js, and asks the page whether
the terminal mounted. Skipped where Chromium is not installed (CI installs the Debian package).
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.tui.conftest import ME, TODAY
from tests.conftest import require_tool

pytestmark = [pytest.mark.slow]


@pytest.fixture
def chromium() -> str:
    """The headless browser that loads the served app."""
    return require_tool("chromium", "chromium-browser", "google-chrome")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listens on port {port} after {seconds} s")


def _start(command: list[str], **kwargs) -> subprocess.Popen:
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                            **kwargs)


def _stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


async def _page_socket(session, profile: Path) -> str:
    """The DevTools WebSocket URL of Chromium's first page."""
    marker = profile / "DevToolsActivePort"
    deadline = time.monotonic() + 20
    while not marker.exists() or not marker.read_text().strip():
        if time.monotonic() > deadline:
            raise AssertionError("Chromium did not open its DevTools port")
        await asyncio.sleep(0.1)
    port = int(marker.read_text().splitlines()[0])
    async with session.get(f"http://127.0.0.1:{port}/json") as response:
        targets = await response.json()
    return next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")


async def _browse(url: str, profile: Path, wanted: list[str], seconds: float) -> tuple[str, bool]:
    """Open ``url``; return the text the app sent until every ``wanted`` string was seen, and if xterm mounted."""
    import aiohttp

    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(await _page_socket(session, profile), max_msg_size=0) as devtools:
            await devtools.send_json({"id": 1, "method": "Network.enable"})
            await devtools.send_json({"id": 2, "method": "Page.navigate", "params": {"url": url}})
            received: list[str] = []
            deadline = time.monotonic() + seconds
            while not all(text in "".join(received) for text in wanted) and time.monotonic() < deadline:
                try:
                    message = await devtools.receive_json(timeout=max(0.1, deadline - time.monotonic()))
                except asyncio.TimeoutError:
                    break
                if message.get("method") == "Network.webSocketFrameReceived":
                    frame = message["params"]["response"]
                    data = frame["payloadData"]
                    payload = base64.b64decode(data) if frame.get("opcode") == 2 else data.encode()
                    received.append(payload.decode("utf-8", "replace"))
            await devtools.send_json({"id": 3, "method": "Runtime.evaluate",
                                      "params": {"expression": "document.querySelector('.xterm-screen') !== null",
                                                 "returnByValue": True}})
            mounted = False
            while True:
                message = json.loads((await devtools.receive(timeout=10)).data)
                if message.get("id") == 3:
                    mounted = bool(message["result"]["result"].get("value"))
                    break
    return "".join(received), mounted


def test_planner_serve_loads_in_headless_chromium_and_shows_the_queue(demo_db, tmp_path, chromium):
    port = _free_port()
    env = {**os.environ, "PLANNER_CACHE_DIR": str(tmp_path / "cache")}
    server = _start([sys.executable, "-m", "planner", "--db", str(demo_db), "--as", ME, "--today", TODAY.isoformat(),
                     "serve", "--port", str(port)], env=env)
    profile = tmp_path / "chromium-profile"
    browser = None
    try:
        _wait_for_port(port, 20)
        browser = _start([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                          "--disable-component-update", "--no-first-run", "--remote-debugging-port=0",
                          f"--user-data-dir={profile}", "--window-size=1400,900", "about:blank"])
        text, mounted = asyncio.run(_browse(f"http://127.0.0.1:{port}/", profile,
                                            ["1 Queue", "fits today", "Redirect map for old URLs"], 40))
    finally:
        if browser is not None:
            _stop(browser)
        _stop(server)
    assert mounted, "xterm.js did not mount in the page"
    for wanted in ("1 Queue", "fits today", "Redirect map for old URLs"):
        assert wanted in text, f"{wanted!r} never reached the browser"
