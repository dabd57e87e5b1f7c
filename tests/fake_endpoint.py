"""A tiny OpenAI-compatible chat endpoint on loopback, for job tests that must not wait on a real model.

It answers every chat completion with an empty ``ArticleDraft`` (valid JSON, nothing found), or
with prose that fails validation when the article contains ``UNANSWERABLE``, and counts the
requests it got, so a test can assert that a run made no model call at all.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

__all__ = ["COMPLETION_TOKENS", "MODEL_ID", "PROMPT_TOKENS", "UNANSWERABLE", "FakeEndpoint", "fake_endpoint"]

MODEL_ID = "fake-model"
UNANSWERABLE = "UNANSWERABLE"
"""A document whose text holds this word gets an answer that is not JSON."""
PROMPT_TOKENS = 100
COMPLETION_TOKENS = 7


def _completion(content: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": MODEL_ID,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {
            "prompt_tokens": PROMPT_TOKENS,
            "completion_tokens": COMPLETION_TOKENS,
            "total_tokens": PROMPT_TOKENS + COMPLETION_TOKENS,
        },
    }


class _Handler(BaseHTTPRequestHandler):
    server: FakeEndpoint

    def _reply(self, body: dict[str, Any], status: int = 200) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:
        if self.path.rstrip("/") == "/v1/models":
            self._reply({"object": "list", "data": [{"id": MODEL_ID, "object": "model", "owned_by": "test"}]})
        else:
            self._reply({"error": {"message": "not found"}}, status=404)

    def do_POST(self) -> None:
        request = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.count_completion()
        asked = json.dumps(request["messages"])
        content = "Sorry, I cannot read this." if UNANSWERABLE in asked else '{"actors": [], "contacts": []}'
        self._reply(_completion(content))

    def log_message(self, format: str, *args: Any) -> None:  # keep pytest's output clean
        pass


class FakeEndpoint(ThreadingHTTPServer):
    """The server: its base URL, and how many chat completions it answered."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        host, port = self.server_address[:2]
        self.base_url = f"http://{host}:{port}/v1"
        self.completions = 0
        self._counting = threading.Lock()

    def count_completion(self) -> None:
        with self._counting:
            self.completions += 1


@contextmanager
def fake_endpoint() -> Iterator[FakeEndpoint]:
    """Serve on a free loopback port for the length of the block."""
    server = FakeEndpoint()
    # A short poll interval: shutdown() waits up to one interval, and every test stops a server.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
