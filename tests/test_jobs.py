"""Jobs over many documents: records, resume, the response cache, the ledger check and the folder lock.

The model is a stand-in OpenAI-compatible endpoint on loopback (``fake_endpoint``) that counts
the completions it serves, so each test can say exactly how many model calls a run made; the
last test runs the real embedded server.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest
from fake_endpoint import COMPLETION_TOKENS, MODEL_ID, PROMPT_TOKENS, UNANSWERABLE, FakeEndpoint
from filelock import FileLock
from paths import PROMPTS

from harness.backends.client import DecodingParams, open_backend
from harness.backends.models import REGISTRY
from harness.documents import Document, iter_documents
from harness.errors import ConfigError, DocumentError
from harness.postprocess import postprocess
from harness.prompts import Prompt, load_prompt
from harness.run import jobs
from harness.run.cache import ResponseCache
from harness.run.jobs import LOCK_FILE, JobSummary, run_job
from harness.run.results import MANIFEST_FILE, RESULTS_FILE, read_manifest, read_results, totals_of
from harness.run.usage import Usage
from schemas import Article
from schemas.draft import ArticleDraft

API_KEY = "sk-test-0123456789"
ONE_CALL = Usage(PROMPT_TOKENS, COMPLETION_TOKENS)

Items = list[Document | DocumentError]


def document(doc_id: str, text: str = "Anna Veld telephoned Piet Brand on Monday.") -> Document:
    return Document(id=doc_id, text=f"{text} ({doc_id})", source=f"{doc_id}.txt")


def unanswerable(doc_id: str) -> Document:
    return document(doc_id, f"An article the model cannot read: {UNANSWERABLE}.")


@pytest.fixture
def cache(tmp_path: Path) -> ResponseCache:
    return ResponseCache(tmp_path / "cache")


def run(
    endpoint: FakeEndpoint,
    documents: Items,
    out: Path,
    cache: ResponseCache | None,
    prompt: Prompt,
    *,
    decoding: DecodingParams | None = None,
    concurrency: int = 1,
    max_retries: int = 0,
) -> JobSummary:
    """One job through a backend opened on the endpoint, as ``harness extract --base-url`` runs it."""

    async def job() -> JobSummary:
        async with open_backend(MODEL_ID, endpoint.base_url, API_KEY, out) as backend:
            return await run_job(
                documents,
                out,
                backend,
                prompt,
                decoding=decoding or DecodingParams(),
                concurrency=concurrency,
                max_retries=max_retries,
                cache=cache,
                progress=False,
            )

    return asyncio.run(job())


def doc_ids_of_lines(out: Path) -> list[str]:
    return [json.loads(line)["doc_id"] for line in (out / RESULTS_FILE).read_text(encoding="utf-8").splitlines()]


def test_each_document_becomes_an_ok_record_with_its_article_and_usage(
    tmp_path: Path, endpoint: FakeEndpoint, cache: ResponseCache, prompt: Prompt
) -> None:
    summary = run(endpoint, [document("a"), document("b")], tmp_path / "run", cache, prompt)
    record = summary.records["a"]
    assert (record.status, record.attempts, record.usage, record.cached) == ("ok", 1, ONE_CALL, False)
    assert record.article is not None and record.article.doc_id == "a"
    assert list(summary.records) == ["a", "b"]


def test_each_finished_document_is_one_line_of_results_with_the_documented_fields(
    tmp_path: Path, endpoint: FakeEndpoint, cache: ResponseCache, prompt: Prompt
) -> None:
    out = tmp_path / "run"
    run(endpoint, [document("a"), unanswerable("b")], out, cache, prompt)
    lines = [json.loads(line) for line in (out / RESULTS_FILE).read_text(encoding="utf-8").splitlines()]
    assert [line["doc_id"] for line in lines] == ["a", "b"]
    for line in lines:
        assert set(line) >= {"doc_id", "status", "article", "error", "attempts", "usage", "latency_s", "cached"}
    assert lines[1]["usage"] == {
        "prompt_tokens": PROMPT_TOKENS,
        "completion_tokens": COMPLETION_TOKENS,
        "cached_prompt_tokens": 0,
        "batch_prompt_tokens": 0,
        "batch_completion_tokens": 0,
    }


def test_a_document_the_model_fails_on_is_recorded_with_every_attempt_and_the_job_goes_on(
    tmp_path: Path, endpoint: FakeEndpoint, cache: ResponseCache, prompt: Prompt
) -> None:
    summary = run(endpoint, [unanswerable("a"), document("b")], tmp_path / "run", cache, prompt, max_retries=1)
    failed = summary.records["a"]
    assert (failed.status, failed.article, failed.attempts, failed.usage) == ("failed", None, 2, ONE_CALL + ONE_CALL)
    assert failed.error is not None and failed.error.startswith("a.txt: ")
    assert "\n" not in failed.error
    assert summary.records["b"].status == "ok"


def test_an_unreadable_document_is_recorded_and_the_job_goes_on(
    tmp_path: Path, endpoint: FakeEndpoint, cache: ResponseCache, prompt: Prompt
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "empty.txt").write_text("  \n", encoding="utf-8")
    (folder / "good.txt").write_text("Anna Veld telephoned Piet Brand on Monday.\n", encoding="utf-8")
    summary = run(endpoint, list(iter_documents([folder])), tmp_path / "run", cache, prompt)
    assert summary.records["empty"].status == "failed"
    assert summary.records["empty"].error == f"{folder / 'empty.txt'}: the file is empty"
    assert summary.records["good"].status == "ok"
    assert endpoint.completions == 1


def test_a_fault_in_post_processing_fails_its_document_and_the_job_goes_on(
    tmp_path: Path, endpoint: FakeEndpoint, cache: ResponseCache, prompt: Prompt, monkeypatch: pytest.MonkeyPatch
) -> None:
    def faulty(draft: ArticleDraft, item: Document) -> Article:
        if item.id == "a":
            raise TypeError("unhashable type: 'Actor'")
        return postprocess(draft, item)

    monkeypatch.setattr(jobs, "postprocess", faulty)  # fault injection: a bug no answer should reach
    summary = run(endpoint, [document("a"), document("b")], tmp_path / "run", cache, prompt)
    failed = summary.records["a"]
    assert (failed.status, failed.usage) == ("failed", ONE_CALL)
    assert failed.error is not None and "post-processing failed (TypeError" in failed.error
    assert summary.records["b"].status == "ok"
    monkeypatch.undo()
    rerun = run(endpoint, [document("a")], tmp_path / "rerun", cache, prompt)
    assert (rerun.records["a"].status, rerun.records["a"].cached, endpoint.completions) == ("ok", True, 2)


def test_a_rerun_into_a_new_folder_takes_every_answer_from_the_cache_without_a_model_call(
    tmp_path: Path, endpoint: FakeEndpoint, cache: ResponseCache, prompt: Prompt
) -> None:
    documents: Items = [document(name) for name in "abcde"]
    run(endpoint, documents, tmp_path / "first", cache, prompt, concurrency=3)
    assert endpoint.completions == 5
    summary = run(endpoint, documents, tmp_path / "second", cache, prompt, concurrency=3)
    assert endpoint.completions == 5
    assert all(record.cached and record.usage == ONE_CALL for record in summary.records.values())
    totals = summary.manifest.totals
    assert (totals.documents, totals.ok, totals.cached) == (5, 5, 5)


def test_failed_answers_are_not_cached(
    tmp_path: Path, endpoint: FakeEndpoint, cache: ResponseCache, prompt: Prompt
) -> None:
    run(endpoint, [unanswerable("a")], tmp_path / "first", cache, prompt)
    run(endpoint, [unanswerable("a")], tmp_path / "second", cache, prompt)
    assert endpoint.completions == 2


def test_without_a_cache_every_run_asks_the_model(tmp_path: Path, endpoint: FakeEndpoint, prompt: Prompt) -> None:
    run(endpoint, [document("a")], tmp_path / "first", None, prompt)
    summary = run(endpoint, [document("a")], tmp_path / "second", None, prompt)
    assert endpoint.completions == 2
    assert not summary.records["a"].cached


def test_a_different_decoding_misses_the_cache(
    tmp_path: Path, endpoint: FakeEndpoint, cache: ResponseCache, prompt: Prompt
) -> None:
    run(endpoint, [document("a")], tmp_path / "first", cache, prompt)
    run(endpoint, [document("a")], tmp_path / "second", cache, prompt, decoding=DecodingParams(temperature=0.5))
    assert endpoint.completions == 2


def test_resume_skips_ok_documents_and_retries_failed_ones(
    tmp_path: Path, endpoint: FakeEndpoint, cache: ResponseCache, prompt: Prompt
) -> None:
    out = tmp_path / "run"
    documents: Items = [unanswerable("a"), document("b")]
    run(endpoint, documents, out, cache, prompt)
    summary = run(endpoint, documents, out, cache, prompt)
    assert (summary.skipped, summary.ran) == (1, 1)
    assert endpoint.completions == 3
    assert doc_ids_of_lines(out) == ["a", "b", "a"]


def test_a_failed_document_that_now_succeeds_supersedes_its_failure(
    tmp_path: Path, endpoint: FakeEndpoint, cache: ResponseCache, prompt: Prompt
) -> None:
    out = tmp_path / "run"
    run(endpoint, [unanswerable("a")], out, cache, prompt)
    summary = run(endpoint, [document("a")], out, cache, prompt)
    assert read_results(out / RESULTS_FILE)["a"].status == "ok"
    assert (summary.manifest.totals.ok, summary.manifest.totals.failed) == (1, 0)


def test_resume_redoes_an_ok_document_whose_text_changed(
    tmp_path: Path, endpoint: FakeEndpoint, cache: ResponseCache, prompt: Prompt
) -> None:
    out = tmp_path / "run"
    run(endpoint, [document("a")], out, cache, prompt)
    summary = run(endpoint, [document("a", "Piet Brand met Anna Veld.")], out, cache, prompt)
    assert (summary.skipped, summary.ran) == (0, 1)
    assert endpoint.completions == 2


def test_the_manifest_totals_count_each_documents_last_record_after_failures_and_changed_texts_are_redone(
    tmp_path: Path, endpoint: FakeEndpoint, cache: ResponseCache, prompt: Prompt
) -> None:
    out = tmp_path / "run"
    run(endpoint, [unanswerable("a"), document("b"), document("c")], out, cache, prompt)
    summary = run(
        endpoint, [document("a"), document("b", "Piet Brand met Anna Veld."), document("c")], out, cache, prompt
    )
    assert summary.manifest.totals == totals_of(read_results(out / RESULTS_FILE).values())
    assert (summary.manifest.totals.documents, summary.manifest.totals.ok) == (3, 3)


def test_a_folder_holding_superseded_records_resumes_counting_each_documents_last_record_once(
    tmp_path: Path, endpoint: FakeEndpoint, cache: ResponseCache, prompt: Prompt
) -> None:
    out = tmp_path / "run"
    changed = [document("a"), document("b", "Piet Brand met Anna Veld."), document("c")]
    run(endpoint, [unanswerable("a"), document("b"), document("c")], out, cache, prompt)
    run(endpoint, changed, out, cache, prompt)  # a: failed, then ok; b: ok, then ok for its new text
    summary = run(endpoint, changed, out, cache, prompt)
    assert (summary.skipped, summary.ran) == (3, 0)
    assert summary.manifest.totals == totals_of(read_results(out / RESULTS_FILE).values())
    assert summary.manifest.totals.documents == 3


def test_a_jobs_failures_are_reported_by_id_with_their_reasons(
    tmp_path: Path, endpoint: FakeEndpoint, cache: ResponseCache, prompt: Prompt
) -> None:
    summary = run(endpoint, [unanswerable("a"), document("b")], tmp_path / "run", cache, prompt)
    assert list(summary.failures) == ["a"]
    assert summary.failures["a"] == read_results(tmp_path / "run" / RESULTS_FILE)["a"].error


def test_resume_cuts_a_torn_last_line_and_redoes_its_document(
    tmp_path: Path, endpoint: FakeEndpoint, cache: ResponseCache, prompt: Prompt
) -> None:
    out = tmp_path / "run"
    run(endpoint, [document("a")], out, cache, prompt)
    with (out / RESULTS_FILE).open("a", encoding="utf-8") as file:
        file.write('{"doc_id": "b", "status": "o')  # a job killed in the middle of writing b's line
    summary = run(endpoint, [document("a"), document("b")], out, cache, prompt)
    assert (summary.skipped, summary.ran) == (1, 1)
    assert doc_ids_of_lines(out) == ["a", "b"]


def test_the_manifest_records_the_ledger_and_totals_and_never_the_api_key(
    tmp_path: Path, endpoint: FakeEndpoint, cache: ResponseCache, prompt: Prompt
) -> None:
    out = tmp_path / "run"
    run(endpoint, [document("a"), unanswerable("b")], out, cache, prompt)
    manifest = read_manifest(out)
    assert manifest is not None and manifest.finished_at is not None
    assert (manifest.ledger.model_id, manifest.ledger.model_sha256) == (MODEL_ID, None)
    assert (manifest.ledger.prompt_ref, manifest.ledger.prompt_sha256) == (prompt.ref, prompt.sha256)
    assert manifest.ledger.decoding == DecodingParams().as_dict()
    assert (manifest.backend_kind, manifest.base_url) == ("compatible", endpoint.base_url)
    totals = manifest.totals
    assert (totals.documents, totals.ok, totals.failed, totals.cached) == (2, 1, 1, 0)
    assert (totals.prompt_tokens, totals.completion_tokens) == (2 * PROMPT_TOKENS, 2 * COMPLETION_TOKENS)
    assert API_KEY not in (out / MANIFEST_FILE).read_text(encoding="utf-8")


def test_resuming_under_another_prompt_is_refused_naming_the_field(
    tmp_path: Path, endpoint: FakeEndpoint, cache: ResponseCache, prompt: Prompt
) -> None:
    out = tmp_path / "run"
    run(endpoint, [document("a")], out, cache, prompt)
    edited = tmp_path / "prompts"
    shutil.copytree(PROMPTS, edited)
    with (edited / prompt.path.relative_to(PROMPTS)).open("a", encoding="utf-8") as file:
        file.write("\n")
    with pytest.raises(ConfigError, match=r"different prompt_sha256 \(prompt_sha256 was '[0-9a-f]+', now") as refused:
        run(endpoint, [document("a")], out, cache, load_prompt(prompt.ref, edited))
    assert str(out) in str(refused.value)


def test_resuming_under_other_decoding_is_refused_naming_the_field(
    tmp_path: Path, endpoint: FakeEndpoint, cache: ResponseCache, prompt: Prompt
) -> None:
    out = tmp_path / "run"
    run(endpoint, [document("a")], out, cache, prompt)
    with pytest.raises(ConfigError, match=r"different decoding \(decoding was \{.*'temperature': 0\.0"):
        run(endpoint, [document("a")], out, cache, prompt, decoding=DecodingParams(temperature=0.5))


def test_results_without_a_manifest_are_not_resumed(
    tmp_path: Path, endpoint: FakeEndpoint, cache: ResponseCache, prompt: Prompt
) -> None:
    out = tmp_path / "run"
    run(endpoint, [document("a")], out, cache, prompt)
    (out / MANIFEST_FILE).unlink()
    with pytest.raises(ConfigError, match=r"has no manifest\.json beside it"):
        run(endpoint, [document("a")], out, cache, prompt)


def test_a_second_job_into_a_folder_in_use_is_refused(
    tmp_path: Path, endpoint: FakeEndpoint, cache: ResponseCache, prompt: Prompt
) -> None:
    out = tmp_path / "run"
    out.mkdir()
    with FileLock(out / LOCK_FILE), pytest.raises(ConfigError, match="another harness job is writing into"):
        run(endpoint, [document("a")], out, cache, prompt)
    assert not (out / RESULTS_FILE).exists()
    assert endpoint.completions == 0


def test_a_job_without_documents_is_refused(
    tmp_path: Path, endpoint: FakeEndpoint, cache: ResponseCache, prompt: Prompt
) -> None:
    empty = tmp_path / "articles"
    empty.mkdir()
    with pytest.raises(ConfigError, match="no documents to extract"):
        run(endpoint, list(iter_documents([empty])), tmp_path / "run", cache, prompt)


def test_two_documents_with_one_id_are_refused(
    tmp_path: Path, endpoint: FakeEndpoint, cache: ResponseCache, prompt: Prompt
) -> None:
    twins: Items = [document("a"), Document(id="a", text="Other.", source="more.jsonl:3")]
    with pytest.raises(ConfigError, match=r"document id 'a' occurs twice, in a\.txt and in more\.jsonl:3"):
        run(endpoint, twins, tmp_path / "run", cache, prompt)


@pytest.mark.slow
@pytest.mark.model
def test_with_the_embedded_model_an_unchanged_rerun_makes_no_model_call(tmp_path: Path, prompt: Prompt) -> None:
    """The real embedded server on the 135M smoke-test model (a few seconds on one short document).

    The model is weak, so the test holds whatever it answers: an answer it gave is reused without a
    call, and a failure is retried.
    """
    documents: Items = [document("call")]
    cache = ResponseCache(tmp_path / "cache")

    async def three_runs() -> tuple[JobSummary, JobSummary, JobSummary]:
        async with open_backend("smollm2-135m", None, None, tmp_path / "logs") as backend:
            summaries = []
            for out in ("first", "second", "first"):
                summary = await run_job(
                    documents, tmp_path / out, backend, prompt, decoding=DecodingParams(), cache=cache
                )
                _ = summary.records  # read now: a summary reads its folder when asked, and the third run appends to it
                summaries.append(summary)
        return summaries[0], summaries[1], summaries[2]

    first, second, resumed = asyncio.run(three_runs())
    answered = first.records["call"].status == "ok"
    assert second.records["call"].cached is answered
    assert (resumed.skipped, resumed.ran) == ((1, 0) if answered else (0, 1))
    assert (first.manifest.backend_kind, first.manifest.ledger.model_sha256) == (
        "embedded",
        REGISTRY["smollm2-135m"].sha256,
    )
