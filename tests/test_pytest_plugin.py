"""``pytest --goldens``: each golden document is a test held to the blessed baseline; plain pytest calls no model.

Each test runs pytest inside pytest (``pytester``) in a project folder of two small invented
goldens, against a loopback endpoint that answers each document with the draft scripted for it
and records every request. Baselines are made as a user makes them: ``harness eval``, then the
real ``bless``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# pytester restores sys.modules after each test, and numpy (with scipy over it) cannot be loaded twice in one
# process: imported here, before any test's snapshot, they stay loaded when this file runs alone.
import numpy  # noqa: F401
import pytest
import scipy.optimize  # noqa: F401
from command_line import invoke
from loopback_http import RecordedRequest, ScriptedEndpoint, WireReply, chat_completion

from harness.backends.models import CACHE_DIR_ENV
from harness.compare import bless
from harness.evaluation import default_eval_dir

pytest_plugins = ["pytester"]

MODEL = "scripted-model"
PROMPT = "extract@v1"

BERG = "001_berg"
BERG_TEXT = (
    "Foreign Minister Anna Berg telephoned Prime Minister Carl Dahl to discuss trade.\n"
    "Berg's meeting with Ambassador Eva Falk in Oslo followed.\n"
)
HADDAD = "002_haddad"
HADDAD_TEXT = "Minister Omar Haddad met Minister Lena Moss in Geneva to discuss water rights.\n"

CALL_QUOTE = "Foreign Minister Anna Berg telephoned Prime Minister Carl Dahl to discuss trade."
MEETING_QUOTE = "Berg's meeting with Ambassador Eva Falk in Oslo followed."
GENEVA_QUOTE = "Minister Omar Haddad met Minister Lena Moss in Geneva to discuss water rights."


def person(actor_id: str, name: str) -> dict[str, Any]:
    return {"id": actor_id, "name": name, "kind": "person"}


def golden_contact(participants: list[str], mode: str, quote: str) -> dict[str, Any]:
    return {"participants": participants, "mode": mode, "evidence": [{"quote": quote}]}


PROJECT_GOLDENS = {
    BERG: (
        BERG_TEXT,
        {
            "doc_id": BERG,
            "actors": [person("berg", "Anna Berg"), person("dahl", "Carl Dahl"), person("falk", "Eva Falk")],
            "contacts": [
                golden_contact(["berg", "dahl"], "phone_call", CALL_QUOTE),
                golden_contact(["berg", "falk"], "meeting", MEETING_QUOTE),
            ],
        },
    ),
    HADDAD: (
        HADDAD_TEXT,
        {
            "doc_id": HADDAD,
            "actors": [person("haddad", "Omar Haddad"), person("moss", "Lena Moss")],
            "contacts": [golden_contact(["haddad", "moss"], "meeting", GENEVA_QUOTE)],
        },
    ),
}
"""The ``goldens/`` folder of the project under test: doc_id -> (article text, golden JSON)."""


def berg_draft(*, call_mode: str = "phone_call", with_meeting: bool = True) -> str:
    """The model's answer for 001_berg: evidence cites sentence numbers."""
    contacts = [{"participants": ["berg", "dahl"], "mode": call_mode, "evidence": [1]}]
    if with_meeting:
        contacts.append({"participants": ["berg", "falk"], "mode": "meeting", "evidence": [2]})
    actors = [person("berg", "Anna Berg"), person("dahl", "Carl Dahl"), person("falk", "Eva Falk")]
    return json.dumps({"actors": actors, "contacts": contacts})


HADDAD_DRAFT = json.dumps(
    {
        "actors": [person("haddad", "Omar Haddad"), person("moss", "Lena Moss")],
        "contacts": [{"participants": ["haddad", "moss"], "mode": "meeting", "evidence": [1]}],
    }
)
ANSWERS = {BERG: berg_draft(), HADDAD: HADDAD_DRAFT}
WORSE_ANSWERS = {BERG: berg_draft(call_mode="meeting", with_meeting=False), HADDAD: HADDAD_DRAFT}
"""001_berg loses its meeting with Falk, and its phone call is taken for a meeting."""
_PHRASES = {BERG: "Carl Dahl", HADDAD: "Omar Haddad"}
"""A phrase only the document's text holds, by which the endpoint knows what it is asked about."""


