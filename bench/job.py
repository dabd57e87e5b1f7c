"""One harness job against the benchmark endpoint, as every figure and ``bench.memory_job`` run it.

Written once so that the figures measure the same job: the loopback endpoint's one model, ``extract@v1``,
default decoding, no response cache (a cache hit would skip the work being measured), no progress bar.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from harness.backends.client import DecodingParams, open_backend
from harness.documents import Document
from harness.errors import DocumentError
from harness.prompts import load_prompt
from harness.run.jobs import JobSummary, run_job

__all__ = ["BENCH_MODEL", "run_bench_job"]

BENCH_MODEL = "fault-model"
"""The one model the loopback endpoint serves."""


async def run_bench_job(
    documents: Iterable[Document | DocumentError], out: Path, url: str, concurrency: int
) -> JobSummary:
    """Extract ``documents`` into ``out`` through the endpoint at ``url``, ``concurrency`` in flight."""
    async with open_backend(BENCH_MODEL, url, None, out) as backend:
        return await run_job(
            documents,
            out,
            backend,
            load_prompt("extract@v1"),
            decoding=DecodingParams(),
            concurrency=concurrency,
            cache=None,
            progress=False,
        )
