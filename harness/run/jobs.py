"""Many documents through one backend: bounded concurrency, the response cache, durable results, resume.

A job writes into one folder (see ``harness.run.results``). Each finished document is appended to
``results.jsonl`` at once, so an interrupted job loses nothing it finished; running the same job
into the same folder again skips the documents already ``ok`` and retries the rest. A folder is
resumed only under the ledger (model, prompt, schema, decoding) that made it: mixing answers of
two set-ups in one folder would make its scores meaningless, so a differing ledger is refused
with a ``ConfigError`` naming the fields (pick another ``--out``, or move the folder aside).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import itertools
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Required, TypedDict

from filelock import FileLock, Timeout
from pydantic import ValidationError

from harness import __version__
from harness.backends.client import Backend, DecodingParams
from harness.backends.prices import ModelPrice
from harness.documents import Document
from harness.errors import ConfigError, DocumentError, HarnessError
from harness.postprocess import postprocess
from harness.prompts import Prompt
from harness.run.budget import Budget
from harness.run.cache import CachedResponse, ResponseCache, cache_key_for, draft_schema_sha256
from harness.run.durable import LineAppender
from harness.run.extract import ExtractionError, extract_draft
from harness.run.folder_index import FolderIndex, Intake
from harness.run.progress import JobProgress
from harness.run.results import (
    RESULTS_FILE,
    DocumentTally,
    ResultRecord,
    RunLedger,
    RunManifest,
    described_differences,
    git_commit,
    read_manifest,
    read_results,
    write_manifest,
)
from harness.run.usage import Usage

__all__ = ["LOCK_FILE", "JobOptions", "JobSummary", "job_ledger", "resumable_index", "run_job"]

_Finish = Callable[[ResultRecord], None]

LOCK_FILE = ".harness.lock"
"""Held by the job writing into a folder, so a second job into it refuses instead of interleaving."""

REMOTE_CONCURRENCY = 16
"""Documents in flight at once against a remote endpoint unless ``--concurrency`` says otherwise: enough to keep a
vLLM replica's batch busy (it batches whatever is in flight), few enough not to trip an API's rate limit. The
embedded server has one slot per model instance, so it gets 1: more would only queue inside it."""

# Tokenizers average about 4 characters per token on English and hardly ever pass 6, so characters / 6
# is a floor on a text's tokens: a text refused on it cannot fit, and no text that could fit is refused.
_MAX_CHARS_PER_TOKEN = 6


@dataclass(frozen=True)
class JobSummary:
    """What a job left in its folder."""

    out_dir: Path
    manifest: RunManifest
    """The manifest as written at the end; ``manifest.totals`` counts the whole folder."""
    failures: dict[str, str]
    """Why each document of the folder whose last record failed failed, by id (this run's or an earlier one's)."""
    skipped: int
    """Documents already ``ok`` from an earlier run, not run again."""
    ran: int
    """Documents this run recorded (cache hits and failures included)."""
    unreadable: int = 0
    """Inputs this run could not read (each recorded as failed)."""
    stopped: str | None = None
    """Why the job stopped before every document was done (``--budget``); None when it did them all."""

    @functools.cached_property
    def records(self) -> dict[str, ResultRecord]:
        """The last record of every document, read from ``results.jsonl`` when asked for (a job keeps none)."""
        return read_results(self.out_dir / RESULTS_FILE)


class JobOptions(TypedDict, total=False):
    """How ``run_job`` runs, for callers that pass its options through (``run_eval``)."""

    decoding: Required[DecodingParams]
    concurrency: int | None
    max_retries: int
    cache: ResponseCache | None
    progress: bool
    price: ModelPrice | None
    budget_usd: float | None


async def run_job(
    documents: Iterable[Document | DocumentError],
    out_dir: Path,
    backend: Backend,
    prompt: Prompt,
    *,
    decoding: DecodingParams,
    concurrency: int | None = 1,
    max_retries: int = 2,
    cache: ResponseCache | None = None,
    progress: bool = True,
    price: ModelPrice | None = None,
    budget_usd: float | None = None,
) -> JobSummary:
    """Extract every document into ``out_dir``, resuming what an earlier run of the same set-up left there.

    ``documents`` are read as the job goes (a generator over a file of millions is fine): each result is
    appended to ``results.jsonl`` as it comes, and only ids, status and totals stay in memory (``FolderIndex``).
    ``concurrency`` None: 1 for the embedded server, else ``REMOTE_CONCURRENCY``.
    A document that cannot be read, or whose extraction fails, is recorded as failed and the job
    goes on. A ``HarnessError`` that is not about one document (a rejected API key) stops the job.
    ``price`` puts a cost in money on every record; ``budget_usd`` caps what this run spends (see
    ``harness.run.budget``): at the cap the job stops taking documents, keeping what it finished.
    """
    if concurrency is None:
        concurrency = 1 if backend.kind == "embedded" else REMOTE_CONCURRENCY
    if concurrency < 1:
        raise ConfigError(f"--concurrency must be at least 1, not {concurrency}")
    if max_retries < 0:
        raise ConfigError(f"--max-retries must be 0 or more, not {max_retries}")
    budget = Budget(budget_usd, price, backend.model_id) if budget_usd is not None else None
    out_dir.mkdir(parents=True, exist_ok=True)
    ledger = job_ledger(backend, prompt, decoding)
    with _folder_lock(out_dir):
        index = resumable_index(out_dir, ledger)
        items = iter(documents)
        first = next(items, None)
        if first is None:
            raise ConfigError("no documents to extract: give .txt or .jsonl files, or folders holding them")
        intake = Intake(index)
        manifest = RunManifest(
            harness_version=__version__,
            git_commit=git_commit(),
            ledger=ledger,
            backend_kind=backend.kind,
            base_url=backend.base_url,
            started_at=dt.datetime.now(dt.UTC),
            totals=index.totals.model_copy(),
            budget_usd=budget_usd,
        )
        write_manifest(out_dir, manifest)
        extractor = _DocumentExtractor(backend, prompt, decoding, max_retries, cache, price)
        spent_usd = 0.0
        if budget is not None:
            backend.limiter.guards.append(budget)
        try:
            with (out_dir / RESULTS_FILE).open("a", encoding="utf-8") as sink, JobProgress(None, progress) as bar:
                appender = LineAppender(sink)

                def finish(record: ResultRecord) -> None:
                    nonlocal spent_usd
                    appender.append(record.model_dump_json())
                    index.add(record.doc_id, DocumentTally.of(record))
                    spent_usd += record.cost_usd or 0.0
                    bar.advance(record)

                def stopping() -> bool:
                    return budget is not None and budget.exhausted

                try:
                    pending = intake.pending(itertools.chain([first], items))
                    await _run_concurrently(pending, extractor, finish, concurrency, stopping)
                finally:
                    appender.sync()
        finally:
            if budget is not None:
                backend.limiter.guards.remove(budget)
        stopped = _budget_stop(budget)
        manifest = manifest.model_copy(
            update={
                "finished_at": None if stopped else dt.datetime.now(dt.UTC),
                "totals": index.final_totals(out_dir),
                "spent_usd": budget.spent_usd if budget is not None else spent_usd,
                "stopped": stopped,
            }
        )
        write_manifest(out_dir, manifest)
    return JobSummary(
        out_dir,
        manifest,
        {doc_id: tally.error or "" for doc_id, tally in index.failed.items()},
        skipped=intake.skipped,
        ran=intake.ran,
        unreadable=intake.unreadable,
        stopped=stopped,
    )


def _budget_stop(budget: Budget | None) -> str | None:
    """Why the job stopped early, when the budget stopped it."""
    if budget is None or not budget.exhausted:
        return None
    return (
        f"stopped at the ${budget.limit_usd:.2f} budget after spending ${budget.spent_usd:.4f}; "
        f"{budget.refused} request(s) not sent and the documents after them not started; "
        "run again into this folder (with a new --budget) to continue"
    )


@contextmanager
def _folder_lock(out_dir: Path) -> Iterator[None]:
    lock = FileLock(out_dir / LOCK_FILE)
    try:
        lock.acquire(blocking=False)
    except Timeout as exc:
        raise ConfigError(
            "another harness job is writing into this folder; wait for it to finish or pick another --out",
            path=out_dir,
        ) from exc
    try:
        yield
    finally:
        lock.release()


def job_ledger(backend: Backend, prompt: Prompt, decoding: DecodingParams) -> RunLedger:
    """What decides a job's answers: the ledger its folder is made and resumed under."""
    return RunLedger(
        model_id=backend.model_id,
        model_sha256=backend.model_sha256,
        prompt_ref=prompt.ref,
        prompt_sha256=prompt.sha256,
        schema_sha256=draft_schema_sha256(),
        decoding=decoding.as_dict(),
        runtime=backend.runtime,
    )


