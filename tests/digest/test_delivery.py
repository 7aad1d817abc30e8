"""`planner digest --send` against a real SMTP server on loopback: content, once a day, failures, login, TLS."""

from __future__ import annotations

import subprocess

import pytest

from tests.cli.conftest import Planner
from tests.conftest import make_context, require_tool
from tests.digest.conftest import build_scenario, free_port, smtp_env, start_smtp


@pytest.fixture
def cli(tmp_path, digest_env):
    """The CLI in-process over the scenario's SQLite file."""
    planner = Planner(tmp_path / "planner.db", digest_env)
    build_scenario(f"sqlite:///{planner.db}")
    return planner


def _use_smtp(monkeypatch, port: int, **extra: str) -> None:
    for name, value in smtp_env(port, **extra).items():
        monkeypatch.setenv(name, value)


def _log(db: str) -> list[tuple]:
    ctx = make_context(f"sqlite:///{db}")
    with ctx.reader() as conn:
        return conn.rows("SELECT recipient, day, kind, status, attempts, sent_at IS NOT NULL, error FROM digestlog "
                         "WHERE day = '2026-11-25' ORDER BY recipient")


def _parts(message) -> dict[str, str]:
    return {part.get_content_type(): part.get_content() for part in message.walk() if not part.is_multipart()}


def test_send_mails_a_multipart_digest_with_the_sections(cli, smtp_server, digest_env):
    _use_smtp(digest_env, smtp_server.port)
    output = cli.ok("digest", "--user", "ana", "--send")
    assert output.strip() == "sent the 2026-11-25 digest to ana@example.com"
    [message] = smtp_server.sink.messages
    assert smtp_server.sink.recipients == [["ana@example.com"]]
    assert message.get_content_type() == "multipart/alternative"
    assert message["To"] == "ana@example.com" and message["From"] == "Planner <planner@example.com>"
    assert message["Subject"] == "Planner · ana · Wed 25 Nov: 2 overdue, 1 due today, 2 at risk"
    assert message["Auto-Submitted"] == "auto-generated"
    parts = _parts(message)
    assert set(parts) == {"text/plain", "text/html", "image/png"}  # the project's chart, attached to the HTML
    plain, related = message.get_payload()
    assert related.get_content_type() == "multipart/related"
    html_part, *images = related.get_payload()
    assert html_part.get_content_type() == "text/html" and 1 <= len(images) <= 2
    for image in images:
        assert image.get_content_type() == "image/png" and image.get_content()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f'src="cid:{image["Content-ID"].strip("<>")}"' in parts["text/html"]
    assert "<svg" not in parts["text/html"]  # mail clients strip inline SVG
    for heading in ("Overdue (2)", "Due today (1)", "Today's queue", "At risk (2)", "Done yesterday (1)",
                    "Changes since the last digest (4)"):
        assert heading in parts["text/plain"]
        assert heading.replace("'", "&#x27;") in parts["text/html"]
    assert "Blocked" not in parts["text/plain"]  # empty sections are left out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in parts["text/html"] and "<script" not in parts["text/html"]
    assert _log(cli.db) == [("ana@example.com", "2026-11-25", "person:ana", "sent", 1, 1, None)]


def test_second_run_sends_nothing_and_force_sends_again(cli, smtp_server, digest_env):
    _use_smtp(digest_env, smtp_server.port)
    cli.ok("digest", "--user", "ana", "--send")
    again = cli.ok("digest", "--user", "ana", "--send")
    assert again.startswith("not sent to ana@example.com: already sent at ") and "--force" in again
    assert len(smtp_server.sink.messages) == 1
    assert "(attempt 2)" in cli.ok("digest", "--user", "ana", "--send", "--force")
    assert len(smtp_server.sink.messages) == 2
    assert _log(cli.db)[0][3:5] == ("sent", 2)


def test_to_overrides_the_address_and_team_digest_goes_to_everyone(cli, smtp_server, digest_env):
    _use_smtp(digest_env, smtp_server.port)
    cli.ok("digest", "--user", "ana", "--send", "--to", "Boss <Boss@Example.com>")
    output = cli.ok("digest", "--everyone", "--send")
    assert "to ana@example.com" in output and "to bo@example.com" in output
    assert smtp_server.sink.recipients == [["boss@example.com"], ["ana@example.com"], ["bo@example.com"]]
    team_text = _parts(smtp_server.sink.messages[1])["text/plain"]
    assert "Ana Lopez (ana)" in team_text and "Bo Chen (bo)" in team_text and "Blocked (1)" in team_text
    assert [(row[0], row[2], row[3]) for row in _log(cli.db)] == [
        ("ana@example.com", "team", "sent"), ("bo@example.com", "team", "sent"),
        ("boss@example.com", "person:ana", "sent")]


