"""``harness report`` and ``harness eval --report``: the file is written, whatever the gate says."""

from __future__ import annotations

from pathlib import Path

import pytest
from command_line import invoke as harness
from fake_endpoint import MODEL_ID, FakeEndpoint
from report_runs import write_report_run
from run_folders import GOLDENS, perfect_articles, write_run

from harness.compare import IncomparableRunsError, bless


@pytest.fixture
def endpoint(cli_endpoint: FakeEndpoint) -> FakeEndpoint:
    """The loopback model, for ``harness eval --report``."""
    return cli_endpoint


def test_report_writes_one_html_file_and_says_where(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = harness("report", str(write_report_run(tmp_path / "run")), "--goldens", str(GOLDENS), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("<!doctype html>")
    assert f"report written to {out} (5 document(s))" in result.output


def test_report_against_a_baseline_it_falls_below_is_still_written_and_exits_0(tmp_path: Path) -> None:
    run, perfect = write_report_run(tmp_path / "run"), write_run(tmp_path / "perfect", perfect_articles())
    out = tmp_path / "report.html"
    result = harness("report", str(run), "--baseline", str(perfect), "--goldens", str(GOLDENS), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "<strong>Gate failed</strong>" in out.read_text()


def test_report_refuses_a_baseline_scored_against_other_goldens(tmp_path: Path) -> None:
    other = tmp_path / "goldens"
    other.mkdir()
    for path in GOLDENS.glob("*.*"):
        (other / path.name).write_bytes(path.read_bytes() + (b" " if path.suffix == ".txt" else b""))
    baseline = bless(GOLDENS, other, name="other", baselines_dir=tmp_path / "baselines")
    result = harness("report", str(GOLDENS), "--baseline", str(baseline), "--goldens", str(GOLDENS), "-o", "x.html")
    assert isinstance(result.exception, IncomparableRunsError)


def test_eval_report_writes_the_report_of_its_run_even_when_the_gate_fails(
    tmp_path: Path, endpoint: FakeEndpoint
) -> None:
    perfect = bless(GOLDENS, GOLDENS, name="perfect", baselines_dir=tmp_path / "baselines")
    out = tmp_path / "report.html"
    command = ["eval", "--base-url", endpoint.base_url, "--model", MODEL_ID, "--goldens", str(GOLDENS)]
    result = harness(*command, "--out", str(tmp_path / "run"), "--baseline", str(perfect), "--report", str(out))
    assert result.exit_code == 1, result.output
    page = out.read_text()
    assert f"{MODEL_ID}" in page
    assert page.count('<details class="doc"') == 5
    assert "<strong>Gate failed</strong>" in page
