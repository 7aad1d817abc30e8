"""The 480 PSPLIB j30 instances shipped with the tests (tests/data/psplib/j30.tar.xz, the published files byte for byte)."""

from __future__ import annotations

import tarfile
from collections.abc import Iterator
from pathlib import Path

DATA = Path(__file__).parent.parent / "data" / "psplib"


def j30_instances() -> Iterator[tuple[str, str]]:
    """(file name, text) of every j30 instance, in name order."""
    with tarfile.open(DATA / "j30.tar.xz") as archive:
        for member in sorted(archive.getmembers(), key=lambda m: m.name):
            if member.isfile() and member.name.endswith(".sm"):
                yield Path(member.name).name, archive.extractfile(member).read().decode()
