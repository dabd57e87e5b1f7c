"""Who really took part: sources out, people in for their countries, read from the evidence sentences.

Two errors small models make, fixed by rules the annotation guidelines state:

- a body that only *reports* a contact (a press wing that "confirmed", a ministry that "issued a
  statement", an outlet in the dateline) is made a participant. Such a body is the contact's source:
  it goes to ``reported_by`` and leaves the participants. So does a body the contact's evidence
  never names: nothing shows it took part;
- a person the text names nearby is added to a contact of others ("A called on B", and C, whom B sent
  regards to, a participant too). In a contact of three or more, a person its evidence never names (by
  name, surname or alias) leaves it, unless the evidence refers to someone by pronoun only;
- a country stands for the person who represents it ("Pakistan" for its army chief). When the
  evidence names exactly one person of that country, that person is the participant; a country stays
  a participant only where it is visited or no one of it is named.
"""

from __future__ import annotations

import re

from harness.postprocess.countries import country_from_words
from harness.postprocess.mentions import mentions
from schemas.article import Actor, DiplomaticContact
from schemas.enums import ActorKind, ContactMode

__all__ = ["context_country", "drop_reporters", "drop_unnamed_people", "people_for_countries"]

_REPORTING_AFTER = re.compile(
    r"^\W{0,3}(?:\([^()]{1,20}\)\s*)?(?:\w+\s+){0,2}?"
    r"(?:said|says|confirmed|announced|stated|added|reported|issued|tweeted|posted|quoted|released|handout|statement)\b",
    re.IGNORECASE,
)
_REPORTING_BEFORE = re.compile(r"\b(?:according\s+to|quoting|quoted\s+by|said\s+the)\s+(?:the\s+)?$", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(?:he|she|they|him|them)\b", re.IGNORECASE)
_NATIONALITY_WINDOW = 6  # words before a name where "US", "Pakistan's" or "Korean" still qualifies it


def _reports(mention: re.Match[str], sentence: str) -> bool:
    """Whether this mention is a source: followed by a reporting verb, led by "according to", or bracketed."""
    before, after = sentence[: mention.start()], sentence[mention.end() :]
    bracketed = before.rstrip().endswith("(") and after.lstrip().startswith(")")
    return bracketed or bool(_REPORTING_AFTER.match(after)) or bool(_REPORTING_BEFORE.search(before))


def drop_reporters(contact: DiplomaticContact, actors: dict[str, Actor]) -> DiplomaticContact | None:
    """The contact without bodies (organisations, groups) that only report it or go unnamed in its evidence.

    None when fewer than two participants are left.
    """
    sentences = [evidence.quote for evidence in contact.evidence]
    reporters = []
    for actor_id in contact.participants:
        actor = actors[actor_id]
        if actor.kind not in (ActorKind.ORGANIZATION, ActorKind.GROUP):
            continue
        named = [(mention, sentence) for sentence in sentences for mention in mentions(actor, sentence)]
        if all(_reports(mention, sentence) for mention, sentence in named):
            reporters.append(actor)
    if not reporters:
        return contact
    kept = _without(contact, {actor.id for actor in reporters}, reported_by=contact.reported_by or reporters[0].name)
    return kept if len(kept.participants) >= 2 else None


def drop_unnamed_people(contact: DiplomaticContact, actors: dict[str, Actor]) -> DiplomaticContact:
    """The contact of three or more without the persons none of its evidence sentences names.

    A pair is kept as it is ("he met Dahl" names one of two), and so is every contact whose evidence has a
    personal pronoun, which may stand for the person not named.
    """
    sentences = [evidence.quote for evidence in contact.evidence]
    if len(contact.participants) < 3 or any(_PRONOUN.search(sentence) for sentence in sentences):
        return contact
    unnamed = {
        actor_id
        for actor_id in contact.participants
        if actors[actor_id].kind == ActorKind.PERSON and not _named_in(actors[actor_id], sentences, surname=True)
    }
    if not unnamed:
        return contact
    kept = _without(contact, unnamed)
    return kept if len(kept.participants) >= 2 else contact


def _named_in(actor: Actor, sentences: list[str], *, surname: bool = False) -> bool:
    """Whether any of ``sentences`` names the actor (see ``mentions``)."""
    return any(any(mentions(actor, sentence, surname=surname)) for sentence in sentences)


def _without(contact: DiplomaticContact, removed: set[str], **update: object) -> DiplomaticContact:
    """The contact without the participants ``removed`` (and without its initiator if it was one of them)."""
    participants = [p for p in contact.participants if p not in removed]
    initiator = contact.initiator if contact.initiator in participants else None
    return contact.model_copy(update={"participants": participants, "initiator": initiator, **update})


def context_country(actor: Actor, text: str) -> str | None:
    """The country a person's name is qualified by in ``text`` ("US Secretary of State Ann Veld" -> USA).

    The first nationality in the few words before a mention of the name, read left to right.
    """
    for mention in mentions(actor, text):
        words = re.findall(r"[\w.'\u2019-]+", text[: mention.start()])[-_NATIONALITY_WINDOW:]
        for previous, word in zip(["", *words], words, strict=False):
            if not word[:1].isupper() or previous.casefold() == "to":  # "Ambassador to X" is posted to X, not of it
                continue
            code = country_from_words(re.sub(r"['\u2019]s$", "", word))
            if code is not None:
                return code
    return None


def people_for_countries(
    contact: DiplomaticContact, actors: dict[str, Actor], countries: dict[str, str | None]
) -> DiplomaticContact:
    """The contact with each country participant replaced by the one person of it its evidence names.

    ``countries`` maps person ids to the country each represents. A visit keeps its country.
    """
    if contact.mode == ContactMode.VISIT:
        return contact
    sentences = [evidence.quote for evidence in contact.evidence]
    named = [
        actor_id for actor_id, actor in actors.items() if actor.kind == ActorKind.PERSON and _named_in(actor, sentences)
    ]
    participants = list(contact.participants)
    for index, actor_id in enumerate(participants):
        actor = actors[actor_id]
        if actor.kind != ActorKind.COUNTRY:
            continue
        code = actor.country
        people = [p for p in named if countries.get(p) == code and code is not None and p not in participants]
        if len(people) == 1:
            participants[index] = people[0]
            if contact.initiator == actor_id:
                contact = contact.model_copy(update={"initiator": people[0]})
    if participants == contact.participants or len(set(participants)) < 2:
        return contact
    return contact.model_copy(update={"participants": participants})
