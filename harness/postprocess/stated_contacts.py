"""Contacts a sentence states in the plainest news English, found without a model: "A met B", "A held talks with
B, C and D", "he had spoken with B", "A received a phone call from B", "A, in a phone call to B, ...", "A held
talks with counterparts from X, Y and Z".

A small model reports the first contact of an article and stops, and asked again sentence by sentence
it invented more than it found (a follow-up question per uncited sentence, measured and removed; see the
README). These sentences need no judgement: a named actor, a verb of meeting or talking in the past
("met", "held talks with", "spoke with", "telephoned"), then the actors it was with, one after another,
joined by commas and "and", each perhaps behind a possessive, a nationality or an office ("his Danish
counterpart President Ola Nord"). Each counterpart is one contact with the subject, as the guidelines
say ("one record per counterpart"); "he" or "she" is the first person the sentence named, "the foreign
minister" the one actor with that role, "His Majesty" the one person named with it. A contact named as a
noun ("during a meeting with B") belongs to the sentence's subject: the person it names first and any listed
with them. A clause the pattern does not fit gives nothing: this finds
what the model missed, it does not second-guess it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from harness.documents import Document
from harness.normalize import actor_id, normalize_text
from harness.postprocess.countries import country_from_words
from harness.postprocess.mentions import mentions
from harness.postprocess.people import LOWERCASE_OFFICES
from harness.sentences import Sentence, reports_contact, split_sentences
from schemas.article import Actor, DiplomaticContact
from schemas.draft import DraftContact
from schemas.enums import ActorKind, ContactMode

__all__ = ["StatedContact", "contacts_stated", "stated_contacts"]

_VERBS: tuple[tuple[str, ContactMode], ...] = (
    (r"(?:met|meets)(?:\s+with)?", ContactMode.MEETING),
    (r"held\s+(?:a\s+)?meeting\s+with", ContactMode.MEETING),
    (
        r"(?:telephoned|phoned|held\s+(?:a\s+)?(?:phone|telephone)\s+(?:call|conversation)s?\s+with)",
        ContactMode.PHONE_CALL,
    ),
    (r"received\s+(?:a|an|another)\s+(?:(?:phone|telephone)\s+)?call\s+from", ContactMode.PHONE_CALL),
    (r"held\s+(?:a\s+)?(?:video\s+conference|virtual\s+meeting|video\s+call)\s+with", ContactMode.VIDEO_CALL),
    (r"(?:held\s+(?:talks|discussions)|spoke|talked|(?:had|has|have)\s+spoken)\s+(?:with|to)", ContactMode.UNSPECIFIED),
)
_VERB = re.compile("|".join(rf"\b(?P<v{index}>{pattern})\b" for index, (pattern, _) in enumerate(_VERBS)), re.I)
_NOUN = re.compile(
    r"\b(?:during|in|at|after)\s+(?:(?:a|an|the|their|his|her)\s+)?(?:(?:separate|brief|bilateral)\s+)?"
    r"(?:(?P<phone>(?:tele)?phone\s+(?:call|conversation))|(?P<talks>talks)|meeting)\s+(?:with|(?P<to>to))\b",
    re.I,
)
"""A contact named as a noun, "during a meeting with B", "in a separate phone call to B": its subject is the
sentence's, the person named first and any listed with them ("A and B, in a phone call to C, ...")."""
_AUXILIARY = r"\b(?:has|had|have|also|earlier|later|then|again|separately|first)\b"
"""Auxiliaries and a few adverbs, what may stand between a subject and its verb ("Berg has also met")."""
_HONORIFIC = re.compile(rf"\b(?:his|her)\s+(?:royal\s+)?(?:majesty|highness|excellency)(?=(?:\s|{_AUXILIARY})*$)", re.I)
_BEFORE_VERB = re.compile(rf"^(?:\s|,|{_AUXILIARY})*$", re.I)
_DESCRIPTION = re.compile(rf"\bthe\s+(?P<office>(?:[\w-]+\s+){{0,3}}[\w-]+?)\s*(?:{_AUXILIARY}\s*)*$", re.I)
_AUXILIARIES = re.compile(rf"(?:\s+{_AUXILIARY})+$", re.I)
_PRONOUN = re.compile(r"\b(?:he|she)\s*$", re.I)
_GLUE_WORDS = "|".join(sorted({"his", "her", "their", "the", "its", "counterparts", "from", *LOWERCASE_OFFICES}))
_GLUE = re.compile(rf"^(?:\s|,|\band\b|\b(?:{_GLUE_WORDS})\b|[A-Z][\w.'\u2019-]*)*$")
"""What may stand before and between counterparts: commas, "and", possessives, "counterpart(s) from", the nouns
of an office news writes in lower case ("member"), and capitalised words (nationalities, offices: "his Danish
counterpart President")."""
_PLACED = re.compile(r"\b(?:visit|sidelines|summit)\b|\b(?:at|in)\s+(?:the\s+)?[A-Z]")
"""Words placing talks where both sides were, which makes them a meeting (the guidelines' "Meeting place")."""
_MAX_GLUE_WORDS = 6
_SEPARATOR = re.compile(r",|\band\b")
_COUNTERPARTS_FROM = re.compile(r"^\s*(?:his|her|their)?\s*counterparts\s+from\s+", re.I)
_LIST_ITEM = re.compile(r"\s*(?:,\s*(?:and\s+)?|\band\s+)")


