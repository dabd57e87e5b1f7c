"""Real HTTP on 127.0.0.1 for backend tests: a scripted OpenAI-compatible endpoint and a recording proxy.

The openai SDK and instructor run unchanged against these; only the far end of the wire is
scripted (for answers a real model will not give on demand) or observed (what reaches the
embedded llama.cpp server).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self

import httpx

from harness.backends import LocalServer
from harness.models import resolve_model

__all__ = [
    "TINY_MODEL",
    "RecordedRequest",
    "RecordingProxy",
    "Reply",
    "ScriptedEndpoint",
    "chat_completion",
    "tiny_model_server",
]

TINY_MODEL = "smollm2-135m"
_UPSTREAM_TIMEOUT_S = 600.0  # a CPU model's answer, relayed by the proxy


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    body: dict[str, Any] | None


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)


def chat_completion(
    content: str, *, finish_reason: str = "stop", prompt_tokens: int = 100, completion_tokens: int = 20
) -> Reply:
    """A 200 reply carrying one assistant message, as the OpenAI API shapes it."""
    return Reply(
        body={
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": "test-model",
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": finish_reason,
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        }
    )


class _LoopbackHTTP:
    """A threaded HTTP server on a free loopback port that records every request it answers."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                body = json.loads(raw) if raw else None
                owner.requests.append(RecordedRequest(self.command, self.path, body))
                status, headers, payload = owner.respond(self.command, self.path, raw)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = _handle

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def posts(self) -> list[RecordedRequest]:
        return [request for request in self.requests if request.method == "POST"]

    def respond(self, method: str, path: str, raw: bytes) -> tuple[int, dict[str, str], bytes]:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()


class ScriptedEndpoint(_LoopbackHTTP):
    """Lists ``models`` on ``GET /v1/models`` (or answers ``models_reply``); answers each POST with the next reply."""

    def __init__(
        self,
        replies: list[Reply] | None = None,
        *,
        models: tuple[str, ...] = ("test-model",),
        models_reply: Reply | None = None,
    ) -> None:
        super().__init__()
        self._replies = list(replies or [])
        self._models = models
        self._models_reply = models_reply

    def respond(self, method: str, path: str, raw: bytes) -> tuple[int, dict[str, str], bytes]:
        if method == "GET" and path.endswith("/models"):
            reply = self._models_reply or Reply(
                body={
                    "object": "list",
                    "data": [{"id": m, "object": "model", "owned_by": "test"} for m in self._models],
                }
            )
        elif self._replies:
            reply = self._replies.pop(0)
        else:
            reply = Reply(status=500, body={"error": {"message": "the test scripted no more replies"}})
        headers = {"content-type": "application/json", **reply.headers}
        return reply.status, headers, json.dumps(reply.body).encode()


class RecordingProxy(_LoopbackHTTP):
    """Relays every request to ``upstream`` (a ``.../v1`` URL) and its answer back, keeping copies of both."""

    def __init__(self, upstream: str) -> None:
        super().__init__()
        self.answers: list[dict[str, Any]] = []
        """The JSON bodies of the upstream's answers to POSTs, in order."""
        self._upstream = upstream.removesuffix("/v1")
        self._http = httpx.Client(timeout=_UPSTREAM_TIMEOUT_S)

    def respond(self, method: str, path: str, raw: bytes) -> tuple[int, dict[str, str], bytes]:
        answer = self._http.request(
            method, self._upstream + path, content=raw, headers={"content-type": "application/json"}
        )
        if method == "POST":
            self.answers.append(answer.json())
        return answer.status_code, {"content-type": answer.headers.get("content-type", "")}, answer.content

    def __exit__(self, *exc_info: object) -> None:
        super().__exit__(*exc_info)
        self._http.close()


def tiny_model_server(log_dir: Path) -> Iterator[LocalServer]:
    """The smoke-test model served for a test module (use as a generator fixture body)."""
    model = resolve_model(TINY_MODEL)
    with LocalServer(
        model.path, log_dir, model_alias=model.id, chat_format=model.chat_format, n_ctx=model.n_ctx
    ) as server:
        yield server
