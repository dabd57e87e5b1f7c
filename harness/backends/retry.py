"""Transport retries: which failed model calls are worth repeating, and how long to wait first.

These are kept apart from instructor's validation re-asks: a rate limit or a dropped connection
says nothing about the answer, so the same request is simply sent again, with jittered
exponential backoff, honouring the server's ``Retry-After`` when it gives one.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
from collections.abc import Awaitable, Callable
from functools import wraps
from typing import ParamSpec, TypeVar

import openai
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt, wait_random_exponential

__all__ = ["MAX_ATTEMPTS", "is_retryable", "retry_after_seconds", "retrying_transport"]

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

MAX_ATTEMPTS = 5
"""Calls per request: four retries ride out a restart or a burst of rate limiting, then the error surfaces."""
_BACKOFF_MAX_S = 30.0  # the longest jittered wait between two attempts
_RETRY_AFTER_MAX_S = 60.0  # a server asking for longer is waited on this long, then asked again
_REQUEST_TIMEOUT_STATUS = 408


def is_retryable(exc: BaseException) -> bool:
    """True for rate limits (429), server errors (5xx), request timeouts (408) and timeouts/connection failures.

    Other 4xx answers (a bad request, a rejected key, an unknown model) fail the same way every time.
    """
    if isinstance(exc, openai.APIConnectionError):  # includes APITimeoutError
        return True
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        return status in (429, _REQUEST_TIMEOUT_STATUS) or status >= 500
    return False


def retry_after_seconds(exc: BaseException) -> float | None:
    """The wait an error response asks for: ``Retry-After`` in seconds or as an HTTP date, or ``retry-after-ms``."""
    if not isinstance(exc, openai.APIStatusError):
        return None
    headers = exc.response.headers
    milliseconds = headers.get("retry-after-ms")
    if milliseconds is not None:
        try:
            return max(float(milliseconds) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max((when - dt.datetime.now(dt.UTC)).total_seconds(), 0.0)


_backoff = wait_random_exponential(multiplier=1, max=_BACKOFF_MAX_S)


def _wait(state: RetryCallState) -> float:
    exc = state.outcome.exception() if state.outcome is not None else None
    asked = retry_after_seconds(exc) if exc is not None else None
    return min(asked, _RETRY_AFTER_MAX_S) if asked is not None else _backoff(state)


def _log_retry(state: RetryCallState) -> None:
    exc = state.outcome.exception() if state.outcome is not None else None
    wait = state.next_action.sleep if state.next_action is not None else 0.0
    log.warning("model call failed (%s); trying again in %.1f s", exc, wait)


def retrying_transport(call: Callable[P, Awaitable[R]], *, attempts: int = MAX_ATTEMPTS) -> Callable[P, Awaitable[R]]:
    """``call`` tried up to ``attempts`` times while it fails with a retryable error; the last error is raised as is."""

    @wraps(call)
    async def with_retries(*args: P.args, **kwargs: P.kwargs) -> R:
        retrying = AsyncRetrying(
            retry=retry_if_exception(is_retryable),
            wait=_wait,
            stop=stop_after_attempt(attempts),
            before_sleep=_log_retry,
            reraise=True,
        )
        # The loop form awaits ``call`` itself: the openai SDK's methods return coroutines without
        # being coroutine functions, which ``retrying(call)`` would not await.
        async for attempt in retrying:
            with attempt:
                return await call(*args, **kwargs)
        raise AssertionError("unreachable: tenacity re-raises the last error")

    return with_retries
