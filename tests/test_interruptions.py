"""A job interrupted from outside: ``kill -9`` mid-run then resume, and ``SIGTERM`` (a plain ``kill``).

``harness`` runs as a real subprocess against a slow loopback endpoint (``fault_endpoint``),
so it can be killed at a moment of the test's choosing; the endpoint's log says which documents
cost a model call in which run.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fault_endpoint import FAULT_MODEL, FaultEndpoint, ServedRequest
from filelock import FileLock
from paths import GOLDENS

from harness.backends.models import CACHE_DIR_ENV
from harness.run.jobs import LOCK_FILE
from harness.run.results import RESULTS_FILE, ResultRecord, read_manifest

DOCUMENTS = 12
LATENCY_S = 0.2  # per answer: slow enough to kill the job between two documents, fast enough for a quick test
DONE_BEFORE_KILL = 4
DEADLINE_S = 120.0  # the longest a test waits for the subprocess to reach a point (a loaded machine, a CPU model)
TERMINATED = 128 + signal.SIGTERM  # what harness exits with on SIGTERM, as a shell reports a signal
_CASE = re.compile(r"case (\d{2})")


def write_articles(folder: Path) -> Path:
    folder.mkdir()
    for number in range(DOCUMENTS):
        text = f"Li telephoned Wu on Monday about case {number:02d}. They agreed to talk again.\n"
        (folder / f"doc-{number:02d}.txt").write_text(text, encoding="utf-8")
    return folder


def doc_id_of(request: ServedRequest) -> str:
    match = _CASE.search(request.text)
    assert match is not None
    return f"doc-{match.group(1)}"


def without_endpoint() -> dict[str, str]:
    """The test's environment without any endpoint or API key."""
    return {name: value for name, value in os.environ.items() if not name.startswith("OPENAI_")}


def harness_env(tmp_path: Path) -> dict[str, str]:
    """No endpoint or key, and a response cache of the test's own."""
    return without_endpoint() | {CACHE_DIR_ENV: str(tmp_path / "cache")}


def extract_command(articles: Path, out: Path, endpoint: FaultEndpoint) -> list[str]:
    return [
        sys.executable,
        *("-m", "harness", "extract", str(articles), "--out", str(out)),
        *("--base-url", endpoint.base_url, "--model", FAULT_MODEL),
        # One request at a time: the job then lasts DOCUMENTS x LATENCY_S, so a signal sent after the first results
        # reaches a job still running (at the default concurrency all twelve answers came at once, and a SIGTERM
        # could land while the finished job's interpreter was exiting, which no handler sees).
        *("--concurrency", "1"),
    ]


def wait_for(condition: Callable[[], bool], process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the job did not get there in time"
        time.sleep(0.05)


def lines_of(results: Path) -> list[bytes]:
    return results.read_bytes().splitlines(keepends=True) if results.exists() else []


def children_of(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (from ``/proc``, as ``ps`` reads it)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue  # the process ended while we looked
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return children


def is_running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def terminate(process: subprocess.Popen[str]) -> tuple[int, str]:
    """SIGTERM, then the exit code and what the process wrote to stderr."""
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=DEADLINE_S)
    return process.returncode, stderr


def test_a_job_killed_mid_run_resumes_to_exactly_one_result_per_document_without_asking_again(tmp_path: Path) -> None:
    articles, out = write_articles(tmp_path / "articles"), tmp_path / "run"
    results = out / RESULTS_FILE
    with FaultEndpoint(latency_s=LATENCY_S) as endpoint:
        command = extract_command(articles, out, endpoint)
        killed = subprocess.Popen(command, env=harness_env(tmp_path), text=True, stderr=subprocess.PIPE)
        wait_for(lambda: len(lines_of(results)) >= DONE_BEFORE_KILL, killed)
        killed.kill()
        killed.communicate()
        # Tear the last line as a kill in the middle of writing it would: that document's answer is cached already.
        *whole, last = lines_of(results)
        torn_line = last[: len(last) // 2] if last.endswith(b"\n") else last  # unless the kill tore it already
        results.write_bytes(b"".join(whole) + torn_line)
        finished = {json.loads(line)["doc_id"] for line in whole}
        torn = json.loads(last.partition(b',"status"')[0] + b"}")["doc_id"]  # doc_id is a record's first field
        resumed_at = time.monotonic()  # the killed job's last request may still be logged after this
        resumed = subprocess.run(command, env=harness_env(tmp_path), text=True, capture_output=True, check=False)
        asked_again = [doc_id_of(request) for request in endpoint.log if request.received_at > resumed_at]
    assert resumed.returncode == 0, resumed.stderr
    assert "cutting a torn last line" in resumed.stderr
    records = [ResultRecord.model_validate_json(line) for line in lines_of(results)]
    assert sorted(record.doc_id for record in records) == sorted(f"doc-{n:02d}" for n in range(DOCUMENTS))
    assert all(record.status == "ok" for record in records)
    rerun = {record.doc_id: record for record in records if record.doc_id not in finished}
    assert rerun[torn].cached
    assert sorted(asked_again) == sorted(doc_id for doc_id, record in rerun.items() if not record.cached)
    manifest = read_manifest(out)
    assert manifest is not None and (manifest.totals.documents, manifest.totals.ok) == (DOCUMENTS, DOCUMENTS)


def test_sigterm_stops_extract_at_once_keeping_what_it_finished_and_freeing_the_folder(tmp_path: Path) -> None:
    articles, out = write_articles(tmp_path / "articles"), tmp_path / "run"
    with FaultEndpoint(latency_s=LATENCY_S) as endpoint:
        job = subprocess.Popen(
            extract_command(articles, out, endpoint), env=harness_env(tmp_path), text=True, stderr=subprocess.PIPE
        )
        wait_for(lambda: len(lines_of(out / RESULTS_FILE)) >= 1, job)
        code, stderr = terminate(job)
    assert code == TERMINATED
    assert "Traceback" not in stderr
    for line in lines_of(out / RESULTS_FILE):
        assert ResultRecord.model_validate_json(line).status == "ok"
    manifest = read_manifest(out)
    assert manifest is not None and manifest.finished_at is None  # interrupted, and it says so
    with FileLock(out / LOCK_FILE).acquire(timeout=0):
        pass


@pytest.mark.slow
@pytest.mark.model
@pytest.mark.needs_llama_cpp
def test_sigterm_stops_eval_and_the_embedded_model_server_with_it(tmp_path: Path) -> None:
    """The real embedded server on the 135M smoke-test model: a plain ``kill`` must not leave it running."""
    out = tmp_path / "run"
    command = [sys.executable, "-m", "harness", "eval", "--model", "smollm2-135m", "--no-cache"]
    command += ["--goldens", str(GOLDENS), "--out", str(out)]
    job = subprocess.Popen(command, env=without_endpoint(), text=True, stderr=subprocess.PIPE)
    server_log = out / "llama-server.log"
    wait_for(lambda: server_log.exists() and "serving smollm2-135m at" in server_log.read_text(errors="replace"), job)
    servers = children_of(job.pid)
    assert servers, "the embedded server runs as a child of harness"
    time.sleep(1.0)  # a document is being extracted
    code, stderr = terminate(job)
    assert code == TERMINATED
    assert "Traceback" not in stderr
    assert not any(is_running(pid) for pid in servers)
