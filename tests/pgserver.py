"""A throwaway PostgreSQL cluster for the tests (initdb + pg_ctl, socket in a temp dir).

PostgreSQL refuses to run as root, so when the tests run as root the cluster
is created and started as the ``postgres`` user (``runuser``).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

PG_BIN_CANDIDATES = ("/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin")


def _pg_bin(name: str) -> str | None:
    for folder in PG_BIN_CANDIDATES:
        candidate = Path(folder) / name
        if candidate.exists():
            return str(candidate)
    return shutil.which(name)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Cluster:
    """A running cluster: its data dir, socket dir and port."""

    root: Path
    port: int
    as_user: list[str]

    @property
    def socket_dir(self) -> Path:
        return self.root / "sock"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.socket_dir}&port={self.port}"

    def stop(self) -> None:
        subprocess.run([*self.as_user, _pg_bin("pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate", "stop"],
                       capture_output=True, check=False)
        shutil.rmtree(self.root, ignore_errors=True)


def start_cluster() -> Cluster | None:
    """Start a cluster, or None when PostgreSQL's binaries are not installed."""
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        return None
    as_user: list[str] = []
    root = Path(tempfile.mkdtemp(prefix="planner-pg-"))
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(root, "postgres")
    root.chmod(0o755)
    subprocess.run([*as_user, "mkdir", str(root / "sock")], check=True)
    subprocess.run([*as_user, initdb, "-A", "trust", "-U", "postgres", "-D", str(root / "data")],
                   check=True, capture_output=True)
    port = _free_port()
    options = f"-k {root / 'sock'} -p {port} -c listen_addresses='' -c fsync=off -c max_connections=200"
    subprocess.run([*as_user, pg_ctl, "-D", str(root / "data"), "-o", options, "-l", str(root / "log"), "-w", "start"],
                   check=True, capture_output=True)
    return Cluster(root, port, as_user)
