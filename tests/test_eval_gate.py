"""``harness eval --baseline``: the evaluation is gated against a baseline (model: the loopback stand-in)."""

from __future__ import annotations

from pathlib import Path

from click.testing import Result
from command_line import invoke
from fake_endpoint import MODEL_ID, FakeEndpoint
from paths import GOLDENS

from harness.compare import bless


def evaluate(endpoint: FakeEndpoint, out: Path, *arguments: str) -> Result:
    command = ["eval", "--base-url", endpoint.base_url, "--model", MODEL_ID, "--goldens", str(GOLDENS)]
    return invoke(*command, "--out", str(out), *arguments)


def test_eval_exits_1_and_writes_the_summary_when_it_falls_below_the_baseline(
    tmp_path: Path, cli_endpoint: FakeEndpoint
) -> None:
    perfect = bless(GOLDENS, GOLDENS, name="perfect", baselines_dir=tmp_path / "baselines")
    summary = tmp_path / "summary.md"
    result = evaluate(cli_endpoint, tmp_path / "run", "--baseline", str(perfect), "--summary", str(summary))
    assert result.exit_code == 1, result.output
    assert "regression: contacts.detection.f1 fell from 1.000 to 0." in result.output
    assert summary.read_text().startswith("## Regression gate failed")


def test_eval_passes_against_the_baseline_of_an_equal_run(tmp_path: Path, cli_endpoint: FakeEndpoint) -> None:
    first = evaluate(cli_endpoint, tmp_path / "first")
    assert first.exit_code == 0, first.output
    baseline = bless(tmp_path / "first", GOLDENS, name="extract", baselines_dir=tmp_path / "baselines")
    result = evaluate(cli_endpoint, tmp_path / "second", "--baseline", str(baseline))
    assert result.exit_code == 0, result.output
    assert "gate passed" in result.output


def test_eval_refuses_a_malformed_tolerance_before_extracting(tmp_path: Path, cli_endpoint: FakeEndpoint) -> None:
    perfect = bless(GOLDENS, GOLDENS, name="perfect", baselines_dir=tmp_path / "baselines")
    result = evaluate(cli_endpoint, tmp_path / "run", "--baseline", str(perfect), "--tolerance", "contacts")
    assert result.exit_code != 0
    assert "not METRIC=VALUE" in str(result.exception)
    assert cli_endpoint.completions == 0
