"""Crash-safe file writes: whole files replaced atomically, records appended and synced one by one.

A job may be killed at any moment (Ctrl-C, out of memory, a lost machine); what it wrote before
must then be whole: a reader sees the old file or the new one, never half of either.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TextIO

__all__ = ["append_line", "write_atomically"]


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, sync it, then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def append_line(file: TextIO, line: str) -> None:
    """Append one line in a single write and sync it, so a crash loses at most the line being written."""
    file.write(line + "\n")
    file.flush()
    os.fsync(file.fileno())
