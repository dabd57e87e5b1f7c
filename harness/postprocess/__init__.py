"""Deterministic fixes after the model: a model's ``ArticleDraft`` becomes a validated ``Article``.

Everything a rule can do is done here rather than asked of the model, so it is the same for
every model and never costs a token: dates from the words for "when", evidence offsets, ISO
country codes, names without titles, aliases that really occur, the persons a model left out that
the text introduces by their office, the contacts it states plainly, and one record per actor and
per contact. The grounding rule: evidence is the text of the sentences the model cited by number
(see ``harness.sentences``) that use a word for a contact; any other citation is dropped, and a
contact left without evidence is dropped with it.
"""

from __future__ import annotations

from dataclasses import replace

from harness.documents import Document
from harness.normalize import normalize_text
from harness.postprocess.countries import normalize_country
from harness.postprocess.dates import find_date_text, resolve_relative_date
from harness.postprocess.initiators import infer_initiator
from harness.postprocess.mentions import named_in_text
from harness.postprocess.merge import (
    fold_titles,
    merge_duplicate_actors,
    merge_duplicate_contacts,
    remap_participants,
)
from harness.postprocess.names import (
    RANKS_AND_HONORIFICS,
    after_last_rank,
    split_nationality,
    split_title,
    strip_title,
)
from harness.postprocess.participants import (
    context_country,
    drop_reporters,
    drop_unnamed_people,
    people_for_countries,
)
from harness.postprocess.people import introduced_people, people_left_out, same_person, with_office
from harness.postprocess.stated_contacts import contacts_stated
from harness.sentences import reports_contact, split_sentences
from schemas.article import MAX_ALIASES, Actor, Article, DiplomaticContact, Evidence
from schemas.draft import ArticleDraft, DraftActor, DraftContact
from schemas.enums import ActorKind

__all__ = [
    "clean_actor",
    "find_date_text",
    "fold_titles",
    "ground_contact",
    "ground_evidence",
    "infer_initiator",
    "keep_aliases_in_text",
    "merge_duplicate_actors",
    "merge_duplicate_contacts",
    "named_in_text",
    "normalize_country",
    "people_left_out",
    "postprocess",
    "remap_participants",
    "resolve_relative_date",
    "same_person",
    "strip_title",
    "with_initiator",
    "with_office",
]


def clean_actor(draft: DraftActor) -> Actor | None:
    """The actor with its name stripped of titles, its role and country normalised; None if no name is left.

    A stripped office becomes the role when the model gave none, and a rank given as the role is
    dropped (a rank is not an office); a stripped nationality ("US Secretary ...") or one leading
    the role becomes the country when the model gave none. The aliases are the name as written where it
    was a title + surname ("Gen. Bajwa"), and a person's surname (``keep_aliases_in_text`` keeps those the
    text has): the model's answer has none, as aliases cost a fifth of its tokens.
    """
    split = split_title(draft.name)
    if draft.kind == ActorKind.PERSON:
        split = replace(split, name=after_last_rank(split.name))
    if not normalize_text(split.name):
        return None
    role_country, role = split_nationality(draft.role) if draft.role else (None, split.office)
    if role is not None and normalize_text(role) in RANKS_AND_HONORIFICS:
        role = None
    country = normalize_country(draft.country) or split.country or role_country
    if country is None and draft.kind == ActorKind.COUNTRY:
        country = normalize_country(split.name)
    aliases = []
    if split.name != draft.name and len(split.name.split()) == 1:
        aliases.append(draft.name)  # "Gen. Bajwa" is an alias form; "General Qamar Javed Bajwa" is role + name
    if draft.kind == ActorKind.PERSON and len(split.name.split()) > 1:
        aliases.append(split.name.split()[-1])  # the surname, the form later mentions use (kept if in the text)
    return Actor(id=draft.id, name=split.name, kind=draft.kind, role=role, country=country, aliases=aliases)


def keep_aliases_in_text(actor: Actor, text: str) -> Actor:
    """The actor with only the aliases that occur verbatim in ``text`` and differ from its name, at most the cap."""
    aliases = [alias for alias in actor.aliases if alias != actor.name and alias in text]
    return actor.model_copy(update={"aliases": aliases[:MAX_ALIASES]})


