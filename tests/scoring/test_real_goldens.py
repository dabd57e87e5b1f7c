"""The five real goldens scored against themselves, through the library and through ``harness score``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from paths import GOLDENS
from typer.testing import CliRunner

from harness.cli import score_cmd
from harness.goldens import GoldenSet, load_golden_set
from harness.scoring import score_run


@pytest.fixture(scope="module")
def corpus() -> GoldenSet:
    return load_golden_set(GOLDENS)


@pytest.fixture
def predicted_folder(tmp_path: Path, corpus: GoldenSet) -> Path:
    """Each golden written as the perfect prediction of itself: a folder of ``<doc_id>.json`` Articles."""
    for doc_id, golden in corpus.goldens.items():
        (tmp_path / f"{doc_id}.json").write_text(golden.as_article().model_dump_json(), encoding="utf-8")
    return tmp_path


def rates(figures: dict[str, float]) -> dict[str, float]:
    return {key: value for key, value in figures.items() if isinstance(value, float)}


def invoke(*args: str) -> typer.testing.Result:
    app = typer.Typer()
    app.command()(score_cmd.score)
    return CliRunner().invoke(app, list(args))


def test_every_golden_against_itself_scores_one_everywhere(corpus: GoldenSet) -> None:
    predictions = {doc_id: golden.as_article() for doc_id, golden in corpus.goldens.items()}
    run = score_run(predictions, corpus.goldens, corpus.texts)
    assert len(run.documents) == 5
    for document in run.documents:
        assert set(rates(document.to_flat_dict()).values()) == {1.0}, document.doc_id
    assert set(rates(run.to_flat_dict()).values()) == {1.0}


def test_the_goldens_optional_contacts_need_not_be_predicted(corpus: GoldenSet) -> None:
    predictions = {}
    for doc_id, golden in corpus.goldens.items():
        required = golden.model_copy(update={"contacts": [item for item in golden.contacts if not item.optional]})
        predictions[doc_id] = required.as_article()
    assert set(rates(score_run(predictions, corpus.goldens, corpus.texts).to_flat_dict()).values()) == {1.0}


def test_no_predictions_at_all_recall_nothing(corpus: GoldenSet) -> None:
    figures = score_run({}, corpus.goldens, corpus.texts).to_flat_dict()
    assert figures["contacts.detection.recall"] == figures["actors.all.recall"] == 0.0
    assert figures["documents.unpredicted"] == 5


def test_cli_prints_the_tables_and_writes_every_figure(predicted_folder: Path, tmp_path: Path) -> None:
    report = tmp_path / "out" / "score.json"
    result = invoke(str(predicted_folder), str(GOLDENS), "--json", str(report))
    assert result.exit_code == 0, result.output
    for title in ("micro-averaged", "Fields of matched pairs", "Per document"):
        assert title in result.output
    written = json.loads(report.read_text(encoding="utf-8"))
    assert written["summary"]["contacts.strict.f1"] == 1.0
    assert set(written["documents"]) == {path.stem for path in GOLDENS.glob("*.json")}
    assert all(outcome["verdict"] != "missed" for doc in written["score"]["documents"] for outcome in doc["contacts"])


def test_cli_notes_predictions_without_a_golden(predicted_folder: Path) -> None:
    (predicted_folder / "stray.json").write_text('{"doc_id": "stray"}', encoding="utf-8")
    result = invoke(str(predicted_folder), str(GOLDENS))
    assert result.exit_code == 0, result.output
    assert "predictions with no golden, ignored: stray" in result.output


def test_cli_reports_a_malformed_results_line_with_file_line_and_exit_4(tmp_path: Path) -> None:
    results = tmp_path / "results.jsonl"
    results.write_text('{"doc_id": "x", "status": "failed", "error": "gave up"}\n{"doc_id": 3}\n', encoding="utf-8")
    process = subprocess.run(
        [sys.executable, "-m", "harness", "score", str(results), str(GOLDENS)], capture_output=True, text=True
    )
    assert process.returncode == 4, process.stderr
    assert f"{results}:2: not a result record" in process.stderr
    assert "Traceback" not in process.stderr
