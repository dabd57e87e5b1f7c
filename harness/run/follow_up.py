"""A second look at the sentences the first answer left uncited: one short question per sentence.

A small model lists the first contact or two of an article and stops (on the 23 goldens, extract@v5
gave 20 contacts where they require 43). A sentence that uses a contact word
(``reports_contact``), names at least two of the answer's actors and is cited by none of its contacts
is asked about on its own, as a further turn of the same conversation: the article and the first
answer are already in the server's prompt cache, so a question costs its own few dozen tokens and a
short answer. The answer may name only the answer's actor ids (an enum in its schema, which the
grammar enforces), so it cannot invent an actor, and only those the sentence names are kept. Persons
the text introduces by their office that the first answer left out (``people_left_out``) join the
actors first, so a contact with them can be found. Only prompts with a ``follow_up`` block ask (see
``harness.prompts``).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from harness.documents import Document
from harness.postprocess import clean_actor, named_in_text, people_left_out
from harness.postprocess.people import introduced_people
from harness.sentences import Sentence, reports_contact, split_sentences
from schemas.article import Actor
from schemas.draft import ArticleDraft, DraftActor, DraftContact
from schemas.enums import ContactMode, ContactStatus

__all__ = ["MAX_FOLLOW_UPS", "FollowUpAnswer", "contacts_of", "follow_up_model", "uncited_sentences", "with_people"]

MAX_FOLLOW_UPS = 6
"""At most this many questions per article, the first uncited sentences in text order: each costs ~2 s on a CPU."""
_MAX_ANSWER_CONTACTS = 4


class FollowUpAnswer(BaseModel):
    """The contacts one sentence reports, as the model answers a follow-up question."""

    model_config = ConfigDict(extra="ignore")
    contacts: list[Any]


def with_people(draft: ArticleDraft, text: str) -> ArticleDraft:
    """The draft with the persons ``text`` introduces by their office that its actors leave out, as draft actors."""
    cleaned = [actor for actor in map(clean_actor, draft.actors) if actor is not None]
    added = [
        DraftActor(id=person.id, name=person.name, kind=person.kind, role=person.role, country=person.country)
        for person in people_left_out(cleaned, introduced_people(text))
    ]
    return draft.model_copy(update={"actors": [*draft.actors, *added]}) if added else draft


def uncited_sentences(draft: ArticleDraft, document: Document) -> list[Sentence]:
    """The sentences worth a follow-up question: a contact word, two of the draft's actors named (not only those
    of one of its contacts), no citation."""
    cited = {number for contact in draft.contacts for number in contact.evidence}
    known = [set(contact.participants) for contact in draft.contacts]
    actors = [actor for actor in map(clean_actor, draft.actors) if actor is not None]
    chosen = []
    for sentence in split_sentences(document.text):
        if sentence.number in cited or not reports_contact(sentence.text):
            continue
        named = set(_named(actors, sentence.text))
        # Actors all of one known contact: most likely another mention of it, which adds nothing to ask about.
        if len(named) >= 2 and not any(named <= participants for participants in known):
            chosen.append(sentence)
    return chosen[:MAX_FOLLOW_UPS]


def _named(actors: Sequence[Actor], text: str) -> list[str]:
    return [actor.id for actor in actors if named_in_text(actor, text)]


@functools.lru_cache(maxsize=256)
def follow_up_model(ids: tuple[str, ...]) -> type[FollowUpAnswer]:
    """The answer to a follow-up question about an article whose actors have ``ids``: contacts between them only."""
    actor_id = Literal[ids]  # type: ignore[valid-type]
    contact = create_model(
        "SentenceContact",
        __config__=ConfigDict(extra="ignore"),
        participants=(list[actor_id], Field(min_length=2, max_length=4)),
        initiator=(actor_id | None, None),
        mode=(ContactMode, ...),
        status=(ContactStatus, ContactStatus.OCCURRED),
    )
    return create_model(
        "SentenceContacts",
        __base__=FollowUpAnswer,
        contacts=(list[contact], Field(max_length=_MAX_ANSWER_CONTACTS)),
    )


def contacts_of(answer: FollowUpAnswer, sentence: Sentence, draft: ArticleDraft) -> list[DraftContact]:
    """The answer's contacts as draft contacts citing ``sentence``, between the actors the sentence names.

    A small model asked about a sentence answers with a contact even where it reports none, padding it
    with the article's other actors; a participant the sentence does not name is dropped, and a contact
    left with fewer than two is dropped with it.
    """
    actors = [actor for actor in map(clean_actor, draft.actors) if actor is not None]
    named = set(_named(actors, sentence.text))
    contacts = []
    for contact in answer.contacts:
        participants = [actor_id for actor_id in dict.fromkeys(contact.participants) if actor_id in named]
        if len(participants) < 2:
            continue
        initiator = contact.initiator if contact.initiator in participants else None
        contacts.append(
            DraftContact(
                participants=participants,
                initiator=initiator,
                mode=contact.mode,
                status=contact.status,
                evidence=[sentence.number],
            )
        )
    return contacts
