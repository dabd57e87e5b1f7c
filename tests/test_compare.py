"""Comparing two runs: refusing incomparable ones, the per-record diff, and the bootstrap intervals."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from click.testing import Result
from paths import GOLDENS
from run_folders import DOC, ledger, perfect_articles, with_contact_changed, without_contact, write_run
from typer.testing import CliRunner

from harness.cli.compare_cmd import compare
from harness.compare import (
    IncomparableRunsError,
    RecordChange,
    ScoredRun,
    compare_runs,
    paired_bootstrap,
    read_ledger,
    score_predictions,
)
from schemas import ContactMode


def scored(folder: Path) -> ScoredRun:
    return score_predictions(folder, GOLDENS)


@pytest.fixture
def perfect_run(tmp_path: Path) -> Path:
    return write_run(tmp_path / "perfect", perfect_articles())


@pytest.fixture
def missing_contact_run(tmp_path: Path) -> Path:
    return write_run(tmp_path / "missing", without_contact(perfect_articles(), DOC, 0))


def compare_cli(*args: str) -> Result:
    app = typer.Typer()
    app.command()(compare)
    return CliRunner().invoke(app, [*args, "--goldens", str(GOLDENS)])


def test_the_ledger_is_read_from_the_run_manifest(perfect_run: Path) -> None:
    run_ledger = read_ledger(perfect_run)
    assert run_ledger is not None
    assert (run_ledger.prompt_name, run_ledger.prompt_version, run_ledger.schema_sha256) == ("extract", "v1", "c" * 64)


def test_runs_answered_in_different_schemas_are_refused(tmp_path: Path, perfect_run: Path) -> None:
    other = write_run(tmp_path / "other", perfect_articles(), ledger(schema_sha256="d" * 64))
    with pytest.raises(IncomparableRunsError, match="different answer schemas"):
        compare_runs(scored(perfect_run), scored(other))


def test_a_different_prompt_is_compared_and_shown(tmp_path: Path, perfect_run: Path) -> None:
    other = write_run(tmp_path / "v2", perfect_articles(), ledger(prompt_ref="extract@v2", prompt_sha256="e" * 64))
    changes = compare_runs(scored(perfect_run), scored(other)).ledger_changes
    assert [(change.entry, change.base, change.new) for change in changes] == [
        ("prompt_ref", "extract@v1", "extract@v2"),
        ("prompt_sha256", "b" * 64, "e" * 64),
    ]


def test_runs_scored_against_different_goldens_are_refused(perfect_run: Path) -> None:
    run = scored(perfect_run)
    with pytest.raises(IncomparableRunsError, match="different goldens"):
        compare_runs(run, run.model_copy(update={"goldens_sha256": "0" * 64}))


def test_equal_runs_have_no_deltas_and_no_record_changes(perfect_run: Path) -> None:
    comparison = compare_runs(scored(perfect_run), scored(perfect_run))
    assert all(delta.delta == 0 for delta in comparison.metrics)
    assert comparison.records == []


def test_the_record_diff_names_the_contact_that_became_missed(perfect_run: Path, missing_contact_run: Path) -> None:
    comparison = compare_runs(scored(perfect_run), scored(missing_contact_run))
    assert comparison.records == [
        RecordChange(
            doc_id=DOC, record="contact #0 (bajwa + pompeo)", field=None, base="matched", new="missed", effect="worse"
        )
    ]


def test_the_record_diff_names_the_field_that_changed_and_its_values(tmp_path: Path, perfect_run: Path) -> None:
    changed = with_contact_changed(perfect_articles(), DOC, 0, mode=ContactMode.MEETING)
    comparison = compare_runs(scored(perfect_run), scored(write_run(tmp_path / "mode", changed)))
    assert comparison.records == [
        RecordChange(
            doc_id=DOC,
            record="contact #0 (bajwa + pompeo)",
            field="mode",
            base="phone_call (right)",
            new="meeting (wrong)",
            effect="worse",
        )
    ]


def test_the_record_diff_shows_a_contact_that_became_spurious(perfect_run: Path, missing_contact_run: Path) -> None:
    comparison = compare_runs(scored(missing_contact_run), scored(perfect_run))
    assert [(change.record, change.base, change.new, change.effect) for change in comparison.records] == [
        ("contact #0 (bajwa + pompeo)", "missed", "matched", "better")
    ]


def test_document_deltas_single_out_the_document_that_moved(perfect_run: Path, missing_contact_run: Path) -> None:
    comparison = compare_runs(scored(perfect_run), scored(missing_contact_run))
    moved = {
        document.doc_id
        for document in comparison.documents
        for delta in document.metrics
        if delta.metric == "contacts.detection.f1" and delta.delta < 0
    }
    assert moved == {DOC}


def test_the_bootstrap_interval_of_equal_runs_is_zero(perfect_run: Path) -> None:
    run = scored(perfect_run).score
    assert all((i.low, i.difference, i.high) == (0, 0, 0) and i.contains_zero for i in paired_bootstrap(run, run))


def test_the_bootstrap_is_deterministic(perfect_run: Path, missing_contact_run: Path) -> None:
    base, new = scored(perfect_run).score, scored(missing_contact_run).score
    assert paired_bootstrap(base, new) == paired_bootstrap(base, new)


def test_the_bootstrap_interval_brackets_the_observed_fall(perfect_run: Path, missing_contact_run: Path) -> None:
    base, new = scored(perfect_run).score, scored(missing_contact_run).score
    detection = {interval.metric: interval for interval in paired_bootstrap(base, new)}["contacts.detection.f1"]
    assert detection.low <= detection.difference < 0
    assert detection.high == 0  # resamples without the altered document show no change
    assert detection.documents == 5


def test_compare_exits_1_on_a_regression_and_names_it(perfect_run: Path, missing_contact_run: Path) -> None:
    result = compare_cli(str(perfect_run), str(missing_contact_run))
    assert result.exit_code == 1, result.output
    assert "contacts.detection.f1 fell from 1.000 to 0.952 (-0.048; tolerance 0.02)" in result.output


def test_compare_exits_0_for_an_equal_run(perfect_run: Path) -> None:
    result = compare_cli(str(perfect_run), str(GOLDENS))
    assert result.exit_code == 0, result.output
    assert "gate passed" in result.output


def test_compare_writes_a_markdown_summary(tmp_path: Path, perfect_run: Path, missing_contact_run: Path) -> None:
    summary = tmp_path / "summary.md"
    compare_cli(str(perfect_run), str(missing_contact_run), "--summary", str(summary))
    text = summary.read_text()
    assert text.startswith("## Regression gate failed")
    assert "| contacts.detection.f1 | 1.000 |" in text
    assert "| 001_1a4010503bfa5627 | contact #0 (bajwa + pompeo) | verdict | matched | missed |" in text
