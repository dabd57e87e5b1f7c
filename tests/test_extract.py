"""One document -> one draft: re-asks, token counting over every attempt, and the failures a job records.

Answers a real model will not give on demand (invalid JSON, an invented quote) come from a
scripted endpoint on loopback; everything else runs the real embedded server.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from loopback_http import (
    TINY_MODEL,
    RecordingProxy,
    Reply,
    ScriptedEndpoint,
    chat_completion,
)
from paths import GOLDENS
from pydantic import TypeAdapter

from harness.backends.client import Backend, DecodingParams, compact_json_grammar, connect, open_backend
from harness.backends.local_server import LocalServer
from harness.backends.models import resolve_model
from harness.documents import Document, load_text_file
from harness.errors import ConfigError
from harness.prompts import Prompt
from harness.run.extract import Extraction, ExtractionError, extract_draft
from harness.run.usage import Usage
from schemas.draft import ArticleDraft, DraftActor, DraftContact

DECODING = DecodingParams()
CALL = Document(id="call", text="Ann Example telephoned Bob Example on Monday to discuss trade.")
ACTORS = [
    {"id": "ann", "name": "Ann Example", "kind": "person"},
    {"id": "bob", "name": "Bob Example", "kind": "person"},
]


def draft_json(evidence: int) -> str:
    contact = {"participants": ["ann", "bob"], "initiator": "ann", "mode": "phone_call", "evidence": [evidence]}
    return json.dumps({"actors": ACTORS, "contacts": [contact]})


VALID = draft_json(1)
CITES_A_MISSING_SENTENCE = draft_json(2)  # CALL has one sentence


def scripted_backend(endpoint: ScriptedEndpoint) -> Backend:
    return connect("compatible", endpoint.base_url, "test-key", "test-model", None, transport_attempts=1)


def extract_through(endpoint: ScriptedEndpoint, prompt: Prompt, document: Document = CALL) -> Extraction:
    return asyncio.run(extract_draft(scripted_backend(endpoint), document, prompt, decoding=DECODING))


def last_message(endpoint: ScriptedEndpoint) -> str:
    body = endpoint.posts()[-1].body
    assert body is not None
    return body["messages"][-1]["content"]


def test_usage_adds_up_field_by_field() -> None:
    assert Usage(100, 10) + Usage(20, 5) == Usage(120, 15)


def test_a_valid_first_answer_takes_one_attempt(prompt: Prompt) -> None:
    with ScriptedEndpoint([chat_completion(VALID, prompt_tokens=300, completion_tokens=60)]) as endpoint:
        extraction = extract_through(endpoint, prompt)
    assert extraction.attempts == 1
    assert extraction.usage == Usage(300, 60)
    assert [actor.name for actor in extraction.draft.actors] == ["Ann Example", "Bob Example"]


def test_invalid_json_is_reasked_and_every_attempt_is_counted(prompt: Prompt) -> None:
    replies = [chat_completion('{"actors": [', prompt_tokens=300, completion_tokens=5), chat_completion(VALID)]
    with ScriptedEndpoint(replies) as endpoint:
        extraction = extract_through(endpoint, prompt)
    assert extraction.attempts == 2
    assert extraction.usage == Usage(300 + 100, 5 + 20)
    assert "Correct your JSON" in last_message(endpoint)


def test_a_citation_of_a_missing_sentence_drops_that_contact_without_a_reask(prompt: Prompt) -> None:
    with ScriptedEndpoint([chat_completion(CITES_A_MISSING_SENTENCE)]) as endpoint:
        extraction = extract_through(endpoint, prompt)
    assert extraction.attempts == 1
    assert [actor.id for actor in extraction.draft.actors] == ["ann", "bob"]
    assert extraction.draft.contacts == []
    assert extraction.draft.repairs == [
        "dropped contacts[0]: its evidence cites only sentences the article does not have (it has 1): [2]"
    ]


def test_a_contact_keeps_the_citations_of_sentences_that_exist(prompt: Prompt) -> None:
    answer = json.loads(VALID)
    answer["contacts"][0]["evidence"] = [1, 7]
    with ScriptedEndpoint([chat_completion(json.dumps(answer))]) as endpoint:
        extraction = extract_through(endpoint, prompt)
    [contact] = extraction.draft.contacts
    assert contact.evidence == [1]
    assert extraction.draft.repairs == [
        "contacts[0]: dropped evidence [7], sentences the article does not have (it has 1)"
    ]


def test_an_answer_outside_the_schema_is_reasked_with_the_error(prompt: Prompt) -> None:
    answer = json.loads(VALID)
    answer["contacts"][0]["mode"] = "telepathy"
    with ScriptedEndpoint([chat_completion(json.dumps(answer)), chat_completion(VALID)]) as endpoint:
        extraction = extract_through(endpoint, prompt)
    assert extraction.attempts == 2
    assert "contacts.0.mode" in last_message(endpoint)


def test_an_answer_that_never_validates_is_an_extraction_error_counting_every_attempt(prompt: Prompt) -> None:
    with (
        ScriptedEndpoint([chat_completion("not json at all")] * 3) as endpoint,
        pytest.raises(ExtractionError) as caught,
    ):
        extract_through(endpoint, prompt)
    assert "not valid JSON after 3 attempt(s)" in caught.value.reason
    assert caught.value.attempts == 3
    assert caught.value.usage == Usage(300, 60)


def test_a_truncated_answer_is_an_extraction_error(prompt: Prompt) -> None:
    cut_off = chat_completion(VALID[:40], finish_reason="length")
    with ScriptedEndpoint([cut_off]) as endpoint, pytest.raises(ExtractionError, match="cut off") as caught:
        extract_through(endpoint, prompt)
    assert (caught.value.attempts, caught.value.usage) == (1, Usage(100, 20))
    assert len(endpoint.posts()) == 1


def test_a_rejected_key_stops_the_job_with_a_config_error(prompt: Prompt) -> None:
    denied = Reply(401, body={"error": {"message": "invalid api key"}})
    with ScriptedEndpoint([denied]) as endpoint, pytest.raises(ConfigError, match="rejected the API key"):
        extract_through(endpoint, prompt)


def test_a_bad_request_fails_only_this_document(prompt: Prompt) -> None:
    too_long = Reply(400, body={"error": {"message": "context length exceeded"}})
    with ScriptedEndpoint([too_long]) as endpoint, pytest.raises(ExtractionError, match="HTTP 400") as caught:
        extract_through(endpoint, prompt)
    assert caught.value.attempts == 0


def test_a_document_with_template_syntax_reaches_the_model_verbatim(prompt: Prompt) -> None:
    text = "Ann Example telephoned Bob Example. {{ secret }} {% if x %} {# note #} {{"
    with ScriptedEndpoint([chat_completion(VALID)]) as endpoint:
        extract_through(endpoint, prompt, Document(id="braces", text=text))
    assert "[2] {{ secret }} {% if x %} {# note #} {{" in last_message(endpoint)


# --- the real embedded server ---------------------------------------------------------------------------------


def golden(doc_id: str) -> Document:
    return load_text_file(GOLDENS / f"{doc_id}.txt")


@pytest.mark.model
@pytest.mark.needs_llama_cpp
def test_the_draft_schemas_grammar_is_accepted_and_its_answer_is_one_spaced_line(
    tiny_server: LocalServer,
) -> None:
    """A grammar the server cannot compile is an error (HTTP 400), never unconstrained JSON; this one compiles, and
    the JSON it allows is one line, spaced as json.dumps writes it (output tokens are an answer's cost on a CPU)."""
    body = {
        "model": tiny_server.model_alias,
        "messages": [{"role": "user", "content": "Anna Veld telephoned Piet Brand. List actors and contacts."}],
        "max_tokens": 200,
        "temperature": 0,
        "grammar": compact_json_grammar(ArticleDraft.model_json_schema()),
    }
    reply = httpx.post(f"{tiny_server.base_url}/chat/completions", json=body, timeout=300)
    assert reply.status_code == httpx.codes.OK, reply.text
    content = reply.json()["choices"][0]["message"]["content"]
    assert content.startswith('{"') and "\n" not in content
    assert '": ' in content and not any(f"{mark}  " in content for mark in (":", ",", "{", "["))


def first_exchange_through_proxy(
    server: LocalServer, document: Document, prompt: Prompt
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Extract through a recording proxy: the first request's body, and the first answer's choice."""
    with RecordingProxy(server.base_url) as proxy:
        backend = connect("embedded", proxy.base_url, "unused", server.model_alias, None)
        with contextlib.suppress(ExtractionError):
            asyncio.run(extract_draft(backend, document, prompt, decoding=DECODING))
    request = proxy.posts()[0].body
    assert request is not None
    return request, proxy.answers[0]["choices"][0]


@pytest.mark.model
@pytest.mark.needs_llama_cpp
def test_embedded_extraction_sends_the_draft_schema_to_the_grammar_not_the_prompt(
    tiny_server: LocalServer, prompt: Prompt
) -> None:
    request, _ = first_exchange_through_proxy(tiny_server, golden("000_16f2693d727d1e4c"), prompt)
    assert "response_format" not in request
    assert request["grammar"] == compact_json_grammar(ArticleDraft.model_json_schema())
    assert not any('"$defs"' in message["content"] for message in request["messages"])


@pytest.mark.model
@pytest.mark.needs_llama_cpp
def test_the_tiny_models_first_answer_parses(tiny_server: LocalServer, prompt: Prompt) -> None:
    """Whether ids and citations then agree across the answer is the prompt's business; what the backend owes is
    an answer whose every record fits the schema at once, when the model finishes it (the tiny model may ramble
    to the token cap on another article)."""
    _, choice = first_exchange_through_proxy(tiny_server, golden("002_f78b9ad464a4f228"), prompt)
    assert choice["finish_reason"] == "stop"
    answer = json.loads(choice["message"]["content"])
    TypeAdapter(list[DraftActor]).validate_python(answer["actors"])
    TypeAdapter(list[DraftContact]).validate_python(answer["contacts"])


@pytest.mark.model
@pytest.mark.needs_llama_cpp
def test_tiny_model_gives_a_schema_valid_draft_or_a_clean_error(tmp_path: Path, prompt: Prompt) -> None:
    # A tight cap and one re-ask bound the test's time when the tiny model rambles.
    decoding = DecodingParams(max_tokens=512)

    async def extract() -> Extraction:
        async with open_backend(TINY_MODEL, None, None, tmp_path) as backend:
            document = golden("004_09eff2839907cb8f")
            return await extract_draft(backend, document, prompt, decoding=decoding, max_retries=1)

    try:
        extraction = asyncio.run(extract())
    except ExtractionError as error:
        assert error.reason and error.attempts >= 1
    else:
        assert isinstance(extraction.draft, ArticleDraft)
        assert extraction.usage.prompt_tokens > 0


@pytest.mark.model
@pytest.mark.needs_llama_cpp
def test_an_answer_cut_off_by_max_tokens_is_an_extraction_error(tiny_server: LocalServer, prompt: Prompt) -> None:
    backend = connect("embedded", tiny_server.base_url, "unused", TINY_MODEL, None)
    tight = DecodingParams(max_tokens=8)
    with pytest.raises(ExtractionError, match="cut off at max_tokens=8") as caught:
        asyncio.run(extract_draft(backend, golden("000_16f2693d727d1e4c"), prompt, decoding=tight))
    assert caught.value.attempts == 1
    assert caught.value.usage.completion_tokens == 8


@pytest.mark.slow
@pytest.mark.model
@pytest.mark.needs_llama_cpp
def test_default_model_answers_with_a_parseable_draft_naming_a_contact_first_time(
    tmp_path: Path, prompt: Prompt
) -> None:
    model = resolve_model(None)
    server = LocalServer(model.path, tmp_path, model_alias=model.id, chat_format=model.chat_format, n_ctx=model.n_ctx)
    with server:
        _, choice = first_exchange_through_proxy(server, golden("004_09eff2839907cb8f"), prompt)
    answer = ArticleDraft.model_validate_json(choice["message"]["content"])
    assert answer.contacts
