"""Bad input, as a user meets it: ``harness`` run through its entry point against a loopback endpoint.

Each case must give one line naming the file (and line, where there is one), a documented exit
code (README, "Exit codes"), and leave the rest of the job unharmed: the other documents done, or,
for a setting that dooms the whole job, no model call and an earlier run's folder untouched.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import signal
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fault_endpoint import CALL_ARTICLE, FAULT_MODEL, FaultEndpoint
from paths import GOLDENS

from harness.backends.client import DecodingParams, connect
from harness.backends.local_server import free_loopback_port
from harness.backends.models import CACHE_DIR_ENV
from harness.cli import main
from harness.documents import Document
from harness.prompts import load_prompt
from harness.run.jobs import run_job
from harness.run.results import RESULTS_FILE, read_results

CONTEXT_TOKENS = 8192  # the embedded models' context window
FAR_TOO_LONG = CALL_ARTICLE * 2000  # 80,000 characters: at least 13,000 tokens whatever the tokenizer


@dataclass(frozen=True)
class Outcome:
    """What a ``harness`` command did, as a shell sees it."""

    code: int
    stdout: str
    stderr: str

    def lines(self, prefix: str) -> list[str]:
        """The printed lines that start with ``prefix``."""
        return [line for line in (self.stdout + self.stderr).splitlines() if line.startswith(prefix)]


Harness = Callable[..., Outcome]


@pytest.fixture
def harness(
    isolated_environment: None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> Iterator[Harness]:
    """``harness ARGUMENTS`` through ``main()``, with a cache of the test's own and no endpoint in the environment.

    Its stderr includes the log records a terminal would show: the CLI configures no logging, so Python
    prints every record of level WARNING and above as its bare message.
    """
    sigterm = signal.getsignal(signal.SIGTERM)  # main() installs its own handler and logger levels
    instructor_level = logging.getLogger("instructor").level

    def run(*arguments: str | Path) -> Outcome:
        capsys.readouterr()
        caplog.clear()
        monkeypatch.setattr(sys, "argv", ["harness", *map(str, arguments)])
        try:
            main()
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        else:
            code = 0
        captured = capsys.readouterr()
        shown = "".join(f"{record.getMessage()}\n" for record in caplog.records if record.levelno >= logging.WARNING)
        return Outcome(code, captured.out, captured.err + shown)

    yield run
    signal.signal(signal.SIGTERM, sigterm)
    logging.getLogger("instructor").setLevel(instructor_level)


def extract(harness: Harness, endpoint: FaultEndpoint, out: Path, *arguments: str | Path) -> Outcome:
    return harness("extract", *arguments, "--out", out, "--base-url", endpoint.base_url, "--model", FAULT_MODEL)


# --- an input that cannot be read: recorded with its reason, exit 3, every other document done -----------------


@dataclass(frozen=True)
class Unreadable:
    name: str
    content: bytes | None
    """None: the file does not exist."""
    reason: str
    """The error after the file's name (and line)."""
    line: int | None = None


UNREADABLE = [
    Unreadable("empty.txt", b" \n\n", "the file is empty"),
    Unreadable(
        "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "the file is binary (it contains NUL bytes), not text"
    ),
    Unreadable(
        "latin.txt",
        "Li telephoned Wu.\nThey met in Zürich.\n".encode("latin-1"),
        "not valid utf-8 at byte 31; pass --encoding if the file uses another one",
        line=2,
    ),
    Unreadable("missing.txt", None, "no such file or folder"),
]


@pytest.mark.parametrize("bad", UNREADABLE, ids=lambda bad: bad.name)
def test_an_unreadable_file_is_one_line_naming_it_exit_3_and_the_other_documents_are_done(
    bad: Unreadable, harness: Harness, draft_endpoint: FaultEndpoint, articles: Path, tmp_path: Path
) -> None:
    path = tmp_path / bad.name
    if bad.content is not None:
        path.write_bytes(bad.content)
    outcome = extract(harness, draft_endpoint, tmp_path / "run", articles, path)
    where = f"{path}:{bad.line}" if bad.line is not None else f"{path}"
    assert outcome.code == 3
    assert outcome.lines("failed") == [f"failed {path.stem}: {where}: {bad.reason}"]
    records = read_results(tmp_path / "run" / RESULTS_FILE)
    assert (records["good"].status, records[path.stem].status) == ("ok", "failed")


