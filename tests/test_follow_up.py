"""Follow-up questions: one per sentence the first answer left uncited, through a scripted endpoint on loopback."""

from __future__ import annotations

import asyncio
import json

from loopback_http import ScriptedEndpoint, chat_completion
from paths import PROMPTS

from harness.backends.client import DecodingParams, connect
from harness.documents import Document
from harness.prompts import load_prompt
from harness.run.extract import Extraction, extract_draft
from harness.run.follow_up import MAX_FOLLOW_UPS, follow_up_model, uncited_sentences, with_people
from harness.run.usage import Usage
from schemas.draft import ArticleDraft

FOLLOW_UP_PROMPT = load_prompt("extract@v7", PROMPTS)
TEXT = (
    "Ann Berg telephoned Bob Dahl on Monday.\n"
    "Ann Berg also met Foreign Minister Cara Lind in Oslo.\n"
    "Bob Dahl criticised the plan.\n"
)
DOCUMENT = Document(id="doc", text=TEXT)
FIRST = json.dumps(
    {
        "actors": [
            {"id": "ann", "name": "Ann Berg", "kind": "person"},
            {"id": "bob", "name": "Bob Dahl", "kind": "person"},
        ],
        "contacts": [{"participants": ["ann", "bob"], "initiator": "ann", "mode": "phone_call", "evidence": [1]}],
    },
    separators=(", ", ": "),
)
MEETING = json.dumps({"contacts": [{"participants": ["ann", "lind"], "initiator": "ann", "mode": "meeting"}]})


def extract(endpoint: ScriptedEndpoint) -> Extraction:
    backend = connect("compatible", endpoint.base_url, "test-key", "test-model", None, transport_attempts=1)
    return asyncio.run(extract_draft(backend, DOCUMENT, FOLLOW_UP_PROMPT, decoding=DecodingParams()))


def first_draft() -> ArticleDraft:
    return ArticleDraft.model_validate_json(FIRST, context={"sentences": 3})


def test_only_uncited_sentences_with_a_contact_word_and_two_actors_are_asked_about() -> None:
    draft = with_people(first_draft(), TEXT)
    assert [actor.id for actor in draft.actors] == ["ann", "bob", "lind"]  # introduced by her office
    assert [sentence.number for sentence in uncited_sentences(draft, DOCUMENT)] == [2]
    assert uncited_sentences(first_draft(), DOCUMENT) == []  # without Lind, sentence 2 names one actor


def test_questions_stop_at_the_cap_and_skip_further_mentions_of_a_known_contact() -> None:
    text = "Ann Berg telephoned Bob Dahl.\nAnn Berg and Bob Dahl talked again.\n" + "".join(
        f"Ann Berg met Foreign Minister Cara Lind in city number {n}.\n" for n in range(MAX_FOLLOW_UPS + 3)
    )
    draft = with_people(first_draft(), text)
    asked = uncited_sentences(draft, Document(id="many", text=text))
    assert [sentence.number for sentence in asked] == list(range(3, 3 + MAX_FOLLOW_UPS))


def test_a_follow_up_answer_may_name_the_answers_actors_only() -> None:
    schema = json.dumps(follow_up_model(("ann", "bob")).model_json_schema())
    assert '"enum": ["ann", "bob"]' in schema


def test_the_contacts_of_an_uncited_sentence_join_the_draft_citing_it() -> None:
    replies = [chat_completion(FIRST, completion_tokens=50), chat_completion(MEETING, completion_tokens=15)]
    with ScriptedEndpoint(replies) as endpoint:
        extraction = extract(endpoint)
        question = endpoint.posts()[-1].body
    assert extraction.attempts == 1 and extraction.usage == Usage(200, 65)
    contacts = [(c.participants, c.initiator, c.mode.value, c.evidence) for c in extraction.draft.contacts]
    assert contacts == [(["ann", "bob"], "ann", "phone_call", [1]), (["ann", "lind"], "ann", "meeting", [2])]
    assert question is not None
    # The first answer goes back as the model wrote it, so the server's prompt cache holds the conversation.
    assert question["messages"][-2] == {"role": "assistant", "content": FIRST}
    assert "Sentence [2] again: Ann Berg also met" in question["messages"][-1]["content"]
    assert "lind (Cara Lind)" in question["messages"][-1]["content"]


def test_a_follow_up_without_a_valid_answer_costs_only_its_sentence() -> None:
    with ScriptedEndpoint([chat_completion(FIRST), chat_completion('{"contacts": [')]) as endpoint:
        extraction = extract(endpoint)
    assert [contact.evidence for contact in extraction.draft.contacts] == [[1]]
    assert len(extraction.draft.repairs) == 1
    assert extraction.draft.repairs[0].startswith("follow-up on sentence 2 gave nothing: ")


def test_a_prompt_without_a_follow_up_block_asks_nothing_more() -> None:
    assert not load_prompt("extract@v5", PROMPTS).asks_follow_ups and FOLLOW_UP_PROMPT.asks_follow_ups
