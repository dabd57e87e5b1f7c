"""The files of a run folder: ``results.jsonl`` (one record per finished document) and ``manifest.json``.

``results.jsonl`` is only ever appended to, so a crash loses at most the line being written; a
document run again gets a new line, and readers take the last line per ``doc_id``.
``manifest.json`` says what produced the records (the *ledger*: model, prompt, schema, decoding)
and what they add up to; a folder is never resumed under a different ledger.
"""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from harness.errors import ConfigError, PredictionError, json_path
from harness.run.durable import write_atomically
from harness.run.usage import Usage
from schemas import Article

__all__ = [
    "MANIFEST_FILE",
    "RESULTS_FILE",
    "DocumentTally",
    "ResultRecord",
    "RunLedger",
    "RunManifest",
    "RunTotals",
    "described_differences",
    "git_commit",
    "iter_tallies",
    "ledger_differences",
    "read_manifest",
    "read_results",
    "totals_of",
    "write_manifest",
]

log = logging.getLogger(__name__)

RESULTS_FILE = "results.jsonl"
MANIFEST_FILE = "manifest.json"
_GIT_TIMEOUT_S = 5  # a hung git (e.g. a network file system) must not hold up a job


class ResultRecord(BaseModel):
    """The outcome of one document: a line of ``results.jsonl``."""

    model_config = ConfigDict(extra="forbid")

    doc_id: str
    """The document's id; for a file that could not be read, its path (a ``.txt`` file's stem)."""
    status: Literal["ok", "failed"]
    article: Article | None = None
    """The post-processed extraction; None when the document failed."""
    error: str | None = None
    """Why the document failed, in one line naming its file."""
    warnings: list[str] = Field(default_factory=list)
    """What was mended or dropped in the model's answer (e.g. a contact naming an unknown actor id)."""
    attempts: int = Field(default=0, ge=0)
    """Model calls made (1 + re-asks); 0 when the document never reached the model."""
    usage: Usage = Field(default_factory=Usage)
    """Tokens of every attempt, failed ones included (of the original calls, when ``cached``)."""
    latency_s: float = Field(default=0.0, ge=0)
    """Seconds this document took in this run."""
    cached: bool = False
    """The model's answer came from the response cache: no model call was made."""
    cost_usd: float | None = None
    """What this run paid for the document's calls, every attempt included (0 when ``cached``); None when the
    model's price is unknown."""
    saved_usd: float = 0.0
    """What the cached answer would have cost had it been asked again (0 unless ``cached``)."""
    document_sha256: str | None = None
    """Hash of the text it was extracted from, so resuming redoes a document whose text changed."""

    @model_validator(mode="after")
    def _status_agrees(self) -> ResultRecord:
        if self.status == "ok" and (self.article is None or self.error is not None):
            raise ValueError("an ok record has an article and no error")
        if self.status == "failed" and (self.article is not None or not self.error):
            raise ValueError("a failed record has an error and no article")
        if self.article is not None and self.article.doc_id != self.doc_id:
            raise ValueError(f"the article's doc_id {self.article.doc_id!r} differs from the record's {self.doc_id!r}")
        return self


class _RecordCost(BaseModel):
    """The fields of a record a ``DocumentTally`` needs; its article is skipped unparsed into objects."""

    model_config = ConfigDict(extra="ignore")

    doc_id: str
    status: Literal["ok", "failed"]
    error: str | None = None
    cached: bool = False
    usage: Usage = Field(default_factory=Usage)
    latency_s: float = 0.0
    document_sha256: str | None = None
    cost_usd: float | None = None
    saved_usd: float = 0.0


