"""Domain models of harness: articles, actors, diplomatic contacts, and their JSON Schema."""

import hashlib
import json
from typing import Any

from schemas.article import Actor, ActorId, Article, DiplomaticContact, Evidence, source_text
from schemas.enums import ActorKind, ContactMode, ContactStatus

__all__ = [
    "Actor",
    "ActorId",
    "ActorKind",
    "Article",
    "ContactMode",
    "ContactStatus",
    "DiplomaticContact",
    "Evidence",
    "article_json_schema",
    "schema_sha256",
    "source_text",
]


def article_json_schema() -> dict[str, Any]:
    """The JSON Schema of ``Article`` (what ``harness schema`` prints)."""
    return Article.model_json_schema()


def schema_sha256(schema: dict[str, Any] | None = None) -> str:
    """Stable hash of a JSON Schema, used in cache keys and run ledgers."""
    payload = json.dumps(schema if schema is not None else article_json_schema(), sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()
