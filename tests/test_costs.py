"""Cost in money: prices per model, the cost of every attempt on every result and the manifest, ``--budget``,
and the ``--dry-run`` estimate. Jobs run through the real job code against ``FaultEndpoint`` on loopback."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from command_line import invoke
from endpoint_jobs import run_at
from fault_endpoint import Fault, FaultEndpoint, FaultMix, ServedRequest

from harness.backends.client import DecodingParams
from harness.backends.models import CACHE_DIR_ENV
from harness.backends.prices import BUILT_IN_PRICES, ModelPrice, price_for, prices_from_table
from harness.documents import Document
from harness.errors import ConfigError
from harness.run.budget import Budget, BudgetExhausted
from harness.run.cache import ResponseCache
from harness.run.jobs import JobSummary
from harness.run.results import RESULTS_FILE, read_manifest, read_results

# A price high enough that a handful of requests add up to cents: input $10, output $40 per million tokens.
PRICE = ModelPrice(input=10.0, output=40.0)
MAX_TOKENS = 500


def article(number: int) -> Document:
    text = f"Li telephoned Wu on Monday about case {number:04d}. They agreed to talk again."
    return Document(id=f"doc-{number:04d}", text=text, source=f"articles/doc-{number:04d}.txt")


def run_priced(
    endpoint: FaultEndpoint,
    documents: list[Document],
    out: Path,
    *,
    budget_usd: float | None = None,
    cache: ResponseCache | None = None,
    concurrency: int = 1,
) -> JobSummary:
    return run_at(
        endpoint.base_url,
        documents,
        out,
        client={"transport_attempts": 1},
        decoding=DecodingParams(max_tokens=MAX_TOKENS),
        concurrency=concurrency,
        cache=cache,
        price=PRICE,
        budget_usd=budget_usd,
    )


def served_cost(requests: list[ServedRequest]) -> float:
    return sum(
        PRICE.cost(request.completion.prompt_tokens, request.completion.completion_tokens)
        for request in requests
        if request.completion is not None
    )


def requests_by_document(endpoint: FaultEndpoint) -> dict[str, list[ServedRequest]]:
    by_document: dict[str, list[ServedRequest]] = defaultdict(list)
    for request in endpoint.log:
        number = request.text.split("about case ")[1][:4]
        by_document[f"doc-{number}"].append(request)
    return by_document


def test_every_result_carries_the_cost_of_every_attempt_failed_ones_and_reasks_included(tmp_path: Path) -> None:
    with FaultEndpoint(faults=FaultMix(rate=0.4, kinds=(Fault.SCHEMA_INVALID, Fault.INVALID_JSON), seed=3)) as endpoint:
        summary = run_priced(endpoint, [article(n) for n in range(12)], tmp_path / "run")
    served = requests_by_document(endpoint)
    assert any(len(requests) > 1 for requests in served.values()), "some document needed a re-ask"
    assert {record.status for record in summary.records.values()} >= {"ok"}
    for doc_id, record in summary.records.items():
        assert record.cost_usd == pytest.approx(served_cost(served[doc_id]))
    manifest = read_manifest(tmp_path / "run")
    assert manifest is not None
    assert manifest.totals.cost_usd == pytest.approx(served_cost(endpoint.log))
    assert manifest.spent_usd == pytest.approx(served_cost(endpoint.log))


def test_cache_hits_cost_nothing_and_show_what_they_saved(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "cache")
    documents = [article(n) for n in range(3)]
    with FaultEndpoint() as endpoint:
        first = run_priced(endpoint, documents, tmp_path / "first", cache=cache)
        second = run_priced(endpoint, documents, tmp_path / "second", cache=cache)
    for doc_id, record in second.records.items():
        assert record.cached and record.cost_usd == 0.0
        assert record.saved_usd == pytest.approx(first.records[doc_id].cost_usd or 0)
    assert second.manifest.totals.saved_usd == pytest.approx(first.manifest.totals.cost_usd)
    assert second.manifest.spent_usd == 0.0


def test_a_budget_stops_the_job_before_any_request_could_overrun_it_keeping_what_finished(tmp_path: Path) -> None:
    documents = [article(n) for n in range(20)]
    # Each request's worst case is about (450 prompt + 500 max) tokens at $40/M = $0.038; room for about five.
    budget_usd = 0.2
    with FaultEndpoint() as endpoint:
        summary = run_priced(endpoint, documents, tmp_path / "run", budget_usd=budget_usd, concurrency=3)
        served_before = len(endpoint.log)
        assert summary.stopped is not None and "budget" in summary.stopped
        assert summary.manifest.spent_usd <= budget_usd
        assert summary.manifest.spent_usd == pytest.approx(served_cost(endpoint.log))
        finished = [record for record in summary.records.values() if record.status == "ok"]
        assert 0 < len(finished) < len(documents)
        assert read_manifest(tmp_path / "run").stopped == summary.stopped  # type: ignore[union-attr]
        # Resuming under a new budget continues where it stopped: no finished document is asked again.
        resumed = run_priced(endpoint, documents, tmp_path / "run", budget_usd=10.0, concurrency=3)
    assert resumed.stopped is None
    assert resumed.manifest.totals.ok == len(documents)
    assert len(endpoint.log) - served_before == len(documents) - len(finished)


def test_a_request_whose_worst_case_would_overrun_the_budget_is_not_sent() -> None:
    budget = Budget(0.05, PRICE, "m")
    held = budget.reserve(400, 600)  # $0.04 worst case
    with pytest.raises(BudgetExhausted):
        budget.reserve(400, 600)
    budget.settle(held, 400, 0, 100)  # the answer used $0.008
    assert budget.spent_usd == pytest.approx(0.008)
    budget.reserve(400, 600)  # the released reservation makes room again


def test_a_budget_for_a_model_without_a_price_is_refused_naming_the_table() -> None:
    with pytest.raises(ConfigError, match=r'tool\.harness\.prices\."my-model"'):
        Budget(1.0, None, "my-model")


def test_prices_in_pyproject_extend_and_override_the_built_in_table() -> None:
    overrides = prices_from_table({"my-model": {"input": 1, "output": 2}, "gpt-4o": {"input": 9, "output": 9}})
    assert price_for("my-model", embedded=False, overrides=overrides) == ModelPrice(input=1.0, output=2.0)
    assert price_for("gpt-4o", embedded=False, overrides=overrides) == ModelPrice(input=9.0, output=9.0)
    assert price_for("gpt-4o-mini-2024-07-18", embedded=False) == BUILT_IN_PRICES["gpt-4o-mini"]
    assert price_for("unknown-model", embedded=False) is None
    assert price_for("qwen2.5-coder-1.5b", embedded=True).cost(1000, 1000) == 0.0  # type: ignore[union-attr]


def test_a_malformed_price_entry_names_it() -> None:
    with pytest.raises(ConfigError, match=r"prices\.'m'"):
        prices_from_table({"m": {"input": 1}})


def test_cached_prompt_tokens_and_the_batch_api_are_priced_at_their_discounts() -> None:
    price = ModelPrice(input=2.0, cached_input=0.5, output=8.0)
    assert price.cost(1_000_000, 0, cached_tokens=500_000) == pytest.approx(1.0 + 0.25)
    assert price.cost(1_000_000, 1_000_000, batch=True) == pytest.approx(5.0)


def test_dry_run_estimates_tokens_and_cost_without_calling_any_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    folder = tmp_path / "articles"
    folder.mkdir()
    for number in range(3):
        (folder / f"doc-{number}.txt").write_text(article(number).text, encoding="utf-8")
    with FaultEndpoint() as endpoint:
        arguments = ["extract", str(folder), "--out", str(tmp_path / "run"), "--base-url", endpoint.base_url]
        result = invoke(*arguments, "--model", "gpt-4o-mini", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "3 document(s)" in result.output and "estimated cost $" in result.output
    assert endpoint.requests == []
    assert not (tmp_path / "run" / RESULTS_FILE).exists()


def test_read_results_keeps_costs(tmp_path: Path) -> None:
    with FaultEndpoint() as endpoint:
        run_priced(endpoint, [article(0)], tmp_path / "run")
    (record,) = read_results(tmp_path / "run" / RESULTS_FILE).values()
    assert record.cost_usd is not None and record.cost_usd > 0