def test_a_malformed_jsonl_line_fails_only_that_line(
    harness: Harness, draft_endpoint: FaultEndpoint, tmp_path: Path
) -> None:
    batch = tmp_path / "batch.jsonl"
    lines = [
        '{"id": "first", "text": "Li telephoned Wu."}',
        '{"id": "torn", "text": ',
        '{"id": "last", "text": "Wu met Li."}',
    ]
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    outcome = extract(harness, draft_endpoint, tmp_path / "run", batch)
    assert outcome.code == 3
    assert outcome.lines("failed") == [f"failed {batch}:2: {batch}:2: invalid JSON: Expecting value (column 24)"]
    records = read_results(tmp_path / "run" / RESULTS_FILE)
    assert (records["first"].status, records["last"].status) == ("ok", "ok")


def test_a_file_in_another_encoding_is_read_with_encoding(
    harness: Harness, draft_endpoint: FaultEndpoint, tmp_path: Path
) -> None:
    latin = tmp_path / "latin.txt"
    latin.write_bytes("Li telephoned Wu in Zürich.\n".encode("latin-1"))
    outcome = extract(harness, draft_endpoint, tmp_path / "run", latin, "--encoding", "latin-1")
    assert outcome.code == 0, outcome.stdout
    assert "Zürich" in draft_endpoint.log[0].text


# --- a readable article the model cannot take -------------------------------------------------------------------


def test_an_article_beyond_the_models_context_fails_before_any_model_call_and_the_rest_is_done(tmp_path: Path) -> None:
    documents = [
        Document(id="huge", text=FAR_TOO_LONG, source="huge.txt"),
        Document(id="short", text=CALL_ARTICLE, source="short.txt"),
    ]

    async def job(base_url: str) -> dict[str, str | None]:
        backend = connect("compatible", base_url, "sk-test", FAULT_MODEL, None, context_tokens=CONTEXT_TOKENS)
        try:
            prompt, out = load_prompt("extract@v1"), tmp_path / "run"
            summary = await run_job(documents, out, backend, prompt, decoding=DecodingParams(), progress=False)
        finally:
            await backend.client.client.close()
        return {doc_id: record.error for doc_id, record in summary.records.items()}

    with FaultEndpoint() as endpoint:
        errors = asyncio.run(job(endpoint.base_url))
    assert errors == {
        "huge": "huge.txt: the article is at least 13,333 tokens (80,000 characters), beyond the 8,192-token "
        f"context of {FAULT_MODEL}; split it into shorter documents",
        "short": None,
    }
    assert len(endpoint.log) == 1


