"""Baselines: blessing a run writes its figures, outcomes and ledger; a run compared with its own baseline is equal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from paths import GOLDENS
from run_folders import DOC, ledger, perfect_articles, without_contact, write_run
from typer.testing import CliRunner

from harness.cli import baseline_cmd
from harness.cli.compare_cmd import compare
from harness.compare import (
    BASELINE_FORMAT,
    Baseline,
    IncomparableRunsError,
    bless,
    compare_runs,
    load_scored,
    read_baseline,
    score_predictions,
)
from harness.errors import ConfigError
from harness.scoring import Verdict


@pytest.fixture
def run(tmp_path: Path) -> Path:
    return write_run(tmp_path / "run", without_contact(perfect_articles(), DOC, 0))


@pytest.fixture
def blessed(tmp_path: Path, run: Path) -> Path:
    return bless(run, GOLDENS, name="extract", baselines_dir=tmp_path / "baselines")


def test_bless_writes_the_named_baseline_file(tmp_path: Path, blessed: Path) -> None:
    assert blessed == tmp_path / "baselines" / "extract.json"


def test_the_baseline_file_opens_with_its_format_header(blessed: Path) -> None:
    data = json.loads(blessed.read_text())
    assert next(iter(data)) == "$schema"
    assert data["$schema"] == BASELINE_FORMAT


def test_the_baseline_keeps_the_ledger_of_its_run(blessed: Path) -> None:
    baseline_ledger = read_baseline(blessed).ledger
    assert baseline_ledger is not None
    assert baseline_ledger.model_dump() == ledger().model_dump()


def test_the_baseline_keeps_the_flat_figures(blessed: Path, run: Path) -> None:
    figures = json.loads(blessed.read_text())["summary"]
    assert figures == score_predictions(run, GOLDENS).score.to_flat_dict()


def test_the_baseline_keeps_every_record_outcome(blessed: Path) -> None:
    contacts = read_baseline(blessed).score.document(DOC).contacts
    assert [contact.verdict for contact in contacts] == [Verdict.MISSED] + [Verdict.MATCHED] * 3


def test_a_baseline_round_trips_through_json(blessed: Path) -> None:
    baseline = read_baseline(blessed)
    assert Baseline.model_validate_json(baseline.to_json()) == baseline
    assert baseline.to_json() == blessed.read_text()


def test_a_run_compared_with_its_own_baseline_is_unchanged(blessed: Path, run: Path) -> None:
    comparison = compare_runs(load_scored(blessed, GOLDENS), load_scored(run, GOLDENS))
    assert all(delta.delta == 0 for delta in comparison.metrics)
    assert comparison.records == []
    assert comparison.ledger_changes == []


def test_a_baseline_is_refused_against_other_goldens(tmp_path: Path, blessed: Path, run: Path) -> None:
    goldens = tmp_path / "goldens"
    goldens.mkdir()
    for path in GOLDENS.glob("*.*"):
        (goldens / path.name).write_bytes(path.read_bytes())
    (goldens / "GUIDELINES.md").unlink()
    (goldens / f"{DOC}.json").write_text((GOLDENS / f"{DOC}.json").read_text().replace('"Mike Pompeo"', '"Pompeo"'))
    with pytest.raises(IncomparableRunsError, match="different goldens"):
        compare_runs(read_baseline(blessed), score_predictions(run, goldens))


def test_a_file_of_another_format_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "old.json"
    path.write_text(json.dumps({"$schema": "harness-baseline/0"}))
    with pytest.raises(ConfigError, match=r"old\.json: not a baseline of this version"):
        read_baseline(path)


def test_a_baseline_name_must_be_a_plain_file_name(tmp_path: Path, run: Path) -> None:
    with pytest.raises(ConfigError, match="plain file name"):
        bless(run, GOLDENS, name="../extract", baselines_dir=tmp_path)


def test_bless_then_compare_on_the_command_line_exits_0(tmp_path: Path, run: Path) -> None:
    baselines = tmp_path / "baselines"
    blessing = CliRunner().invoke(
        baseline_cmd.app, ["bless", str(run), "--goldens", str(GOLDENS), "--dir", str(baselines)]
    )
    assert blessing.exit_code == 0, blessing.output
    assert (baselines / "extract.json").is_file()
    app = typer.Typer()
    app.command()(compare)
    result = CliRunner().invoke(app, [str(baselines / "extract.json"), str(run), "--goldens", str(GOLDENS)])
    assert result.exit_code == 0, result.output
    assert "gate passed" in result.output