class AnswersByDocument(ScriptedEndpoint):
    """Answers each chat completion with the content scripted for the document the request is about."""

    def __init__(self, answers: dict[str, str]) -> None:
        super().__init__(models=(MODEL,))
        self.answers = answers
        """doc_id -> the assistant's content; change it between runs to change the model's answers."""

    def respond(self, request: RecordedRequest, raw: bytes) -> WireReply:
        if request.method != "POST":
            return super().respond(request, raw)
        asked = raw.decode()
        doc_id = next(doc_id for doc_id, phrase in _PHRASES.items() if phrase in asked)
        return chat_completion(self.answers[doc_id]).wire()


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """A project folder (the rootdir, and the working folder) holding ``goldens/``, with its own response cache."""
    pytester.makepyprojecttoml("[tool.pytest.ini_options]\n\n[tool.harness.gate]\ntolerance = 0.0\n")
    goldens = pytester.mkdir("goldens")
    for doc_id, (text, golden) in PROJECT_GOLDENS.items():
        (goldens / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        (goldens / f"{doc_id}.json").write_text(json.dumps(golden, indent=2), encoding="utf-8")
    monkeypatch.setenv(CACHE_DIR_ENV, str(pytester.path / "cache"))
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    return pytester


@pytest.fixture
def endpoint() -> Iterator[AnswersByDocument]:
    with AnswersByDocument(dict(ANSWERS)) as server:
        yield server


def harness_eval(endpoint: AnswersByDocument) -> Path:
    """``harness eval`` of the goldens in the working folder, into its default run folder; returns the folder."""
    result = invoke("eval", "--base-url", endpoint.base_url, "--model", MODEL, "--prompt", PROMPT)
    assert result.exit_code == 0, result.output
    return default_eval_dir(Path.cwd() / "runs", PROMPT, MODEL)


def bless_a_run(project: pytest.Pytester, endpoint: AnswersByDocument) -> Path:
    """The baseline a user makes: ``harness eval``, then ``harness baseline bless RUN_DIR --name extract``."""
    return bless(harness_eval(endpoint), project.path / "goldens", name="extract", baselines_dir=Path("baselines"))


def pytest_goldens(project: pytest.Pytester, endpoint: AnswersByDocument, *arguments: str) -> pytest.RunResult:
    return project.runpytest("--goldens", "--goldens-base-url", endpoint.base_url, "--goldens-model", MODEL, *arguments)


def fresh_extraction(project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """Options for a run folder of its own, with an empty response cache: every golden is asked of the model."""
    monkeypatch.setenv(CACHE_DIR_ENV, str(project.path / "fresh-cache"))
    return "--goldens-run-dir", str(project.path / "runs" / "fresh")


def test_plain_pytest_collects_no_golden_and_makes_no_model_request(
    project: pytest.Pytester, endpoint: AnswersByDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", endpoint.base_url)
    project.makepyfile(test_unit="def test_one():\n    assert True\n")
    result = project.runpytest("-v")
    result.assert_outcomes(passed=1)
    assert "goldens::" not in result.stdout.str()
    assert endpoint.requests == []


def test_goldens_answered_as_in_the_baseline_pass_one_item_per_golden(
    project: pytest.Pytester, endpoint: AnswersByDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    bless_a_run(project, endpoint)
    asked_before = len(endpoint.posts())
    result = pytest_goldens(project, endpoint, "-v", *fresh_extraction(project, monkeypatch))
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(
        [f"goldens::{BERG} PASSED*", f"goldens::{HADDAD} PASSED*", "goldens::all_goldens PASSED*"]
    )
    assert len(endpoint.posts()) - asked_before == len(PROJECT_GOLDENS)


def test_goldens_resume_the_run_folder_of_harness_eval_without_a_model_request(
    project: pytest.Pytester, endpoint: AnswersByDocument
) -> None:
    bless_a_run(project, endpoint)
    asked_before = len(endpoint.posts())
    result = pytest_goldens(project, endpoint)
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["*2 ok, 0 failed*(2 already done)*compared with baselines/extract.json*"])
    assert len(endpoint.posts()) == asked_before


def test_a_golden_that_fell_below_the_baseline_fails_with_its_field_level_diff(
    project: pytest.Pytester, endpoint: AnswersByDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    bless_a_run(project, endpoint)
    endpoint.answers = dict(WORSE_ANSWERS)
    result = pytest_goldens(project, endpoint, *fresh_extraction(project, monkeypatch))
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(
        [
            f"*_ {BERG} _*",
            f"{BERG} fell below the baseline baselines/extract.json:",
            "  contacts.detection.f1 fell from 1.000 to 0.667 *",
            "records that changed from the baseline (2):",
            "  worse    contact #0 (berg + dahl), mode: phone_call (right) -> meeting (wrong)",
            "  worse    contact #1 (berg + falk): matched -> missed",
            "*_ all_goldens _*",
            "the run's figures over all goldens fell below the baseline baselines/extract.json:",
            f"FAILED goldens::{BERG} - *",
        ]
    )
    assert f"FAILED goldens::{HADDAD}" not in result.stdout.str()


def test_a_golden_whose_extraction_failed_fails_with_the_reason(
    project: pytest.Pytester, endpoint: AnswersByDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    bless_a_run(project, endpoint)
    endpoint.answers = {**ANSWERS, HADDAD: "Sorry, I cannot read this."}
    result = pytest_goldens(project, endpoint, *fresh_extraction(project, monkeypatch))
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines([f"{HADDAD}: extraction failed: *", "  worse    contact #0 (haddad + moss): *"])


def test_a_fall_within_the_pyproject_tolerances_passes(
    project: pytest.Pytester, endpoint: AnswersByDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.makepyprojecttoml("[tool.pytest.ini_options]\n\n[tool.harness.gate]\ntolerance = inf\n")
    bless_a_run(project, endpoint)
    endpoint.answers = dict(WORSE_ANSWERS)
    result = pytest_goldens(project, endpoint, *fresh_extraction(project, monkeypatch))
    result.assert_outcomes(passed=3)


def test_without_a_baseline_pytest_stops_with_a_usage_error_naming_the_bless_command(
    project: pytest.Pytester, endpoint: AnswersByDocument
) -> None:
    result = pytest_goldens(project, endpoint)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*baselines/extract.json: no baseline*`harness baseline bless RUN_DIR --name extract`*"]
    )
    assert endpoint.requests == []


def test_a_baseline_blessed_against_other_goldens_is_refused_before_any_model_request(
    project: pytest.Pytester, endpoint: AnswersByDocument
) -> None:
    bless_a_run(project, endpoint)
    asked_before = len(endpoint.requests)
    (project.path / "goldens" / f"{HADDAD}.txt").write_text(HADDAD_TEXT + "They met again.\n", encoding="utf-8")
    result = pytest_goldens(project, endpoint)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*was blessed against other goldens than those in goldens*bless*again*"])
    assert len(endpoint.requests) == asked_before


def test_a_baseline_answered_in_another_schema_is_an_error_of_each_golden_with_the_reason(
    project: pytest.Pytester, endpoint: AnswersByDocument
) -> None:
    baseline = bless_a_run(project, endpoint)
    data = json.loads(baseline.read_text(encoding="utf-8"))
    data["ledger"]["schema_sha256"] = "0" * 64
    baseline.write_text(json.dumps(data), encoding="utf-8")
    result = pytest_goldens(project, endpoint)
    result.assert_outcomes(errors=3)
    result.stdout.fnmatch_lines(
        [f"*ERROR at setup of {BERG}*", "*different answer schemas (schema_sha256 000000000000 vs *"]
    )
    assert "Traceback" not in result.stdout.str()


def test_deselected_goldens_make_no_model_request(
    project: pytest.Pytester, endpoint: AnswersByDocument, monkeypatch: pytest.MonkeyPatch
) -> None:
    bless_a_run(project, endpoint)
    asked_before = len(endpoint.requests)
    result = pytest_goldens(project, endpoint, "-m", "not goldens", *fresh_extraction(project, monkeypatch))
    result.assert_outcomes(deselected=3)
    assert len(endpoint.requests) == asked_before