@pytest.mark.slow
@pytest.mark.model
@pytest.mark.needs_llama_cpp
def test_with_the_embedded_model_an_article_beyond_its_context_is_refused_at_once(
    harness: Harness, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The embedded server's context window reaches the check (the 135M smoke-test model; no answer is asked for)."""
    monkeypatch.delenv(CACHE_DIR_ENV)  # the assembled model is in the user's cache
    huge = tmp_path / "huge.txt"
    huge.write_text(FAR_TOO_LONG, encoding="utf-8")
    outcome = harness("extract", huge, "--out", tmp_path / "run", "--model", "smollm2-135m", "--no-cache")
    assert outcome.code == 0
    (line,) = outcome.lines("failed")
    assert line.startswith(f"failed huge: {huge}: the article is at least 13,333 tokens")
    assert "8,192-token context of smollm2-135m" in line


def test_an_article_without_a_publication_date_is_extracted_with_no_date_guessed(
    harness: Harness, draft_endpoint: FaultEndpoint, articles: Path, tmp_path: Path
) -> None:
    outcome = extract(harness, draft_endpoint, tmp_path / "run", articles / "good.txt")
    assert outcome.code == 0
    article = read_results(tmp_path / "run" / RESULTS_FILE)["good"].article
    assert article is not None and article.published is None
    assert article.contacts and all(contact.date is None for contact in article.contacts)


# --- a setting that dooms the whole job: exit 2 before any model call, an earlier run untouched --------------------


@dataclass(frozen=True)
class BadSetting:
    name: str
    arguments: Callable[[FaultEndpoint], list[str]]
    message: str


BAD_SETTINGS = [
    BadSetting(
        "unknown prompt version",
        lambda endpoint: ["--prompt", "extract@v99", "--base-url", endpoint.base_url],
        "prompt 'extract' has no version 'v99'; available: extract@v1",
    ),
    BadSetting("unknown model id", lambda endpoint: ["--model", "no-such-model"], "unknown model 'no-such-model'"),
    BadSetting(
        "unreachable base URL",
        lambda endpoint: ["--base-url", f"http://127.0.0.1:{free_loopback_port()}/v1"],
        "cannot reach http://127.0.0.1:",
    ),
    BadSetting(
        "no API key for a remote endpoint",
        lambda endpoint: ["--base-url", "https://models.example.com/v1", "--model", "some-model"],
        "missing API key for https://models.example.com/v1: set $OPENAI_API_KEY",
    ),
]


@pytest.mark.parametrize("bad", BAD_SETTINGS, ids=lambda bad: bad.name)
def test_a_bad_setting_is_one_line_exit_2_before_any_model_call_leaving_the_folder_as_it_was(
    bad: BadSetting, harness: Harness, draft_endpoint: FaultEndpoint, articles: Path, tmp_path: Path
) -> None:
    out = tmp_path / "run"
    assert extract(harness, draft_endpoint, out, articles).code == 0
    before = {path: path.read_bytes() for path in out.iterdir() if path.is_file()}
    asked = len(draft_endpoint.log)
    outcome = harness("extract", articles, "--out", out, *bad.arguments(draft_endpoint))
    assert outcome.code == 2
    (line,) = outcome.stderr.splitlines()
    assert line.startswith("error: ") and bad.message in line, line
    assert {path: path.read_bytes() for path in out.iterdir() if path.is_file()} == before
    assert len(draft_endpoint.log) == asked


@pytest.mark.parametrize(
    ("arguments", "shown"),
    [
        (("eval", "--no-such-option"), "Error: No such option: --no-such-option"),
        (("score",), "Error: Missing argument 'pred'."),
        (("eval", "--concurrency", "zero"), "Error: Invalid value for '--concurrency'"),
        (("models",), "Offline models: list them, or assemble one ahead of a run."),
    ],
    ids=["unknown option", "missing argument", "bad value", "group without command"],
)
def test_a_usage_error_says_what_is_wrong_and_exits_2_without_a_traceback(
    arguments: tuple[str, ...], shown: str, harness: Harness
) -> None:
    outcome = harness(*arguments)
    assert outcome.code == 2
    assert shown in outcome.stdout + outcome.stderr
    assert "Traceback" not in outcome.stdout + outcome.stderr


def test_a_model_the_endpoint_does_not_serve_stops_the_job_at_the_first_call(
    harness: Harness, draft_endpoint: FaultEndpoint, articles: Path, tmp_path: Path
) -> None:
    out = tmp_path / "run"
    outcome = harness("extract", articles, "--out", out, "--base-url", draft_endpoint.base_url, "--model", "gpt-9")
    assert outcome.code == 2
    (line,) = outcome.stderr.splitlines()
    assert line.startswith(f"error: {draft_endpoint.base_url} does not serve model 'gpt-9': ")
    assert "The model 'gpt-9' does not exist" in line
    assert not (out / RESULTS_FILE).read_text(encoding="utf-8")


def test_a_malformed_golden_is_one_line_naming_file_line_and_column_exit_4_before_any_model_call(
    harness: Harness, draft_endpoint: FaultEndpoint, tmp_path: Path
) -> None:
    goldens = tmp_path / "goldens"
    shutil.copytree(GOLDENS, goldens)
    broken = sorted(goldens.glob("*.json"))[0]
    lines = broken.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].rstrip().removesuffix(",") + "\n"  # drop the comma after the first field
    broken.write_text("".join(lines), encoding="utf-8")
    outcome = harness("eval", "--goldens", goldens, "--out", tmp_path / "run", "--base-url", draft_endpoint.base_url)
    assert outcome.code == 4
    (line,) = outcome.stderr.splitlines()
    assert line.startswith(f"error: {broken}:3: invalid JSON: Expecting ',' delimiter (column ")
    assert not draft_endpoint.log
