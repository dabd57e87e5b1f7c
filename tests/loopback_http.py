"""Real HTTP on 127.0.0.1 for backend tests: one threaded server core, and what answers on it.

The openai SDK and instructor run unchanged against these; only the far end of the wire is
scripted (``ScriptedEndpoint``: answers a real model will not give on demand), observed
(``RecordingProxy``: what reaches the embedded llama.cpp server) or simulated with faults
(``fault_endpoint.FaultEndpoint``). Each policy is a ``respond`` method on ``LoopbackHTTP``.
"""

from __future__ import annotations

import json
import select
import socket
import struct
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self

import httpx

from harness.backends.local_server import LocalServer
from harness.backends.models import resolve_model

__all__ = [
    "TINY_MODEL",
    "Hangup",
    "LoopbackHTTP",
    "RecordedRequest",
    "RecordingProxy",
    "Reply",
    "ScriptedEndpoint",
    "WireReply",
    "chat_completion",
    "tiny_model_server",
]

TINY_MODEL = "smollm2-135m"
_UPSTREAM_TIMEOUT_S = 600.0  # a CPU model's answer, relayed by the proxy
# A silent connection is held until the client gives up; this caps it for a client that never does.
_HOLD_MAX_S = 30.0
# shutdown() waits up to one poll interval, and every test stops a server.
_POLL_INTERVAL_S = 0.02


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    body: dict[str, Any] | None
    received_at: float = 0.0
    """``time.monotonic()`` when the request had been read."""


@dataclass(frozen=True)
class WireReply:
    """An answer as it goes on the wire."""

    status: int
    headers: dict[str, str]
    payload: bytes


@dataclass(frozen=True)
class Hangup:
    """No answer at all: the connection is reset at once (a crashed server or a proxy dropping it), or with
    ``reset=False`` held silent until the client gives up (a server that hangs: the client sees a read timeout)."""

    reset: bool = True


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    def wire(self) -> WireReply:
        """The reply as JSON on the wire."""
        headers = {"content-type": "application/json", **self.headers}
        return WireReply(self.status, headers, json.dumps(self.body).encode())


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


def _json_or_none(raw: bytes) -> dict[str, Any] | None:
    """A JSON request body, or None for none or another kind (a multipart file upload: see ``respond``'s raw)."""
    try:
        return json.loads(raw) if raw else None
    except (ValueError, UnicodeDecodeError):
        return None


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up mid-answer (timed out, killed) is what fault tests do; anything else is shown."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class LoopbackHTTP:
    """A threaded HTTP server on a free loopback port that records every request; ``respond`` says what to answer."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length) if length else b""
                request = RecordedRequest(self.command, self.path, _json_or_none(raw), time.monotonic())
                owner.requests.append(request)
                answer = owner.respond(request, raw)
                try:
                    if isinstance(answer, Hangup):
                        self._hang_up(answer)
                    else:
                        self._send(answer)
                finally:
                    owner.answered(request, time.monotonic())

            def _send(self, answer: WireReply) -> None:
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("content-length", str(len(answer.payload)))
                self.end_headers()
                self.wfile.write(answer.payload)

            def _hang_up(self, hangup: Hangup) -> None:
                self.close_connection = True
                if hangup.reset:  # linger 0: close() sends a TCP RST instead of a FIN
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.connection.close()
                else:  # readable once the client closes its end, having timed out
                    select.select([self.connection], [], [], _HOLD_MAX_S)

            do_GET = do_POST = _handle

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = _QuietServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": _POLL_INTERVAL_S}, daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def posts(self) -> list[RecordedRequest]:
        return [request for request in self.requests if request.method == "POST"]

    def respond(self, request: RecordedRequest, raw: bytes) -> WireReply | Hangup:
        raise NotImplementedError

    def answered(self, request: RecordedRequest, at: float) -> None:
        """Called once ``request``'s answer has been sent or its connection dropped, at ``time.monotonic()`` ``at``."""

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


class ScriptedEndpoint(LoopbackHTTP):
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

    def respond(self, request: RecordedRequest, raw: bytes) -> WireReply:
        if request.method == "GET" and request.path.endswith("/models"):
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
        return reply.wire()


class RecordingProxy(LoopbackHTTP):
    """Relays every request to ``upstream`` (a ``.../v1`` URL) and its answer back, keeping copies of both."""

    def __init__(self, upstream: str) -> None:
        super().__init__()
        self.answers: list[dict[str, Any]] = []
        """The JSON bodies of the upstream's answers to POSTs, in order."""
        self._upstream = upstream.removesuffix("/v1")
        self._http = httpx.Client(timeout=_UPSTREAM_TIMEOUT_S)

    def respond(self, request: RecordedRequest, raw: bytes) -> WireReply:
        answer = self._http.request(
            request.method, self._upstream + request.path, content=raw, headers={"content-type": "application/json"}
        )
        if request.method == "POST":
            self.answers.append(answer.json())
        return WireReply(answer.status_code, {"content-type": answer.headers.get("content-type", "")}, answer.content)

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
