"""One faulty record never costs a document: faulty contacts are dropped or mended, and said so in the result."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from fault_endpoint import Completion, FaultEndpoint

from harness.backends.client import DecodingParams, open_backend
from harness.documents import Document
from harness.prompts import load_prompt
from harness.run.cache import ResponseCache
from harness.run.jobs import JobSummary, run_job
from schemas.draft import ArticleDraft

TEXT = "Anna Veld telephoned Piet Brand on Monday. Veld later praised Carl Ode in Oslo."
ACTORS = [
    {"id": "veld", "name": "Anna Veld", "kind": "person"},
    {"id": "brand", "name": "Piet Brand", "kind": "person"},
    {"id": "ode", "name": "Carl Ode", "kind": "person"},
]
GOOD = {"participants": ["veld", "brand"], "initiator": "veld", "mode": "phone_call", "evidence": [1]}
DANGLING = {"participants": ["veld", "nobody"], "mode": "meeting", "evidence": [2]}


def draft(*contacts: dict[str, Any]) -> dict[str, Any]:
    return {"actors": ACTORS, "contacts": list(contacts)}


def test_a_contact_naming_an_unknown_actor_is_dropped_and_the_rest_kept() -> None:
    answer = ArticleDraft.model_validate(draft(GOOD, DANGLING))
    assert [contact.participants for contact in answer.contacts] == [["veld", "brand"]]
    assert answer.repairs == ["dropped contacts[1]: its participants use ids not in actors: ['nobody']"]


def test_a_self_contact_is_dropped() -> None:
    answer = ArticleDraft.model_validate(draft(GOOD, {**GOOD, "participants": ["ode", "ode"], "initiator": None}))
    assert len(answer.contacts) == 1
    assert answer.repairs == ["dropped contacts[1]: its participants are not two different actors"]


def test_a_participant_written_twice_is_kept_once() -> None:
    answer = ArticleDraft.model_validate(draft({**GOOD, "participants": ["veld", "brand", "veld"]}))
    assert answer.contacts[0].participants == ["veld", "brand"]
    assert answer.repairs == []


def test_an_initiator_outside_the_participants_is_cleared_not_the_contact() -> None:
    answer = ArticleDraft.model_validate(draft({**GOOD, "initiator": "ode"}))
    assert answer.contacts[0].participants == ["veld", "brand"]
    assert answer.contacts[0].initiator is None
    assert answer.repairs == ["contacts[0]: cleared initiator 'ode', not one of its participants"]


def test_an_answer_whose_every_contact_is_faulty_keeps_its_actors_and_says_what_it_dropped() -> None:
    answer = ArticleDraft.model_validate(draft(DANGLING))
    assert (len(answer.actors), answer.contacts) == (3, [])
    assert answer.repairs == ["dropped contacts[0]: its participants use ids not in actors: ['nobody']"]


def test_an_answer_without_contacts_is_valid() -> None:
    assert ArticleDraft.model_validate(draft()).contacts == []


def _faulty_answer(body: dict[str, Any]) -> Completion:
    return Completion(json.dumps(draft(GOOD, DANGLING)))


def _run(server: FaultEndpoint, out: Path, cache: ResponseCache) -> JobSummary:
    async def job() -> JobSummary:
        async with open_backend(server.model, server.base_url, "sk-test", out) as backend:
            documents = [Document(id="doc", text=TEXT, source="doc.txt")]
            prompt = load_prompt("extract@v1")
            return await run_job(
                documents, out, backend, prompt, decoding=DecodingParams(), cache=cache, max_retries=0, progress=False
            )

    return asyncio.run(job())


def test_a_job_keeps_the_document_of_an_answer_with_a_faulty_contact_and_records_the_warning(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path / "cache")
    with FaultEndpoint(answer=_faulty_answer) as server:
        first = _run(server, tmp_path / "first", cache)
        again = _run(server, tmp_path / "again", cache)
        assert len(server.log) == 1  # the second run took the answer from the cache
    for summary in (first, again):
        record = summary.records["doc"]
        assert record.status == "ok"
        assert record.article is not None
        assert [sorted(contact.participants) for contact in record.article.contacts] == [["brand", "veld"]]
        assert record.warnings == ["dropped contacts[1]: its participants use ids not in actors: ['nobody']"]
    assert again.records["doc"].cached
