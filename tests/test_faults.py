"""A job under faults: 500 documents through the real job code against a loopback endpoint that fails 20% of requests.

The faults mix rate limits with ``Retry-After``, server errors, hung requests, reset
connections, and answers that are not JSON, are cut off or break the schema (see
``fault_endpoint``). The endpoint logs every request with server-side timestamps, so each test
compares what harness recorded with what really happened on the wire.
"""

from __future__ import annotations

import itertools
import logging
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from endpoint_jobs import run_at
from fault_endpoint import Fault, FaultEndpoint, FaultMix, ServedRequest

from harness.backends.retry import MAX_ATTEMPTS
from harness.documents import Document
from harness.run.cache import ResponseCache
from harness.run.jobs import JobSummary
from harness.run.results import RESULTS_FILE, ResultRecord, read_manifest

DOCUMENTS = 500
FAULT_RATE = 0.2
SEED = 20_260_101
CONCURRENCY = 16  # requests in flight: the run is bound by waits (latency, back-off), not by the CPU
# The client's per-request timeout: what a hung request costs before it is retried. Well above the longest
# stretch the event loop is busy with other documents on a loaded machine, so no healthy answer times out.
TIMEOUT_S = 2.0
RETRY_AFTER_S = 0.05  # tiny, so 500 documents finish in seconds; the waits are checked, not their length
MAX_RETRIES = 2  # re-asks after an invalid answer, as harness extract's default
API_KEY = "sk-test-fault-run-5f2a9c"

TRANSPORT_FAULTS = {
    Fault.RATE_LIMITED,
    Fault.SERVER_ERROR,
    Fault.UNAVAILABLE,
    Fault.READ_TIMEOUT,
    Fault.CONNECTION_RESET,
}
"""Faults with no answer: harness sends the same request again."""

REASON_OF_LAST_FAULT = {
    Fault.RATE_LIMITED: "HTTP 429",
    Fault.SERVER_ERROR: "HTTP 500",
    Fault.UNAVAILABLE: "HTTP 503",
    Fault.READ_TIMEOUT: "timed out",
    Fault.CONNECTION_RESET: "Connection error",
    Fault.INVALID_JSON: "not valid JSON",
    Fault.TRUNCATED: "cut off",
    Fault.SCHEMA_INVALID: "failed validation",
}
"""What a failed document's reason says, by the fault its last request met."""

_CASE = re.compile(r"case (\d{4})")


def article(number: int) -> Document:
    text = f"Li telephoned Wu on Monday about case {number:04d}. They agreed to talk again."
    return Document(id=f"doc-{number:04d}", text=text, source=f"articles/doc-{number:04d}.txt")


def answered_at(request: ServedRequest) -> float:
    assert request.answered_at is not None, "every answer had left before the job ended"
    return request.answered_at


def doc_id_of(request: ServedRequest) -> str:
    match = _CASE.search(request.text)
    assert match is not None, request.text
    return f"doc-{match.group(1)}"


@dataclass(frozen=True)
class FaultyRun:
    summary: JobSummary
    out: Path
    log: list[ServedRequest]
    """Every chat completion request the endpoint got."""
    written: Path
    """The folder holding everything the run wrote: the run folder and the response cache."""
    warnings: list[str]
    """The log lines of level WARNING and above the run emitted (a terminal shows these)."""

    def requests_of(self) -> dict[str, list[ServedRequest]]:
        """Each document's requests, in the order they arrived."""
        by_document: dict[str, list[ServedRequest]] = defaultdict(list)
        for request in sorted(self.log, key=lambda request: request.received_at):
            by_document[doc_id_of(request)].append(request)
        return by_document


def run_through(
    endpoint: FaultEndpoint,
    documents: list[Document],
    out: Path,
    *,
    timeout_s: float,
    cache: ResponseCache | None = None,
) -> JobSummary:
    """One job, as ``harness extract --base-url`` runs it, with a short client timeout."""
    return run_at(
        endpoint.base_url,
        documents,
        out,
        api_key=API_KEY,
        client={"timeout_s": timeout_s},
        concurrency=CONCURRENCY,
        max_retries=MAX_RETRIES,
        cache=cache,
    )


