"""OpenAI's Batch API, as a transport: request files, upload, create, poll, and the results read back.

A request file is JSONL, one ``{"custom_id", "method": "POST", "url": "/v1/chat/completions", "body"}``
per line, where ``body`` is exactly what the live path sends (``request_body`` of the SDK's keyword
arguments). The same file runs unchanged through ``vllm run-batch -i FILE -o OUT --model M``, vLLM's
offline batch runner, so a self-hosted GPU cluster and OpenAI share one format.

What providers do that a client must not trust blindly: more than 50,000 requests or 200 MB in one file
is refused (``split_requests``); a rejected line comes back inside the output file with a
``response.status_code`` other than 200 (``read_outcomes`` makes it that request's failure); a batch can be
"completed" with an error file and no output file at all. Backends know nothing about articles: a request is
identified by its ``custom_id`` only.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openai

__all__ = [
    "BATCH_ENDPOINT",
    "MAX_BATCH_BYTES",
    "MAX_BATCH_REQUESTS",
    "TERMINAL_STATUSES",
    "BatchClient",
    "BatchOutcome",
    "body_key",
    "read_outcomes",
    "request_body",
    "request_line",
    "split_requests",
]

BATCH_ENDPOINT = "/v1/chat/completions"
MAX_BATCH_REQUESTS = 50_000
"""OpenAI refuses a batch input file with more requests than this."""
MAX_BATCH_BYTES = 200 * 1024 * 1024
"""... or larger than 200 MB."""
TERMINAL_STATUSES = frozenset({"completed", "failed", "expired", "cancelled"})
_TRANSPORT_ONLY = {"extra_headers", "extra_query", "timeout"}  # SDK arguments that are not part of the body


def request_body(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The JSON body the SDK sends for ``chat.completions.create(**kwargs)``."""
    body = {name: value for name, value in kwargs.items() if name not in _TRANSPORT_ONLY and name != "extra_body"}
    body.update(kwargs.get("extra_body") or {})
    return json.loads(json.dumps(body, default=str))


def body_key(body: dict[str, Any]) -> str:
    """A request body's identity: sha256 of its canonical JSON (a retried request has the same)."""
    return hashlib.sha256(json.dumps(body, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def request_line(custom_id: str, body: dict[str, Any]) -> bytes:
    """One line of a batch input file."""
    line = {"custom_id": custom_id, "method": "POST", "url": BATCH_ENDPOINT, "body": body}
    return json.dumps(line, ensure_ascii=False).encode() + b"\n"


def split_requests(
    lines: Iterable[bytes], *, max_requests: int = MAX_BATCH_REQUESTS, max_bytes: int = MAX_BATCH_BYTES
) -> list[list[bytes]]:
    """The lines in files a provider accepts: at most ``max_requests`` lines and ``max_bytes`` each."""
    files: list[list[bytes]] = []
    size = 0
    for line in lines:
        if len(line) > max_bytes:
            raise ValueError(f"one request is {len(line):,} bytes, more than a batch file may hold")
        if not files or len(files[-1]) >= max_requests or size + len(line) > max_bytes:
            files.append([])
            size = 0
        files[-1].append(line)
        size += len(line)
    return files


@dataclass(frozen=True)
class BatchOutcome:
    """What a batch said about one request: its completion (as JSON), or why there is none."""

    custom_id: str
    completion: dict[str, Any] | None
    error: str | None


def read_outcomes(output: str | None, errors: str | None) -> dict[str, BatchOutcome]:
    """The outcome of every request named in a batch's output and error files, by ``custom_id``."""
    outcomes: dict[str, BatchOutcome] = {}
    for text in (output or "", errors or ""):
        for raw in text.splitlines():
            if not raw.strip():
                continue
            line = json.loads(raw)
            custom_id = str(line.get("custom_id"))
            response = line.get("response") or {}
            status = response.get("status_code")
            if status == 200 and isinstance(response.get("body"), dict):
                outcomes[custom_id] = BatchOutcome(custom_id, response["body"], None)
                continue
            error = line.get("error") or (response.get("body") or {}).get("error") or {}
            message = error.get("message") if isinstance(error, dict) else str(error)
            reason = f"HTTP {status}: {message}" if status is not None else str(message or "no answer")
            outcomes[custom_id] = BatchOutcome(custom_id, None, f"the batch answered {reason}")
    return outcomes


class BatchClient:
    """The files and batches endpoints of an OpenAI-compatible server, through the ``openai`` SDK."""

    def __init__(self, sdk: openai.AsyncOpenAI) -> None:
        self._sdk = sdk

    async def upload(self, path: Path) -> str:
        """Upload a request file; its file id."""
        with path.open("rb") as file:
            uploaded = await self._sdk.files.create(file=(path.name, file), purpose="batch")
        return uploaded.id

    async def create(self, input_file_id: str) -> str:
        """Start a batch over an uploaded file; its batch id."""
        batch = await self._sdk.batches.create(
            input_file_id=input_file_id, endpoint=BATCH_ENDPOINT, completion_window="24h"
        )
        return batch.id

    async def retrieve(self, batch_id: str) -> Any:
        """The batch as the server reports it now (``status``, ``request_counts``, file ids)."""
        return await self._sdk.batches.retrieve(batch_id)

    async def content(self, file_id: str) -> str:
        """A result file's text."""
        response = await self._sdk.files.content(file_id)
        return response.text

    async def cancel(self, batch_id: str) -> None:
        await self._sdk.batches.cancel(batch_id)
