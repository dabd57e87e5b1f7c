"""An OpenAI-compatible chat endpoint on loopback that misbehaves on purpose, for fault tests and benchmarks.

It answers every chat completion with a canned answer (by default a valid ``ArticleDraft`` citing
sentence 1), after a configurable latency, except where a seeded fault mix says otherwise: a rate
limit with ``Retry-After``, a server error, a hang the client must time out of, a reset
connection, or a 200 whose answer is not JSON, is cut off (``finish_reason: "length"``) or breaks
the schema. Whether a request meets a fault depends only on the seed, the request's bytes and how
often those bytes came before, so a run hits the same faults whatever the concurrency, and a
retried request (same bytes) gets a fresh draw. Every request is logged with server-side
timestamps, so a test can check what the client did: how long it waited, what it was charged.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from loopback_http import Hangup, LoopbackHTTP, RecordedRequest, Reply, WireReply, chat_completion

__all__ = [
    "CALL_ARTICLE",
    "FAULT_MODEL",
    "VALID_DRAFT",
    "Answerer",
    "Completion",
    "Fault",
    "FaultEndpoint",
    "FaultMix",
    "RateLimitedEndpoint",
    "ServedRequest",
    "canned_draft",
]

FAULT_MODEL = "fault-model"
"""The one model the endpoint lists and answers to; any other gets a 404, as from OpenAI."""

VALID_DRAFT = json.dumps(
    {
        "actors": [{"id": "li", "name": "Li", "kind": "person"}, {"id": "wu", "name": "Wu", "kind": "person"}],
        "contacts": [{"participants": ["li", "wu"], "initiator": "li", "mode": "phone_call", "evidence": [1]}],
    }
)
"""A valid ``ArticleDraft`` for any article whose first sentence reports a call from Li to Wu (evidence is a
sentence number). Two-letter names, because post-processing looks up every longer capitalised name as a
possible country (pycountry's fuzzy search, tens of milliseconds), which would swamp what a fault test measures."""
CALL_ARTICLE = "Li telephoned Wu on Monday about trade.\n"
"""An article ``VALID_DRAFT`` fits: one sentence, reporting a call from Li to Wu."""

# Valid JSON that breaks the schema in several places at once: an unknown kind, an empty name, no evidence.
_SCHEMA_INVALID = json.dumps(
    {
        "actors": [{"id": "x", "name": "", "kind": "planet"}],
        "contacts": [{"participants": ["x"], "mode": "telepathy", "evidence": []}],
    }
)
_NOT_JSON = "Sure! Here are the actors and contacts you asked for:"
_CHARS_PER_TOKEN = 4  # a rough English average, for usage figures that grow with the text


class Fault(StrEnum):
    """What can go wrong with one request."""

    RATE_LIMITED = "rate_limited"
    """429 with ``Retry-After``."""
    SERVER_ERROR = "server_error"
    """500."""
    UNAVAILABLE = "unavailable"
    """503, without ``Retry-After``: the client backs off on its own."""
    READ_TIMEOUT = "read_timeout"
    """No answer; the connection is held until the client gives up."""
    CONNECTION_RESET = "connection_reset"
    """The connection is reset without an answer."""
    INVALID_JSON = "invalid_json"
    """A 200 whose message is prose, not JSON."""
    TRUNCATED = "truncated"
    """A 200 with half the answer and ``finish_reason: "length"``."""
    SCHEMA_INVALID = "schema_invalid"
    """A 200 with JSON that breaks the answer's schema."""


@dataclass(frozen=True)
class FaultMix:
    """How often requests fail, and how."""

    rate: float = 0.0
    """Share of requests that meet a fault."""
    kinds: tuple[Fault, ...] = tuple(Fault)
    """The faults drawn from, uniformly."""
    seed: int = 0
    retry_after_s: float = 0.05
    """What a 429's ``Retry-After`` asks for (seconds, fractional: tests keep it tiny)."""

    def __post_init__(self) -> None:
        if not 0.0 <= self.rate <= 1.0 or not self.kinds:
            raise ValueError("a fault rate is between 0 and 1 and draws from at least one kind")

    def draw(self, digest: str, seen: int) -> Fault | None:
        """The fault of the ``seen``-th repeat of the request whose bytes hash to ``digest``, or None."""
        chance = random.Random(f"{self.seed}:{digest}:{seen}")
        return chance.choice(self.kinds) if chance.random() < self.rate else None


@dataclass(frozen=True)
class Completion:
    """One assistant answer and the usage reported with it."""

    content: str
    finish_reason: str = "stop"
    prompt_tokens: int = 100
    completion_tokens: int = 20


Answerer = Callable[[dict[str, Any]], Completion]
"""What a healthy model answers to a request body."""


def canned_draft(body: dict[str, Any]) -> Completion:
    """``VALID_DRAFT``, with usage estimated from the lengths of the messages and the answer."""
    asked = sum(len(str(message.get("content", ""))) for message in body.get("messages", []))
    return Completion(
        VALID_DRAFT,
        prompt_tokens=asked // _CHARS_PER_TOKEN + 1,
        completion_tokens=len(VALID_DRAFT) // _CHARS_PER_TOKEN + 1,
    )


@dataclass(frozen=True)
class ServedRequest:
    """One chat completion request and what it got."""

    body: dict[str, Any]
    digest: str
    """sha256 of the request's bytes: a transport retry repeats it, a re-ask does not."""
    received_at: float
    """``time.monotonic()`` when the request had been read."""
    fault: Fault | None
    status: int | None
    """The HTTP status answered; None when the connection was dropped without one."""
    retry_after_s: float | None = None
    """What the answer's ``Retry-After`` asked for."""
    completion: Completion | None = None
    """The answer a 200 carried, with the usage it reported."""
    answered_at: float | None = None
    """When the answer had been sent, or the connection dropped; None until then."""

    @property
    def text(self) -> str:
        """Every message of the request, joined: where a test finds which document it was about."""
        return "\n".join(str(message.get("content", "")) for message in self.body.get("messages", []))


class FaultEndpoint(LoopbackHTTP):
    """Lists ``model`` on ``GET /v1/models``; answers chat completions with ``answer``, ``latency_s`` late, or a fault.

    ``log`` holds every chat completion request, in the order their answers were ready.
    """

    def __init__(
        self,
        *,
        answer: Answerer = canned_draft,
        faults: FaultMix | None = None,
        latency_s: float = 0.0,
        model: str = FAULT_MODEL,
    ) -> None:
        super().__init__()
        self.answer = answer
        self.faults = faults or FaultMix()
        self.latency_s = latency_s
        self.model = model
        self.log: list[ServedRequest] = []
        self._seen: Counter[str] = Counter()
        self._unanswered: dict[int, int] = {}
        """Where in ``log`` each request whose answer is on its way is, by ``id`` of its ``RecordedRequest``."""
        self._counting = threading.Lock()

    def respond(self, request: RecordedRequest, raw: bytes) -> WireReply | Hangup:
        if request.method == "GET" and request.path.rstrip("/").endswith("/models"):
            listed = {"object": "list", "data": [{"id": self.model, "object": "model", "owned_by": "test"}]}
            return Reply(body=listed).wire()
        body = request.body or {}
        if request.method != "POST" or not request.path.endswith("/chat/completions"):
            return Reply(404, body={"error": {"message": f"no route {request.method} {request.path}"}}).wire()
        if body.get("model") != self.model:
            missing = {"message": f"The model {body.get('model')!r} does not exist", "code": "model_not_found"}
            return Reply(404, body={"error": missing}).wire()
        digest = hashlib.sha256(raw).hexdigest()
        with self._counting:
            seen = self._seen[digest]
            self._seen[digest] += 1
        fault = self.faults.draw(digest, seen)
        time.sleep(self.latency_s)
        reply, completion = self._serve(body, fault)
        served = ServedRequest(
            body=body,
            digest=digest,
            received_at=request.received_at,
            fault=fault,
            status=None if isinstance(reply, Hangup) else reply.status,
            retry_after_s=self.faults.retry_after_s if fault is Fault.RATE_LIMITED else None,
            completion=completion,
        )
        with self._counting:  # logged before the answer leaves, so a client that has it finds it logged
            self._unanswered[id(request)] = len(self.log)
            self.log.append(served)
        return reply

    def answered(self, request: RecordedRequest, at: float) -> None:
        with self._counting:
            position = self._unanswered.pop(id(request), None)
            if position is not None:
                self.log[position] = dataclasses.replace(self.log[position], answered_at=at)

    def _serve(self, body: dict[str, Any], fault: Fault | None) -> tuple[WireReply | Hangup, Completion | None]:
        """The reply to send, and the completion it carries (None for an error or a hang-up)."""
        if fault is Fault.RATE_LIMITED:
            headers = {"retry-after": str(self.faults.retry_after_s)}
            return Reply(429, body={"error": {"message": "rate limited"}}, headers=headers).wire(), None
        if fault is Fault.SERVER_ERROR:
            return Reply(500, body={"error": {"message": "internal error"}}).wire(), None
        if fault is Fault.UNAVAILABLE:
            return Reply(503, body={"error": {"message": "overloaded"}}).wire(), None
        if fault is Fault.READ_TIMEOUT:
            return Hangup(reset=False), None
        if fault is Fault.CONNECTION_RESET:
            return Hangup(reset=True), None
        healthy = self.answer(body)
        completion = {
            None: healthy,
            Fault.INVALID_JSON: _with_content(healthy, _NOT_JSON),
            Fault.SCHEMA_INVALID: _with_content(healthy, _SCHEMA_INVALID),
            Fault.TRUNCATED: _with_content(healthy, healthy.content[: len(healthy.content) // 2], "length"),
        }[fault]
        reply = chat_completion(
            completion.content,
            finish_reason=completion.finish_reason,
            prompt_tokens=completion.prompt_tokens,
            completion_tokens=completion.completion_tokens,
        )
        return reply.wire(), completion


def _with_content(healthy: Completion, content: str, finish_reason: str = "stop") -> Completion:
    return Completion(
        content,
        finish_reason=finish_reason,
        prompt_tokens=healthy.prompt_tokens,
        completion_tokens=len(content) // _CHARS_PER_TOKEN + 1,
    )


class RateLimitedEndpoint(FaultEndpoint):
    """A ``FaultEndpoint`` that answers 429 above ``rpm`` requests per minute, as a provider's limit does.

    The limit is a server-side token bucket holding ``burst`` requests (default: one second's worth, as providers
    allow short bursts), refilled at ``rpm / 60`` per second;
    a request that finds it empty gets a 429 whose ``Retry-After`` says when the next one is free (or none,
    with ``retry_after=False``), and the ``x-ratelimit-*`` headers OpenAI sends. ``log`` holds both kinds.
    """

    def __init__(
        self, rpm: float, *, burst: float | None = None, retry_after: bool = True, latency_s: float = 0.0
    ) -> None:
        super().__init__(latency_s=latency_s)
        self.rpm = rpm
        self.burst = burst if burst is not None else max(rpm / 60, 1.0)
        self.retry_after = retry_after
        self._available = self.burst
        self._checked = time.monotonic()
        self._bucket = threading.Lock()

    def _admit(self) -> float | None:
        """None when a request may pass, else the seconds until one may."""
        rate = self.rpm / 60
        with self._bucket:
            now = time.monotonic()
            self._available = min(self.burst, self._available + (now - self._checked) * rate)
            self._checked = now
            if self._available >= 1:
                self._available -= 1
                return None
            return (1 - self._available) / rate

    def respond(self, request: RecordedRequest, raw: bytes) -> WireReply | Hangup:
        if request.method != "POST" or not request.path.endswith("/chat/completions"):
            return super().respond(request, raw)
        wait = self._admit()
        if wait is None:
            return super().respond(request, raw)
        headers = {"x-ratelimit-remaining-requests": "0", "x-ratelimit-reset-requests": f"{wait * 1000:.0f}ms"}
        if self.retry_after:
            headers["retry-after-ms"] = f"{wait * 1000:.0f}"
        served = ServedRequest(
            body=request.body or {},
            digest=hashlib.sha256(raw).hexdigest(),
            received_at=request.received_at,
            fault=Fault.RATE_LIMITED,
            status=429,
            retry_after_s=wait if self.retry_after else None,
        )
        with self._counting:
            self._unanswered[id(request)] = len(self.log)
            self.log.append(served)
        return Reply(429, body={"error": {"message": "rate limit reached"}}, headers=headers).wire()

    def accepted(self) -> list[ServedRequest]:
        """The requests the limit let through, in the order they were received."""
        return sorted((served for served in self.log if served.status != 429), key=lambda served: served.received_at)

    def rejected(self) -> list[ServedRequest]:
        """The requests answered 429."""
        return [served for served in self.log if served.status == 429]