@dataclass(frozen=True)
class StatedContact:
    """A subject, one counterpart and the mode the verb gives; a country counterpart may be new to the actors."""

    subject: str
    """The subject's actor id."""
    counterpart: Actor
    mode: ContactMode
    initiator: str | None = None
    """The caller's id where the words say who called ("a phone call to B": the subject); else None, and
    post-processing reads it from the sentence as it does for the model's contacts."""


def stated_contacts(sentence: Sentence, actors: Sequence[Actor]) -> list[StatedContact]:
    """The contacts ``sentence`` states as "<subject> <verb> <counterparts>", one per counterpart."""
    found = []
    for verb in _VERB.finditer(sentence.text):
        mode = _VERBS[int(str(verb.lastgroup)[1:])][1]  # the group named v<index> of the verb that matched
        if (
            mode == ContactMode.UNSPECIFIED
            and verb.group().lower().startswith("held")
            and _PLACED.search(sentence.text)
        ):
            mode = ContactMode.MEETING
        subject = _subject(sentence.text[: verb.start()], actors)
        if subject is None:
            continue
        for counterpart in _counterparts(sentence.text[verb.end() :], actors):
            if counterpart.id != subject.id:
                found.append(StatedContact(subject.id, counterpart, mode))
    for noun in _NOUN.finditer(sentence.text):
        mode = (
            ContactMode.PHONE_CALL
            if noun["phone"]
            else ContactMode.UNSPECIFIED
            if noun["talks"]
            else ContactMode.MEETING
        )
        counterparts = list(_counterparts(sentence.text[noun.end() :], actors))
        for subject in _subject_list(sentence.text[: noun.start()], actors):
            initiator = subject.id if noun["phone"] and noun["to"] else None
            found += [StatedContact(subject.id, c, mode, initiator) for c in counterparts if c.id != subject.id]
    return found


def _subject_list(before: str, actors: Sequence[Actor]) -> list[Actor]:
    """The first person ``before`` names and those listed with them ("A, the envoy, and B")."""
    hits = _named(before, actors, ActorKind.PERSON)
    if not hits:
        return []
    _, end, first = min(hits, key=lambda hit: hit[0])
    listed = [first]
    for actor in _listed(before, hits, end, separated=True):
        if actor not in listed:
            listed.append(actor)
    return listed


def _subject(before: str, actors: Sequence[Actor]) -> Actor | None:
    """The actor named right before the verb, or the sentence's first person for "he"/"she"."""
    honorific = _HONORIFIC.search(before)
    if honorific is not None:
        return _by_honorific(honorific.group(), actors)
    pronoun = _PRONOUN.search(before)
    if pronoun is not None and _BEFORE_VERB.match(before[pronoun.end() :]):
        people = sorted(_named(before[: pronoun.start()], actors, ActorKind.PERSON), key=lambda hit: hit[0])
        return people[0][2] if people else None
    named = [hit for hit in _named(before, actors) if _BEFORE_VERB.match(before[hit[1] :])]
    if named:
        return max(named, key=lambda hit: hit[1])[2]
    return _by_office(before, actors)


def _the_one_person(actors: Sequence[Actor], fits: Callable[[Actor], bool]) -> Actor | None:
    """The person of ``actors`` that ``fits``, when exactly one does."""
    holders = [actor for actor in actors if actor.kind == ActorKind.PERSON and fits(actor)]
    return holders[0] if len(holders) == 1 else None


