"""Golden files: load them, and check them against their source texts before anything is scored against them.

A golden is the hand-written ``GoldenArticle`` of one document, stored as ``<doc_id>.json`` beside
``<doc_id>.txt``. A wrong offset or a date that contradicts its own ``date_text`` would silently skew
every score, so ``check_golden`` reports each such problem with the file and the JSON path at fault.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from harness.documents import load_text_file, parse_published
from harness.errors import JSON_ROOT, ConfigError, DocumentError, GoldenError, json_path
from harness.postprocess import resolve_relative_date
from schemas.golden import GoldenArticle

__all__ = ["GoldenIssue", "check_golden", "check_goldens", "load_golden"]

"""The JSON path of the whole file, for problems that belong to no single field."""


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


def _read_json(file: Path) -> tuple[Any, GoldenIssue | None]:
    """The parsed content of a golden file, or the issue that stops it being read."""
    try:
        content = file.read_text(encoding="utf-8")
    except OSError as exc:
        return None, GoldenIssue(file, JSON_ROOT, f"cannot read: {exc.strerror}")
    except UnicodeDecodeError as exc:
        return None, GoldenIssue(file, JSON_ROOT, f"not valid UTF-8 at byte {exc.start}")
    try:
        return json.loads(content), None
    except json.JSONDecodeError as exc:
        return None, GoldenIssue(file, JSON_ROOT, f"invalid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno)


def _validation_issues(file: Path, error: ValidationError) -> list[GoldenIssue]:
    issues = []
    for detail in error.errors(include_url=False):
        message = detail["msg"].removeprefix("Value error, ")
        issues.append(GoldenIssue(file, json_path(detail["loc"]), message))
    return issues


def load_golden(file: Path) -> GoldenArticle:
    """Read and validate one golden file (schema only; ``check_golden`` also compares it with its text)."""
    data, problem = _read_json(file)
    if problem is not None:
        raise GoldenError(problem.message, path=file, line=problem.line)
    try:
        return GoldenArticle.model_validate(data)
    except ValidationError as error:
        lines = "\n".join(f"  {issue.path}: {issue.message}" for issue in _validation_issues(file, error))
        raise GoldenError(f"does not match the golden schema:\n{lines}", path=file) from error


def _name_issues(file: Path, golden: GoldenArticle, text: str) -> list[GoldenIssue]:
    issues = []
    for index, actor in enumerate(golden.actors):
        if not any(form in text for form in (actor.name, *actor.aliases)):
            message = f"neither the name {actor.name!r} nor any alias occurs in the text"
            issues.append(GoldenIssue(file, f"actors[{index}].name", message))
    return issues


def _offset_issues(file: Path, golden: GoldenArticle) -> list[GoldenIssue]:
    """Goldens pin each quote to its place: the same words may occur twice, and scorers may compare spans."""
    return [
        GoldenIssue(file, f"contacts[{index}].evidence[{number}].start", "a golden quote needs its start and end")
        for index, contact in enumerate(golden.contacts)
        for number, evidence in enumerate(contact.evidence)
        if evidence.start is None
    ]


def _date_issues(file: Path, golden: GoldenArticle) -> list[GoldenIssue]:
    issues = []
    published = golden.published
    for index, contact in enumerate(golden.contacts):
        path = f"contacts[{index}].date"
        resolved = resolve_relative_date(contact.date_text, published) if contact.date_text else None
        if contact.date is None:
            if resolved is not None:
                message = f"date_text {contact.date_text!r} (published {published}) gives {resolved}, but date is null"
                issues.append(GoldenIssue(file, path, message))
            continue
        if published is not None and contact.date > published:
            issues.append(GoldenIssue(file, path, f"{contact.date} is after the publication date {published}"))
        if resolved is None:
            message = f"{contact.date} cannot be derived from date_text {contact.date_text!r} (published {published})"
            issues.append(GoldenIssue(file, path, message))
        elif resolved != contact.date:
            message = f"date_text {contact.date_text!r} (published {published}) gives {resolved}, not {contact.date}"
            issues.append(GoldenIssue(file, path, message))
    return issues


def check_golden(file: Path, text: str) -> list[GoldenIssue]:
    """Every problem of one golden against its source text; an empty list means it can be scored against."""
    data, problem = _read_json(file)
    if problem is not None:
        return [problem]
    try:
        golden = GoldenArticle.validate_against(data, text, strict_aliases=True)
    except ValidationError as error:
        return _validation_issues(file, error)
    issues = []
    if golden.doc_id != file.stem:
        issues.append(GoldenIssue(file, "doc_id", f"{golden.doc_id!r} differs from the file name's {file.stem!r}"))
    marker = parse_published(text)
    if golden.published != marker:
        message = f"{golden.published} differs from the text's date marker ({marker or 'none'})"
        issues.append(GoldenIssue(file, "published", message))
    return issues + _name_issues(file, golden, text) + _offset_issues(file, golden) + _date_issues(file, golden)


def check_goldens(folder: Path) -> dict[Path, list[GoldenIssue]]:
    """Check every ``*.json`` golden of a folder against the ``.txt`` of the same stem, in file-name order."""
    if not folder.is_dir():
        raise ConfigError("no such folder of goldens", path=folder)
    files = sorted(folder.glob("*.json"))
    if not files:
        raise ConfigError("no golden files (*.json) in this folder", path=folder)
    results: dict[Path, list[GoldenIssue]] = {}
    for file in files:
        source = file.with_suffix(".txt")
        if not source.is_file():
            results[file] = [GoldenIssue(file, JSON_ROOT, f"its source text {source.name} is missing")]
            continue
        try:
            document = load_text_file(source)
        except DocumentError as error:
            results[file] = [GoldenIssue(file, JSON_ROOT, f"its source text cannot be read: {error}")]
            continue
        results[file] = check_golden(file, document.text)
    return results
