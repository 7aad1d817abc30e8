"""Mailing the digest over SMTP, once per recipient per day.

Idempotency lives in ``DigestLog`` (UNIQUE recipient, day, kind). Before a
message goes out its row is *claimed* in a transaction of its own — inserted,
or moved from ``failed`` back to ``sending`` — so of two runs started at once
only one sends; the row is marked ``sent`` or ``failed`` afterwards. A failed
send never leaves a ``sent`` row: the next run retries it. ``force`` sends
again whatever the row says.

The SMTP password comes from ``PLANNER_SMTP_PASSWORD`` or the system keyring
(service ``planner-smtp``, user = the SMTP user); it is never stored, printed
or written into an error.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from typing import TYPE_CHECKING, Any

from planner.config import SmtpSettings
from planner.domain.errors import ConflictError, InvalidInputError, PlannerError
from planner.services.context import Context

if TYPE_CHECKING:
    from planner.services.digest.build import Digest

KEYRING_SERVICE = "planner-smtp"
SMTP_TIMEOUT_SECONDS = 30


@dataclass(slots=True)
class Delivery:
    """What happened for one recipient: ``status`` is sent | skipped | failed."""

    recipient: str
    status: str
    detail: str = ""
    attempts: int = 0


@dataclass(slots=True)
class DeliveryReport:
    """Every recipient's outcome."""

    deliveries: list[Delivery] = field(default_factory=list)

    @property
    def failed(self) -> list[Delivery]:
        """The recipients whose message did not go out."""
        return [d for d in self.deliveries if d.status == "failed"]


def normalize_address(text: str) -> str:
    """The bare, lower-cased address of ``text``, or InvalidInputError."""
    _name, address = parseaddr(text.strip())
    if "@" not in address or " " in address or address.startswith("@") or address.endswith("@"):
        raise InvalidInputError(f"{text!r} is not an email address, e.g. ana@example.com")
    return address.lower()


def parse_recipients(given: list[str]) -> list[str]:
    """Every address in ``--to`` values (each may list several, comma-separated), bare and lower-cased, once each.

    A line break is refused: it would end the header and could add others.
    """
    from email.utils import getaddresses

    addresses: list[str] = []
    for text in given:
        if "\n" in text or "\r" in text:
            raise InvalidInputError(f"{text!r} has a line break: give one address per --to, e.g. --to ana@example.com")
        found = [address for _name, address in getaddresses([text]) if address]
        if not found:
            raise InvalidInputError(f"{text!r} is not an email address, e.g. ana@example.com")
        addresses += [normalize_address(address) for address in found]
    if not addresses:
        raise InvalidInputError("--to needs an email address, e.g. ana@example.com")
    return list(dict.fromkeys(addresses))


def recipients_for(digest: Digest, to: list[str] | None = None) -> list[str]:
    """``to`` when given, else the email of the digest's person (or of every team member)."""
    if to:
        return parse_recipients(to)
    if not digest.emails:
        who = digest.subject if digest.kind == "person" else f"anyone in {digest.name}"
        hint = f"`planner resource edit {digest.subject} --email ADDRESS`" if digest.kind == "person" \
            else "`planner resource edit HANDLE --email ADDRESS`"
        raise InvalidInputError(f"no email address for {who}: {hint} sets one, or send with --to ADDRESS")
    return list(dict.fromkeys(normalize_address(address) for address in digest.emails))


def smtp_password(smtp: SmtpSettings, environ: Mapping[str, str] | None = None) -> str | None:
    """The SMTP password from PLANNER_SMTP_PASSWORD or the keyring; None when no login is configured."""
    env = os.environ if environ is None else environ
    if not smtp.user:
        return None
    if env.get("PLANNER_SMTP_PASSWORD"):
        return env["PLANNER_SMTP_PASSWORD"]
    try:
        import keyring

        password = keyring.get_password(KEYRING_SERVICE, smtp.user)
    except Exception:  # noqa: BLE001 - no keyring backend (a container, cron without D-Bus) is not an error here
        password = None
    if not password:
        raise PlannerError(
            f"no SMTP password for {smtp.user}: set PLANNER_SMTP_PASSWORD, or store it with "
            f"`keyring set {KEYRING_SERVICE} {smtp.user}`"
        )
    return password


def _sender(smtp: SmtpSettings) -> str:
    if smtp.sender:
        return smtp.sender
    if smtp.user and "@" in smtp.user:
        return f"Planner <{smtp.user}>"
    import socket

    return f"Planner <planner@{socket.getfqdn() or 'localhost'}>"