@dataclass(frozen=True, slots=True)
class DocumentTally:
    """What a job keeps in memory of a document's last record: enough to resume it and to total the folder.

    Not the article: a job over millions of documents keeps one of these per document and writes each article
    to ``results.jsonl`` as it comes.
    """

    ok: bool
    cached: bool
    prompt_tokens: int
    completion_tokens: int
    latency_s: float
    document_sha256: str | None
    error: str | None
    """Why it failed (None when ok)."""
    cost_usd: float = 0.0
    saved_usd: float = 0.0

    @classmethod
    def of(cls, record: ResultRecord | _RecordCost) -> DocumentTally:
        return cls(
            ok=record.status == "ok",
            cached=record.cached,
            prompt_tokens=record.usage.prompt_tokens,
            completion_tokens=record.usage.completion_tokens,
            latency_s=record.latency_s,
            document_sha256=record.document_sha256,
            error=record.error,
            cost_usd=record.cost_usd or 0.0,
            saved_usd=record.saved_usd,
        )


class RunLedger(BaseModel):
    """What decides the model's answers; records made under different ledgers must not share a folder."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    model_id: str
    model_sha256: str | None
    """Hash of the model file, for a local model; None for a remote endpoint."""
    prompt_ref: str
    prompt_sha256: str
    schema_sha256: str
    """Hash of the JSON Schema the model answers in (``ArticleDraft``)."""
    decoding: dict[str, Any]
    runtime: str | None = None
    """The embedded model server's runtime and version; None for a remote endpoint."""

    @property
    def prompt_name(self) -> str:
        """The prompt's name, ``extract`` of ``extract@v1``."""
        return self.prompt_ref.partition("@")[0]

    @property
    def prompt_version(self) -> str:
        """The prompt's version, ``v1`` of ``extract@v1``."""
        return self.prompt_ref.partition("@")[2]


class RunTotals(BaseModel):
    """What the folder's records add up to (the last record of each document)."""

    documents: int = 0
    ok: int = 0
    failed: int = 0
    cached: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    """Sum of the documents' ``latency_s``."""
    cost_usd: float = 0.0
    """Sum of the documents' ``cost_usd`` (where the price is known)."""
    saved_usd: float = 0.0
    """Sum of what cache hits saved."""


class RunManifest(BaseModel):
    """``manifest.json``: how a run folder was made. Never holds the API key."""

    harness_version: str
    git_commit: str | None
    """``git rev-parse HEAD`` of harness's checkout; None when not installed from one."""
    ledger: RunLedger
    backend_kind: str
    base_url: str | None
    started_at: dt.datetime
    finished_at: dt.datetime | None = None
    """None while the job runs, and after a job that was interrupted."""
    totals: RunTotals = Field(default_factory=RunTotals)
    budget_usd: float | None = None
    """The run's ``--budget``, if it had one."""
    spent_usd: float = 0.0
    """What this run paid (every request it sent; ``totals.cost_usd`` counts the whole folder)."""
    stopped: str | None = None
    """Why the run stopped before every document was done (the budget ran out); None when it was not."""


