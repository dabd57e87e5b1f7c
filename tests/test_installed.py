"""harness as a user installs it: the wheel in a fresh virtualenv outside the repository, used in a project of
the user's own, from its root and from a subfolder, and with no project at all (the built-in prompt and goldens).

Slow (a wheel build and an install of the dependencies from PyPI, a few minutes); the model is the loopback
stand-in, so no model package is needed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_endpoint import MODEL_ID, FakeEndpoint

from harness.project.builtin import DEFAULT_PROMPT

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
_NOT_SOURCES = shutil.ignore_patterns(".git", ".venv", "runs", "build", "*.egg-info", "__pycache__", ".*_cache")
INSTALL_TIMEOUT_S = 900  # the dependencies (scipy, numpy, openai, ...) come from PyPI on a cold pip cache


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ``bin`` folder of a fresh virtualenv holding the wheel built from this repository, and its dependencies."""
    build = tmp_path_factory.mktemp("build")
    source = build / "source"
    shutil.copytree(REPO, source, ignore=_NOT_SOURCES)  # the build writes build/ and *.egg-info into its source
    pip = [sys.executable, "-m", "pip"]
    subprocess.run([*pip, "wheel", "--no-deps", str(source), "-w", str(build / "wheels")], check=True, timeout=600)
    (wheel,) = (build / "wheels").glob("harness-*.whl")
    venv = build / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    install = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)]
    subprocess.run(install, check=True, timeout=INSTALL_TIMEOUT_S)
    return venv / "bin"


@pytest.fixture(scope="module")
def endpoint() -> Iterator[FakeEndpoint]:
    with FakeEndpoint() as server:
        yield server


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    """The user's shell: nothing pointing into this repository, a key for the loopback endpoint, a cache of its own."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(("HARNESS_", "OPENAI_"))}
    env.pop("PYTHONPATH", None)
    return env | {"OPENAI_API_KEY": "sk-test", "HARNESS_CACHE_DIR": str(tmp_path / "cache")}


def harness(bin_dir: Path, folder: Path, env: dict[str, str], *arguments: str) -> str:
    """Run the installed ``harness`` in ``folder``; its output, after asserting it succeeded."""
    result = subprocess.run(
        [str(bin_dir / "harness"), *arguments], cwd=folder, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"harness {' '.join(arguments)} in {folder}:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def evaluate(bin_dir: Path, folder: Path, env: dict[str, str], endpoint: FakeEndpoint) -> str:
    return harness(bin_dir, folder, env, "eval", "--base-url", endpoint.base_url, "--model", MODEL_ID)


def test_init_check_list_and_eval_work_in_a_new_project_from_its_root_and_from_a_subfolder(
    installed: Path, endpoint: FakeEndpoint, environment: dict[str, str], tmp_path: Path
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    harness(installed, project, environment, "init")
    deeper = project / "notes" / "deeper"
    deeper.mkdir(parents=True)
    for folder in (project, deeper):
        assert "1 golden file(s), no errors" in harness(installed, folder, environment, "goldens", "check")
        assert "extract" in harness(installed, folder, environment, "prompts", "list")
        assert "of 1 document(s)" in evaluate(installed, folder, environment, endpoint)
        settings = json.loads(harness(installed, folder, environment, "config", "--json"))
        assert (settings["root"], settings["prompts_dir"]) == (
            str(project.resolve()),
            str(project.resolve() / "prompts"),
        )
    assert (project / "runs" / f"eval-{DEFAULT_PROMPT}-{MODEL_ID}" / "results.jsonl").is_file()
    assert not (deeper / "runs").exists()


def test_with_no_project_eval_scores_the_built_in_goldens_with_the_built_in_prompt(
    installed: Path, endpoint: FakeEndpoint, environment: dict[str, str], tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "of 5 document(s)" in evaluate(installed, empty, environment, endpoint)
    settings = json.loads(harness(installed, empty, environment, "config", "--json"))
    assert settings["project_file"] is None
    site_packages = installed.parent / "lib"
    assert Path(settings["prompts_dir"]).is_relative_to(site_packages)
    assert Path(settings["golden_sets"]["seeds"]).is_relative_to(site_packages)
