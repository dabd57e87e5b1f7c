"""``harness extract`` and ``harness eval`` against a stand-in endpoint on loopback (see ``fake_endpoint``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from command_line import invoke
from fake_endpoint import MODEL_ID, UNANSWERABLE, FakeEndpoint
from paths import GOLDENS

from harness.errors import ConfigError
from harness.project.builtin import DEFAULT_PROMPT
from harness.run.results import MANIFEST_FILE, RESULTS_FILE


@pytest.fixture
def articles_and_noise(articles: Path) -> Path:
    """``articles`` and ``noise.txt`` beside its ``good.txt``: an article the stand-in model cannot answer."""
    (articles / "noise.txt").write_text(f"{UNANSWERABLE}\n", encoding="utf-8")
    return articles


def extract(endpoint: FakeEndpoint, *arguments: str) -> str:
    result = invoke("extract", *arguments, "--base-url", endpoint.base_url, "--model", MODEL_ID)
    assert result.exit_code == 0, result.output
    return result.output


def test_extract_writes_the_run_folder_and_prints_each_failure_and_the_totals(
    tmp_path: Path, cli_endpoint: FakeEndpoint, articles_and_noise: Path
) -> None:
    out = tmp_path / "run"
    output = extract(cli_endpoint, str(articles_and_noise), "--out", str(out))
    assert f"failed noise: {articles_and_noise / 'noise.txt'}: " in output
    assert "1 ok, 1 failed, 0 from cache, of 2 document(s) (0 already done)" in output
    assert (out / RESULTS_FILE).is_file() and (out / MANIFEST_FILE).is_file()


def test_extract_never_shows_or_stores_the_api_key(
    tmp_path: Path, cli_endpoint: FakeEndpoint, api_key: str, articles_and_noise: Path
) -> None:
    out = tmp_path / "run"
    output = extract(cli_endpoint, str(articles_and_noise), "--out", str(out))
    stored = "".join(path.read_text(encoding="utf-8") for path in tmp_path.rglob("*") if path.is_file())
    assert api_key not in output + stored


def test_extract_again_takes_answers_from_the_cache_unless_told_not_to(
    tmp_path: Path, cli_endpoint: FakeEndpoint, articles: Path
) -> None:
    extract(cli_endpoint, str(articles / "good.txt"), "--out", str(tmp_path / "first"))
    assert "1 from cache" in extract(cli_endpoint, str(articles / "good.txt"), "--out", str(tmp_path / "second"))
    assert cli_endpoint.completions == 1
    extract(cli_endpoint, str(articles / "good.txt"), "--out", str(tmp_path / "third"), "--no-cache")
    assert cli_endpoint.completions == 2


def test_an_unknown_prompt_stops_extract_before_any_model_call(
    tmp_path: Path, cli_endpoint: FakeEndpoint, articles_and_noise: Path
) -> None:
    arguments = ["extract", str(articles_and_noise), "--out", str(tmp_path / "run"), "--prompt", "extract@v99"]
    result = invoke(*arguments, "--base-url", cli_endpoint.base_url)
    assert isinstance(result.exception, ConfigError)
    assert "has no version 'v99'" in str(result.exception)
    assert cli_endpoint.completions == 0


def test_eval_scores_the_goldens_prints_the_tables_and_writes_every_figure(
    tmp_path: Path, cli_endpoint: FakeEndpoint, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    figures = tmp_path / "figures.json"
    result = invoke("eval", "--goldens", str(GOLDENS), "--base-url", cli_endpoint.base_url, "--json", str(figures))
    assert result.exit_code == 0, result.output
    assert "Scores over 5 document(s)" in result.output
    assert "Cost per article" in result.output
    assert (tmp_path / "runs" / f"eval-{DEFAULT_PROMPT}-{MODEL_ID}" / RESULTS_FILE).is_file()
    written = json.loads(figures.read_text(encoding="utf-8"))
    assert set(written) == {"manifest", "score", "articles"}
    assert sorted(article["doc_id"] for article in written["articles"]) == sorted(p.stem for p in GOLDENS.glob("*.txt"))
    assert written["manifest"]["ledger"]["model_id"] == MODEL_ID
