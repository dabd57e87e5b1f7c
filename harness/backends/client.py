"""How a model is reached: an instructor client over the ``openai`` SDK, for the embedded server or any endpoint.

Every backend asks for structured output the same way (instructor's ``Mode.JSON_SCHEMA``: the
answer's JSON Schema travels in ``response_format``, never in the prompt, whose tokens dominate
CPU time). llama-cpp-python's server speaks an older dialect of that request, so the embedded
backend rewrites it on the way out; the server then compiles the schema into a grammar that
constrains decoding. OpenAI itself gets the schema in strict mode (``harness.backends.strict``),
which constrains its decoding too. Backends know nothing about articles: the schema is whatever model the
caller asks instructor for.
"""

from __future__ import annotations

import importlib.metadata
import ipaddress
import json
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import wraps
from pathlib import Path
from typing import Any, Literal

import httpx
import instructor
import openai
from pydantic import BaseModel, ConfigDict, Field

from harness.backends.limits import RateLimits, RequestLimiter
from harness.backends.local_server import LocalServer, default_threads
from harness.backends.models import resolve_model
from harness.backends.retry import MAX_ATTEMPTS, retrying_transport
from harness.backends.strict import closed_schema, with_strict_response_format
from harness.errors import ConfigError

__all__ = [
    "API_KEY_ENV",
    "BASE_URL_ENV",
    "Backend",
    "BackendKind",
    "DecodingParams",
    "compact_json_grammar",
    "connect",
    "embedded_runtime",
    "open_backend",
]

BackendKind = Literal["embedded", "openai", "compatible"]

BASE_URL_ENV = "OPENAI_BASE_URL"
API_KEY_ENV = "OPENAI_API_KEY"

MAX_OUTPUT_TOKENS = 2048
"""Default answer cap: a full draft of a long article is ~1,500 tokens; the cap stops a runaway answer
(about 3 minutes of CPU on the default model) and is reported as truncation."""

_OPENAI_HOST = "api.openai.com"
_LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}
_PLACEHOLDER_KEY = "not-needed"  # the openai SDK insists on a key; loopback servers ignore it
_CHECK_TIMEOUT_S = 10.0  # a reachable endpoint lists its models well within this
_REMOTE_TIMEOUT_S = 600.0  # the openai SDK's own default for one request
# Requests to the embedded server queue behind each other on one CPU model, so one may wait for several answers.
_EMBEDDED_TIMEOUT_S = 3600.0
_MODE = instructor.Mode.JSON_SCHEMA
_MODELS_LISTED_IN_ERRORS = 10


_GRAMMAR = "one-line closed JSON grammar"
"""How the embedded server constrains answers (``compact_json_grammar``); part of ``embedded_runtime``."""
_SEPARATORS = {"item_separator": ", ", "key_separator": ": "}
"""JSON on one line, spaced as Python's ``json.dumps`` writes it (see ``compact_json_grammar``)."""


def embedded_runtime(threads: int) -> str:
    """The embedded server's runtime, its version, how answers are constrained and its thread count: answers of
    two runtimes, two grammars or two thread counts differ (greedy decoding sums in another order on another
    number of threads), so it is part of every ledger and cache key of the embedded model."""
    try:
        version = importlib.metadata.version("xllamacpp")
    except importlib.metadata.PackageNotFoundError:
        return "xllamacpp (not installed)"
    return f"xllamacpp {version}, {_GRAMMAR}, {threads} threads"


class DecodingParams(BaseModel):
    """Sampling settings sent with every request; part of each run's ledger and cache key."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    """0 makes the answer (near) deterministic, which caching and regression runs depend on."""
    top_p: float = Field(default=1.0, gt=0.0, le=1.0)
    max_tokens: int = Field(default=MAX_OUTPUT_TOKENS, ge=1)
    """Answer cap; an answer that reaches it is truncated and fails."""
    seed: int | None = 0
    """Fixes sampling where the temperature is above 0 (servers that support it)."""

    def as_dict(self) -> dict[str, Any]:
        """The settings as plain JSON values, for ledgers and cache keys."""
        return self.model_dump(mode="json")

    def request_kwargs(self) -> dict[str, Any]:
        """The settings as ``chat.completions.create`` keyword arguments."""
        return {name: value for name, value in self.as_dict().items() if value is not None}


@dataclass(frozen=True)
class Backend:
    """A model ready to answer: where it is, what it is, and the instructor client that reaches it."""

    kind: BackendKind
    model_id: str
    """The registry id or GGUF stem (embedded), else the model name at the endpoint."""
    model_sha256: str | None
    """Hash of the GGUF file; None for a remote model, whose weights harness cannot see."""
    base_url: str
    client: instructor.AsyncInstructor = field(repr=False, compare=False)
    """Holds the API key (inside its openai client) and nothing else does."""
    send: Callable[..., Awaitable[Any]] = field(repr=False, compare=False)
    """The request instructor's client wraps (rate limits, transport retries, the endpoint's dialect); the
    extraction runs instructor's re-ask loop over it directly (``harness.run.extract``)."""
    mode: instructor.Mode = _MODE
    """How instructor asks for structured output."""
    context_tokens: int | None = None
    """The model's context window where harness knows it (the embedded server's); None for a remote model."""
    runtime: str | None = None
    """The embedded server's runtime and version (part of the ledger and cache key); None for a remote model."""
    server: LocalServer | None = field(default=None, repr=False, compare=False)
    """The embedded server, started by ``ensure_started`` on the first model call, not before: a run whose
    answers all come from the cache starts none."""
    limiter: RequestLimiter = field(default_factory=RequestLimiter, repr=False, compare=False)
    """What every request passes: ``--rpm``/``--tpm``, the concurrency that adapts to 429s, the job's budget."""

    def ensure_started(self) -> None:
        """Start the embedded server if it is not running (synchronously: no request can overtake it)."""
        if self.server is not None and not self.server.running:
            self.server.start()


