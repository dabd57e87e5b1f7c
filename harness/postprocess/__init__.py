"""Deterministic fixes after the model: a model's ``ArticleDraft`` becomes a validated ``Article``.

Everything a rule can do is done here rather than asked of the model, so it is the same for
every model and never costs a token: dates from the words for "when", evidence offsets, ISO
country codes, names without titles, aliases that really occur, and one record per actor and
per contact. The grounding rule: a quote that is not in the text is dropped, and a contact left
without evidence is dropped with it.
"""

from __future__ import annotations

from harness.documents import Document
from harness.postprocess.countries import normalize_country
from harness.postprocess.dates import resolve_relative_date
from harness.postprocess.merge import merge_duplicate_actors, merge_duplicate_contacts, remap_participants
from harness.postprocess.names import RANKS_AND_HONORIFICS, split_nationality, split_title, strip_title
from harness.scoring.normalize import normalize_text
from schemas.article import MAX_ALIASES, MAX_QUOTE_CHARS, Actor, Article, DiplomaticContact, Evidence
from schemas.draft import ArticleDraft, DraftActor, DraftContact
from schemas.enums import ActorKind
from schemas.quotes import evidence_offsets

__all__ = [
    "clean_actor",
    "evidence_offsets",
    "ground_contact",
    "ground_evidence",
    "keep_aliases_in_text",
    "merge_duplicate_actors",
    "merge_duplicate_contacts",
    "normalize_country",
    "postprocess",
    "remap_participants",
    "resolve_relative_date",
    "strip_title",
]


def clean_actor(draft: DraftActor) -> Actor | None:
    """The actor with its name stripped of titles, its role and country normalised; None if no name is left.

    A stripped office becomes the role when the model gave none, and a rank given as the role is
    dropped (a rank is not an office); a stripped nationality ("US Secretary ...") or one leading
    the role becomes the country when the model gave none.
    """
    split = split_title(draft.name)
    if not normalize_text(split.name):
        return None
    role_country, role = split_nationality(draft.role) if draft.role else (None, split.office)
    if role is not None and normalize_text(role) in RANKS_AND_HONORIFICS:
        role = None
    country = normalize_country(draft.country) or split.country or role_country
    if country is None and draft.kind == ActorKind.COUNTRY:
        country = normalize_country(split.name)
    aliases = list(draft.aliases)
    if split.name != draft.name and len(split.name.split()) == 1:
        aliases.append(draft.name)  # "Gen. Bajwa" is an alias form; "General Qamar Javed Bajwa" is role + name
    return Actor(id=draft.id, name=split.name, kind=draft.kind, role=role, country=country, aliases=aliases)


def keep_aliases_in_text(actor: Actor, text: str) -> Actor:
    """The actor with only the aliases that occur verbatim in ``text`` and differ from its name, at most the cap."""
    aliases = [alias for alias in actor.aliases if alias != actor.name and alias in text]
    return actor.model_copy(update={"aliases": aliases[:MAX_ALIASES]})


def ground_evidence(quotes: list[str], text: str) -> list[Evidence]:
    """Each quote found in ``text`` (see ``evidence_offsets``), stored as the text's own characters, once each."""
    evidence: list[Evidence] = []
    for quote in quotes:
        span = evidence_offsets(quote, text)
        if span is None or any(e.start == span[0] and e.end == span[1] for e in evidence):
            continue
        start, end = span
        if end - start <= MAX_QUOTE_CHARS:
            evidence.append(Evidence(quote=text[start:end], start=start, end=end))
    return evidence


def ground_contact(draft: DraftContact, document: Document) -> DiplomaticContact | None:
    """The contact with located evidence and a resolved date; None when no quote is in the text (grounding)."""
    evidence = ground_evidence(draft.evidence, document.text)
    participants = list(dict.fromkeys(draft.participants))
    if not evidence or len(participants) < 2:
        return None
    return DiplomaticContact(
        participants=participants,
        initiator=draft.initiator if draft.initiator in participants else None,
        mode=draft.mode,
        status=draft.status,
        date=resolve_relative_date(draft.date_text, document.published),
        date_text=draft.date_text,
        location=draft.location,
        topics=draft.topics,
        reported_by=draft.reported_by,
        evidence=evidence,
    )


def postprocess(draft: ArticleDraft, document: Document) -> Article:
    """The ``Article`` of ``document`` from a model's draft, validated against the document's text."""
    cleaned = [clean_actor(actor) for actor in draft.actors]
    grounded = [ground_contact(contact, document) for contact in draft.contacts]
    actors, id_map = merge_duplicate_actors([actor for actor in cleaned if actor is not None])
    contacts = merge_duplicate_contacts(remap_participants([c for c in grounded if c is not None], id_map))
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
