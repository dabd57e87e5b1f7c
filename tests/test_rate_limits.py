"""Rate limits: ``--rpm``/``--tpm`` keep a job under an endpoint's limit, and 429s slow it down until it fits.

Each job runs through the real job code against ``RateLimitedEndpoint``, which answers 429 above its own
requests-per-minute limit and logs every request with server-side timestamps.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from endpoint_jobs import run_at
from fault_endpoint import RateLimitedEndpoint, ServedRequest

from harness.backends.limits import AdaptiveConcurrency, RateLimits, TokenBucket, reset_seconds
from harness.documents import Document
from harness.errors import ConfigError
from harness.run.jobs import JobSummary

# 5 requests a second: slow enough that a 2-core machine busy with other jobs keeps up (each document costs the
# client milliseconds of CPU), fast enough that 40 documents take about 8 s.
LIMIT_RPM = 300.0
DOCUMENTS = 40
CLIENT_BURST = 1  # the limiter lets two requests go at once when idle: one more than the steady rate
TOLERANCE = 0.05


def article(number: int) -> Document:
    text = f"Li telephoned Wu on Monday about case {number:04d}. They agreed to talk again."
    return Document(id=f"doc-{number:04d}", text=text, source=f"articles/doc-{number:04d}.txt")


def run_limited(
    endpoint: RateLimitedEndpoint, documents: int, out: Path, *, limits: RateLimits | None, concurrency: int
) -> JobSummary:
    documents_ = [article(n) for n in range(documents)]
    return run_at(
        endpoint.base_url, documents_, out, client={"timeout_s": 10, "limits": limits}, concurrency=concurrency
    )


def rate_per_minute(requests: list[ServedRequest], *, burst: float = 0) -> float:
    """Requests per minute between the first and the last one received, less a ``burst`` the server let through
    at once (its bucket starts full)."""
    times = sorted(request.received_at for request in requests)
    return (len(times) - 1 - burst) / (times[-1] - times[0]) * 60


def test_with_rpm_at_the_limit_the_observed_rate_is_within_5_percent_and_no_document_fails(tmp_path: Path) -> None:
    with RateLimitedEndpoint(LIMIT_RPM, latency_s=0.05) as endpoint:
        summary = run_limited(endpoint, DOCUMENTS, tmp_path / "run", limits=RateLimits(rpm=LIMIT_RPM), concurrency=8)
    assert summary.manifest.totals.ok == DOCUMENTS
    assert len(endpoint.rejected()) <= 1  # at most a timing jitter at the server's edge
    observed = rate_per_minute(endpoint.log, burst=CLIENT_BURST)
    assert abs(observed - LIMIT_RPM) / LIMIT_RPM <= TOLERANCE, observed


def test_under_an_unknown_limit_429s_shrink_concurrency_and_every_document_finishes(tmp_path: Path) -> None:
    # 16 workers on 0.4 s answers would send 40 requests a second against a limit of 5.
    with RateLimitedEndpoint(LIMIT_RPM, latency_s=0.4) as endpoint:
        summary = run_limited(endpoint, DOCUMENTS, tmp_path / "run", limits=None, concurrency=16)
    assert summary.manifest.totals.ok == DOCUMENTS
    accepted = endpoint.accepted()
    assert rate_per_minute(accepted, burst=endpoint.burst) <= LIMIT_RPM * (1 + TOLERANCE)
    # Converging, not hammering: a client that ignored the 429s would meet about 3 for every one let through;
    # this one meets fewer than one (about one in two on a quiet machine; the margin is for a loaded one).
    assert len(endpoint.rejected()) < len(accepted), (len(endpoint.rejected()), len(accepted))


def test_a_429_halves_the_concurrency_limit_and_successes_raise_it_gradually() -> None:
    gate = AdaptiveConcurrency()
    gate.in_flight = 8
    gate.on_rate_limited(None)
    assert gate.limit == 4
    for _ in range(4):
        gate.on_success()
    assert 4.9 < (gate.limit or 0) < 5.1  # four successes at limit 4 add about one


def test_a_429_with_retry_after_pauses_every_new_request_for_that_long() -> None:
    async def scenario() -> float:
        gate = AdaptiveConcurrency()
        gate.on_rate_limited(0.2)
        started = asyncio.get_running_loop().time()
        await gate.acquire()
        return asyncio.get_running_loop().time() - started

    assert asyncio.run(scenario()) >= 0.19


def test_the_token_bucket_waits_for_tokens_and_takes_back_what_an_answer_did_not_use() -> None:
    async def scenario() -> float:
        bucket = TokenBucket(6000, burst_s=1.0)  # 100 tokens a second, 100 at most
        await bucket.take(100)
        bucket.give_back(50)  # the answer used half the estimate
        started = asyncio.get_running_loop().time()
        await bucket.take(100)  # 50 there, 50 more in 0.5 s
        return asyncio.get_running_loop().time() - started

    assert 0.4 <= asyncio.run(scenario()) < 0.9


@pytest.mark.parametrize(("header", "seconds"), [("1s", 1.0), ("6m0s", 360.0), ("20ms", 0.02), ("0.5", 0.5)])
def test_x_ratelimit_reset_durations_are_read_in_openais_format(header: str, seconds: float) -> None:
    assert reset_seconds(header) == pytest.approx(seconds)


def test_a_limit_of_zero_is_refused_naming_the_option() -> None:
    with pytest.raises(ConfigError, match="--rpm"):
        RateLimits(rpm=0)
