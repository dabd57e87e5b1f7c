"""The files of a run folder: result records, reading them back, and the manifest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from harness.errors import ConfigError, PredictionError
from harness.run.results import (
    MANIFEST_FILE,
    ResultRecord,
    RunLedger,
    RunManifest,
    ledger_differences,
    read_manifest,
    read_results,
    totals_of,
    write_manifest,
)
from harness.run.usage import Usage
from schemas import Article


def ok(doc_id: str, *, tokens: int = 10, cached: bool = False) -> ResultRecord:
    return ResultRecord(
        doc_id=doc_id,
        status="ok",
        article=Article(doc_id=doc_id),
        attempts=1,
        usage=Usage(prompt_tokens=tokens, completion_tokens=tokens // 2),
        latency_s=1.5,
        cached=cached,
    )


def failed(doc_id: str) -> ResultRecord:
    return ResultRecord(
        doc_id=doc_id, status="failed", error=f"{doc_id}.txt: no answer", attempts=3, usage=Usage(prompt_tokens=7)
    )


def write_lines(path: Path, *records: ResultRecord, tail: str = "") -> Path:
    path.write_text("".join(record.model_dump_json() + "\n" for record in records) + tail, encoding="utf-8")
    return path


LEDGER = RunLedger(
    model_id="smollm2-135m",
    model_sha256="a" * 64,
    prompt_ref="extract@v1",
    prompt_sha256="b" * 64,
    schema_sha256="c" * 64,
    decoding={"temperature": 0.0},
)


def test_a_record_round_trips_through_its_json_line() -> None:
    record = ok("doc")
    assert ResultRecord.model_validate_json(record.model_dump_json()) == record


def test_a_record_line_has_the_documented_fields() -> None:
    assert set(ok("doc").model_dump()) >= {
        "doc_id",
        "status",
        "article",
        "error",
        "attempts",
        "usage",
        "latency_s",
        "cached",
    }
    assert ok("doc").model_dump()["usage"] == {
        "prompt_tokens": 10,
        "completion_tokens": 5,
        "cached_prompt_tokens": 0,
        "batch_prompt_tokens": 0,
        "batch_completion_tokens": 0,
    }


def test_an_ok_record_needs_an_article() -> None:
    with pytest.raises(ValidationError, match="an ok record has an article"):
        ResultRecord(doc_id="doc", status="ok")


def test_a_failed_record_needs_its_reason() -> None:
    with pytest.raises(ValidationError, match="a failed record has an error"):
        ResultRecord(doc_id="doc", status="failed")


def test_read_results_takes_the_last_record_of_each_document(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "results.jsonl", failed("a"), ok("b"), ok("a"))
    records = read_results(path)
    assert list(records) == ["a", "b"]
    assert records["a"].status == "ok"


def test_read_results_skips_a_torn_last_line_and_leaves_the_file_alone(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = write_lines(tmp_path / "results.jsonl", ok("a"), tail='{"doc_id": "b", "sta')
    before = path.read_bytes()
    assert list(read_results(path)) == ["a"]
    assert path.read_bytes() == before
    assert f"{path}:2: skipping a torn last line" in caplog.text


def test_read_results_with_repair_cuts_a_torn_last_line(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = write_lines(tmp_path / "results.jsonl", ok("a"), tail='{"doc_id": "b", "sta')
    assert list(read_results(path, repair=True)) == ["a"]
    assert path.read_text(encoding="utf-8") == ok("a").model_dump_json() + "\n"
    assert f"{path}:2: cutting a torn last line" in caplog.text


def test_read_results_keeps_a_whole_last_record_that_lacks_its_newline(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "results.jsonl", ok("a"), tail=failed("b").model_dump_json())
    assert list(read_results(path, repair=True)) == ["a", "b"]
    assert path.read_text(encoding="utf-8").endswith(failed("b").model_dump_json() + "\n")


def test_read_results_rejects_a_broken_line_before_the_last_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "results.jsonl"
    path.write_text(ok("a").model_dump_json() + "\n{not json\n" + ok("b").model_dump_json() + "\n", encoding="utf-8")
    with pytest.raises(PredictionError, match=r"results\.jsonl:2: not a result record"):
        read_results(path)


def test_read_results_of_a_missing_file_is_a_prediction_error(tmp_path: Path) -> None:
    with pytest.raises(PredictionError, match="cannot read"):
        read_results(tmp_path / "results.jsonl")


def test_totals_add_up_counts_tokens_and_seconds() -> None:
    totals = totals_of([ok("a", tokens=10), ok("b", tokens=20, cached=True), failed("c")])
    assert (totals.documents, totals.ok, totals.failed, totals.cached) == (3, 2, 1, 1)
    assert (totals.prompt_tokens, totals.completion_tokens) == (37, 15)
    assert totals.seconds == 3.0


def test_the_manifest_round_trips_through_its_file(tmp_path: Path) -> None:
    manifest = RunManifest(
        harness_version="0.1.0",
        git_commit=None,
        ledger=LEDGER,
        backend_kind="local",
        base_url="http://127.0.0.1:8080/v1",
        started_at=dt.datetime(2024, 5, 1, 12, 0, tzinfo=dt.UTC),
        totals=totals_of([ok("a")]),
    )
    write_manifest(tmp_path, manifest)
    assert read_manifest(tmp_path) == manifest


def test_a_folder_without_a_manifest_reads_as_none(tmp_path: Path) -> None:
    assert read_manifest(tmp_path) is None


def test_a_malformed_manifest_is_a_configuration_error_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / MANIFEST_FILE).write_text('{"ledger": 3}', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"manifest\.json: not a run manifest"):
        read_manifest(tmp_path)


def test_ledger_differences_name_each_changed_field_with_both_values() -> None:
    changed = LEDGER.model_copy(update={"prompt_sha256": "e" * 64, "decoding": {"temperature": 0.5}})
    assert ledger_differences(LEDGER, changed) == {
        "prompt_sha256": ("b" * 64, "e" * 64),
        "decoding": ({"temperature": 0.0}, {"temperature": 0.5}),
    }
    assert ledger_differences(LEDGER, LEDGER) == {}
