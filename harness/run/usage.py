"""Tokens a model call spent: kept apart from the extraction code so that readers of results
(scoring, comparison) can use it without importing instructor or openai."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["BATCH_MARK", "Usage"]

BATCH_MARK = "harness_via_batch"
"""Set (true) on a completion that came from a Batch API result file, so its tokens are billed at the discount."""


@dataclass
class Usage:
    """Tokens spent on one document."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_prompt_tokens: int = 0
    """The part of ``prompt_tokens`` the provider read from its prompt cache (billed at its cached price)."""
    batch_prompt_tokens: int = 0
    """The part of ``prompt_tokens`` answered through the Batch API (billed at its discount)."""
    batch_completion_tokens: int = 0
    """The part of ``completion_tokens`` answered through the Batch API."""

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.prompt_tokens + other.prompt_tokens,
            self.completion_tokens + other.completion_tokens,
            self.cached_prompt_tokens + other.cached_prompt_tokens,
            self.batch_prompt_tokens + other.batch_prompt_tokens,
            self.batch_completion_tokens + other.batch_completion_tokens,
        )

    @classmethod
    def of(cls, completion: Any) -> Usage:
        """The usage a chat completion reports (zero where the server reports none)."""
        usage = getattr(completion, "usage", None)
        if usage is None:
            return cls()
        details = getattr(usage, "prompt_tokens_details", None)
        cached = getattr(details, "cached_tokens", None) or 0
        prompt, completion_tokens = usage.prompt_tokens or 0, usage.completion_tokens or 0
        if getattr(completion, BATCH_MARK, False):
            return cls(prompt, completion_tokens, cached, prompt, completion_tokens)
        return cls(prompt, completion_tokens, cached)
