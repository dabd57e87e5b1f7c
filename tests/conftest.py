"""Fixtures several test files share, and the ``needs_llama_cpp`` marker.

- loopback endpoints: ``endpoint`` (the counting stand-in model of ``fake_endpoint``), ``cli_endpoint`` (the
  same, with the environment a ``harness`` command reads) and ``draft_endpoint`` (a ``FaultEndpoint`` without
  faults, answering ``VALID_DRAFT``); ``isolated_environment`` and ``api_key`` for the environment itself;
- ``articles``: a folder holding one article; ``prompt``: the repository's extraction prompt;
- ``tiny_server``: the embedded server on the 135M smoke-test model (a test using it is marked ``model``).

What modules import instead of asking for a fixture is beside this file: ``paths.GOLDENS`` (the goldens
folder, also for ``parametrize`` lists) and ``command_line.invoke`` (``harness ARGUMENTS`` in this process).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_endpoint import FakeEndpoint
from fault_endpoint import CALL_ARTICLE, FaultEndpoint
from loopback_http import tiny_model_server

from harness.backends.client import API_KEY_ENV, BASE_URL_ENV
from harness.backends.local_server import LocalServer
from harness.backends.models import CACHE_DIR_ENV
from harness.project.builtin import DEFAULT_PROMPT
from harness.prompts import Prompt, load_prompt


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """``@pytest.mark.needs_llama_cpp``: skipped where the embedded runtime (llama.cpp through xllamacpp) is not
    installed."""
    if importlib.util.find_spec("xllamacpp") is not None:
        return
    missing = pytest.mark.skip(reason="xllamacpp is not installed (pip install 'harness[local]')")
    for item in items:
        if item.get_closest_marker("needs_llama_cpp") is not None:
            item.add_marker(missing)


# --- loopback endpoints and the environment -------------------------------------------------------------------


@pytest.fixture
def endpoint() -> Iterator[FakeEndpoint]:
    """The stand-in model on loopback: an empty draft for every article but an ``UNANSWERABLE`` one, counted."""
    with FakeEndpoint() as server:
        yield server


@pytest.fixture
def draft_endpoint() -> Iterator[FaultEndpoint]:
    """A ``FaultEndpoint`` without faults: every completion is ``VALID_DRAFT`` (Li calls Wu), model ``FAULT_MODEL``."""
    with FaultEndpoint() as server:
        yield server


@pytest.fixture
def api_key() -> str:
    """The API key in a CLI test's environment: no output or file may show it."""
    return "sk-test-never-print-me"


@pytest.fixture
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A response cache of the test's own, and no endpoint or API key in the environment."""
    monkeypatch.setenv(CACHE_DIR_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(API_KEY_ENV, raising=False)
    monkeypatch.delenv(BASE_URL_ENV, raising=False)


@pytest.fixture
def cli_endpoint(
    endpoint: FakeEndpoint, isolated_environment: None, api_key: str, monkeypatch: pytest.MonkeyPatch
) -> FakeEndpoint:
    """``endpoint`` for a ``harness`` command: ``api_key`` in ``$OPENAI_API_KEY``, no ``$OPENAI_BASE_URL`` (the
    command passes ``--base-url``), and a response cache of the test's own."""
    monkeypatch.setenv(API_KEY_ENV, api_key)
    return endpoint


# --- inputs ---------------------------------------------------------------------------------------------------


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    """A folder with one good article, ``good.txt`` (``CALL_ARTICLE``: Li calls Wu, as ``VALID_DRAFT`` says)."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "good.txt").write_text(CALL_ARTICLE, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def prompt() -> Prompt:
    """The repository's default extraction prompt."""
    return load_prompt(DEFAULT_PROMPT)


# --- the real embedded server ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalServer]:
    """The embedded server on the 135M smoke-test model, one per test module; a test using it is marked ``model``."""
    yield from tiny_model_server(tmp_path_factory.mktemp("server"))
