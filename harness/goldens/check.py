"""Check golden files against their source texts before anything is scored against them.

A wrong offset or a date that contradicts its own ``date_text`` would silently skew every score,
so ``check_golden`` reports each such problem with the file and the JSON path at fault.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import ValidationError

from harness.documents import Document
from harness.errors import JSON_ROOT
from harness.goldens.files import GoldenIssue, golden_files, parse_golden, read_bytes, validation_issues
from harness.goldens.golden_set import FolderSources, read_sources
from harness.goldens.schema import GoldenArticle
from harness.postprocess import resolve_relative_date

__all__ = ["check_golden", "check_goldens"]


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


def check_golden(file: Path, text: str, published: dt.date | None) -> list[GoldenIssue]:
    """Every problem of one golden against its source text and publication date (the text's date marker or
    its ``.jsonl`` field); an empty list means it can be scored against."""
    raw, problem = read_bytes(file)
    data, problem = (None, problem) if problem is not None else parse_golden(file, raw)
    if problem is not None:
        return [problem]
    try:
        golden = GoldenArticle.validate_against(data, text, strict_aliases=True)
    except ValidationError as error:
        return validation_issues(file, error)
    issues = []
    if golden.draft:
        message = 'a draft from a model\'s extraction: correct it against the text, then remove "draft": true'
        issues.append(GoldenIssue(file, "draft", message))
    if golden.doc_id != file.stem:
        issues.append(GoldenIssue(file, "doc_id", f"{golden.doc_id!r} differs from the file name's {file.stem!r}"))
    if golden.published != published:
        message = f"{golden.published} differs from the document's publication date ({published or 'none'})"
        issues.append(GoldenIssue(file, "published", message))
    return issues + _name_issues(file, golden, text) + _offset_issues(file, golden) + _date_issues(file, golden)


def _source(file: Path, sources: FolderSources) -> Document | GoldenIssue:
    text_file = file.with_suffix(".txt")
    for error in sources.unreadable:
        if error.path == text_file:
            return GoldenIssue(file, JSON_ROOT, f"its source text cannot be read: {error}")
    if file.stem in sources.documents:
        return sources.documents[file.stem]
    message = f"its source text {text_file.name} is missing"
    if sources.unreadable:
        message += f" (and a .jsonl of this folder could not be read: {sources.unreadable[0]})"
    return GoldenIssue(file, JSON_ROOT, message)


def check_goldens(folder: Path) -> dict[Path, list[GoldenIssue]]:
    """Check every ``*.json`` golden of a folder against its document (``<doc_id>.txt`` or a ``.jsonl`` line)."""
    files = golden_files(folder)
    sources = read_sources(folder)
    results: dict[Path, list[GoldenIssue]] = {}
    for file in files:
        source = _source(file, sources)
        results[file] = (
            [source] if isinstance(source, GoldenIssue) else check_golden(file, source.text, source.published)
        )
    return results
