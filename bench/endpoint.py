"""The loopback OpenAI-compatible server of the benchmarks, in a process of its own.

``tests/fault_endpoint.py``'s ``FaultEndpoint`` with no faults, answering each article with its golden's draft
(``bench.corpus``) after ``--latency`` seconds, and keeping no log (a 100,000-request job must not fill the
server's memory). The parent reads the base URL from the first line of stdout and stops it by closing stdin.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

_TESTS = Path(__file__).resolve().parents[1] / "tests"
_CHARS_PER_TOKEN = 4  # as the fault endpoint estimates usage
_EMPTY_DRAFT = '{"actors":[],"contacts":[]}'

__all__ = ["serving"]


def _serve(latency_s: float, answers_file: Path) -> None:
    sys.path.insert(0, str(_TESTS))
    from fault_endpoint import Completion, FaultEndpoint
    from loopback_http import RecordedRequest

    answers: dict[str, str] = json.loads(answers_file.read_text(encoding="utf-8"))

    def answer(body: dict[str, Any]) -> Completion:
        asked = "\n".join(str(message.get("content", "")) for message in body.get("messages", []))
        content = next((draft for first, draft in answers.items() if first in asked), _EMPTY_DRAFT)
        return Completion(
            content,
            prompt_tokens=len(asked) // _CHARS_PER_TOKEN + 1,
            completion_tokens=len(content) // _CHARS_PER_TOKEN + 1,
        )

    class QuietEndpoint(FaultEndpoint):
        """Keeps no log, and keeps connections alive (HTTP/1.1) as vLLM and OpenAI do."""

        def __init__(self, **options: Any) -> None:
            super().__init__(**options)
            self._server.RequestHandlerClass.protocol_version = "HTTP/1.1"
            self._server.socket.listen(1024)  # the default backlog of 5 refuses a burst of 64 connections

        def respond(self, request: RecordedRequest, raw: bytes) -> Any:
            reply = super().respond(request, raw)
            with self._counting:
                self.log.clear()
                self.requests.clear()
                self._unanswered.clear()
                self._seen.clear()
            return reply

        def answered(self, request: RecordedRequest, at: float) -> None:
            pass

    with QuietEndpoint(answer=answer, latency_s=latency_s) as endpoint:
        print(endpoint.base_url, flush=True)
        sys.stdin.read()  # until the parent closes it


@contextmanager
def serving(latency_s: float, answers: dict[str, str], work_dir: Path) -> Iterator[str]:
    """A benchmark endpoint answering ``answers`` after ``latency_s``, running while the block runs; its URL."""
    answers_file = work_dir / "answers.json"
    answers_file.write_text(json.dumps(answers), encoding="utf-8")
    command = [sys.executable, "-m", "bench.endpoint", "--latency", str(latency_s), "--answers", str(answers_file)]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().strip()
        if not base_url:
            raise RuntimeError("the benchmark endpoint did not start")
        yield base_url
    finally:
        assert process.stdin is not None
        process.stdin.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--answers", type=Path, required=True)
    arguments = parser.parse_args()
    threading.current_thread().name = "bench-endpoint"
    _serve(arguments.latency, arguments.answers)
