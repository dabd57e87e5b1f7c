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
import re
import textwrap
from dataclasses import dataclass
from typing import Any, Protocol

import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from instructor.core.hooks import HookName, Hooks
from instructor.v2.core.function_calls import ResponseSchema
from instructor.v2.core.providers import Provider
from instructor.v2.core.response_model import prepare_response_model
from instructor.v2.core.retry import retry_async_v2
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
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


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


@functools.cache
def _prepared_answer_model() -> type[ArticleDraft]:
    """``answer_model()`` as instructor's re-ask loop takes it, prepared once.

    instructor's client prepares the model on every call (and checks it for async validators three times), and
    compiles a jinja2 template of every message: a third of a request's CPU. ``extract_draft`` calls its re-ask
    loop directly, with the model prepared here and the messages as that template would have rendered them.
    """
    return prepare_response_model(answer_model())


def _response_format(model: type[ArticleDraft]) -> dict[str, Any]:
    """The ``json_schema`` response format instructor's ``Mode.JSON_SCHEMA`` sends, a fresh copy per request."""
    return {"type": "json_schema", "json_schema": {"name": model.__name__, "schema": model.model_json_schema()}}


def _as_rendered(messages: list[dict[str, str]]) -> list[dict[str, str]]:
    """The messages as instructor's jinja2 rendering of a brace-escaped text sent them, without the template:
    line breaks made ``\\n``, one trailing line break dropped, common indentation removed."""
    sent = []
    for message in messages:
        lines = _LINE_BREAK.split(message["content"])
        if lines[-1] == "":
            del lines[-1]
        sent.append({**message, "content": textwrap.dedent("\n".join(lines))})
    return sent


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
    model = _prepared_answer_model()
    request = {
        "messages": _as_rendered(prompt.render(document)),
        "model": backend.model_id,
        **decoding.request_kwargs(),
        "response_format": _response_format(model),
    }
    try:
        draft = await retry_async_v2(
            func=backend.send,
            response_model=model,
            provider=Provider.OPENAI,
            mode=backend.mode,
            context={"sentences": len(split_sentences(document.text))},
            max_retries=max_retries,
            args=(),
            kwargs=request,
            strict=True,
            hooks=hooks,
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
