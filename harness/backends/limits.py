"""Rate limits: requests and tokens per minute, and a concurrency that adapts to the 429s an endpoint gives.

Every model request (a transport retry and a re-ask included) passes one ``RequestLimiter`` shared by
the whole job, in this order:

1. its *guards* (``RequestGuard``: the run's ``--budget``) may refuse it before anything is spent;
2. a slot under the adaptive concurrency limit (``AdaptiveConcurrency``);
3. ``--rpm``: requests are spaced evenly (aiolimiter's leaky bucket holding two), never sent in a burst
   that a provider enforcing over seconds rather than the minute would reject;
4. ``--tpm``: the request's tokens, estimated from its prompt plus ``max_tokens`` (its worst case), are
   taken from a token bucket, and corrected by the usage the answer reports (an answer shorter than
   ``max_tokens`` gives the rest back). aiolimiter cannot give capacity back, hence ``TokenBucket``.

Answers teach the limiter too: a 429 halves the concurrency limit and pauses every new request for what
``Retry-After`` (or the ``x-ratelimit-reset-*`` header) asks; each success raises the limit by
``1/limit`` (additive increase, multiplicative decrease), so a job under an unknown limit converges on it
instead of hammering. ``x-ratelimit-remaining-requests: 0`` on any answer pauses until its reset.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import openai
from aiolimiter import AsyncLimiter

from harness.backends.retry import retry_after_seconds
from harness.errors import ConfigError, HarnessError

__all__ = [
    "AdaptiveConcurrency",
    "AnswerSource",
    "RateLimits",
    "RequestGuard",
    "RequestLimiter",
    "RequestRefused",
    "TokenBucket",
    "estimate_prompt_tokens",
    "reset_seconds",
]

# Tokenizers average about 4 characters per token on English text and JSON; the estimate only has to be
# right on average, since the answer's usage corrects it.
_CHARS_PER_TOKEN = 4
# Room for two requests: a request woken late (a busy event loop) lets the next one follow at once, so lateness
# does not accumulate and the rate holds at the limit; one more would let a burst through that a provider
# enforcing over seconds could reject.
_REQUEST_BURST = 2
_TOKEN_BURST_S = 10.0  # the token bucket holds 10 seconds' worth: smooth, yet a long prompt still fits
_DEFAULT_MAX_TOKENS = 4096  # assumed for a request that sets no max_tokens
_PAUSE_MAX_S = 60.0  # a header asking for a longer pause is honoured this long, then the endpoint is asked again
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")
_SECONDS_PER_UNIT = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


@dataclass(frozen=True)
class RateLimits:
    """The limits a job keeps to; None is no limit."""

    rpm: float | None = None
    """Requests per minute."""
    tpm: float | None = None
    """Tokens (prompt + completion) per minute."""

    def __post_init__(self) -> None:
        for name in ("rpm", "tpm"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                raise ConfigError(f"--{name} must be above 0, not {value}")


class RequestRefused(HarnessError):
    """A guard would not let a request be sent (``--budget``): nothing was sent, and the job should stop."""


class AnswerSource(Protocol):
    """Answers some requests without the network (a batch's results), before any limit or guard is asked."""

    def answer(self, request: dict[str, Any]) -> Any | None:
        """The parsed completion for ``request`` (its SDK keyword arguments), or None to send it."""
        ...


class RequestGuard(Protocol):
    """Asked before every request whether it may be sent, and told what it cost afterwards (the budget)."""

    def reserve(self, prompt_tokens: int, max_tokens: int) -> float:
        """Reserve the request's worst case, or raise ``RequestRefused``; returns the reservation."""
        ...

    def settle(self, reservation: float, prompt_tokens: int, cached_tokens: int, completion_tokens: int) -> None:
        """Release ``reservation`` and charge what the request really used (zeros when no answer came)."""
        ...


def estimate_prompt_tokens(request: dict[str, Any]) -> int:
    """Tokens of a chat request's messages and response format, estimated from their characters."""
    chars = sum(len(str(message.get("content", ""))) for message in request.get("messages", []))
    if request.get("response_format") is not None:
        chars += len(json.dumps(request["response_format"], default=str))
    return chars // _CHARS_PER_TOKEN + 1


def reset_seconds(value: str | None) -> float | None:
    """An ``x-ratelimit-reset-*`` duration (``"1s"``, ``"6m0s"``, ``"20ms"``, ``"0.5"``) in seconds."""
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    parts = _DURATION_PART.findall(value)
    if not parts:
        return None
    return sum(float(number) * _SECONDS_PER_UNIT[unit] for number, unit in parts)


class TokenBucket:
    """Tokens per minute, refilled continuously; a taker may overdraw (a request larger than the bucket still
    goes, when it is full) and a correction may give tokens back."""

    def __init__(self, per_minute: float, *, burst_s: float = _TOKEN_BURST_S) -> None:
        self.rate_per_s = per_minute / 60
        self.capacity = max(self.rate_per_s * burst_s, 1.0)
        self._available = self.capacity
        self._checked = time.monotonic()

    def _refill(self) -> None:
        now = time.monotonic()
        self._available = min(self.capacity, self._available + (now - self._checked) * self.rate_per_s)
        self._checked = now

    async def take(self, tokens: float) -> None:
        """Wait until ``tokens`` (at most a full bucket) are available, then take them."""
        while True:
            self._refill()
            needed = min(tokens, self.capacity)
            if self._available >= needed:
                self._available -= tokens
                return
            await asyncio.sleep((needed - self._available) / self.rate_per_s)

    def give_back(self, tokens: float) -> None:
        """Return ``tokens`` taken but not used (negative: charge more than was taken)."""
        self._refill()
        self._available = min(self.capacity, self._available + tokens)


@dataclass
class AdaptiveConcurrency:
    """Requests in flight, limited by AIMD on 429s: halved on a rate limit, raised by ``1/limit`` on a success.

    The limit starts unbounded (the job's own ``--concurrency`` bounds it) and becomes half the requests in
    flight at the first 429. ``pause`` holds every new request until a moment the endpoint named.
    """

    limit: float | None = None
    in_flight: int = 0
    rate_limited: int = 0
    """429s seen."""
    _paused_until: float = 0.0
    _released: asyncio.Event = field(default_factory=asyncio.Event)

    async def acquire(self) -> None:
        while True:
            pause = self._paused_until - time.monotonic()
            if pause > 0:
                await asyncio.sleep(pause)
                continue
            if self.limit is None or self.in_flight < int(self.limit):
                self.in_flight += 1
                return
            self._released.clear()
            await self._released.wait()

    def release(self) -> None:
        self.in_flight -= 1
        self._released.set()

    def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, time.monotonic() + min(seconds, _PAUSE_MAX_S))

    def on_rate_limited(self, wait_s: float | None) -> None:
        self.rate_limited += 1
        current = self.in_flight if self.limit is None else min(self.limit, self.in_flight)
        self.limit = max(1.0, current / 2)
        if wait_s is not None:
            self.pause(wait_s)

    def on_success(self) -> None:
        if self.limit is not None:
            self.limit += 1 / self.limit
        self._released.set()


