"""One document -> one validated ``ArticleDraft``: a single instructor call with re-asks on validation errors.

The document's sentence count is the validation context, so a citation of a sentence that does
not exist or a dangling actor id fails validation and instructor asks again with the error.
Tokens are counted over every attempt, failed ones included, because they all cost time.
Failures a user should see per document (truncation, an answer that never validates, an endpoint
error) become ``ExtractionError``; errors that doom every document (a rejected API key, an unknown
model) are ``ConfigError``.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any, Protocol

import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from instructor.core.hooks import HookName, Hooks
from instructor.v2.core.function_calls import ResponseSchema
from pydantic import ValidationError, create_model

from harness.backends.client import Backend, DecodingParams
from harness.backends.limits import RequestRefused
from harness.documents import Document
from harness.errors import ConfigError, HarnessError, json_path
from harness.run.usage import Usage
from harness.sentences import split_sentences
from schemas.draft import ArticleDraft

__all__ = ["Extraction", "ExtractionError", "extract_draft"]

_ERRORS_IN_REASON = 3  # enough to see what went wrong without flooding results.jsonl
# instructor renders each message as a jinja2 template whenever a validation context is given; a
# document with "{{" or "{%" in it must reach the model as written, so every "{" is emitted by an expression.
_LITERAL_BRACE = '{{ "{" }}'


@dataclass
class Extraction:
    """A validated draft and what it cost."""

    draft: ArticleDraft
    usage: Usage
    """Tokens of every attempt, failed re-asks included."""
    attempts: int
    """Model answers it took: 1 + re-asks."""


class ExtractionError(HarnessError):
    """The model gave no valid draft for one document; the job records it and goes on."""

    def __init__(self, reason: str, *, usage: Usage, attempts: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.usage = usage
        self.attempts = attempts


class RendersMessages(Protocol):
    """What ``extract_draft`` needs of a prompt."""

    def render(self, document: Document) -> list[dict[str, str]]: ...


@functools.cache
def answer_model() -> type[ArticleDraft]:
    """``ArticleDraft`` as instructor's response model, with its JSON Schema, built once per process.

    Handed a plain model, instructor derives a new class from it and generates that class's JSON Schema on
    every request: about 13 ms of CPU, as much as all the rest of a request. A model that already is a
    ``ResponseSchema`` is used as it is, and its schema is generated here once; each request gets a fresh
    copy (parsed from the JSON text, 0.1 ms), since callers may change what they are given.
    """
    schema_text = json.dumps(ArticleDraft.model_json_schema())

    class _SchemaOnce(ResponseSchema):
        @classmethod
        def model_json_schema(cls, *args: Any, **kwargs: Any) -> dict[str, Any]:
            if args or kwargs:
                return super().model_json_schema(*args, **kwargs)
            return json.loads(schema_text)

    # Named as the draft itself: the name travels in the request as the schema's name.
    return create_model(ArticleDraft.__name__, __base__=(ArticleDraft, _SchemaOnce), __doc__=ArticleDraft.__doc__)


def _literal_templates(messages: list[dict[str, str]]) -> list[dict[str, str]]:
    return [{**message, "content": message["content"].replace("{", _LITERAL_BRACE)} for message in messages]


def _validation_reason(error: BaseException | None, attempts: int) -> str:
    if isinstance(error, ValidationError):
        problems = error.errors(include_url=False, include_input=False)
        if any(problem["type"] == "json_invalid" for problem in problems):
            return f"the answer is not valid JSON after {attempts} attempt(s): {problems[0]['msg']}"
        shown = "; ".join(
            f"{json_path(problem['loc']) if problem['loc'] else 'answer'}: {problem['msg']}"
            for problem in problems[:_ERRORS_IN_REASON]
        )
        more = f" (+{len(problems) - _ERRORS_IN_REASON} more)" if len(problems) > _ERRORS_IN_REASON else ""
        return f"the answer failed validation after {attempts} attempt(s): {shown}{more}"
    return f"no valid answer after {attempts} attempt(s): {error}"


def _endpoint_failure(error: openai.APIError, backend: Backend, usage: Usage, attempts: int) -> HarnessError:
    """A ``ConfigError`` when no document can succeed, else a per-document ``ExtractionError``."""
    if isinstance(error, openai.AuthenticationError | openai.PermissionDeniedError):
        return ConfigError(f"{backend.base_url} rejected the API key (HTTP {error.status_code})")
    if isinstance(error, openai.NotFoundError):
        return ConfigError(f"{backend.base_url} does not serve model {backend.model_id!r}: {error.message}")
    status = f"HTTP {error.status_code}: " if isinstance(error, openai.APIStatusError) else ""
    return ExtractionError(f"the model endpoint failed: {status}{error.message}", usage=usage, attempts=attempts)


async def extract_draft(
    backend: Backend,
    document: Document,
    prompt: RendersMessages,
    *,
    decoding: DecodingParams,
    max_retries: int = 2,
) -> Extraction:
    """Ask ``backend`` for ``document``'s draft; ``max_retries`` re-asks after a validation error."""
    usage = Usage()
    answers = 0

    def count(completion: Any) -> None:
        nonlocal usage, answers
        usage += Usage.of(completion)
        answers += 1

    hooks = Hooks()
    hooks.on(HookName.COMPLETION_RESPONSE, count)
    backend.ensure_started()
    try:
        draft = await backend.client.create(
            response_model=answer_model(),
            messages=_literal_templates(prompt.render(document)),
            model=backend.model_id,
            context={"sentences": len(split_sentences(document.text))},
            max_retries=max_retries,
            hooks=hooks,
            **decoding.request_kwargs(),
        )
    except IncompleteOutputException as exc:
        raise ExtractionError(
            f"the answer was cut off at max_tokens={decoding.max_tokens} before the JSON was complete",
            usage=usage,
            attempts=answers,
        ) from exc
    except RequestRefused as exc:
        raise ExtractionError(f"not sent: {exc}", usage=usage, attempts=answers) from exc
    except InstructorRetryException as exc:
        cause = exc.__cause__
        if isinstance(cause, RequestRefused):
            raise ExtractionError(f"not sent: {cause}", usage=usage, attempts=answers) from exc
        if isinstance(cause, openai.APIError):
            raise _endpoint_failure(cause, backend, usage, answers) from exc
        raise ExtractionError(_validation_reason(cause, answers), usage=usage, attempts=answers) from exc
    return Extraction(draft=draft, usage=usage, attempts=answers)
