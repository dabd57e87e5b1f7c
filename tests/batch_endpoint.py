"""OpenAI's files and batches endpoints on loopback, over a ``FaultEndpoint`` (whose chat completions answer live).

Upload (multipart), create, retrieve with a status that moves on at each retrieve (validating ->
in_progress -> finalizing -> completed), output and error file content, expiry and cancel. What a batch
answers is configurable per ``custom_id``: ``rejected`` lines come back in the output file with status 400,
``error_only`` makes a "completed" batch with an error file and no output file, ``expire`` ends it
"expired" having answered only the first ``answered_before_expiry`` lines; ``cancel_after_retrieves``
cancels it midway (``POST /batches/{id}/cancel`` does too).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from fault_endpoint import FaultEndpoint
from loopback_http import Hangup, RecordedRequest, Reply, WireReply, chat_completion

__all__ = ["BatchEndpoint"]

_PROGRESSION = ("validating", "in_progress", "finalizing", "completed")


@dataclass
class _Batch:
    id: str
    input_file_id: str
    status: str = "validating"
    output_file_id: str | None = None
    error_file_id: str | None = None
    retrieved: int = 0
    lines: list[dict[str, Any]] = field(default_factory=list)


class BatchEndpoint(FaultEndpoint):
    """Files and batches over a ``FaultEndpoint``; ``batches`` and ``files`` hold what was created."""

    def __init__(
        self,
        *,
        rejected: frozenset[str] = frozenset(),
        error_only: bool = False,
        expire: bool = False,
        answered_before_expiry: int = 0,
        cancel_after_retrieves: int | None = None,
    ) -> None:
        super().__init__()
        self.rejected = rejected
        self.error_only = error_only
        self.expire = expire
        self.answered_before_expiry = answered_before_expiry
        self.cancel_after_retrieves = cancel_after_retrieves
        """Cancel every batch (as its owner would, from elsewhere) once it has been retrieved this often."""
        self.files: dict[str, bytes] = {}
        self.batches: dict[str, _Batch] = {}
        self._lock = threading.Lock()

    def respond(self, request: RecordedRequest, raw: bytes) -> WireReply | Hangup:
        path = request.path.split("?")[0].rstrip("/")
        with self._lock:
            if request.method == "POST" and path.endswith("/files"):
                return self._upload(raw)
            if request.method == "GET" and "/files/" in path and path.endswith("/content"):
                file_id = path.split("/files/")[1].removesuffix("/content")
                return WireReply(200, {"content-type": "application/octet-stream"}, self.files[file_id])
            if request.method == "POST" and path.endswith("/batches"):
                return self._create(request.body or {})
            if "/batches/" in path:
                batch = self.batches[path.split("/batches/")[1].split("/")[0]]
                if request.method == "POST" and path.endswith("/cancel"):
                    batch.status = "cancelling"
                    return Reply(body=self._batch_json(batch)).wire()
                return Reply(body=self._advance(batch)).wire()
        return super().respond(request, raw)

    def _upload(self, raw: bytes) -> WireReply:
        boundary = raw.split(b"\r\n", 1)[0]
        content = b""
        for part in raw.split(boundary):
            head, _, body = part.partition(b"\r\n\r\n")
            if b'name="file"' in head:
                content = body.removesuffix(b"\r\n")
        file_id = f"file-{len(self.files) + 1}"
        self.files[file_id] = content
        uploaded = {
            "id": file_id,
            "object": "file",
            "bytes": len(content),
            "created_at": int(time.time()),
            "filename": "batch.jsonl",
            "purpose": "batch",
            "status": "processed",
        }
        return Reply(body=uploaded).wire()

    def _create(self, body: dict[str, Any]) -> WireReply:
        batch_id = f"batch-{len(self.batches) + 1}"
        lines = [json.loads(line) for line in self.files[body["input_file_id"]].splitlines() if line.strip()]
        batch = _Batch(batch_id, body["input_file_id"], lines=lines)
        self.batches[batch_id] = batch
        return Reply(body=self._batch_json(batch)).wire()

    def _advance(self, batch: _Batch) -> dict[str, Any]:
        """The batch one step further on (each retrieve is a step), finished when it reaches its end."""
        batch.retrieved += 1
        if self.cancel_after_retrieves is not None and batch.retrieved > self.cancel_after_retrieves:
            batch.status = "cancelling" if batch.status not in ("cancelling", "cancelled") else batch.status
        if batch.status == "cancelling":
            self._finish(batch, "cancelled", answered=0)
        elif batch.status not in ("completed", "expired", "cancelled", "failed"):
            step = _PROGRESSION[min(batch.retrieved, len(_PROGRESSION) - 1)]
            if step == "completed":
                if self.expire:
                    self._finish(batch, "expired", answered=self.answered_before_expiry)
                else:
                    self._finish(batch, "completed", answered=len(batch.lines))
            else:
                batch.status = step
        return self._batch_json(batch)

    def _finish(self, batch: _Batch, status: str, *, answered: int) -> None:
        output, errors = [], []
        for number, line in enumerate(batch.lines):
            custom_id = line["custom_id"]
            if number >= answered:
                continue
            if self.error_only:
                error = {"code": "invalid_request", "message": "the model is not available to batches"}
                errors.append({"id": f"r{number}", "custom_id": custom_id, "response": None, "error": error})
            elif custom_id in self.rejected:
                body = {"error": {"message": "invalid schema for response_format", "type": "invalid_request_error"}}
                response = {"status_code": 400, "request_id": f"q{number}", "body": body}
                output.append({"id": f"r{number}", "custom_id": custom_id, "response": response, "error": None})
            else:
                completion = self.answer(line["body"])
                reply = chat_completion(
                    completion.content,
                    prompt_tokens=completion.prompt_tokens,
                    completion_tokens=completion.completion_tokens,
                )
                response = {"status_code": 200, "request_id": f"q{number}", "body": reply.body}
                output.append({"id": f"r{number}", "custom_id": custom_id, "response": response, "error": None})
        if output:
            batch.output_file_id = self._store(output)
        if errors:
            batch.error_file_id = self._store(errors)
        batch.status = status

    def _store(self, lines: list[dict[str, Any]]) -> str:
        file_id = f"file-{len(self.files) + 1}"
        self.files[file_id] = b"".join(json.dumps(line).encode() + b"\n" for line in lines)
        return file_id

    def _batch_json(self, batch: _Batch) -> dict[str, Any]:
        total = len(batch.lines)
        finished = batch.status in ("completed", "expired", "cancelled")
        return {
            "id": batch.id,
            "object": "batch",
            "endpoint": "/v1/chat/completions",
            "input_file_id": batch.input_file_id,
            "completion_window": "24h",
            "status": batch.status,
            "created_at": int(time.time()),
            "output_file_id": batch.output_file_id,
            "error_file_id": batch.error_file_id,
            "request_counts": {"total": total, "completed": total if finished else 0, "failed": 0},
        }
