"""Content-addressed cache of model answers, so an unchanged re-run makes no model call.

The key hashes everything that decides what the model writes: the model (id and file hash), the
prompt, the schema of the answer, the document and the decoding parameters; never the API key,
which changes who pays, not what comes back. The value is the model's draft *before*
post-processing, so fixing post-processing re-uses every cached answer.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from harness.backends.client import Backend, DecodingParams
from harness.backends.models import models_dir
from harness.documents import Document
from harness.prompts import Prompt
from harness.run.durable import write_atomically
from harness.run.usage import Usage
from schemas import schema_sha256
from schemas.draft import ArticleDraft

__all__ = [
    "CachedResponse",
    "ResponseCache",
    "cache_key_for",
    "default_cache_root",
    "draft_schema_sha256",
    "response_cache_key",
]

log = logging.getLogger(__name__)

# Files fan out over 256 folders named by the key's first two hex digits, so no folder grows huge.
_SHARD_CHARS = 2


@functools.cache
def draft_schema_sha256() -> str:
    """Hash of the JSON Schema the model answers in; a schema change must miss every cached answer."""
    return schema_sha256(ArticleDraft.model_json_schema())


def response_cache_key(
    *,
    model_id: str,
    model_sha256: str | None,
    prompt_sha256: str,
    schema_sha256: str,
    document_sha256: str,
    decoding: Mapping[str, Any],
    runtime: str | None = None,
) -> str:
    """The sha256 of the canonical JSON of everything that decides the model's answer (the embedded model's
    runtime too: two runtimes answer differently)."""
    ledger: dict[str, Any] = {
        "model_id": model_id,
        "model_sha256": model_sha256,
        "prompt_sha256": prompt_sha256,
        "schema_sha256": schema_sha256,
        "document_sha256": document_sha256,
        "decoding": decoding,
    }
    if runtime is not None:
        ledger["runtime"] = runtime
    canonical = json.dumps(ledger, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def cache_key_for(backend: Backend, prompt: Prompt, document: Document, decoding: DecodingParams) -> str:
    """The key of the answer ``backend`` gives to ``prompt`` on ``document``; the backend's API key plays no part."""
    return response_cache_key(
        model_id=backend.model_id,
        model_sha256=backend.model_sha256,
        prompt_sha256=prompt.sha256,
        schema_sha256=draft_schema_sha256(),
        document_sha256=document.sha256,
        decoding=decoding.as_dict(),
        runtime=backend.runtime,
    )


def default_cache_root() -> Path:
    """Beside the offline models: ``$HARNESS_CACHE_DIR/responses``, else ``~/.cache/harness/responses``."""
    return models_dir().parent / "responses"


class CachedResponse(BaseModel):
    """What the model answered for one cache key, and what the answer cost."""

    model_config = ConfigDict(frozen=True)

    draft: ArticleDraft
    """The validated draft, before post-processing."""
    usage: Usage = Field(default_factory=Usage)
    """Tokens of every attempt it took, failed re-asks included."""
    attempts: int = Field(ge=1)
    """Model calls it took (1 + re-asks)."""
    warnings: list[str] = Field(default_factory=list)
    """``ArticleDraft.repairs`` of the answer as the model wrote it (the draft is stored mended)."""


class ResponseCache:
    """One JSON file per key under ``root/<first two hex digits>/<key>.json``, written atomically."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root if root is not None else default_cache_root()
        """The folder the answers live in."""

    def path_for(self, key: str) -> Path:
        """Where the answer for ``key`` is (or would be) stored."""
        return self.root / key[:_SHARD_CHARS] / f"{key}.json"

    def get(self, key: str) -> CachedResponse | None:
        """The cached answer, or None when there is none or it cannot be read (it is then simply redone)."""
        path = self.path_for(key)
        try:
            content = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as exc:
            log.warning("%s: cannot read cached answer (%s); asking the model again", path, exc)
            return None
        try:
            return CachedResponse.model_validate_json(content)
        except ValidationError as exc:
            log.warning("%s: unreadable cached answer (%d error(s)); asking the model again", path, exc.error_count())
            return None

    def put(self, key: str, value: CachedResponse) -> None:
        """Store an answer; a concurrent reader sees the old file or the new one, never half.

        A cache that cannot be written (disk full, read-only) only costs a later model call, so it is
        a warning, not the end of the job.
        """
        path = self.path_for(key)
        try:
            write_atomically(path, value.model_dump_json(indent=1) + "\n")
        except OSError as exc:
            log.warning("%s: cannot store the answer in the cache (%s)", path, exc.strerror or exc)
