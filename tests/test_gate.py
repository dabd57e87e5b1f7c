"""The gate: a figure that falls beyond its tolerance fails it; tolerances come from pyproject and the command line."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from paths import GOLDENS
from run_folders import DOC, perfect_articles, without_contact, write_article_folder

from harness.compare import check_gate, score_predictions
from harness.compare.gate import parse_tolerance_overrides
from harness.errors import ConfigError
from harness.project.settings import Tolerances, load_settings
from harness.scoring.metrics import Flat

DETECTION = "contacts.detection.f1"
DETECTION_FALL = 1 / 21  # one of 11 required gold contacts missed: F1 = 2*10 / (2*10 + 1)


@pytest.fixture(scope="module")
def perfect() -> Flat:
    return score_predictions(GOLDENS, GOLDENS).score.to_flat_dict()


@pytest.fixture(scope="module")
def regressed(tmp_path_factory: pytest.TempPathFactory) -> Flat:
    folder = tmp_path_factory.mktemp("planted") / "predictions"
    write_article_folder(folder, without_contact(perfect_articles(), DOC, 0))
    return score_predictions(folder, GOLDENS).score.to_flat_dict()


def write_pyproject(folder: Path, gate: str) -> Path:
    path = folder / "pyproject.toml"
    path.write_text(f'[project]\nname = "x"\n\n{gate}')
    return path


def test_the_gate_fails_on_a_planted_regression(perfect: Flat, regressed: Flat) -> None:
    verdict = check_gate(perfect, regressed, Tolerances())
    assert not verdict.passed
    assert DETECTION in {check.metric for check in verdict.failures}


def test_the_gate_says_why_it_failed(perfect: Flat, regressed: Flat) -> None:
    reasons = check_gate(perfect, regressed, Tolerances()).reasons()
    assert f"{DETECTION} fell from 1.000 to 0.952 (-0.048; tolerance 0)" in reasons


def test_the_gate_passes_an_equal_run(perfect: Flat) -> None:
    assert check_gate(perfect, perfect, Tolerances()).passed


def test_the_gate_passes_an_improvement(perfect: Flat, regressed: Flat) -> None:
    assert check_gate(regressed, perfect, Tolerances()).passed


def test_counts_are_not_gated(perfect: Flat) -> None:
    gated = {check.metric for check in check_gate(perfect, perfect, Tolerances()).checks}
    assert DETECTION in gated
    assert not gated & {"contacts.detection.tp", "contacts.detection.fn", "documents.scored"}


def test_a_fall_within_its_tolerance_passes(perfect: Flat, regressed: Flat) -> None:
    loose = Tolerances(tolerance=0.1)
    assert check_gate(perfect, regressed, loose).passed
    assert not check_gate(perfect, regressed, Tolerances(tolerance=DETECTION_FALL / 2)).passed


def test_tolerances_are_read_from_pyproject(tmp_path: Path) -> None:
    pyproject = write_pyproject(
        tmp_path, f'[tool.harness.gate]\ntolerance = 0.01\n[tool.harness.gate.metrics]\n"{DETECTION}" = 0.5\n'
    )
    tolerances = load_settings(pyproject.parent).gate
    assert (tolerances.of(DETECTION), tolerances.of("contacts.strict.f1")) == (0.5, 0.01)


def test_without_a_gate_section_nothing_may_fall(tmp_path: Path) -> None:
    assert load_settings(write_pyproject(tmp_path, "[tool.harness]\n").parent).gate == Tolerances()
    assert load_settings(write_pyproject(tmp_path, "").parent).gate == Tolerances()


def test_the_repository_gate_allows_a_small_detection_fall() -> None:
    tolerances = load_settings(Path(__file__).parent).gate
    assert tolerances.of(DETECTION) == 0.02


def test_a_command_line_tolerance_overrides_pyproject(tmp_path: Path, perfect: Flat, regressed: Flat) -> None:
    pyproject = write_pyproject(tmp_path, "[tool.harness.gate]\ntolerance = 0.5\n")
    overrides = parse_tolerance_overrides([f"{DETECTION}=0", "contacts.strict.f1=inf"])
    tolerances = load_settings(pyproject.parent).gate.overridden(overrides)
    assert [check.metric for check in check_gate(perfect, regressed, tolerances).failures] == [DETECTION]
    assert math.isinf(tolerances.of("contacts.strict.f1"))


def test_a_tolerance_for_a_figure_the_gate_does_not_check_is_an_error(perfect: Flat) -> None:
    with pytest.raises(ConfigError, match=r"contacts\.detection\.f2"):
        check_gate(perfect, perfect, Tolerances(metrics={"contacts.detection.f2": 0.1}))


@pytest.mark.parametrize("option", ["contacts.detection.f1", "=0.1", "contacts.detection.f1=high"])
def test_a_malformed_tolerance_option_is_an_error(option: str) -> None:
    with pytest.raises(ConfigError, match="not METRIC=VALUE"):
        parse_tolerance_overrides([option])


def test_a_negative_tolerance_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="0 or more"):
        parse_tolerance_overrides([f"{DETECTION}=-0.1"])
    with pytest.raises(ConfigError, match=r"pyproject.toml: tool\.harness\.gate\.tolerance: .*greater than or equal"):
        load_settings(write_pyproject(tmp_path, "[tool.harness.gate]\ntolerance = -1\n").parent)