def compact_json_grammar(schema: dict[str, Any]) -> str:
    """An llguidance grammar for JSON in ``schema`` on one line: no line break or indentation, one space after
    each ``,`` and ``:``.

    llama.cpp's server compiles ``response_format`` into a grammar that lets the model indent its JSON,
    and every indentation is output tokens, which on a CPU are the cost of an answer; llguidance's
    ``whitespace_flexible: false`` forbids them. Written with no space at all, the default model's answers
    lost half their contacts (detection F1 0.375 against 0.588 on the seeds, 0.213 against 0.348 on the dev
    set, README "How extraction works"): ``{"a": 1, "b": 2}`` is the form it has seen most.
    """
    options = {"whitespace_flexible": False, **_SEPARATORS}
    return "%llguidance {}\nstart: %json " + json.dumps({**closed_schema(schema), "x-guidance": options})


def _compact_grammar(create: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """``create`` with OpenAI's ``json_schema`` response format sent to llama.cpp's server as a compact grammar."""

    @wraps(create)
    async def create_constrained(*args: Any, **kwargs: Any) -> Any:
        response_format = kwargs.get("response_format")
        if isinstance(response_format, dict) and response_format.get("type") == "json_schema":
            del kwargs["response_format"]
            grammar = compact_json_grammar(response_format["json_schema"]["schema"])
            kwargs["extra_body"] = {**(kwargs.get("extra_body") or {}), "grammar": grammar}
        return await create(*args, **kwargs)

    return create_constrained


def _in_extra_body(
    create: Callable[..., Awaitable[Any]], name: str, *, placeholder: Any = None
) -> Callable[..., Awaitable[Any]]:
    """``create`` with its ``name`` argument sent as it is, in ``extra_body``: the openai SDK otherwise walks it
    through its typed-parameter transform on every request (the answer's schema about 3 ms of CPU, the messages
    about 0.6 ms), which leaves plain JSON as it is. An argument the SDK requires keeps ``placeholder`` in its
    place; ``extra_body`` overrides it in the request."""

    @wraps(create)
    async def create_untransformed(*args: Any, **kwargs: Any) -> Any:
        value = kwargs.pop(name, None)
        if value is not None:
            kwargs["extra_body"] = {**(kwargs.get("extra_body") or {}), name: value}
            if placeholder is not None:
                kwargs[name] = placeholder
        return await create(*args, **kwargs)

    return create_untransformed


def connect(
    kind: BackendKind,
    base_url: str,
    api_key: str,
    model_id: str,
    model_sha256: str | None,
    *,
    transport_attempts: int = MAX_ATTEMPTS,
    timeout_s: float | None = None,
    context_tokens: int | None = None,
    server: LocalServer | None = None,
    limits: RateLimits | None = None,
) -> Backend:
    """A ``Backend`` for a server already running at ``base_url``; a request is tried ``transport_attempts`` times.

    One attempt may take ``timeout_s`` (default: an hour for the embedded server, else the SDK's 600 s);
    ``context_tokens`` is the model's context window, where known; ``server`` the embedded server behind
    ``base_url``, started on the first call; ``limits`` the requests and tokens per minute to keep to.
    """
    if timeout_s is None:
        timeout_s = _EMBEDDED_TIMEOUT_S if kind == "embedded" else _REMOTE_TIMEOUT_S
    # The SDK's own retries are off: retrying_transport is the one policy, so attempts are counted once.
    sdk = openai.AsyncOpenAI(base_url=base_url, api_key=api_key, max_retries=0, timeout=timeout_s)
    limiter = RequestLimiter(limits or RateLimits())
    # Each attempt passes the limiter, so a retry waits its turn and a 429 teaches it; the raw response
    # carries the x-ratelimit-* headers, and the limiter hands on the parsed completion.
    # Innermost, so the limiter and a batch's answers still see the messages as asked.
    raw_create = _in_extra_body(sdk.chat.completions.with_raw_response.create, "messages", placeholder=[])
    limited = wraps(sdk.chat.completions.create)(limiter.wrap(raw_create))
    create = retrying_transport(limited, attempts=transport_attempts)
    if kind == "embedded":
        create = _compact_grammar(create)
    else:
        create = _in_extra_body(create, "response_format")
        if kind == "openai":
            create = with_strict_response_format(create)
    client = instructor.AsyncInstructor(
        client=sdk, create=instructor.patch(create=create, mode=_MODE), mode=_MODE, provider=instructor.Provider.OPENAI
    )
    return Backend(
        kind=kind,
        model_id=model_id,
        model_sha256=model_sha256,
        base_url=base_url,
        client=client,
        send=create,
        context_tokens=context_tokens,
        runtime=embedded_runtime(server.n_threads if server else default_threads()) if kind == "embedded" else None,
        server=server,
        limiter=limiter,
    )


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


async def _served_models(sdk: openai.AsyncOpenAI, base_url: str) -> list[str] | None:
    """The ids ``base_url`` lists (None when it has no ``/models``); ``ConfigError`` if it cannot be used."""
    try:
        page = await sdk.with_options(timeout=_CHECK_TIMEOUT_S).models.list()
    except openai.NotFoundError:
        return None
    except (openai.AuthenticationError, openai.PermissionDeniedError) as exc:
        raise ConfigError(f"{base_url} rejected the API key (HTTP {exc.status_code}); check ${API_KEY_ENV}") from exc
    except openai.APIConnectionError as exc:
        raise ConfigError(f"cannot reach {base_url}: {exc.__cause__ or exc}; check --base-url") from exc
    except openai.APIStatusError as exc:
        raise ConfigError(
            f"{base_url}/models answered HTTP {exc.status_code}; is it an OpenAI-compatible API?"
        ) from exc
    return [model.id for model in page.data]


async def _remote_backend(model: str | None, base_url: str, api_key: str | None, limits: RateLimits | None) -> Backend:
    host = httpx.URL(base_url).host
    if not host:
        raise ConfigError(f"--base-url {base_url!r} is not a URL like http://host:port/v1")
    loopback = _is_loopback(host)
    if not api_key:
        if not loopback:
            raise ConfigError(f"missing API key for {base_url}: set ${API_KEY_ENV}")
        api_key = _PLACEHOLDER_KEY
    kind: BackendKind = "openai" if host == _OPENAI_HOST else "compatible"
    probe = openai.AsyncOpenAI(base_url=base_url, api_key=api_key, max_retries=0)
    try:
        served = await _served_models(probe, base_url)
    finally:
        await probe.close()
    if model is None:
        if served is None or len(served) != 1:
            listed = ", ".join(served[:_MODELS_LISTED_IN_ERRORS]) if served else "none listed"
            raise ConfigError(f"pass --model to choose the model at {base_url} (it serves: {listed})")
        model = served[0]
    return connect(kind, base_url, api_key, model, None, limits=limits)


@asynccontextmanager
async def open_backend(
    model: str | None, base_url: str | None, api_key: str | None, log_dir: Path, limits: RateLimits | None = None
) -> AsyncIterator[Backend]:
    """The backend a job uses, open for the job's length.

    With a base URL (argument or ``$OPENAI_BASE_URL``) ``model`` is the model's name there and the
    key comes from ``api_key`` or ``$OPENAI_API_KEY``; without one, the embedded server is started
    on ``model`` (a registry id or ``.gguf`` path), logging into ``log_dir``, and stopped on exit.
    An API key alone does not select OpenAI: the offline model stays the default. ``limits`` (``--rpm``,
    ``--tpm``) apply to a remote endpoint; the embedded server is limited by its CPU alone.
    """
    base_url = base_url or os.environ.get(BASE_URL_ENV) or None
    api_key = api_key or os.environ.get(API_KEY_ENV) or None
    if base_url is not None:
        backend = await _remote_backend(model, base_url.rstrip("/"), api_key, limits)
        try:
            yield backend
        finally:
            await backend.client.client.close()
        return
    resolved = resolve_model(model)
    server = LocalServer(
        resolved.path, log_dir, model_alias=resolved.id, chat_format=resolved.chat_format, n_ctx=resolved.n_ctx
    )
    backend = connect(
        "embedded",
        server.base_url,
        _PLACEHOLDER_KEY,
        resolved.id,
        resolved.sha256,
        context_tokens=resolved.n_ctx,
        server=server,
    )
    try:
        yield backend
    finally:
        # Stopped synchronously: a cancelled job (Ctrl-C) must not be able to skip the shutdown.
        server.stop()
        await backend.client.client.close()
