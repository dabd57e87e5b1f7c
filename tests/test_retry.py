"""Transport retries: which errors are repeated, how long the server asks us to wait, and the retry loop itself."""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils

import httpx
import openai
import pytest
from loopback_http import Reply, ScriptedEndpoint, chat_completion
from openai.types.chat import ChatCompletion

from harness.backends.client import connect
from harness.backends.retry import MAX_ATTEMPTS, is_retryable, retry_after_seconds, retrying_transport

REQUEST = httpx.Request("POST", "http://127.0.0.1/v1/chat/completions")


def status_error(status: int, headers: dict[str, str] | None = None) -> openai.APIStatusError:
    response = httpx.Response(status, headers=headers or {}, request=REQUEST)
    return openai.APIStatusError(f"HTTP {status}", response=response, body=None)


def http_date(seconds_from_now: float) -> str:
    return email.utils.format_datetime(dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds_from_now), usegmt=True)


@pytest.mark.parametrize(
    ("error", "retryable"),
    [
        (status_error(429), True),
        (status_error(500), True),
        (status_error(502), True),
        (status_error(503), True),
        (status_error(408), True),
        (status_error(400), False),
        (status_error(401), False),
        (status_error(403), False),
        (status_error(404), False),
        (status_error(409), False),
        (status_error(422), False),
        (openai.APIConnectionError(request=REQUEST), True),
        (openai.APITimeoutError(request=REQUEST), True),
        (ValueError("not a transport error"), False),
    ],
    ids=lambda value: getattr(value, "status_code", type(value).__name__) if not isinstance(value, bool) else "",
)
def test_retry_classification(error: BaseException, retryable: bool) -> None:
    assert is_retryable(error) is retryable


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after": "7"}, 7.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"retry-after": "-3"}, 0.0),
        ({"retry-after-ms": "250"}, 0.25),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),
        ({"retry-after": http_date(-60)}, 0.0),
        ({"retry-after": "soon"}, None),
        ({}, None),
    ],
)
def test_retry_after_is_read_from_the_response(headers: dict[str, str], expected: float | None) -> None:
    assert retry_after_seconds(status_error(429, headers)) == expected


def test_retry_after_as_an_http_date_is_the_time_until_then() -> None:
    waited = retry_after_seconds(status_error(503, {"retry-after": http_date(30)}))
    assert waited is not None and 25 <= waited <= 30


def test_retry_after_is_none_for_errors_without_a_response() -> None:
    assert retry_after_seconds(openai.APIConnectionError(request=REQUEST)) is None


async def ask_through(endpoint: ScriptedEndpoint) -> ChatCompletion:
    """One chat call through the retry loop, with the SDK's own retries off as in harness."""
    async with openai.AsyncOpenAI(base_url=endpoint.base_url, api_key="test-key", max_retries=0) as sdk:
        create = retrying_transport(sdk.chat.completions.create)
        return await create(model="test-model", messages=[{"role": "user", "content": "hi"}])


def test_server_errors_and_rate_limits_are_retried_until_an_answer_comes() -> None:
    busy = {"retry-after": "0"}
    replies = [Reply(503, headers=busy), Reply(429, headers=busy), chat_completion("hello")]
    with ScriptedEndpoint(replies) as endpoint:
        completion = asyncio.run(ask_through(endpoint))
    assert completion.choices[0].message.content == "hello"
    assert len(endpoint.posts()) == 3


def test_a_bad_request_is_not_retried() -> None:
    replies = [Reply(400, body={"error": {"message": "bad"}}), chat_completion("unused")]
    with ScriptedEndpoint(replies) as endpoint, pytest.raises(openai.BadRequestError):
        asyncio.run(ask_through(endpoint))
    assert len(endpoint.posts()) == 1


def test_retries_stop_after_the_attempt_limit_with_the_last_error() -> None:
    replies = [Reply(500, headers={"retry-after": "0"})] * (MAX_ATTEMPTS + 1)
    with ScriptedEndpoint(replies) as endpoint, pytest.raises(openai.InternalServerError):
        asyncio.run(ask_through(endpoint))
    assert len(endpoint.posts()) == MAX_ATTEMPTS


def test_the_sdk_does_not_retry_on_its_own() -> None:
    backend = connect("compatible", "http://127.0.0.1:9/v1", "test-key", "test-model", None)
    assert backend.client.client.max_retries == 0