def test_server_down_fails_records_no_sent_row_and_the_next_run_retries(cli, digest_env):
    port = free_port()
    _use_smtp(digest_env, port)
    result = cli("digest", "--user", "ana", "--send")
    assert result.exit_code == 1
    assert "could not send the digest to ana@example.com: cannot reach the SMTP server 127.0.0.1:" in result.stderr
    assert "the next run retries it" in result.stderr and "Traceback" not in result.stderr
    [row] = _log(cli.db)
    assert row[3:6] == ("failed", 1, 0) and "Connection refused" in row[6]
    server = start_smtp(port)
    try:
        assert cli.ok("digest", "--user", "ana", "--send").strip() == \
            "sent the 2026-11-25 digest to ana@example.com (attempt 2)"
        assert len(server.sink.messages) == 1
    finally:
        server.stop()
    assert _log(cli.db)[0][3:7] == ("sent", 2, 1, None)


def test_configuration_problems_are_one_actionable_line(cli, digest_env, smtp_server):
    result = cli("digest", "--user", "ana", "--send")
    assert result.exit_code == 1 and "no SMTP server configured: set PLANNER_SMTP_HOST" in result.stderr
    _use_smtp(digest_env, smtp_server.port)
    cli.ok("resource", "add", "cy")
    result = cli("digest", "--user", "cy", "--send")
    assert result.exit_code == 1 and "no email address for cy" in result.stderr and "--to ADDRESS" in result.stderr
    result = cli("digest", "--user", "ana", "--send", "--to", "not-an-address")
    assert result.exit_code == 1 and "is not an email address" in result.stderr
    _use_smtp(digest_env, smtp_server.port, PLANNER_SMTP_USER="planner")
    result = cli("digest", "--user", "ana", "--send")
    assert result.exit_code == 1 and "no SMTP password for planner" in result.stderr
    assert smtp_server.sink.messages == [] and _log(cli.db) == []


def test_nothing_to_report_sends_nothing(cli, smtp_server, digest_env):
    _use_smtp(digest_env, smtp_server.port)
    cli.ok("resource", "add", "cy", "--email", "cy@example.com")
    assert "nothing to report" in cli.ok("digest", "--user", "cy", "--send")
    assert smtp_server.sink.messages == []


def test_starttls_against_a_server_without_it_is_a_recorded_failure(cli, smtp_server, digest_env):
    _use_smtp(digest_env, smtp_server.port, PLANNER_SMTP_SECURITY="starttls")
    result = cli("digest", "--user", "ana", "--send")
    assert result.exit_code == 1 and "does not offer STARTTLS" in result.stderr
    assert _log(cli.db)[0][3] == "failed" and smtp_server.sink.messages == []


def _authenticating_server(password: str):
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def authenticator(server, session, envelope, mechanism, auth_data):  # noqa: ANN001, ANN202
        ok = isinstance(auth_data, LoginPassword) and auth_data.login == b"planner" \
            and auth_data.password == password.encode()
        return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535 itself

    return start_smtp(authenticator=authenticator, auth_require_tls=False)


def test_login_uses_the_password_from_the_environment_and_never_shows_it(cli, digest_env):
    server = _authenticating_server("s3cret-pw")
    try:
        _use_smtp(digest_env, server.port, PLANNER_SMTP_USER="planner", PLANNER_SMTP_PASSWORD="wrong-pw-123")
        result = cli("digest", "--user", "ana", "--send")
        assert result.exit_code == 1 and "refused the login of planner (535)" in result.stderr
        assert "wrong-pw-123" not in result.output + result.stderr + repr(_log(cli.db))
        _use_smtp(digest_env, server.port, PLANNER_SMTP_USER="planner", PLANNER_SMTP_PASSWORD="s3cret-pw")
        assert "(attempt 2)" in cli.ok("digest", "--user", "ana", "--send")
        assert len(server.sink.messages) == 1
    finally:
        server.stop()


