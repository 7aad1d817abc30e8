"""Files a person asks for (``--out``, ``--svg``, ``--html``): written through the store's path checks."""

from __future__ import annotations

import os
from pathlib import Path


def write_output(path: str | os.PathLike[str], content: str | bytes, *, what: str = "file") -> Path:
    """Write ``content`` whole or not at all; refuses a folder, a missing folder, a device or a database."""
    from planner.store.paths import write_file

    data = content.encode("utf-8") if isinstance(content, str) else content
    return write_file(path, data, what=what)
