"""A well-behaved stand-in model on loopback, for job tests that must not wait on a real model.

A ``FaultEndpoint`` without faults that answers every chat completion with an empty
``ArticleDraft`` (valid JSON, nothing found), or with prose that fails validation when the
article contains ``UNANSWERABLE``, at a fixed usage, and counts the requests it got, so a test
can assert that a run made no model call at all.
"""

from __future__ import annotations

import json
from typing import Any

from fault_endpoint import Completion, FaultEndpoint

__all__ = ["COMPLETION_TOKENS", "MODEL_ID", "PROMPT_TOKENS", "UNANSWERABLE", "FakeEndpoint"]

MODEL_ID = "fake-model"
UNANSWERABLE = "UNANSWERABLE"
"""A document whose text holds this word gets an answer that is not JSON."""
PROMPT_TOKENS = 100
COMPLETION_TOKENS = 7


def _answer(body: dict[str, Any]) -> Completion:
    asked = json.dumps(body["messages"])
    content = "Sorry, I cannot read this." if UNANSWERABLE in asked else '{"actors": [], "contacts": []}'
    return Completion(content, prompt_tokens=PROMPT_TOKENS, completion_tokens=COMPLETION_TOKENS)


class FakeEndpoint(FaultEndpoint):
    """The server: its base URL, and how many chat completions it answered."""

    def __init__(self) -> None:
        super().__init__(answer=_answer, model=MODEL_ID)

    @property
    def completions(self) -> int:
        return len(self.log)