def test_password_from_the_keyring(cli, digest_env, smtp_server, monkeypatch):
    import keyring

    from planner.config import SmtpSettings
    from planner.domain.errors import PlannerError
    from planner.services.digest.delivery import smtp_password

    asked = []
    monkeypatch.setattr(keyring, "get_password", lambda service, user: asked.append((service, user)) or "from-ring")
    assert smtp_password(SmtpSettings(host="h", user="planner"), environ={}) == "from-ring"
    assert asked == [("planner-smtp", "planner")]
    assert smtp_password(SmtpSettings(host="h", user="planner"), environ={"PLANNER_SMTP_PASSWORD": "env"}) == "env"
    assert smtp_password(SmtpSettings(host="h"), environ={}) is None

    def broken(service, user):  # noqa: ANN001, ANN202
        raise keyring.errors.NoKeyringError("no backend")

    monkeypatch.setattr(keyring, "get_password", broken)
    with pytest.raises(PlannerError, match="keyring set planner-smtp planner"):
        smtp_password(SmtpSettings(host="h", user="planner"), environ={})


def test_starttls_with_a_verified_certificate(cli, digest_env, tmp_path):
    require_tool("openssl")
    import ssl

    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls.load_cert_chain(cert, key)
    server = start_smtp(tls_context=tls, require_starttls=True)
    try:
        _use_smtp(digest_env, server.port, PLANNER_SMTP_SECURITY="none")
        result = cli("digest", "--user", "ana", "--send")
        assert result.exit_code == 1 and "530" in result.stderr  # the server insists on STARTTLS
        digest_env.setenv("SSL_CERT_FILE", str(cert))
        _use_smtp(digest_env, server.port, PLANNER_SMTP_SECURITY="starttls")
        assert "sent the 2026-11-25 digest" in cli.ok("digest", "--user", "ana", "--send")
        assert len(server.sink.messages) == 1
    finally:
        server.stop()


def test_a_server_without_auth_says_so_and_suggests_what_fits_the_security(cli, smtp_server, digest_env):
    _use_smtp(digest_env, smtp_server.port, PLANNER_SMTP_USER="planner", PLANNER_SMTP_PASSWORD="pw-never-shown")
    result = cli("digest", "--user", "ana", "--send")
    assert result.exit_code == 1 and "does not offer a login (AUTH) for planner" in result.stderr
    assert "remove the SMTP user" in result.stderr and "STARTTLS" not in result.stderr
    assert "set PLANNER_SMTP_SECURITY to ssl or none" not in result.stderr  # security is none already
    assert "pw-never-shown" not in result.output + result.stderr + repr(_log(cli.db))
    assert smtp_server.sink.messages == []


def test_to_with_several_addresses_sends_to_each_and_says_so(cli, smtp_server, digest_env):
    _use_smtp(digest_env, smtp_server.port)
    output = cli.ok("digest", "--user", "ana", "--send", "--to", "a@example.com, B@Example.org",
                    "--to", "c@example.net")
    assert output.splitlines() == ["sent the 2026-11-25 digest to a@example.com",
                                   "sent the 2026-11-25 digest to b@example.org",
                                   "sent the 2026-11-25 digest to c@example.net"]
    assert smtp_server.sink.recipients == [["a@example.com"], ["b@example.org"], ["c@example.net"]]


@pytest.mark.parametrize("given", ["a@example.com\nBcc: spy@example.org", "a@example.com\r", "a@example.com, nope",
                                   "a@example.com b@example.com", " , "])
def test_to_that_is_not_a_clean_list_of_addresses_is_refused_and_nothing_is_sent(cli, smtp_server, digest_env, given):
    _use_smtp(digest_env, smtp_server.port)
    result = cli("digest", "--user", "ana", "--send", "--to", given)
    assert result.exit_code == 1 and len(result.stderr.strip().splitlines()) == 1
    assert smtp_server.sink.messages == [] and _log(cli.db) == []


def test_cron_install_splits_and_checks_to_now(cli, tmp_path):
    crontab = tmp_path / "crontab"
    cli.ok("cron", "install", "--user", "ana", "--send", "--to", "a@example.com, b@example.org",
           "--crontab-file", str(crontab))
    assert "--to a@example.com --to b@example.org" in crontab.read_text()
    refused = cli("cron", "install", "--user", "ana", "--send", "--to", "a@example.com\nx", "--crontab-file",
                  str(crontab))
    assert refused.exit_code == 1 and "line break" in refused.stderr