def git_commit() -> str | None:
    """The commit of the checkout harness runs from, if it runs from one."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=Path(__file__).resolve().parent,
            capture_output=True,
            text=True,
            timeout=_GIT_TIMEOUT_S,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    commit = result.stdout.strip()
    return commit if result.returncode == 0 and commit else None


def totals_of(records: Iterable[ResultRecord | DocumentTally]) -> RunTotals:
    """Counts, tokens and seconds over records (or their tallies)."""
    totals = RunTotals()
    for record in records:
        tally = record if isinstance(record, DocumentTally) else DocumentTally.of(record)
        totals.documents += 1
        totals.ok += tally.ok
        totals.failed += not tally.ok
        totals.cached += tally.cached
        totals.prompt_tokens += tally.prompt_tokens
        totals.completion_tokens += tally.completion_tokens
        totals.seconds += tally.latency_s
        totals.cost_usd += tally.cost_usd
        totals.saved_usd += tally.saved_usd
    return totals


def iter_tallies(path: Path, *, repair: bool = False) -> Iterator[tuple[str, DocumentTally]]:
    """For resuming: the tally of every record in file order (a later one of a document supersedes), articles left
    unbuilt and nothing kept, so that a folder of 100,000 documents is read in about a second, not a minute, and
    no object per record stays alive to slow the garbage collector down."""
    for record in _iter_lines(path, _RecordCost, repair):
        yield record.doc_id, DocumentTally.of(record)


def read_results(path: Path, *, repair: bool = False) -> dict[str, ResultRecord]:
    """The last record of each document in a ``results.jsonl``, in the order documents first appear.

    A final line that lacks its newline and does not parse was torn by a crash mid-write: it is
    skipped with a warning, and with ``repair`` (only for the job that holds the folder's lock) cut
    from the file, so the next record starts on a line of its own (a whole record that only lacks
    its newline is kept, and given one). Any other unreadable line is a ``PredictionError``.
    """
    return _read_lines(path, ResultRecord, repair)


_Line = TypeVar("_Line", ResultRecord, _RecordCost)


def _read_lines(path: Path, model: type[_Line], repair: bool) -> dict[str, _Line]:
    """The last record of each document, read line by line: the file may be far larger than memory allows."""
    records: dict[str, _Line] = {}
    for record in _iter_lines(path, model, repair):
        records[record.doc_id] = record  # a later record supersedes; the key keeps its first place
    return records


def _iter_lines(path: Path, model: type[_Line], repair: bool) -> Iterator[_Line]:
    """Every record in file order, the torn last line handled as ``read_results`` says."""
    offset, number, tail = 0, 0, b""
    try:
        with path.open("rb") as file:
            for line in file:
                number += 1
                if not line.endswith(b"\n"):  # the bytes after the last newline: a torn line, unless whole
                    tail = line
                    break
                offset += len(line)
                if line.strip():
                    yield _parse_record(line, path, number, model)
    except OSError as exc:
        raise PredictionError(f"cannot read: {exc.strerror}", path=path) from exc
    if tail.strip():
        try:
            record = model.model_validate_json(tail)
        except ValidationError:
            _drop_torn_line(path, keep_bytes=offset, number=number, repair=repair)
        else:  # a whole record that only lacks its newline (e.g. a file edited by hand)
            if repair:
                with path.open("ab") as file:
                    file.write(b"\n")
            yield record


def _parse_record(line: bytes, path: Path, number: int, model: type[_Line]) -> _Line:
    try:
        return model.model_validate_json(line)
    except ValidationError as exc:
        detail = exc.errors(include_url=False)[0]
        where = json_path(detail["loc"])
        raise PredictionError(f"not a result record: {where}: {detail['msg']}", path=path, line=number) from exc


def _drop_torn_line(path: Path, *, keep_bytes: int, number: int, repair: bool) -> None:
    if not repair:
        log.warning("%s:%d: skipping a torn last line (a job was interrupted mid-write)", path, number)
        return
    log.warning("%s:%d: cutting a torn last line (a job was interrupted mid-write); it will be redone", path, number)
    with path.open("r+b") as file:
        file.truncate(keep_bytes)


def write_manifest(out_dir: Path, manifest: RunManifest) -> None:
    """Replace ``out_dir/manifest.json`` atomically."""
    write_atomically(out_dir / MANIFEST_FILE, manifest.model_dump_json(indent=2) + "\n")


def read_manifest(out_dir: Path) -> RunManifest | None:
    """The folder's manifest, or None when it has none."""
    path = out_dir / MANIFEST_FILE
    try:
        content = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read the run manifest: {exc}", path=path) from exc
    try:
        return RunManifest.model_validate_json(content)
    except ValidationError as exc:
        raise ConfigError(
            f"not a run manifest ({exc.error_count()} error(s)); move the folder aside", path=path
        ) from exc


def ledger_differences(old: RunLedger, new: RunLedger) -> dict[str, tuple[Any, Any]]:
    """The ledger fields whose values differ, as ``{field: (old, new)}``."""
    before, after = old.model_dump(), new.model_dump()
    return {name: (before[name], after[name]) for name in before if before[name] != after[name]}


def described_differences(old: RunLedger, new: RunLedger) -> str | None:
    """The fields that differ and how, for an error (``"prompt_ref (prompt_ref was 'a', now 'b')"``); None if none."""
    differences = ledger_differences(old, new)
    if not differences:
        return None
    changes = "; ".join(f"{name} was {was!r}, now {now!r}" for name, (was, now) in differences.items())
    return f"{', '.join(differences)} ({changes})"
