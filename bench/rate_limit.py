"""Benchmark: a job against a loopback endpoint that answers 429 above its limit (``RateLimitedEndpoint``).

Two runs of the real job code: one told the limit (``--rpm``), one not (it must find the limit from the 429s).
Prints, and writes into ``bench/RESULTS_RATE.md``: the rate the server observed against its limit, the 429s,
and whether every document finished. Run: ``PYTHONPATH=. python bench/rate_limit.py [DOCUMENTS]``.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fault_endpoint import FAULT_MODEL, RateLimitedEndpoint, ServedRequest

from harness.backends.client import DecodingParams, connect
from harness.backends.limits import RateLimits
from harness.documents import Document
from harness.prompts import load_prompt
from harness.run.jobs import JobSummary, run_job

LIMIT_RPM = 600.0  # 10 requests a second: well within what one loaded CPU core can feed
LATENCY_S = 0.3  # a remote model's answer, scaled down
CONCURRENCY = 16  # enough workers to send 50 requests a second if nothing held them back
RESULTS = Path(__file__).resolve().parent / "RESULTS_RATE.md"


def article(number: int) -> Document:
    text = f"Li telephoned Wu on Monday about case {number:04d}. They agreed to talk again."
    return Document(id=f"doc-{number:04d}", text=text, source=f"doc-{number:04d}.txt")


def rate_per_minute(requests: list[ServedRequest], burst: float) -> float:
    times = sorted(request.received_at for request in requests)
    return (len(times) - 1 - burst) / (times[-1] - times[0]) * 60


def run(documents: int, limits: RateLimits | None, out: Path) -> tuple[JobSummary, RateLimitedEndpoint, float]:
    with RateLimitedEndpoint(LIMIT_RPM, latency_s=LATENCY_S) as endpoint:

        async def job() -> JobSummary:
            backend = connect("compatible", endpoint.base_url, "sk-bench", FAULT_MODEL, None, limits=limits)
            try:
                return await run_job(
                    [article(n) for n in range(documents)],
                    out,
                    backend,
                    load_prompt("extract@v1"),
                    decoding=DecodingParams(),
                    concurrency=CONCURRENCY,
                    progress=False,
                )
            finally:
                await backend.client.client.close()

        started = time.monotonic()
        summary = asyncio.run(job())
        return summary, endpoint, time.monotonic() - started


def main() -> None:
    documents = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for label, limits, burst in (
            (f"--rpm {LIMIT_RPM:.0f} (limit known)", RateLimits(rpm=LIMIT_RPM), 1.0),
            ("no --rpm (limit found from 429s)", None, None),
        ):
            summary, endpoint, seconds = run(documents, limits, Path(folder) / label[:6].strip("-"))
            measured = endpoint.log if limits is not None else endpoint.accepted()
            rate = rate_per_minute(measured, burst if burst is not None else endpoint.burst)
            totals = summary.manifest.totals
            rows.append(
                f"| {label} | {documents} | {totals.ok} | {totals.failed} | {len(endpoint.rejected())} | "
                f"{rate:.1f} | {100 * (rate - LIMIT_RPM) / LIMIT_RPM:+.1f}% | {seconds:.1f} |"
            )
            print(rows[-1], flush=True)
    table = "\n".join(
        [
            "| run | documents | ok | failed | 429s | observed rpm | vs limit | seconds |",
            "|---|---|---|---|---|---|---|---|",
            *rows,
        ]
    )
    RESULTS.write_text(
        "# Rate limiter benchmark\n\n"
        f"`PYTHONPATH=. python bench/rate_limit.py {documents}` on {dt.date.today()}: a loopback endpoint that answers "
        f"429 above {LIMIT_RPM:.0f} requests per minute (a server-side bucket of one second's requests, with "
        f"`Retry-After` and `x-ratelimit-*`), {LATENCY_S} s per answer, {CONCURRENCY} workers. The observed rate is "
        "the server's count of requests between the first and the last it received (all requests with --rpm; "
        "the accepted ones without, less the bucket's initial burst).\n\n" + table + "\n",
        encoding="utf-8",
    )
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
