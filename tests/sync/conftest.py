"""A real CalDAV server (Radicale, password auth) on loopback, and a second client as a phone app would be."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import make_context

USER, PASSWORD = "ana", "s3cret-Pw"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Radicale:
    """The running server: its base URL and the process."""

    base: str
    process: subprocess.Popen

    def new_calendar(self) -> str:
        """A fresh VTODO collection; returns its URL."""
        import caldav

        client = caldav.DAVClient(url=self.base, username=USER, password=PASSWORD)
        name = f"tasks-{uuid.uuid4().hex[:8]}"
        client.principal().make_calendar(name=name, cal_id=name, supported_calendar_component_set=["VTODO"])
        return f"{self.base}{USER}/{name}/"


@pytest.fixture(scope="session")
def radicale(tmp_path_factory) -> Iterator[Radicale]:
    """Radicale on a free loopback port with one htpasswd user."""
    root = tmp_path_factory.mktemp("radicale")
    (root / "users").write_text(f"{USER}:{PASSWORD}\n")
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--storage-filesystem-folder", str(root / "collections"),
         "--server-hosts", f"127.0.0.1:{port}", "--auth-type", "htpasswd", "--auth-htpasswd-filename",
         str(root / "users"), "--auth-htpasswd-encryption", "plain", "--logging-level", "warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("Radicale did not start")
    yield Radicale(f"http://127.0.0.1:{port}/", process)
    process.terminate()
    process.wait(10)


class Phone:
    """A second CalDAV client on the same calendar, as a phone's task app would be."""

    def __init__(self, url: str) -> None:
        import caldav

        self.calendar = caldav.DAVClient(url=url, username=USER, password=PASSWORD).calendar(url=url)

    def todos(self) -> dict[str, object]:
        """Every VTODO by its summary (completed ones too)."""
        return {str(t.icalendar_component["SUMMARY"]): t for t in self.calendar.todos(include_completed=True)}

    def summaries(self) -> list[str]:
        """The summaries on the server, sorted."""
        return sorted(self.todos())

    def add(self, summary: str, **extra: object) -> None:
        """Create a VTODO."""
        self.calendar.save_todo(summary=summary, uid=f"phone-{uuid.uuid4().hex[:10]}", **extra)


@pytest.fixture
def calendar_url(radicale) -> str:
    """A fresh calendar on the server."""
    return radicale.new_calendar()


@pytest.fixture
def phone(calendar_url) -> Phone:
    """The second client on that calendar."""
    return Phone(calendar_url)


@pytest.fixture
def sync_ctx(tmp_path, monkeypatch):
    """A Planner store on a real SQLite file, with the CalDAV password in the environment."""
    monkeypatch.setenv("PLANNER_CALDAV_PASSWORD", PASSWORD)
    return make_context(f"sqlite:///{tmp_path / 'planner.db'}")


def store_path(ctx) -> Path:
    """The SQLite file behind a test context."""
    return Path(ctx.location.sqlite_path)
