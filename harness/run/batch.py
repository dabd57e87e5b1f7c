"""``harness extract --batch``: a job through OpenAI's Batch API, resumable across a crash.

1. Each pending document's request is built by the live path itself (instructor, the strict schema) and
   captured where it would be sent, so the batch asks exactly what a live call asks; ``custom_id`` is the
   document id. Duplicate ids are refused before anything is uploaded.
2. The requests are written to ``batch-<n>.jsonl`` in the run folder (split at 50,000 requests or 200 MB),
   uploaded and a batch created; ``batch.json`` records each file, file id, batch id and its custom ids
   *before* the next step, so a job killed at any point (``kill -9`` included) reattaches to its batches on
   the next run instead of paying twice.
3. Batches are polled (a progress line each time) until they end; their output and error files are saved
   in the folder. A line whose ``response.status_code`` is not 200, a request missing from the output (an
   expired or cancelled batch), or a batch "completed" with only an error file is that document's failure.
4. The job then runs as a live job (``run_job``) whose first request per document is answered from the
   batch: every answer goes through the same validation, re-ask and post-processing path; re-asks, and the
   documents the batch failed, are sent live (or, with ``live_fallback=False``, recorded as failed).
"""

from __future__ import annotations

import asyncio
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openai.types.chat import ChatCompletion
from pydantic import BaseModel, Field

from harness.backends.batch_api import (
    TERMINAL_STATUSES,
    BatchClient,
    BatchOutcome,
    body_key,
    read_outcomes,
    request_body,
    request_line,
    split_requests,
)
from harness.backends.client import Backend, DecodingParams
from harness.backends.limits import RequestRefused
from harness.backends.prices import ModelPrice
from harness.documents import Document
from harness.errors import ConfigError, DocumentError
from harness.prompts import Prompt
from harness.run.cache import ResponseCache, cache_key_for
from harness.run.durable import write_atomically
from harness.run.extract import ExtractionError, extract_draft
from harness.run.jobs import JobSummary, job_ledger, resumable_index, run_job
from harness.run.usage import BATCH_MARK

__all__ = ["STATE_FILE", "BatchState", "SubmittedBatch", "run_batch_job"]

STATE_FILE = "batch.json"
_POLL_S = 30.0  # OpenAI batches take minutes to hours; polling faster only spends requests


class SubmittedBatch(BaseModel):
    """One batch of a job, as far as it got."""

    request_file: str
    """The request file's name in the run folder."""
    custom_ids: dict[str, str]
    """Each request's custom id (the document id) -> the key of its body."""
    input_file_id: str | None = None
    batch_id: str | None = None
    status: str | None = None
    """The batch's last status seen; a terminal one once its results are saved."""
    output_file: str | None = None
    """The saved output file's name (None: the batch gave none)."""
    error_file: str | None = None
    done: bool = False
    """Its results are saved in the folder."""


class BatchState(BaseModel):
    """``batch.json``: every batch a job submitted into its folder."""

    batches: list[SubmittedBatch] = Field(default_factory=list)


class _Capture:
    """An answer source that answers nothing: it keeps the request and stops it before it is sent."""

    def __init__(self) -> None:
        self.body: dict[str, Any] | None = None

    def answer(self, request: dict[str, Any]) -> Any:
        self.body = request_body(request)
        raise RequestRefused("captured for the batch")


class _BatchAnswers:
    """Answers each request a batch answered, once, from its results."""

    def __init__(self, outcomes: dict[str, BatchOutcome], live_fallback: bool) -> None:
        self.outcomes = outcomes
        self.live_fallback = live_fallback

    def answer(self, request: dict[str, Any]) -> Any | None:
        outcome = self.outcomes.pop(body_key(request_body(request)), None)
        if outcome is None:
            return None  # a re-ask, or a document the batch never had: sent live
        if outcome.completion is not None:
            return ChatCompletion.model_validate({**outcome.completion, BATCH_MARK: True})
        if self.live_fallback:
            return None
        raise RequestRefused(outcome.error or "the batch gave no answer")


async def run_batch_job(
    documents: Iterable[Document | DocumentError],
    out_dir: Path,
    backend: Backend,
    prompt: Prompt,
    *,
    decoding: DecodingParams,
    max_retries: int = 2,
    concurrency: int = 1,
    cache: ResponseCache | None = None,
    price: ModelPrice | None = None,
    progress: bool = True,
    poll_s: float = _POLL_S,
    live_fallback: bool = True,
    max_requests: int | None = None,
) -> JobSummary:
    """Extract ``documents`` into ``out_dir`` through the Batch API, reattaching to the folder's batches.

    ``concurrency`` bounds the live requests (re-asks, documents the batch failed); ``max_requests`` caps a
    batch below the provider's 50,000 (tests).
    """
    items = list(documents)
    _refuse_duplicate_ids(items)
    out_dir.mkdir(parents=True, exist_ok=True)
    # Refused before anything is paid for, as run_job would refuse it after: a folder of another set-up.
    done = resumable_index(out_dir, job_ledger(backend, prompt, decoding)).ok_ids
    state = _read_state(out_dir)
    submitted = {custom_id for batch in state.batches for custom_id in batch.custom_ids}
    pending = [
        item
        for item in items
        if isinstance(item, Document)
        and item.id not in submitted
        and item.id not in done
        and not _cached(cache, backend, prompt, item, decoding)
    ]
    client = BatchClient(backend.client.client)
    if pending:
        await _submit(pending, out_dir, state, client, backend, prompt, decoding, max_requests)
    for batch in state.batches:
        if not batch.done:
            await _wait_and_save(batch, out_dir, state, client, poll_s, progress)
    answers = _BatchAnswers(_outcomes(state, out_dir), live_fallback)
    backend.limiter.sources.append(answers)
    try:
        return await run_job(
            items,
            out_dir,
            backend,
            prompt,
            decoding=decoding,
            max_retries=max_retries,
            concurrency=concurrency,
            cache=cache,
            progress=progress,
            price=price,
        )
    finally:
        backend.limiter.sources.remove(answers)


