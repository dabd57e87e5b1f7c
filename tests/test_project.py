"""The user's project: found from any folder in it, its settings and where each came from, ``harness init``,
``harness config`` and ``harness goldens new``."""

from __future__ import annotations

from pathlib import Path

import pytest
from paths import GOLDENS, PROMPTS
from typer.testing import CliRunner, Result

from harness.cli import app
from harness.errors import ConfigError
from harness.project.settings import Origin, Tolerances, load_settings

PATH_VARIABLES = ("HARNESS_PROMPTS_DIR", "HARNESS_BASELINES_DIR", "HARNESS_RUNS_DIR")


@pytest.fixture(autouse=True)
def no_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in PATH_VARIABLES:
        monkeypatch.delenv(variable, raising=False)


def write(path: Path, content: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


def harness(*arguments: str | Path) -> Result:
    """The ``harness`` command in this process (a ``HarnessError`` is left in ``result.exception``)."""
    return CliRunner().invoke(app, [str(argument) for argument in arguments])


class TestDiscovery:
    def test_from_a_subfolder_the_nearest_pyproject_with_a_harness_table_is_the_project(self, tmp_path: Path) -> None:
        write(tmp_path / "pyproject.toml", '[tool.harness]\nruns_dir = "out"\n')
        deeper = tmp_path / "a" / "b"
        deeper.mkdir(parents=True)
        settings = load_settings(deeper)
        assert (settings.root, settings.project_file) == (tmp_path.resolve(), tmp_path.resolve() / "pyproject.toml")
        assert settings.runs_dir == tmp_path.resolve() / "out"

    def test_a_pyproject_without_a_harness_table_is_passed_over(self, tmp_path: Path) -> None:
        write(tmp_path / "harness.toml", "")
        write(tmp_path / "inner" / "pyproject.toml", '[project]\nname = "other"\n')
        assert load_settings(tmp_path / "inner").root == tmp_path.resolve()

    def test_a_harness_toml_wins_over_a_pyproject_beside_it(self, tmp_path: Path) -> None:
        write(tmp_path / "pyproject.toml", '[tool.harness]\nruns_dir = "from-pyproject"\n')
        write(tmp_path / "harness.toml", 'runs_dir = "from-harness-toml"\n')
        assert load_settings(tmp_path).runs_dir.name == "from-harness-toml"

    def test_without_a_project_the_prompts_and_goldens_are_the_built_in_ones(self, tmp_path: Path) -> None:
        settings = load_settings(tmp_path)
        assert settings.project_file is None
        assert (settings.prompts_dir, settings.golden_sets) == (PROMPTS, {"seeds": GOLDENS})
        assert (settings.runs_dir, settings.baselines_dir) == (tmp_path / "runs", tmp_path / "baselines")
        assert settings.origins["prompts_dir"] == Origin(kind="default", detail="built-in")

    def test_a_project_file_that_is_not_toml_is_named(self, tmp_path: Path) -> None:
        write(tmp_path / "harness.toml", "runs_dir = \n")
        with pytest.raises(ConfigError, match=r"harness\.toml: cannot read the project settings"):
            load_settings(tmp_path)

    def test_an_unknown_setting_is_refused_naming_the_file_and_the_key(self, tmp_path: Path) -> None:
        write(tmp_path / "pyproject.toml", '[tool.harness]\nrun_dir = "runs"\n')
        with pytest.raises(
            ConfigError, match=r"pyproject\.toml: tool\.harness\.run_dir: unknown setting; the settings"
        ):
            load_settings(tmp_path)

    def test_an_empty_golden_sets_table_is_refused(self, tmp_path: Path) -> None:
        write(tmp_path / "harness.toml", "[golden_sets]\n")
        with pytest.raises(ConfigError, match=r"harness\.toml: golden_sets: "):
            load_settings(tmp_path)


class TestPrecedence:
    def test_paths_in_the_file_are_resolved_against_the_project_root(self, tmp_path: Path) -> None:
        write(tmp_path / "harness.toml", '[golden_sets]\nmine = "data/goldens"\n[gate]\ntolerance = 0.05\n')
        (tmp_path / "sub").mkdir()
        settings = load_settings(tmp_path / "sub")
        assert settings.golden_sets == {"mine": tmp_path.resolve() / "data" / "goldens"}
        assert settings.gate == Tolerances(tolerance=0.05)

    def test_the_environment_overrides_the_file_and_an_option_overrides_both(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        write(tmp_path / "harness.toml", 'runs_dir = "file-runs"\nbaselines_dir = "file-baselines"\n')
        monkeypatch.setenv("HARNESS_RUNS_DIR", "env-runs")
        monkeypatch.setenv("HARNESS_BASELINES_DIR", "env-baselines")
        settings = load_settings(tmp_path, options={"baselines_dir": Path("option-baselines"), "runs_dir": None})
        assert (settings.runs_dir, settings.baselines_dir) == (Path("env-runs"), Path("option-baselines"))
        origins = {key: str(settings.origins[key]) for key in ("runs_dir", "baselines_dir", "prompts_dir", "gate")}
        assert origins == {
            "runs_dir": "env: HARNESS_RUNS_DIR",
            "baselines_dir": "option: --baselines-dir",
            "prompts_dir": "default: built-in",
            "gate": "default",
        }

    def test_a_project_with_prompts_of_its_own_uses_them(self, tmp_path: Path) -> None:
        write(tmp_path / "harness.toml", "")
        (tmp_path / "prompts").mkdir()
        settings = load_settings(tmp_path)
        assert (settings.prompts_dir, settings.origins["prompts_dir"].kind) == (
            tmp_path.resolve() / "prompts",
            "default",
        )

    def test_rootdir_makes_a_folder_the_project_without_a_search(self, tmp_path: Path) -> None:
        write(tmp_path / "harness.toml", 'runs_dir = "outer"\n')
        inner = tmp_path / "inner"
        (inner / "goldens").mkdir(parents=True)
        settings = load_settings(tmp_path, rootdir=inner)
        assert (settings.root, settings.project_file) == (inner.resolve(), None)
        assert settings.golden_sets == {"goldens": inner.resolve() / "goldens"}

    def test_this_repository_is_a_project_whose_seed_set_is_the_built_in_one(self) -> None:
        settings = load_settings(Path(__file__).parent)
        assert (settings.prompts_dir, settings.golden_sets["seeds"]) == (PROMPTS, GOLDENS)
