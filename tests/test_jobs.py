"""Jobs over many documents: records, resume, the cache, the ledger check and the folder lock.

The backend here points at a closed port on loopback, so a model call fails at once: a document
comes out ``ok`` only from the response cache, which shows the job made no model call for it.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from filelock import FileLock

from harness.backends import Backend
from harness.cache import CachedResponse, ResponseCache, cache_key_for
from harness.documents import Document, iter_documents
from harness.errors import ConfigError, DocumentError
from harness.extract import DecodingParams, Usage
from harness.jobs import LOCK_FILE, JobSummary, run_job
from harness.prompts import Prompt
from harness.results import MANIFEST_FILE, RESULTS_FILE, read_manifest, read_results
from schemas.draft import ArticleDraft

DECODING = DecodingParams()
CACHED_USAGE = Usage(prompt_tokens=300, completion_tokens=40)


API_KEY = "sk-test-not-a-real-key"


def unreachable_backend() -> Backend:
    return Backend(kind="openai", model_id="test-model", model_sha256=None, base_url="down", client=API_KEY)


def extract_prompt(changed: bool = False) -> Prompt:
    return Prompt(name="extract", version=1, ref="extract@v1", sha256=("f" if changed else "e") * 64)


def document(doc_id: str, text: str = "Ann Example telephoned Bob Example on Monday.") -> Document:
    return Document(id=doc_id, text=f"{text} ({doc_id})", source=f"{doc_id}.txt")


@pytest.fixture
def cache(tmp_path: Path) -> ResponseCache:
    return ResponseCache(tmp_path / "cache")


@pytest.fixture
def backend() -> Backend:
    return unreachable_backend()


@pytest.fixture
def prompt() -> Prompt:
    return extract_prompt()


def remember(cache: ResponseCache, backend: Backend, prompt: Prompt, *documents: Document) -> None:
    """Store an answer for each document, as an earlier run would have."""
    for doc in documents:
        answer = CachedResponse(draft=ArticleDraft(), usage=CACHED_USAGE, attempts=1)
        cache.put(cache_key_for(backend, prompt, doc, DECODING), answer)


def run(
    documents: list[Document | DocumentError],
    out: Path,
    backend: Backend,
    prompt: Prompt,
    cache: ResponseCache | None,
    **options: int,
) -> JobSummary:
    return asyncio.run(
        run_job(
            documents, out, backend, prompt, decoding=DECODING, cache=cache, progress=False, max_retries=0, **options
        )
    )


def lines_of(out: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (out / RESULTS_FILE).read_text(encoding="utf-8").splitlines()]


def test_a_cached_answer_makes_an_ok_record_without_a_model_call(
    tmp_path: Path, backend: Backend, prompt: Prompt, cache: ResponseCache
) -> None:
    remember(cache, backend, prompt, document("a"))
    summary = run([document("a")], tmp_path / "run", backend, prompt, cache)
    record = summary.records["a"]
    assert (record.status, record.cached, record.usage, record.attempts) == ("ok", True, CACHED_USAGE, 1)
    assert record.article is not None and record.article.doc_id == "a"


def test_a_document_the_model_fails_on_is_recorded_and_the_job_goes_on(
    tmp_path: Path, backend: Backend, prompt: Prompt, cache: ResponseCache
) -> None:
    remember(cache, backend, prompt, document("b"))
    summary = run([document("a"), document("b")], tmp_path / "run", backend, prompt, cache)
    failed = summary.records["a"]
    assert (failed.status, failed.article, failed.cached) == ("failed", None, False)
    assert failed.error is not None and failed.error.startswith("a.txt: ")
    assert "\n" not in failed.error
    assert summary.records["b"].status == "ok"


def test_an_unreadable_document_is_recorded_and_the_job_goes_on(
    tmp_path: Path, backend: Backend, prompt: Prompt, cache: ResponseCache
) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "empty.txt").write_text("  \n", encoding="utf-8")
    (folder / "good.txt").write_text("Ann Example telephoned Bob Example on Monday.\n", encoding="utf-8")
    documents = list(iter_documents([folder]))
    remember(cache, backend, prompt, *(item for item in documents if isinstance(item, Document)))
    summary = run(documents, tmp_path / "run", backend, prompt, cache)
    assert summary.records["empty"].status == "failed"
    assert summary.records["empty"].error == f"{folder / 'empty.txt'}: the file is empty"
    assert summary.records["good"].status == "ok"


def test_each_finished_document_is_one_line_of_results(
    tmp_path: Path, backend: Backend, prompt: Prompt, cache: ResponseCache
) -> None:
    remember(cache, backend, prompt, document("b"))
    run([document("a"), document("b")], tmp_path / "run", backend, prompt, cache)
    lines = lines_of(tmp_path / "run")
    assert sorted(line["doc_id"] for line in lines) == ["a", "b"]
    assert set(lines[0]) >= {"doc_id", "status", "article", "error", "attempts", "usage", "latency_s", "cached"}


def test_resume_skips_ok_documents_and_retries_failed_ones(
    tmp_path: Path, backend: Backend, prompt: Prompt, cache: ResponseCache
) -> None:
    out = tmp_path / "run"
    documents: list[Document | DocumentError] = [document("a"), document("b")]
    remember(cache, backend, prompt, document("b"))
    run(documents, out, backend, prompt, cache)
    summary = run(documents, out, backend, prompt, cache)
    assert (summary.skipped, summary.ran) == (1, 1)
    assert [line["doc_id"] for line in lines_of(out)].count("a") == 2
    assert [line["doc_id"] for line in lines_of(out)].count("b") == 1


def test_a_failed_document_that_now_succeeds_supersedes_its_failure(
    tmp_path: Path, backend: Backend, prompt: Prompt, cache: ResponseCache
) -> None:
    out = tmp_path / "run"
    run([document("a")], out, backend, prompt, cache)
    remember(cache, backend, prompt, document("a"))
    summary = run([document("a")], out, backend, prompt, cache)
    assert read_results(out / RESULTS_FILE)["a"].status == "ok"
    assert (summary.manifest.totals.ok, summary.manifest.totals.failed) == (1, 0)


def test_resume_redoes_an_ok_document_whose_text_changed(
    tmp_path: Path, backend: Backend, prompt: Prompt, cache: ResponseCache
) -> None:
    out = tmp_path / "run"
    remember(cache, backend, prompt, document("a"))
    run([document("a")], out, backend, prompt, cache)
    summary = run([document("a", "A new text.")], out, backend, prompt, cache)
    assert (summary.skipped, summary.ran) == (0, 1)
    assert summary.records["a"].status == "failed"


def test_resume_cuts_a_torn_last_line_and_redoes_its_document(
    tmp_path: Path, backend: Backend, prompt: Prompt, cache: ResponseCache
) -> None:
    out = tmp_path / "run"
    remember(cache, backend, prompt, document("a"))
    run([document("a")], out, backend, prompt, cache)
    with (out / RESULTS_FILE).open("a", encoding="utf-8") as file:
        file.write('{"doc_id": "b", "status": "o')
    remember(cache, backend, prompt, document("b"))
    summary = run([document("a"), document("b")], out, backend, prompt, cache)
    assert (summary.skipped, summary.ran) == (1, 1)
    assert [line["doc_id"] for line in lines_of(out)] == ["a", "b"]


def test_a_rerun_with_every_answer_cached_makes_no_model_call(
    tmp_path: Path, backend: Backend, prompt: Prompt, cache: ResponseCache
) -> None:
    documents: list[Document | DocumentError] = [document(name) for name in "abcde"]
    remember(cache, backend, prompt, *documents)  # type: ignore[arg-type]  # all are Documents
    summary = run(documents, tmp_path / "run", backend, prompt, cache, concurrency=3)
    totals = summary.manifest.totals
    assert (totals.documents, totals.ok, totals.cached) == (5, 5, 5)
    assert sorted(line["doc_id"] for line in lines_of(tmp_path / "run")) == list("abcde")


def test_without_a_cache_no_answer_is_stored(tmp_path: Path, backend: Backend, prompt: Prompt) -> None:
    summary = run([document("a")], tmp_path / "run", backend, prompt, None)
    assert summary.records["a"].status == "failed"


def test_the_manifest_records_the_ledger_and_the_totals_but_not_the_api_key(
    tmp_path: Path, backend: Backend, prompt: Prompt, cache: ResponseCache
) -> None:
    out = tmp_path / "run"
    remember(cache, backend, prompt, document("b"))
    run([document("a"), document("b")], out, backend, prompt, cache)
    manifest = read_manifest(out)
    assert manifest is not None and manifest.finished_at is not None
    assert manifest.ledger.model_id == backend.model_id
    assert (manifest.ledger.prompt_ref, manifest.ledger.prompt_sha256) == (prompt.ref, prompt.sha256)
    assert manifest.ledger.decoding == DECODING.as_dict()
    assert (manifest.backend_kind, manifest.base_url) == (backend.kind, backend.base_url)
    assert (manifest.totals.documents, manifest.totals.ok, manifest.totals.failed) == (2, 1, 1)
    assert API_KEY not in (out / MANIFEST_FILE).read_text(encoding="utf-8")


def test_resuming_under_another_prompt_is_refused_naming_the_field(
    tmp_path: Path, backend: Backend, prompt: Prompt, cache: ResponseCache
) -> None:
    out = tmp_path / "run"
    run([document("a")], out, backend, prompt, cache)
    other = extract_prompt(changed=True)
    with pytest.raises(ConfigError, match=r"different prompt_sha256 .*pick another --out") as refused:
        run([document("a")], out, backend, other, cache)
    assert str(out) in str(refused.value)


def test_results_without_a_manifest_are_not_resumed(
    tmp_path: Path, backend: Backend, prompt: Prompt, cache: ResponseCache
) -> None:
    out = tmp_path / "run"
    run([document("a")], out, backend, prompt, cache)
    (out / MANIFEST_FILE).unlink()
    with pytest.raises(ConfigError, match=r"has no manifest\.json beside it"):
        run([document("a")], out, backend, prompt, cache)


def test_a_second_job_into_a_folder_in_use_is_refused(
    tmp_path: Path, backend: Backend, prompt: Prompt, cache: ResponseCache
) -> None:
    out = tmp_path / "run"
    out.mkdir()
    with FileLock(out / LOCK_FILE), pytest.raises(ConfigError, match="another harness job is writing into"):
        run([document("a")], out, backend, prompt, cache)
    assert not (out / RESULTS_FILE).exists()


def test_two_documents_with_one_id_are_refused(
    tmp_path: Path, backend: Backend, prompt: Prompt, cache: ResponseCache
) -> None:
    twins: list[Document | DocumentError] = [document("a"), Document(id="a", text="Other.", source="more.jsonl:3")]
    with pytest.raises(ConfigError, match=r"document id 'a' occurs twice, in a\.txt and in more\.jsonl:3"):
        run(twins, tmp_path / "run", backend, prompt, cache)