def resumable_index(out_dir: Path, ledger: RunLedger) -> FolderIndex:
    """The index of the folder's records, after checking they were made under ``ledger``."""
    results = out_dir / RESULTS_FILE
    manifest = read_manifest(out_dir)
    if manifest is None:
        if results.exists():
            raise ConfigError(
                f"{RESULTS_FILE} has no manifest.json beside it, so what made it is unknown; pick another --out",
                path=out_dir,
            )
        return FolderIndex()
    differences = described_differences(manifest.ledger, ledger)
    if differences:
        raise ConfigError(
            f"holds a run made under a different {differences}; a folder is resumed only "
            "under the same model, prompt, schema and decoding: pick another --out or move this folder aside",
            path=out_dir,
        )
    return FolderIndex.read(out_dir)


async def _run_concurrently(
    pending: Iterator[Document | DocumentError],
    extractor: _DocumentExtractor,
    finish: _Finish,
    concurrency: int,
    stopping: Callable[[], bool],
) -> None:
    """``concurrency`` workers take documents from one shared iterator until it runs dry or ``stopping()``."""
    queue = pending

    async def worker() -> None:
        for item in queue:  # one event loop thread: each item is taken by exactly one worker
            if stopping():
                return
            finish(await extractor.record_for(item))

    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(concurrency):
                group.create_task(worker())
    except* HarnessError as errors:
        raise errors.exceptions[0] from None  # one line for the CLI, not an exception group


