"""One job at a loopback endpoint, as ``harness extract --base-url`` runs it, for tests that shape the client."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from fault_endpoint import FAULT_MODEL

from harness.backends.client import DecodingParams, connect
from harness.documents import Document, DocumentError
from harness.prompts import load_prompt
from harness.run.jobs import JobSummary, run_job

__all__ = ["run_at"]


def run_at(
    base_url: str,
    documents: Iterable[Document | DocumentError],
    out: Path,
    *,
    api_key: str = "sk-test",
    client: dict[str, Any] | None = None,
    **job: Any,
) -> JobSummary:
    """Extract ``documents`` into ``out`` with extract@v1, through a client made with ``client`` (``connect``'s
    options: ``timeout_s``, ``limits``, ...) and a job made with ``job`` (``run_job``'s; greedy decoding and no
    progress bar unless given)."""

    async def run() -> JobSummary:
        backend = connect("compatible", base_url, api_key, FAULT_MODEL, None, **(client or {}))
        try:
            options = {"decoding": DecodingParams(), "progress": False} | job
            return await run_job(documents, out, backend, load_prompt("extract@v1"), **options)
        finally:
            await backend.client.client.close()

    return asyncio.run(run())
