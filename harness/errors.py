"""Errors a user can act on: each names the file, line or field at fault.

The CLI prints these as one line and exits with the code below; any other exception is a bug
and keeps its traceback.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "JSON_ROOT",
    "ConfigError",
    "DocumentError",
    "GoldenError",
    "HarnessError",
    "PredictionError",
    "json_path",
]


class HarnessError(Exception):
    """Base of every error harness reports to the user without a traceback."""

    exit_code = 2

    def __init__(self, message: str, *, path: Path | str | None = None, line: int | None = None):
        self.path = Path(path) if path is not None else None
        self.line = line
        where = ""
        if path is not None:
            where = f"{path}:{line}: " if line is not None else f"{path}: "
        super().__init__(f"{where}{message}")


class DocumentError(HarnessError):
    """An input document cannot be read (missing, empty, binary, undecodable, malformed JSONL)."""

    exit_code = 3


class GoldenError(HarnessError):
    """A golden file is malformed or disagrees with its source text."""

    exit_code = 4


class PredictionError(HarnessError):
    """A prediction file or results.jsonl cannot be read."""

    exit_code = 4


class ConfigError(HarnessError):
    """A command-line option, prompt, model or endpoint setting is unusable."""

    exit_code = 2


JSON_ROOT = "$"
"""The JSON path of a whole document, where an error is about no field in particular."""


def json_path(loc: tuple[int | str, ...]) -> str:
    """Render a pydantic error location as a JSON path: ``('contacts', 1, 'date')`` -> ``contacts[1].date``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path or JSON_ROOT