def compose(digest: Digest, sender: str, recipient: str) -> EmailMessage:
    """The multipart/alternative message: the text digest and its HTML twin (with its charts as related PNGs)."""
    from planner.render.digest import render_text, subject_line
    from planner.render.digest_html import render_html

    message = EmailMessage()
    message["Subject"] = subject_line(digest)
    message["From"] = sender
    message["To"] = recipient
    message["Date"] = formatdate(localtime=True)
    domain = parseaddr(sender)[1].partition("@")[2] or None
    message["Message-ID"] = make_msgid("planner-digest", domain=domain)
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    message.set_content(render_text(digest))
    charts = list(getattr(digest, "charts", None) or [])
    cids = [make_msgid(f"chart{index + 1}", domain=domain)[1:-1] for index in range(len(charts))]
    message.add_alternative(render_html(digest, cids if charts else None), subtype="html")
    if charts:
        # Gmail and Outlook drop inline SVG and data: URIs; a PNG in the HTML part's multipart/related shows.
        from planner.render.charts.png import chart_png

        html_part = message.get_payload()[1]
        for index, (chart, cid) in enumerate(zip(charts, cids), start=1):
            html_part.add_related(chart_png(chart), maintype="image", subtype="png", cid=f"<{cid}>",
                                  filename=f"chart{index}.png", disposition="inline")
    return message


def send_digest(ctx: Context, digest: Digest, *, to: list[str] | None = None, force: bool = False,
                environ: Mapping[str, str] | None = None) -> DeliveryReport:
    """Mail the digest to each recipient not yet served today (all of them with ``force``).

    Returns every recipient's outcome; a failure is recorded in DigestLog and
    does not stop the other recipients.
    """
    smtp = ctx.settings.smtp
    if not smtp.host:
        raise PlannerError("no SMTP server configured: set PLANNER_SMTP_HOST (and PLANNER_SMTP_PORT, "
                           "PLANNER_SMTP_SECURITY) or [smtp] host in config.toml")
    recipients = recipients_for(digest, to)
    password = smtp_password(smtp, environ)
    report = DeliveryReport()
    if digest.empty and not force:
        report.deliveries = [Delivery(r, "skipped", "nothing to report (--force sends it anyway)") for r in recipients]
        return report
    sender = _sender(smtp)
    connection: _Connection | None = None
    try:
        for recipient in recipients:
            log_id, attempts, reason = claim(ctx, recipient, digest, force=force)
            if log_id is None:
                report.deliveries.append(Delivery(recipient, "skipped", reason))
                continue
            try:
                if connection is None:
                    connection = _Connection(smtp, password)
                connection.send(compose(digest, sender, recipient))
            except Exception as error:  # noqa: BLE001 - every SMTP/network failure is recorded and retried
                detail = _describe(error, smtp, password)
                _mark(ctx, log_id, error=detail)
                report.deliveries.append(Delivery(recipient, "failed", detail, attempts))
                if connection is not None and not connection.alive:
                    connection.close()
                    connection = None
                continue
            except BaseException:
                _mark(ctx, log_id, error="interrupted while sending")
                raise
            _mark(ctx, log_id, error=None)
            report.deliveries.append(Delivery(recipient, "sent", "", attempts))
    finally:
        if connection is not None:
            connection.close()
    return report


def claim(ctx: Context, recipient: str, digest: Digest, *, force: bool = False) -> tuple[int | None, int, str]:
    """Take the (recipient, day, kind) row for this run: (row id, attempts, '') or (None, 0, why not)."""
    from sqlmodel import select

    from planner.store.models import DigestLog, utcnow

    key = (DigestLog.recipient == recipient, DigestLog.day == digest.day, DigestLog.kind == digest.log_kind)
    try:
        with ctx.uow() as uow:
            row = uow.first(select(DigestLog).where(*key).with_for_update())
            now = utcnow()
            if row is None:
                row = DigestLog(recipient=recipient, day=digest.day, kind=digest.log_kind, status="sending",
                                attempts=1, claimed_at=now)
            elif row.status == "sent" and not force:
                return None, 0, f"already sent at {_local_time(row.sent_at)}; --force sends it again"
            elif row.status == "sending" and not force and not _stale_claim(row.claimed_at, now):
                return None, 0, ("another run is sending it right now (if none is, its run was killed: "
                                 "it is retried after 15 minutes, or now with --force)")
            else:
                row.status, row.attempts, row.error, row.claimed_at = "sending", row.attempts + 1, None, now
            uow.session.add(row)
            uow.commit()
            return row.id, row.attempts, ""
    except ConflictError:  # PostgreSQL: another run inserted the same row first
        return None, 0, "another run is sending it right now"


