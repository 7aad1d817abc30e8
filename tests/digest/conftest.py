"""Digest fixtures: a fixed scenario, a real SMTP server on loopback, and the CLI's environment."""

from __future__ import annotations

import asyncio
import socket
from dataclasses import dataclass, field
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest

from tests.conftest import TODAY, make_context

YESTERDAY = date(2026, 11, 24)


def free_port() -> int:
    """A TCP port nobody listens on (right now)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Scenario:
    """The ids of the fixed scenario's tasks."""

    design: int
    build: int
    launch: int
    notes: int
    login: int
    chore: int
    review: int
    qa: int


def mark_sent(url: str, recipient: str, day: date, kind: str) -> None:
    """Record a digest as sent now (what a previous morning's run leaves behind)."""
    from planner.store.models import DigestLog, utcnow

    ctx = make_context(url)
    with ctx.uow() as uow:
        uow.session.add(DigestLog(recipient=recipient, day=day, kind=kind, status="sent", attempts=1,
                                  sent_at=utcnow()))
        uow.commit()


def build_scenario(url: str) -> Scenario:
    """Ana and Bo on project `web` (deadline Fri 4 Dec); yesterday's digest went out mid-way.

    Before yesterday's digest: the plan, a chore Ana finished yesterday. After
    it: Bo slips a due date, adds a task for Ana and hands QA to her; the lead
    moves the project deadline.
    """
    from planner.services.planning.projects import add_project, edit_project
    from planner.services.people.resources import add_resource
    from planner.services.tasks.operations import TaskDraft, add_task, assign, complete_task, edit_task

    lead = make_context(url, actor="lead", today=YESTERDAY)
    add_resource(lead, "ana", name="Ana Lopez", email="ana@example.com")
    add_resource(lead, "bo", name="Bo Chen", email="bo@example.com")
    add_project(lead, "web", start=date(2026, 11, 16), deadline=date(2026, 12, 4))
    design = add_task(lead, TaskDraft("Design the <script>alert(1)</script> page", project="web", duration_days=3,
                                      estimate_hours=4, due=date(2026, 11, 20), assignees=["ana"])).task_id
    build = add_task(lead, TaskDraft("Build", project="web", duration_days=8, estimate_hours=20, after=[design],
                                     assignees=["bo"])).task_id
    launch = add_task(lead, TaskDraft("Launch", project="web", milestone=True, after=[build],
                                      due=date(2026, 12, 1))).task_id
    notes = add_task(lead, TaskDraft("Write release notes", project="web", due=TODAY, estimate_hours=2,
                                     assignees=["ana"])).task_id
    login = add_task(lead, TaskDraft("Fix login bug", project="web", due=date(2026, 11, 20), priority=3,
                                     estimate_hours=3, assignees=["ana"])).task_id
    chore = add_task(lead, TaskDraft("Renew certificates", project="ops", estimate_hours=1, assignees=["ana"])).task_id
    qa = add_task(lead, TaskDraft("QA pass", project="web", estimate_hours=4, assignees=["bo"])).task_id
    complete_task(lead, chore)
    mark_sent(url, "ana@example.com", YESTERDAY, "person:ana")
    mark_sent(url, "lead@example.com", YESTERDAY, "team")

    bo = make_context(url, actor="bo", today=TODAY)
    edit_task(bo, login, {"due": date(2026, 11, 21)})
    edit_task(bo, login, {"due": date(2026, 11, 23)})
    review = add_task(bo, TaskDraft("Security review", project="web", estimate_hours=2, assignees=["ana"])).task_id
    assign(bo, qa, ["bo"], remove=True)
    assign(bo, qa, ["ana"])
    edit_project(make_context(url, actor="lead", today=TODAY), "web", deadline=date(2026, 12, 9))
    return Scenario(design, build, launch, notes, login, chore, review, qa)


@dataclass
class SmtpSink:
    """An aiosmtpd handler that keeps every message it accepts (optionally slowly)."""

    delay_seconds: float = 0.0
    messages: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # noqa: ANN001, ANN201, N802 - aiosmtpd's hook
        if self.delay_seconds:
            await asyncio.sleep(self.delay_seconds)
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    """A running loopback SMTP server."""

    port: int
    sink: SmtpSink
    controller: object

    def stop(self) -> None:
        self.controller.stop()


def start_smtp(port: int | None = None, **controller_options) -> SmtpServer:
    """Start aiosmtpd on 127.0.0.1 (a free port unless given)."""
    from aiosmtpd.controller import Controller

    sink = SmtpSink()
    port = port or free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port, **controller_options)
    controller.start()
    return SmtpServer(port, sink, controller)


@pytest.fixture
def smtp_server():
    """A real SMTP server on loopback for one test."""
    server = start_smtp()
    try:
        yield server
    finally:
        server.stop()


def smtp_env(port: int, **extra: str) -> dict[str, str]:
    """PLANNER_* variables that point delivery at a loopback server (no config file)."""
    env = {"PLANNER_SMTP_HOST": "127.0.0.1", "PLANNER_SMTP_PORT": str(port), "PLANNER_SMTP_SECURITY": "none",
           "PLANNER_SMTP_FROM": "Planner <planner@example.com>"}
    env.update(extra)
    return env


@pytest.fixture
def digest_env(monkeypatch, tmp_path):
    """A clean PLANNER_* environment: no config file, no SMTP settings, no colours."""
    import os

    for name in list(os.environ):
        if name.startswith("PLANNER_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PLANNER_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("NO_COLOR", "1")
    return monkeypatch


__all__ = ["TODAY", "YESTERDAY"]