def _refuse_duplicate_ids(items: list[Document | DocumentError]) -> None:
    """A batch with two requests of one ``custom_id`` stalls or answers one of them; refused up front."""
    counts = Counter(item.id for item in items if isinstance(item, Document))
    repeated = sorted(doc_id for doc_id, count in counts.items() if count > 1)
    if repeated:
        raise ConfigError(f"document ids must be unique in a batch; repeated: {', '.join(repeated[:10])}")


def _cached(
    cache: ResponseCache | None, backend: Backend, prompt: Prompt, document: Document, decoding: DecodingParams
) -> bool:
    return cache is not None and cache.get(cache_key_for(backend, prompt, document, decoding)) is not None


def _read_state(out_dir: Path) -> BatchState:
    path = out_dir / STATE_FILE
    if not path.exists():
        return BatchState()
    try:
        return BatchState.model_validate_json(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ConfigError(f"not a batch state file: {exc}; move the folder aside", path=path) from exc


def _write_state(out_dir: Path, state: BatchState) -> None:
    write_atomically(out_dir / STATE_FILE, state.model_dump_json(indent=2) + "\n")


async def _captured_body(
    backend: Backend, document: Document, prompt: Prompt, decoding: DecodingParams
) -> dict[str, Any]:
    capture = _Capture()
    backend.limiter.sources.insert(0, capture)
    try:
        await extract_draft(backend, document, prompt, decoding=decoding, max_retries=0)
    except ExtractionError:
        pass
    finally:
        backend.limiter.sources.remove(capture)
    if capture.body is None:
        raise ConfigError(f"{document.source or document.id}: no request could be built for the batch")
    return capture.body


async def _submit(
    pending: list[Document],
    out_dir: Path,
    state: BatchState,
    client: BatchClient,
    backend: Backend,
    prompt: Prompt,
    decoding: DecodingParams,
    max_requests: int | None,
) -> None:
    lines: list[bytes] = []
    keys: dict[bytes, tuple[str, str]] = {}
    for document in pending:
        body = await _captured_body(backend, document, prompt, decoding)
        line = request_line(document.id, body)
        lines.append(line)
        keys[line] = (document.id, body_key(body))
    chunks = split_requests(lines, **({"max_requests": max_requests} if max_requests else {}))
    for chunk in chunks:
        name = f"batch-{len(state.batches) + 1}.jsonl"
        (out_dir / name).write_bytes(b"".join(chunk))
        batch = SubmittedBatch(request_file=name, custom_ids=dict(keys[line] for line in chunk))
        state.batches.append(batch)
        _write_state(out_dir, state)
        batch.input_file_id = await client.upload(out_dir / name)
        _write_state(out_dir, state)
        batch.batch_id = await client.create(batch.input_file_id)
        _write_state(out_dir, state)


async def _wait_and_save(
    batch: SubmittedBatch, out_dir: Path, state: BatchState, client: BatchClient, poll_s: float, progress: bool
) -> None:
    if batch.batch_id is None:
        # Killed between upload and create: the file may be uploaded, but no batch runs; create one now.
        batch.input_file_id = batch.input_file_id or await client.upload(out_dir / batch.request_file)
        _write_state(out_dir, state)
        batch.batch_id = await client.create(batch.input_file_id)
        _write_state(out_dir, state)
    while True:
        remote = await client.retrieve(batch.batch_id)
        batch.status = remote.status
        if progress:
            counts = remote.request_counts
            done = f"{counts.completed + counts.failed}/{counts.total}" if counts is not None else "?"
            print(f"batch {batch.batch_id}: {remote.status}, {done} requests done", file=sys.stderr, flush=True)
        if remote.status in TERMINAL_STATUSES:
            break
        await asyncio.sleep(poll_s)
    stem = batch.request_file.removesuffix(".jsonl")
    if remote.output_file_id:
        batch.output_file = f"{stem}-output.jsonl"
        write_atomically(out_dir / batch.output_file, await client.content(remote.output_file_id))
    if remote.error_file_id:
        batch.error_file = f"{stem}-errors.jsonl"
        write_atomically(out_dir / batch.error_file, await client.content(remote.error_file_id))
    batch.done = True
    _write_state(out_dir, state)


def _outcomes(state: BatchState, out_dir: Path) -> dict[str, BatchOutcome]:
    """Every batch request's outcome by the key of its body; a request no file names failed with its batch."""
    outcomes: dict[str, BatchOutcome] = {}
    for batch in state.batches:
        output = (out_dir / batch.output_file).read_text(encoding="utf-8") if batch.output_file else None
        errors = (out_dir / batch.error_file).read_text(encoding="utf-8") if batch.error_file else None
        by_id = read_outcomes(output, errors)
        for custom_id, key in batch.custom_ids.items():
            missing = f"the batch ended {batch.status} without an answer for it"
            if batch.output_file is None and batch.status == "completed":
                missing = "the batch completed with no output file, only errors"
            outcomes[key] = by_id.get(custom_id) or BatchOutcome(custom_id, None, missing)
    return outcomes
