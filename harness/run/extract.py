"""One document -> one validated ``ArticleDraft``: an instructor call with re-asks on validation errors, then,
for a prompt with a ``follow_up`` block, a question per sentence the answer left uncited (``follow_up``).

The document's sentence count is the validation context: a citation of a sentence that does not
exist is dropped with what only it supports, and an answer that is not the schema's is asked again
with the error.
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
from dataclasses import dataclass, field
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
from harness.run.follow_up import contacts_of, follow_up_model, uncited_sentences, with_people
from harness.run.usage import Usage
from harness.sentences import Sentence, split_sentences
from schemas.draft import ArticleDraft, DraftContact

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

    @property
    def asks_follow_ups(self) -> bool: ...

    def render(self, document: Document) -> list[dict[str, str]]: ...

    def follow_up(self, sentence: Sentence, actors: list[dict[str, str]]) -> str: ...


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


@dataclass
class _Tally:
    """Tokens and answers of every request for one document, counted by instructor's completion hook."""

    usage: Usage = field(default_factory=Usage)
    answers: int = 0
    last_answer: str = ""
    """The text of the latest answer, as the model wrote it."""
    hooks: Hooks = field(default_factory=Hooks)

    def __post_init__(self) -> None:
        self.hooks.on(HookName.COMPLETION_RESPONSE, self._count)

    def _count(self, completion: Any) -> None:
        self.usage += Usage.of(completion)
        self.answers += 1
        choices = getattr(completion, "choices", None)
        self.last_answer = (choices[0].message.content or "") if choices else ""


async def extract_draft(
    backend: Backend,
    document: Document,
    prompt: RendersMessages,
    *,
    decoding: DecodingParams,
    max_retries: int = 2,
) -> Extraction:
    """Ask ``backend`` for ``document``'s draft; ``max_retries`` re-asks after a validation error."""
    tally = _Tally()
    backend.ensure_started()
    messages = _as_rendered(prompt.render(document))
    draft = await _ask(backend, messages, _prepared_answer_model(), decoding, tally, max_retries, document)
    attempts = tally.answers
    if prompt.asks_follow_ups:
        draft = await _follow_up(backend, prompt, document, messages, draft, decoding, tally)
    return Extraction(draft=draft, usage=tally.usage, attempts=attempts)


async def _follow_up(
    backend: Backend,
    prompt: RendersMessages,
    document: Document,
    messages: list[dict[str, str]],
    draft: ArticleDraft,
    decoding: DecodingParams,
    tally: _Tally,
) -> ArticleDraft:
    """The draft with the contacts of its uncited sentences, asked one by one (see ``harness.run.follow_up``).

    A question without a valid answer costs only its own sentence, noted among the draft's repairs; an
    error that dooms every document (``ConfigError``) still ends the job.
    """
    # The first answer as the model wrote it: the server's prompt cache then holds the conversation up to the
    # question. Persons added to the draft since are named in each question's choices instead.
    answer = {"role": "assistant", "content": tally.last_answer}
    draft = with_people(draft, document.text)
    sentences = uncited_sentences(draft, document)
    if not sentences:
        return draft
    actors = [{"id": actor.id, "name": actor.name} for actor in draft.actors]
    model = prepare_response_model(follow_up_model(tuple(actor["id"] for actor in actors)))
    found: list[DraftContact] = []
    notes: list[str] = []
    for sentence in sentences:
        question = {"role": "user", "content": prompt.follow_up(sentence, actors)}
        try:
            reply = await _ask(backend, [*messages, answer, question], model, decoding, tally, 0, document)
        except ExtractionError as error:
            notes.append(f"follow-up on sentence {sentence.number} gave nothing: {error.reason}")
            continue
        found += contacts_of(reply, sentence, draft)
    return draft.with_contacts([*draft.contacts, *found], notes)


async def _ask(
    backend: Backend,
    messages: list[dict[str, str]],
    model: type[Any],
    decoding: DecodingParams,
    tally: _Tally,
    max_retries: int,
    document: Document,
) -> Any:
    """One valid answer of ``model`` to ``messages`` through instructor's re-ask loop, counted in ``tally``."""
    request = {
        "messages": messages,
        "model": backend.model_id,
        **decoding.request_kwargs(),
        "response_format": _response_format(model),
    }
    try:
        return await retry_async_v2(
            func=backend.send,
            response_model=model,
            provider=Provider.OPENAI,
            mode=backend.mode,
            context={"sentences": len(split_sentences(document.text))},
            max_retries=max_retries,
            args=(),
            kwargs=request,
            strict=True,
            hooks=tally.hooks,
        )
    except IncompleteOutputException as exc:
        raise ExtractionError(
            f"the answer was cut off at max_tokens={decoding.max_tokens} before the JSON was complete",
            usage=tally.usage,
            attempts=tally.answers,
        ) from exc
    except RequestRefused as exc:
        raise ExtractionError(f"not sent: {exc}", usage=tally.usage, attempts=tally.answers) from exc
    except InstructorRetryException as exc:
        cause = exc.__cause__
        if isinstance(cause, RequestRefused):
            raise ExtractionError(f"not sent: {cause}", usage=tally.usage, attempts=tally.answers) from exc
        if isinstance(cause, openai.APIError):
            raise _endpoint_failure(cause, backend, tally.usage, tally.answers) from exc
        reason = _validation_reason(cause, tally.answers)
        raise ExtractionError(reason, usage=tally.usage, attempts=tally.answers) from exc
