"""Golden files on disk: which files a folder holds, and one golden read and validated against the schema.

A golden is the hand-written ``GoldenArticle`` of one document, stored as ``<doc_id>.json`` beside
the document's text. Reading is shared by checking (which collects every problem) and loading
(which stops at the first), so both name a problem the same way: the file, then the JSON path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from harness.errors import JSON_ROOT, ConfigError, GoldenError, json_path
from harness.goldens.schema import GoldenArticle

__all__ = ["GoldenIssue", "golden_files", "load_golden", "parse_golden", "read_bytes", "validation_issues"]


@dataclass(frozen=True)
class GoldenIssue:
    """One problem found in a golden file."""

    file: Path
    """The golden file at fault."""
    path: str
    """JSON path of the offending value, e.g. ``contacts[1].evidence[0].start``; ``$`` for the whole file."""
    message: str
    """What is wrong, in words an annotator can act on."""
    line: int | None = None
    """Line of the file, where the problem is one of JSON syntax rather than of a field."""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else str(self.file)
        return f"{where}: {self.path}: {self.message}"


def golden_files(folder: Path) -> list[Path]:
    """The ``*.json`` goldens of ``folder`` in file-name order; ``ConfigError`` for no folder or no golden."""
    if not folder.is_dir():
        raise ConfigError("no such folder of goldens", path=folder)
    files = sorted(folder.glob("*.json"))
    if not files:
        raise ConfigError("no golden files (*.json) in this folder", path=folder)
    return files


def parse_golden(file: Path, raw: bytes) -> tuple[Any, GoldenIssue | None]:
    """The parsed JSON of a golden file's bytes, or the issue that stops it being read."""
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, GoldenIssue(file, JSON_ROOT, f"not valid UTF-8 at byte {exc.start}")
    try:
        return json.loads(content), None
    except json.JSONDecodeError as exc:
        return None, GoldenIssue(file, JSON_ROOT, f"invalid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno)


def read_bytes(file: Path) -> tuple[bytes, GoldenIssue | None]:
    """A golden file's bytes, or the issue that stops it being read."""
    try:
        return file.read_bytes(), None
    except OSError as exc:
        return b"", GoldenIssue(file, JSON_ROOT, f"cannot read: {exc.strerror}")


def validation_issues(file: Path, error: ValidationError) -> list[GoldenIssue]:
    """One issue per pydantic error, at its JSON path."""
    return [
        GoldenIssue(file, json_path(detail["loc"]), detail["msg"].removeprefix("Value error, "))
        for detail in error.errors(include_url=False)
    ]


def load_golden(file: Path, raw: bytes | None = None) -> GoldenArticle:
    """Read (or take ``raw``) and validate one golden file: its schema only; ``check_golden`` also compares it
    with its text."""
    if raw is None:
        raw, problem = read_bytes(file)
        if problem is not None:
            raise GoldenError(problem.message, path=file)
    data, problem = parse_golden(file, raw)
    if problem is not None:
        raise GoldenError(problem.message, path=file, line=problem.line)
    try:
        return GoldenArticle.model_validate(data)
    except ValidationError as error:
        lines = "\n".join(f"  {issue.path}: {issue.message}" for issue in validation_issues(file, error))
        raise GoldenError(f"does not match the golden schema:\n{lines}", path=file) from error