def ground_evidence(numbers: list[int], text: str) -> list[Evidence]:
    """The cited sentences of ``text`` that can report a contact, as evidence in text order, once each.

    Numbers of no sentence are dropped, and so are sentences without a contact word (see ``reports_contact``).
    """
    sentences = split_sentences(text)
    cited = (sentences[n - 1] for n in sorted(set(numbers)) if 1 <= n <= len(sentences))
    return [Evidence(quote=s.text, start=s.start, end=s.end) for s in cited if reports_contact(s.text)]


def ground_contact(draft: DraftContact, document: Document) -> DiplomaticContact | None:
    """The contact with its cited sentences as evidence and a resolved date; None when no evidence is left.

    The date is read from the model's ``date_text``, or else from the first evidence sentence that names a day.
    """
    evidence = ground_evidence(draft.evidence, document.text)
    participants = list(dict.fromkeys(draft.participants))
    if not evidence or len(participants) < 2:
        return None
    date_text = draft.date_text or next(filter(None, (find_date_text(e.quote) for e in evidence)), None)
    return DiplomaticContact(
        participants=participants,
        initiator=draft.initiator if draft.initiator in participants else None,
        mode=draft.mode,
        status=draft.status,
        date=resolve_relative_date(date_text, document.published),
        date_text=date_text,
        location=draft.location,
        topics=draft.topics,
        reported_by=draft.reported_by,
        evidence=evidence,
    )


def with_context_country(actor: Actor, text: str) -> Actor:
    """A person without a country, given the one the text qualifies its name with (see ``context_country``)."""
    if actor.kind != ActorKind.PERSON or actor.country is not None:
        return actor
    return actor.model_copy(update={"country": context_country(actor, text)})


def with_initiator(contact: DiplomaticContact, actors: dict[str, Actor]) -> DiplomaticContact:
    """The contact, its missing initiator read from its evidence (see ``infer_initiator``) where a verb says."""
    if contact.initiator is not None:
        return contact
    participants = [actors[actor_id] for actor_id in contact.participants]
    initiator = infer_initiator(participants, [evidence.quote for evidence in contact.evidence])
    return contact.model_copy(update={"initiator": initiator}) if initiator is not None else contact


def postprocess(draft: ArticleDraft, document: Document) -> Article:
    """The ``Article`` of ``document`` from a model's draft, validated against the document's text."""
    cleaned = [
        actor
        for actor in (clean_actor(actor) for actor in draft.actors)
        if actor is not None and named_in_text(actor, document.text)
    ]
    introduced = introduced_people(document.text)
    cleaned = [with_office(actor, introduced) for actor in cleaned]
    cleaned += people_left_out(cleaned, introduced)
    grounded = [ground_contact(contact, document) for contact in draft.contacts]
    titles = fold_titles(cleaned, document.text)
    actors, id_map = merge_duplicate_actors([actor for actor in cleaned if actor.id not in titles])
    id_map.update({title: id_map[person] for title, person in titles.items()})
    actors = [with_context_country(actor, document.text) for actor in actors]
    countries = {actor.id: actor.country for actor in actors if actor.kind == ActorKind.PERSON}
    contacts = remap_participants([c for c in grounded if c is not None], id_map)
    stated, actors = contacts_stated(contacts, actors, document)
    contacts += [contact for contact in (ground_contact(draft, document) for draft in stated) if contact is not None]
    by_id = {actor.id: actor for actor in actors}
    contacts = [people_for_countries(c, by_id, countries) for c in contacts]
    contacts = [c for c in (drop_reporters(c, by_id) for c in contacts) if c is not None]
    contacts = [drop_unnamed_people(c, by_id) for c in contacts]
    contacts = [with_initiator(contact, by_id) for contact in merge_duplicate_contacts(contacts)]
    data = {
        "doc_id": document.id,
        "headline": document.headline,
        "published": document.published,
        "outlet": draft.outlet,
        "dateline": draft.dateline,
        "actors": [keep_aliases_in_text(actor, document.text).model_dump() for actor in actors],
        "contacts": [contact.model_dump() for contact in contacts],
    }
    return Article.validate_against(data, document.text)
