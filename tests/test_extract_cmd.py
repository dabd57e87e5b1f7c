"""``harness extract`` and ``harness eval`` against a stand-in endpoint on loopback (see ``fake_endpoint``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from fake_endpoint import MODEL_ID, UNANSWERABLE, FakeEndpoint, fake_endpoint
from paths import GOLDENS
from typer.testing import CliRunner

from harness.backends.models import CACHE_DIR_ENV
from harness.cli import extract_cmd
from harness.errors import ConfigError
from harness.run.results import MANIFEST_FILE, RESULTS_FILE

SECRET = "sk-test-never-print-me"

app = typer.Typer()
app.command(name="extract")(extract_cmd.extract)
app.command(name="eval")(extract_cmd.evaluate)


@pytest.fixture
def endpoint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeEndpoint]:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    with fake_endpoint() as server:
        yield server


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "call.txt").write_text("Anna Veld telephoned Piet Brand on Monday.\n", encoding="utf-8")
    (folder / "noise.txt").write_text(f"{UNANSWERABLE}\n", encoding="utf-8")
    return folder


def extract(endpoint: FakeEndpoint, *arguments: str) -> str:
    result = CliRunner().invoke(app, ["extract", *arguments, "--base-url", endpoint.base_url, "--model", MODEL_ID])
    assert result.exit_code == 0, result.output
    return result.output


def test_extract_writes_the_run_folder_and_prints_each_failure_and_the_totals(
    tmp_path: Path, endpoint: FakeEndpoint, articles: Path
) -> None:
    out = tmp_path / "run"
    output = extract(endpoint, str(articles), "--out", str(out))
    assert f"failed noise: {articles / 'noise.txt'}: " in output
    assert "1 ok, 1 failed, 0 from cache, of 2 document(s) (0 already done)" in output
    assert (out / RESULTS_FILE).is_file() and (out / MANIFEST_FILE).is_file()


def test_extract_never_shows_or_stores_the_api_key(tmp_path: Path, endpoint: FakeEndpoint, articles: Path) -> None:
    out = tmp_path / "run"
    output = extract(endpoint, str(articles), "--out", str(out))
    stored = "".join(path.read_text(encoding="utf-8") for path in tmp_path.rglob("*") if path.is_file())
    assert SECRET not in output + stored


def test_extract_again_takes_answers_from_the_cache_unless_told_not_to(
    tmp_path: Path, endpoint: FakeEndpoint, articles: Path
) -> None:
    extract(endpoint, str(articles / "call.txt"), "--out", str(tmp_path / "first"))
    assert "1 from cache" in extract(endpoint, str(articles / "call.txt"), "--out", str(tmp_path / "second"))
    assert endpoint.completions == 1
    extract(endpoint, str(articles / "call.txt"), "--out", str(tmp_path / "third"), "--no-cache")
    assert endpoint.completions == 2


def test_an_unknown_prompt_stops_extract_before_any_model_call(
    tmp_path: Path, endpoint: FakeEndpoint, articles: Path
) -> None:
    arguments = ["extract", str(articles), "--out", str(tmp_path / "run"), "--prompt", "extract@v99"]
    result = CliRunner().invoke(app, [*arguments, "--base-url", endpoint.base_url])
    assert isinstance(result.exception, ConfigError)
    assert "has no version 'v99'" in str(result.exception)
    assert endpoint.completions == 0


def test_eval_scores_the_goldens_prints_the_tables_and_writes_every_figure(
    tmp_path: Path, endpoint: FakeEndpoint, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    figures = tmp_path / "figures.json"
    arguments = ["eval", "--goldens", str(GOLDENS), "--base-url", endpoint.base_url, "--json", str(figures)]
    result = CliRunner().invoke(app, arguments)
    assert result.exit_code == 0, result.output
    assert "Scores over 5 document(s)" in result.output
    assert "Cost per article" in result.output
    assert (tmp_path / "runs" / f"eval-extract@v1-{MODEL_ID}" / RESULTS_FILE).is_file()
    written = json.loads(figures.read_text(encoding="utf-8"))
    assert set(written) == {"manifest", "score", "articles"}
    assert sorted(article["doc_id"] for article in written["articles"]) == sorted(p.stem for p in GOLDENS.glob("*.txt"))
    assert written["manifest"]["ledger"]["model_id"] == MODEL_ID
