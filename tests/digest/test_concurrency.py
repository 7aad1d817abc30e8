"""Two `planner digest --send` processes started at once send one message (SQLite and PostgreSQL)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import make_context
from tests.digest.conftest import build_scenario, smtp_env, start_smtp


def _env(tmp_path, port: int) -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("PLANNER_")}
    env.update(smtp_env(port), PLANNER_CONFIG=str(tmp_path / "no-config.toml"), NO_COLOR="1")
    return env


def test_two_processes_at_once_send_one_digest(database_url, tmp_path):
    build_scenario(database_url)
    server = start_smtp()
    server.sink.delay_seconds = 1.0  # the first run is still sending when the second one claims
    command = [sys.executable, "-m", "planner", "--db", database_url, "--today", "2026-11-25",
               "digest", "--user", "ana", "--send"]
    try:
        runs = [subprocess.Popen(command, env=_env(tmp_path, server.port), stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for _ in range(2)]
        results = [(run.wait(timeout=120), *run.communicate()) for run in runs]
    finally:
        server.stop()
    assert [code for code, _out, _err in results] == [0, 0], results
    outputs = sorted(out.strip() for _code, out, _err in results)
    assert len(server.sink.messages) == 1, outputs
    assert outputs[1] == "sent the 2026-11-25 digest to ana@example.com"
    assert outputs[0].startswith("not sent to ana@example.com: ")
    assert "another run is sending it" in outputs[0] or "already sent" in outputs[0]
    with make_context(database_url).reader() as conn:
        rows = conn.rows("SELECT status, attempts FROM digestlog WHERE kind = 'person:ana' AND day = ?",
                         ["2026-11-25"])
    assert rows == [("sent", 1)]