def _by_honorific(honorific: str, actors: Sequence[Actor]) -> Actor | None:
    """The one person the text names with this honorific ("His Majesty King Olav" for "His Majesty")."""
    form = normalize_text(honorific)
    return _the_one_person(actors, lambda a: any(normalize_text(n).startswith(form) for n in (a.name, *a.aliases)))


def _same_office(role: str, description: str) -> bool:
    """Whether a role and a description name one office, one perhaps fuller ("external affairs minister")."""
    return role == description or f" {role}".endswith(f" {description}") or f" {description}".endswith(f" {role}")


def _by_office(before: str, actors: Sequence[Actor]) -> Actor | None:
    """The one person whose role "the <office>" right before the verb names ("The foreign minister also met")."""
    description = _DESCRIPTION.search(before)
    if description is None:
        return None
    office = normalize_text(_AUXILIARIES.sub("", description.group("office")))
    return _the_one_person(actors, lambda a: bool(a.role) and _same_office(normalize_text(str(a.role)), office))


def _counterparts(after: str, actors: Sequence[Actor]) -> Iterator[Actor]:
    """The actors listed right after the verb, in order, while only list glue stands between them."""
    countries = _COUNTERPARTS_FROM.match(after)
    if countries is not None:
        yield from _country_list(after[countries.end() :], actors)
        return
    yield from _listed(after, _named(after, actors), 0, separated=False)


def _listed(text: str, hits: list[tuple[int, int, Actor]], position: int, *, separated: bool) -> Iterator[Actor]:
    """The actors of ``hits`` from ``position`` on, in text order, while only list glue stands between them (with
    ``separated``, glue that has a comma or "and": "A, the envoy, and B", not "A's aide B")."""
    for start, end, actor in sorted(hits, key=lambda hit: hit[0]):
        if start < position:
            continue
        glue = text[position:start]
        if not _GLUE.match(glue) or len(glue.split()) > _MAX_GLUE_WORDS or (separated and not _SEPARATOR.search(glue)):
            return
        yield actor
        position = end


def _country_list(text: str, actors: Sequence[Actor]) -> Iterator[Actor]:
    """The countries of "X, the Y and Z" up to the first item that is not one."""
    clause = re.split(r"[.;:]|\s(?:to|on|about|during|in)\s", text, maxsplit=1)[0]
    by_code = {actor.country: actor for actor in actors if actor.kind == ActorKind.COUNTRY and actor.country}
    for item in _LIST_ITEM.split(clause):
        name = re.sub(r"^the\s+", "", item.strip(), flags=re.I)
        code = country_from_words(name) if name else None
        if code is None:
            return
        yield by_code.get(code) or Actor(
            id=actor_id(name),
            name=name,
            kind=ActorKind.COUNTRY,
            country=code,
        )


def _named(text: str, actors: Sequence[Actor], kind: ActorKind | None = None) -> list[tuple[int, int, Actor]]:
    """(start, end, actor) of every mention of a person or country of ``actors`` in ``text``."""
    hits = []
    for actor in actors:
        if actor.kind not in (ActorKind.PERSON, ActorKind.COUNTRY) or (kind is not None and actor.kind != kind):
            continue
        found = mentions(actor, text, surname=True, family_first=True)
        hits += [(match.start(), match.end(), actor) for match in found]
    return hits


def contacts_stated(
    contacts: Sequence[DraftContact | DiplomaticContact], actors: list[Actor], document: Document
) -> tuple[list[DraftContact], list[Actor]]:
    """The contacts the text states plainly (``stated_contacts``) that none of ``contacts`` covers, as draft
    contacts citing their sentence (post-processing grounds them as it grounds the model's), and ``actors`` with
    the countries they are with that no actor is."""
    actors = list(actors)
    by_id = {actor.id: actor for actor in actors}
    added: list[DraftContact] = []
    for sentence in split_sentences(document.text):
        if not reports_contact(sentence.text):
            continue
        for stated in stated_contacts(sentence, actors):
            counterpart = by_id.setdefault(stated.counterpart.id, stated.counterpart)
            if counterpart != stated.counterpart:
                continue  # a new country whose id another actor has
            if counterpart not in actors:
                actors.append(counterpart)
            pair = {stated.subject, counterpart.id}
            if any(pair <= set(contact.participants) for contact in (*contacts, *added)):
                continue
            participants = [stated.subject, counterpart.id]
            added.append(
                DraftContact(
                    participants=participants, initiator=stated.initiator, mode=stated.mode, evidence=[sentence.number]
                )
            )
    return added, actors
