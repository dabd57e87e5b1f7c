"""``--batch``: jobs through the Batch API against ``BatchEndpoint`` (files and batches on loopback)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from batch_endpoint import BatchEndpoint
from fault_endpoint import FAULT_MODEL, FaultEndpoint

from harness.backends.batch_api import request_line, split_requests
from harness.backends.client import DecodingParams, connect
from harness.backends.prices import ModelPrice
from harness.documents import Document
from harness.errors import ConfigError
from harness.prompts import load_prompt
from harness.run.batch import STATE_FILE, BatchState, run_batch_job
from harness.run.jobs import JobSummary, run_job

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


def article(number: int) -> Document:
    text = f"Li telephoned Wu on Monday about case {number:04d}. They agreed to talk again."
    return Document(id=f"doc-{number}", text=text, source=f"doc-{number}.txt")


def run_batch(
    endpoint: FaultEndpoint, documents: list[Document], out: Path, *, live_fallback: bool = True, **options: object
) -> JobSummary:
    async def job() -> JobSummary:
        backend = connect("compatible", endpoint.base_url, "sk-test", FAULT_MODEL, None, transport_attempts=1)
        try:
            return await run_batch_job(
                documents,
                out,
                backend,
                load_prompt("extract@v1"),
                decoding=DecodingParams(),
                progress=False,
                poll_s=0.01,
                live_fallback=live_fallback,
                **options,  # type: ignore[arg-type]
            )
        finally:
            await backend.client.client.close()

    return asyncio.run(job())


def live_calls(endpoint: FaultEndpoint) -> int:
    return sum(request.path.endswith("/chat/completions") for request in endpoint.requests)


def test_a_batch_job_extracts_every_document_through_one_batch_without_a_live_call(tmp_path: Path) -> None:
    with BatchEndpoint() as endpoint:
        summary = run_batch(endpoint, [article(n) for n in range(5)], tmp_path / "run")
    assert summary.manifest.totals.ok == 5
    assert len(endpoint.batches) == 1 and live_calls(endpoint) == 0
    state = BatchState.model_validate_json((tmp_path / "run" / STATE_FILE).read_text())
    (batch,) = state.batches
    assert batch.batch_id == "batch-1" and batch.input_file_id and batch.done
    assert sorted(batch.custom_ids) == [f"doc-{n}" for n in range(5)]


def test_the_batch_request_body_is_the_one_the_live_path_sends(tmp_path: Path) -> None:
    with BatchEndpoint() as endpoint:
        run_batch(endpoint, [article(0)], tmp_path / "batch")
    (line,) = [json.loads(raw) for raw in (tmp_path / "batch" / "batch-1.jsonl").read_text().splitlines()]
    assert (line["custom_id"], line["method"], line["url"]) == ("doc-0", "POST", "/v1/chat/completions")

    async def live() -> None:
        backend = connect("compatible", plain.base_url, "sk-test", FAULT_MODEL, None)
        try:
            await run_job(
                [article(0)], tmp_path / "live", backend, load_prompt("extract@v1"), decoding=DecodingParams()
            )
        finally:
            await backend.client.client.close()

    with FaultEndpoint() as plain:
        asyncio.run(live())
    assert line["body"] == plain.log[0].body


def test_batch_answers_are_charged_at_the_batch_discount(tmp_path: Path) -> None:
    price = ModelPrice(input=10.0, output=40.0)  # the Batch API takes half off
    with BatchEndpoint() as endpoint:
        summary = run_batch(endpoint, [article(0)], tmp_path / "run", price=price)
    record = summary.records["doc-0"]
    usage = record.usage
    assert usage.batch_prompt_tokens == usage.prompt_tokens > 0
    assert record.cost_usd == pytest.approx(price.cost(usage.prompt_tokens, usage.completion_tokens) / 2)


def test_a_line_whose_status_is_not_200_is_that_documents_failure(tmp_path: Path) -> None:
    with BatchEndpoint(rejected=frozenset({"doc-1"})) as endpoint:
        summary = run_batch(endpoint, [article(n) for n in range(3)], tmp_path / "run", live_fallback=False)
    assert summary.records["doc-1"].status == "failed"
    assert "HTTP 400" in (summary.records["doc-1"].error or "")
    assert [summary.records[f"doc-{n}"].status for n in (0, 2)] == ["ok", "ok"]
    assert live_calls(endpoint) == 0


def test_a_document_the_batch_failed_is_run_again_live(tmp_path: Path) -> None:
    with BatchEndpoint(rejected=frozenset({"doc-1"})) as endpoint:
        summary = run_batch(endpoint, [article(n) for n in range(3)], tmp_path / "run")
    assert summary.manifest.totals.ok == 3
    assert live_calls(endpoint) == 1


def test_a_batch_completed_with_only_an_error_file_is_all_failures_with_the_reason(tmp_path: Path) -> None:
    with BatchEndpoint(error_only=True) as endpoint:
        summary = run_batch(endpoint, [article(n) for n in range(3)], tmp_path / "run", live_fallback=False)
    assert {record.status for record in summary.records.values()} == {"failed"}
    assert all("not available to batches" in (record.error or "") for record in summary.records.values())


def test_an_expired_batch_runs_its_unanswered_documents_live(tmp_path: Path) -> None:
    with BatchEndpoint(expire=True, answered_before_expiry=2) as endpoint:
        summary = run_batch(endpoint, [article(n) for n in range(5)], tmp_path / "run")
    assert summary.manifest.totals.ok == 5
    assert live_calls(endpoint) == 3


def test_a_cancelled_batchs_documents_run_live(tmp_path: Path) -> None:
    with BatchEndpoint(cancel_after_retrieves=1) as endpoint:
        summary = run_batch(endpoint, [article(n) for n in range(3)], tmp_path / "run")
    assert endpoint.batches["batch-1"].status == "cancelled"
    assert summary.manifest.totals.ok == 3
    assert live_calls(endpoint) == 3


def test_duplicate_ids_are_refused_before_anything_is_uploaded(tmp_path: Path) -> None:
    with BatchEndpoint() as endpoint, pytest.raises(ConfigError, match="doc-0"):
        run_batch(endpoint, [article(0), article(0)], tmp_path / "run")
    assert endpoint.files == {}


def test_a_job_over_the_request_limit_is_split_into_several_batches(tmp_path: Path) -> None:
    with BatchEndpoint() as endpoint:
        summary = run_batch(endpoint, [article(n) for n in range(5)], tmp_path / "run", max_requests=2)
    assert summary.manifest.totals.ok == 5
    assert len(endpoint.batches) == 3


def test_request_files_are_split_at_the_byte_limit() -> None:
    lines = [request_line(f"d{n}", {"x": "y" * 100}) for n in range(10)]
    chunks = split_requests(lines, max_bytes=len(lines[0]) * 3)
    assert [len(chunk) for chunk in chunks] == [3, 3, 3, 1]


_KILLED_JOB = """
import asyncio, sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from test_batch import article
from harness.backends.client import DecodingParams, connect
from harness.backends.prices import ModelPrice
from harness.prompts import load_prompt
from harness.run.batch import run_batch_job