#: A 'sending' claim older than this belongs to a run that was killed; the next run takes it over.
STALE_CLAIM = timedelta(minutes=15)


def _stale_claim(claimed_at: datetime | None, now: datetime) -> bool:
    if claimed_at is None:
        return True
    if claimed_at.tzinfo is None:
        claimed_at = claimed_at.replace(tzinfo=timezone.utc)
    return now - claimed_at > STALE_CLAIM


def _mark(ctx: Context, log_id: int, *, error: str | None) -> None:
    from planner.store.models import DigestLog, utcnow

    with ctx.uow() as uow:
        row = uow.get(DigestLog, log_id)
        assert row is not None
        if error is None:
            row.status, row.sent_at, row.error = "sent", utcnow(), None
        else:
            row.status, row.error = "failed", error[:500]
        uow.session.add(row)
        uow.commit()


def _local_time(moment: datetime | None) -> str:
    if moment is None:
        return "an unknown time"
    aware = moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment
    return aware.astimezone().strftime("%H:%M")


def _describe(error: BaseException, smtp: SmtpSettings, password: str | None) -> str:
    """A one-line, password-free account of a failed send."""
    import smtplib

    where = f"{smtp.host}:{smtp.port}"
    if isinstance(error, smtplib.SMTPNotSupportedError) and "AUTH" in str(error).upper():
        fix = ("remove the SMTP user (PLANNER_SMTP_USER or [smtp] user) to send without one, or set "
               "PLANNER_SMTP_SECURITY to starttls or ssl if the server offers logins only over TLS"
               if smtp.security == "none" else "remove the SMTP user (PLANNER_SMTP_USER or [smtp] user) "
               "to send without one")
        text = f"the SMTP server {where} does not offer a login (AUTH) for {smtp.user}: {fix}"
    elif isinstance(error, smtplib.SMTPNotSupportedError):
        text = f"the SMTP server {where} does not offer STARTTLS: {error}; set PLANNER_SMTP_SECURITY to ssl or none"
    elif isinstance(error, smtplib.SMTPAuthenticationError):
        text = f"the SMTP server {where} refused the login of {smtp.user} ({error.smtp_code})"
    elif isinstance(error, smtplib.SMTPRecipientsRefused):
        text = f"the SMTP server {where} refused the recipient: {_first_reason(error.recipients)}"
    elif isinstance(error, smtplib.SMTPResponseException):
        text = f"the SMTP server {where} answered {error.smtp_code}: {_decode(error.smtp_error)}"
    elif isinstance(error, OSError):
        text = f"cannot reach the SMTP server {where}: {error.strerror or error}"
    else:
        text = f"sending through {where} failed: {error}"
    text = " ".join(text.split())
    return text.replace(password, "***") if password else text


def _decode(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _first_reason(recipients: dict[str, tuple[int, bytes]]) -> str:
    for address, (code, reason) in recipients.items():
        return f"{address} ({code} {_decode(reason)})"
    return "no reason given"


class _Connection:
    """One SMTP session for all recipients of a run (TLS as configured, login when a user is set)."""

    def __init__(self, smtp: SmtpSettings, password: str | None):
        import smtplib
        import ssl

        context = ssl.create_default_context()
        self.client: smtplib.SMTP
        if smtp.security == "ssl":
            self.client = smtplib.SMTP_SSL(smtp.host or "", smtp.port, timeout=SMTP_TIMEOUT_SECONDS, context=context)
        else:
            self.client = smtplib.SMTP(smtp.host or "", smtp.port, timeout=SMTP_TIMEOUT_SECONDS)
        try:
            if smtp.security == "starttls":
                self.client.starttls(context=context)
            if smtp.user:
                self.client.login(smtp.user, password or "")
        except BaseException:
            self.close()
            raise
        self.alive = True

    def send(self, message: EmailMessage) -> None:
        """Send one message; a broken session is marked dead so the next recipient reconnects."""
        import smtplib

        try:
            self.client.send_message(message)
        except (smtplib.SMTPServerDisconnected, OSError):
            self.alive = False
            raise

    def close(self) -> None:
        """End the session, quietly."""
        try:
            self.client.quit()
        except Exception:  # noqa: BLE001 - the server may already be gone
            try:
                self.client.close()
            except Exception:  # noqa: BLE001
                pass