class _Lines(logging.Handler):
    """Keeps the message of every record of level WARNING and above."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture(scope="module")
def faulty_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FaultyRun]:
    written = tmp_path_factory.mktemp("faults")
    faults = FaultMix(rate=FAULT_RATE, seed=SEED, retry_after_s=RETRY_AFTER_S)
    warnings = _Lines()
    logging.getLogger().addHandler(warnings)
    try:
        with FaultEndpoint(faults=faults) as endpoint:
            documents = [article(n) for n in range(DOCUMENTS)]
            cache = ResponseCache(written / "cache")
            summary = run_through(endpoint, documents, written / "run", timeout_s=TIMEOUT_S, cache=cache)
    finally:
        logging.getLogger().removeHandler(warnings)
    yield FaultyRun(summary, written / "run", list(endpoint.log), written, warnings.lines)


def result_lines(out: Path) -> list[ResultRecord]:
    lines = (out / RESULTS_FILE).read_text(encoding="utf-8").splitlines()
    return [ResultRecord.model_validate_json(line) for line in lines]


def test_the_endpoint_injects_every_kind_of_fault_at_about_the_rate_asked(faulty_run: FaultyRun) -> None:
    faulted = [request.fault for request in faulty_run.log if request.fault is not None]
    assert set(faulted) == set(Fault)
    assert 0.15 < len(faulted) / len(faulty_run.log) < 0.25


def test_every_document_ends_in_exactly_one_line_ok_or_failed(faulty_run: FaultyRun) -> None:
    lines = result_lines(faulty_run.out)
    assert len(lines) == DOCUMENTS
    assert sorted(record.doc_id for record in lines) == [article(n).id for n in range(DOCUMENTS)]
    assert {record.status for record in lines} == {"ok", "failed"}


def test_a_document_is_ok_exactly_when_its_last_request_got_a_valid_answer(faulty_run: FaultyRun) -> None:
    records = faulty_run.summary.records
    for doc_id, requests in faulty_run.requests_of().items():
        last = requests[-1]
        expected = "ok" if last.fault is None else "failed"
        assert records[doc_id].status == expected, (doc_id, [request.fault for request in requests])


def test_each_failure_names_its_file_and_the_fault_that_ended_it(faulty_run: FaultyRun) -> None:
    requests_of = faulty_run.requests_of()
    failed = [record for record in faulty_run.summary.records.values() if record.status == "failed"]
    assert failed, "the seed gives some documents a fault they cannot recover from"
    for record in failed:
        last_fault = requests_of[record.doc_id][-1].fault
        assert last_fault is not None
        assert record.error is not None and record.error.startswith(f"articles/{record.doc_id}.txt: ")
        assert REASON_OF_LAST_FAULT[last_fault] in record.error, record.error


def test_transport_failures_are_retried_with_the_same_request_up_to_the_attempt_limit(faulty_run: FaultyRun) -> None:
    for requests in faulty_run.requests_of().values():
        for position, request in enumerate(requests):
            if request.fault not in TRANSPORT_FAULTS:
                continue
            repeats = sum(1 for earlier in requests[:position] if earlier.digest == request.digest)
            later = requests[position + 1 : position + 2]
            if repeats + 1 < MAX_ATTEMPTS:
                assert later and later[0].digest == request.digest
            else:
                assert not later


def test_a_retry_after_a_rate_limit_waits_at_least_what_retry_after_asked(faulty_run: FaultyRun) -> None:
    requests_of = faulty_run.requests_of()
    waits = []
    for requests in requests_of.values():
        for limited, retry in itertools.pairwise(requests):
            if limited.fault is Fault.RATE_LIMITED:
                assert limited.retry_after_s is not None and retry.digest == limited.digest
                waits.append(retry.received_at - answered_at(limited) - limited.retry_after_s)
    assert waits and min(waits) >= 0.0


def test_a_hung_request_is_given_up_after_the_client_timeout(faulty_run: FaultyRun) -> None:
    hung = [request for request in faulty_run.log if request.fault is Fault.READ_TIMEOUT]
    assert hung
    for request in hung:
        # The client's clock starts before the server has read the request, so the server sees a little less.
        assert TIMEOUT_S - 0.1 <= answered_at(request) - request.received_at < TIMEOUT_S + 1.0


def test_each_document_is_charged_every_answer_it_got_failed_ones_included(faulty_run: FaultyRun) -> None:
    records = faulty_run.summary.records
    for doc_id, requests in faulty_run.requests_of().items():
        answers = [request.completion for request in requests if request.completion is not None]
        record = records[doc_id]
        assert record.attempts == len(answers)
        assert record.usage.prompt_tokens == sum(answer.prompt_tokens for answer in answers)
        assert record.usage.completion_tokens == sum(answer.completion_tokens for answer in answers)


def test_the_manifest_totals_are_exact_counts_of_the_records_and_the_served_tokens(faulty_run: FaultyRun) -> None:
    manifest = read_manifest(faulty_run.out)
    assert manifest is not None and manifest.finished_at is not None
    records = faulty_run.summary.records.values()
    answers = [request.completion for request in faulty_run.log if request.completion is not None]
    totals = manifest.totals
    assert totals.documents == DOCUMENTS
    assert totals.ok == sum(record.status == "ok" for record in records)
    assert totals.failed == sum(record.status == "failed" for record in records)
    assert totals.ok + totals.failed == DOCUMENTS
    assert totals.prompt_tokens == sum(answer.prompt_tokens for answer in answers)
    assert totals.completion_tokens == sum(answer.completion_tokens for answer in answers)


def test_retries_keep_to_retry_after_and_give_up_after_the_attempt_limit(tmp_path: Path) -> None:
    """Every request rate-limited: each retry comes when ``Retry-After`` says (not on the random back-off)."""
    retry_after_s = 0.3
    faults = FaultMix(rate=1.0, kinds=(Fault.RATE_LIMITED,), retry_after_s=retry_after_s)
    with FaultEndpoint(faults=faults) as endpoint:
        summary = run_through(endpoint, [article(1)], tmp_path / "run", timeout_s=TIMEOUT_S)
    log = endpoint.log
    assert len(log) == MAX_ATTEMPTS
    gaps = [later.received_at - answered_at(earlier) for earlier, later in itertools.pairwise(log)]
    # The random back-off would wait up to 1, 2, 4, 8 s: all four gaps this close to Retry-After rule it out.
    assert all(retry_after_s <= gap < retry_after_s + 0.5 for gap in gaps), gaps
    record = summary.records["doc-0001"]
    assert (record.status, record.attempts) == ("failed", 0)
    assert record.error is not None and "HTTP 429" in record.error


def test_the_api_key_is_in_no_file_the_run_wrote_and_no_line_it_logged(faulty_run: FaultyRun) -> None:
    files = [path for path in faulty_run.written.rglob("*") if path.is_file()]
    assert {path.name for path in files} >= {RESULTS_FILE, "manifest.json"}
    assert len(files) > DOCUMENTS / 2, "the cache holds an answer per ok document"
    assert faulty_run.warnings, "the retries were logged"
    for path in files:
        assert API_KEY.encode() not in path.read_bytes(), path
    assert not [line for line in faulty_run.warnings if API_KEY in line]