async def main():
    backend = connect("compatible", {url!r}, "sk-test", "fault-model", None)
    await run_batch_job([article(n) for n in range(4)], Path({out!r}), backend, load_prompt("extract@v1"),
                        decoding=DecodingParams(), progress=False, poll_s=3600)

asyncio.run(main())
"""


def test_a_job_killed_while_its_batch_runs_reattaches_on_the_next_run_instead_of_paying_twice(tmp_path: Path) -> None:
    out = tmp_path / "run"
    with BatchEndpoint() as endpoint:
        script = _KILLED_JOB.format(tests=str(TESTS), url=endpoint.base_url, out=str(out))
        env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
        child = subprocess.Popen([sys.executable, "-c", script], env=env, cwd=ROOT)
        deadline = time.monotonic() + 60
        while not endpoint.batches or endpoint.batches["batch-1"].retrieved == 0:
            assert child.poll() is None and time.monotonic() < deadline, "the job ended or never created its batch"
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.wait()
        state = BatchState.model_validate_json((out / STATE_FILE).read_text())
        assert state.batches[0].batch_id == "batch-1" and not state.batches[0].done
        summary = run_batch(endpoint, [article(n) for n in range(4)], out)
    assert summary.manifest.totals.ok == 4
    assert len(endpoint.batches) == 1 and len(endpoint.files) == 2  # one input file, one output file
    assert live_calls(endpoint) == 0
