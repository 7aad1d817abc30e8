"""PSPLIB instances shipped with the tests: all 480 of j30 (tests/data/psplib/j30.tar.xz), every 16th of j60
(j60-sample.tar.xz, 30) and every 21st of j120 (j120-sample.tar.xz, 29) — the published files byte for byte."""

from __future__ import annotations

import tarfile
from collections.abc import Iterator
from pathlib import Path

DATA = Path(__file__).parent.parent / "data" / "psplib"


def archive_instances(archive_name: str) -> Iterator[tuple[str, str]]:
    """(file name, text) of every instance in one of the archives under tests/data/psplib, in name order."""
    with tarfile.open(DATA / archive_name) as archive:
        for member in sorted(archive.getmembers(), key=lambda m: m.name):
            if member.isfile() and member.name.endswith(".sm"):
                yield Path(member.name).name, archive.extractfile(member).read().decode()


def j30_instances() -> Iterator[tuple[str, str]]:
    """(file name, text) of every j30 instance, in name order."""
    return archive_instances("j30.tar.xz")