@dataclass
class RequestLimiter:
    """What every request of one backend passes: guards, adaptive concurrency, ``--rpm`` and ``--tpm``."""

    limits: RateLimits = field(default_factory=RateLimits)
    concurrency: AdaptiveConcurrency = field(default_factory=AdaptiveConcurrency)
    guards: list[RequestGuard] = field(default_factory=list)
    """Added by a job for its length (its budget), removed at its end."""
    sources: list[AnswerSource] = field(default_factory=list)
    """Answers already paid for (a batch's results), asked first; added and removed by a job like guards."""
    _requests: AsyncLimiter | None = None
    _tokens: TokenBucket | None = None

    def __post_init__(self) -> None:
        if self.limits.rpm is not None:
            self._requests = AsyncLimiter(_REQUEST_BURST, _REQUEST_BURST * 60 / self.limits.rpm)
        if self.limits.tpm is not None:
            self._tokens = TokenBucket(self.limits.tpm)

    def wrap(self, raw_create: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        """``raw_create`` (an SDK ``with_raw_response.create``) limited, returning the parsed completion."""

        async def create_limited(**kwargs: Any) -> Any:
            for source in self.sources:
                answer = source.answer(kwargs)
                if answer is not None:
                    return answer
            prompt_tokens = estimate_prompt_tokens(kwargs)
            max_tokens = int(kwargs.get("max_tokens") or kwargs.get("max_completion_tokens") or _DEFAULT_MAX_TOKENS)
            reservations = []
            try:
                for guard in self.guards:
                    reservations.append((guard, guard.reserve(prompt_tokens, max_tokens)))
            except BaseException:
                for guard, reservation in reservations:
                    guard.settle(reservation, 0, 0, 0)
                raise
            used = (0, 0, 0)
            try:
                completion = await self._send(raw_create, kwargs, prompt_tokens + max_tokens)
                used = _usage_of(completion)
                return completion
            finally:
                for guard, reservation in reservations:
                    guard.settle(reservation, *used)

        return create_limited

    async def _send(self, raw_create: Callable[..., Awaitable[Any]], kwargs: dict[str, Any], estimate: int) -> Any:
        await self.concurrency.acquire()
        try:
            if self._requests is not None:
                await self._requests.acquire()
            if self._tokens is not None:
                await self._tokens.take(estimate)
            try:
                raw = await raw_create(**kwargs)
            except openai.APIStatusError as error:
                self._learn(error.response.headers, rate_limited=error.status_code == 429, error=error)
                if self._tokens is not None:
                    self._tokens.give_back(estimate)  # an error answer used no tokens
                raise
            except BaseException:
                if self._tokens is not None:
                    self._tokens.give_back(estimate)
                raise
            self._learn(raw.headers, rate_limited=False, error=None)
            completion = raw.parse()  # the SDK's legacy raw response parses synchronously
            if inspect.isawaitable(completion):
                completion = await completion
            if self._tokens is not None:
                prompt, _, answer = _usage_of(completion)
                self._tokens.give_back(estimate - (prompt + answer) if prompt + answer else 0)
            self.concurrency.on_success()
            return completion
        finally:
            self.concurrency.release()

    def _learn(self, headers: Any, *, rate_limited: bool, error: BaseException | None) -> None:
        """Pause or slow down as the answer's status and ``x-ratelimit-*`` headers say."""
        exhausted: list[float] = []
        for kind in ("requests", "tokens"):
            remaining = headers.get(f"x-ratelimit-remaining-{kind}")
            reset = reset_seconds(headers.get(f"x-ratelimit-reset-{kind}"))
            if remaining is not None and reset is not None and remaining.strip() in ("0", "0.0"):
                exhausted.append(reset)
        if rate_limited:
            asked = retry_after_seconds(error) if error is not None else None
            self.concurrency.on_rate_limited(asked if asked is not None else max(exhausted, default=None))
        elif exhausted:
            self.concurrency.pause(max(exhausted))


def _usage_of(completion: Any) -> tuple[int, int, int]:
    """(prompt, cached prompt, completion) tokens a completion reports."""
    usage = getattr(completion, "usage", None)
    if usage is None:
        return (0, 0, 0)
    details = getattr(usage, "prompt_tokens_details", None)
    cached = getattr(details, "cached_tokens", None) or 0
    return (usage.prompt_tokens or 0, cached, usage.completion_tokens or 0)