@dataclass(frozen=True)
class _DocumentExtractor:
    """One document -> one ``ResultRecord``: cache, model, post-processing; failures become records."""

    backend: Backend
    prompt: Prompt
    decoding: DecodingParams
    max_retries: int
    cache: ResponseCache | None
    price: ModelPrice | None = None

    def cost_of(self, usage: Usage) -> float | None:
        """USD of ``usage`` at the model's price; None when the price is unknown."""
        if self.price is None:
            return None
        live = self.price.cost(
            usage.prompt_tokens - usage.batch_prompt_tokens,
            usage.completion_tokens - usage.batch_completion_tokens,
            cached_tokens=usage.cached_prompt_tokens,
        )
        return live + self.price.cost(usage.batch_prompt_tokens, usage.batch_completion_tokens, batch=True)

    def spent_usd(self, records: dict[str, ResultRecord], pending: list[Document | DocumentError]) -> float:
        """What this run's records of ``pending`` cost (the run had no budget counting it request by request)."""
        ids = {item.id for item in pending if isinstance(item, Document)}
        return sum(record.cost_usd or 0.0 for doc_id, record in records.items() if doc_id in ids)

    async def record_for(self, item: Document | DocumentError) -> ResultRecord:
        if isinstance(item, DocumentError):
            return ResultRecord(doc_id=_load_failure_id(item), status="failed", error=_one_line(str(item)))
        started = time.perf_counter()
        beyond = _beyond_context(item, self.backend)
        if beyond is not None:
            return _failed(item, beyond, Usage(), 0, started, self.cost_of(Usage()))
        key = cache_key_for(self.backend, self.prompt, item, self.decoding)
        answer = self.cache.get(key) if self.cache is not None else None
        cached = answer is not None
        if answer is None:
            try:
                extraction = await extract_draft(
                    self.backend, item, self.prompt, decoding=self.decoding, max_retries=self.max_retries
                )
            except ExtractionError as error:
                return _failed(item, error.reason, error.usage, error.attempts, started, self.cost_of(error.usage))
            answer = CachedResponse(
                draft=extraction.draft,
                usage=extraction.usage,
                attempts=extraction.attempts,
                warnings=extraction.draft.repairs,
            )
            if self.cache is not None:
                self.cache.put(key, answer)
        try:
            article = postprocess(answer.draft, item)
        except Exception as error:  # one document's answer, however odd, never costs the job
            cost = 0.0 if cached else self.cost_of(answer.usage)
            reason = f"post-processing failed: {error}"
            if not isinstance(error, ValidationError | HarnessError):  # the answer stays cached for a fixed harness
                reason = (
                    f"post-processing failed ({type(error).__name__}, a fault in harness; please report it): {error}"
                )
            return _failed(item, reason, answer.usage, answer.attempts, started, cost)
        cost = self.cost_of(answer.usage)
        return ResultRecord(
            doc_id=item.id,
            status="ok",
            article=article,
            warnings=answer.warnings,
            attempts=answer.attempts,
            usage=answer.usage,
            latency_s=time.perf_counter() - started,
            cached=cached,
            cost_usd=0.0 if cached and cost is not None else cost,
            saved_usd=(cost or 0.0) if cached else 0.0,
            document_sha256=item.sha256,
        )


def _beyond_context(document: Document, backend: Backend) -> str | None:
    """Why ``document`` cannot fit the model's context, when its length alone proves it; else None.

    Caught before the prompt is built: numbering the sentences of a huge text takes minutes, all for an
    answer the server refuses. A model whose context is unknown (remote) is left to refuse it itself.
    """
    if backend.context_tokens is None:
        return None
    fewest_tokens = len(document.text) // _MAX_CHARS_PER_TOKEN
    if fewest_tokens <= backend.context_tokens:
        return None
    return (
        f"the article is at least {fewest_tokens:,} tokens ({len(document.text):,} characters), beyond the "
        f"{backend.context_tokens:,}-token context of {backend.model_id}; split it into shorter documents"
    )


def _failed(
    document: Document, reason: str, usage: Usage, attempts: int, started: float, cost_usd: float | None
) -> ResultRecord:
    return ResultRecord(
        doc_id=document.id,
        status="failed",
        error=_one_line(f"{document.source or document.id}: {reason}"),
        attempts=attempts,
        usage=usage,
        latency_s=time.perf_counter() - started,
        cost_usd=cost_usd,
        document_sha256=document.sha256,
    )


def _load_failure_id(error: DocumentError) -> str:
    """The id the document would have had where it is known (a ``.txt`` stem), so a fixed file supersedes it."""
    if error.path is None:
        return str(error)
    if error.path.suffix == ".txt":
        return error.path.stem
    return f"{error.path}:{error.line}" if error.line is not None else str(error.path)


def _one_line(message: str) -> str:
    return " ".join(message.split())
