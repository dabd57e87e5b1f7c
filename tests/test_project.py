"""The user's project: found from any folder in it, its settings and where each came from, ``harness init``,
``harness config`` and ``harness goldens new``."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_endpoint import MODEL_ID, FakeEndpoint
from paths import GOLDENS, PROMPTS
from typer.testing import CliRunner, Result

from harness.backends.models import CACHE_DIR_ENV
from harness.cli import app
from harness.errors import ConfigError, GoldenError
from harness.goldens import load_golden_set
from harness.project.builtin import EXAMPLE_GOLDEN
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


class TestInit:
    def test_init_writes_a_project_that_checks_lists_and_is_found_from_a_subfolder(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        assert harness("init", tmp_path / "proj").exit_code == 0
        project = (tmp_path / "proj").resolve()
        assert (project / "prompts" / "extract" / "v5.md").read_bytes() == (PROMPTS / "extract" / "v5.md").read_bytes()
        assert (project / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "runs/"
        assert (project / "baselines").is_dir() and (project / "goldens" / "GUIDELINES.md").is_file()
        (project / "notes" / "deep").mkdir(parents=True)
        monkeypatch.chdir(project / "notes" / "deep")
        checked = harness("goldens", "check")
        assert checked.exit_code == 0 and "ok: 1 golden file(s), no errors" in checked.output, checked.output
        listed = harness("prompts", "list")
        assert listed.exit_code == 0 and "extract" in listed.output
        assert load_settings().root == project

    def test_the_example_golden_and_its_text_are_the_seed_byte_for_byte(self, tmp_path: Path) -> None:
        assert harness("init", tmp_path).exit_code == 0
        for suffix in (".json", ".txt"):
            copied = (tmp_path / "goldens" / f"{EXAMPLE_GOLDEN}{suffix}").read_bytes()
            assert copied == (GOLDENS / f"{EXAMPLE_GOLDEN}{suffix}").read_bytes()

    def test_init_can_keep_the_settings_in_harness_toml(self, tmp_path: Path) -> None:
        assert harness("init", tmp_path, "--harness-toml").exit_code == 0
        assert not (tmp_path / "pyproject.toml").exists()
        settings = load_settings(tmp_path)
        assert settings.project_file == tmp_path.resolve() / "harness.toml"
        assert settings.golden_sets == {"goldens": tmp_path.resolve() / "goldens"}

    def test_init_refuses_to_overwrite_a_file_exit_2_naming_it_and_writes_nothing(self, tmp_path: Path) -> None:
        existing = write(tmp_path / ".gitignore", "*.log\n")
        result = subprocess.run(
            [sys.executable, "-m", "harness", "init", str(tmp_path)], capture_output=True, text=True, check=False
        )
        assert result.returncode == 2
        assert f"{existing}: exists already; harness init overwrites nothing" in result.stderr
        assert sorted(path.name for path in tmp_path.iterdir()) == [".gitignore"]
        assert existing.read_text(encoding="utf-8") == "*.log\n"

    def test_init_into_an_existing_pyproject_points_at_harness_toml(self, tmp_path: Path) -> None:
        write(tmp_path / "pyproject.toml", '[project]\nname = "mine"\n')
        result = harness("init", tmp_path)
        assert isinstance(result.exception, ConfigError)
        assert "--harness-toml" in str(result.exception)


class TestConfig:
    def test_config_prints_each_setting_with_where_it_came_from(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        write(tmp_path / "harness.toml", 'runs_dir = "out"\n[gate.metrics]\n"contacts.detection.f1" = 0.02\n')
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("HARNESS_PROMPTS_DIR", "my-prompts")
        result = harness("--baselines-dir", "elsewhere", "config")
        assert result.exit_code == 0, result.output
        lines = result.output.splitlines()
        assert lines[0] == f"project file: {tmp_path.resolve() / 'harness.toml'}"
        rows = {line.split()[0]: line.split(maxsplit=1)[1] for line in lines[2:]}
        assert rows["prompts_dir"] == "my-prompts  (env: HARNESS_PROMPTS_DIR)"
        assert rows["baselines_dir"] == "elsewhere  (option: --baselines-dir)"
        assert rows["runs_dir"] == f"{tmp_path.resolve() / 'out'}  (file)"
        assert rows["golden_sets.goldens"] == f"{tmp_path.resolve() / 'goldens'}  (default)"
        assert rows['gate.metrics."contacts.detection.f1"'] == "0.02  (file)"

    def test_config_as_json_holds_the_values_and_their_origins(self, tmp_path: Path) -> None:
        result = harness("--rootdir", tmp_path, "config", "--json")
        data = json.loads(result.output)
        assert data["root"] == str(tmp_path.resolve())
        assert data["origins"]["runs_dir"] == {"kind": "default", "detail": ""}


ARTICLE = " date 2024-03-06 Anna Veld telephoned Piet Brand on Monday.\n"


@pytest.fixture
def endpoint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeEndpoint]:
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    with FakeEndpoint() as server:
        yield server


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    assert harness("init", tmp_path / "project").exit_code == 0
    monkeypatch.chdir(tmp_path / "project")
    return tmp_path / "project"


def goldens_new(endpoint: FakeEndpoint, article: Path) -> Result:
    return harness("goldens", "new", article, "--base-url", endpoint.base_url, "--model", MODEL_ID)


class TestGoldensNew:
    def test_new_writes_a_draft_golden_and_the_text_byte_for_byte(
        self, project: Path, endpoint: FakeEndpoint, tmp_path: Path
    ) -> None:
        article = tmp_path / "call_2024.txt"
        article.write_bytes(ARTICLE.encode())
        result = goldens_new(endpoint, article)
        assert result.exit_code == 0, result.output
        golden = json.loads((project / "goldens" / "call_2024.json").read_text(encoding="utf-8"))
        assert next(iter(golden.items())) == ("draft", True)
        assert (golden["doc_id"], golden["published"]) == ("call_2024", "2024-03-06")
        assert (project / "goldens" / "call_2024.txt").read_bytes() == ARTICLE.encode()
        assert endpoint.completions == 1

    def test_check_and_scoring_refuse_a_draft_until_its_mark_is_removed(
        self, project: Path, endpoint: FakeEndpoint, tmp_path: Path
    ) -> None:
        article = write(tmp_path / "call.txt", ARTICLE)
        assert goldens_new(endpoint, article).exit_code == 0
        draft = project / "goldens" / "call.json"
        refused = harness("goldens", "check")
        assert refused.exit_code == 1
        assert (
            f'{draft}: draft: a draft from a model\'s extraction: correct it against the text, then remove "draft"'
            in (refused.output)
        )
        with pytest.raises(GoldenError, match="still a draft"):
            load_golden_set(project / "goldens")
        data = json.loads(draft.read_text(encoding="utf-8"))
        del data["draft"]
        draft.write_text(json.dumps(data), encoding="utf-8")
        assert harness("goldens", "check").exit_code == 0

    def test_new_refuses_an_article_that_has_a_golden_already(self, project: Path, endpoint: FakeEndpoint) -> None:
        result = goldens_new(endpoint, project / "goldens" / f"{EXAMPLE_GOLDEN}.txt")
        assert isinstance(result.exception, ConfigError)
        assert f"{EXAMPLE_GOLDEN}.json: a golden of this article exists already" in str(result.exception)
        assert endpoint.completions == 0
