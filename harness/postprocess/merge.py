"""One record per actor and per contact, however many times a model wrote them.

Small models list "Pompeo" and "Mike Pompeo" as two actors, or repeat a call once per sentence
that mentions it. The scorer aligns records one to one, so every duplicate would count as a false
positive; merging them here is deterministic and needs no model.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

from harness.normalize import normalize_name
from harness.postprocess.countries import normalize_country
from harness.postprocess.mentions import phrase_pattern
from harness.postprocess.names import RANKS_AND_HONORIFICS
from schemas.article import MAX_ALIASES, MAX_EVIDENCE, MAX_TOPICS, Actor, DiplomaticContact, Evidence
from schemas.enums import ActorKind, ContactMode

__all__ = ["fold_titles", "merge_duplicate_actors", "merge_duplicate_contacts", "remap_participants"]

_BODIES = frozenset({ActorKind.ORGANIZATION, ActorKind.GROUP})
"""Kinds a model confuses ("the ministry" as organisation or group); persons and countries are kept apart."""

_Item = TypeVar("_Item")


def _distinct(items: Iterable[_Item], key: Callable[[_Item], Hashable] | None = None) -> list[_Item]:
    """Items in order, the first of each equal ``key(item)`` (or item) kept."""
    seen: set[Hashable] = set()
    kept = []
    for item in items:
        marker = key(item) if key is not None else item
        if marker not in seen:
            seen.add(marker)
            kept.append(item)
    return kept


def _compatible(first: Actor, second: Actor) -> bool:
    return first.kind == second.kind or {first.kind, second.kind} <= _BODIES


def _identity(actor: Actor) -> tuple[str, str]:
    """What makes two actors the same without doubt: one country code, or one name once normalised."""
    if actor.kind == ActorKind.COUNTRY:
        code = normalize_country(actor.name) or actor.country
        if code is not None:
            return "country", code
    return "name", normalize_name(actor.name)


def _is_short_form(short: Actor, full: Actor) -> bool:
    """Whether ``short`` names ``full`` by a shorter form: its surname ("Pompeo"), or one of its aliases."""
    if not _compatible(short, full):
        return False
    short_words, full_words = normalize_name(short.name).split(), normalize_name(full.name).split()
    is_surname = 0 < len(short_words) < len(full_words) and full_words[-len(short_words) :] == short_words
    if short.kind == ActorKind.PERSON and is_surname:
        return True
    return " ".join(short_words) in {normalize_name(alias) for alias in full.aliases}


def _fullest_name(members: list[Actor]) -> str:
    """The name with most words; the first such when several tie (the text's first full form)."""
    return max((member.name for member in members), key=lambda name: len(normalize_name(name).split()))


def _combine(members: list[Actor]) -> Actor:
    """One actor from several: the first one's id and kind, the fullest name, the first of each other field."""
    base = members[0]
    name = _fullest_name(members)
    forms = [member.name for member in members] + [alias for member in members for alias in member.aliases]
    return base.model_copy(
        update={
            "name": name,
            "role": next((m.role for m in members if m.role), None),
            "affiliation": next((m.affiliation for m in members if m.affiliation), None),
            "country": next((m.country for m in members if m.country), None),
            # Several members' aliases together can pass the cap an Actor allows; the first forms are kept.
            "aliases": [form for form in _distinct(forms) if form != name][:MAX_ALIASES],
        }
    )


def _group_by_identity(actors: list[Actor]) -> list[list[Actor]]:
    groups: list[list[Actor]] = []
    for actor in actors:
        key = _identity(actor)
        home = next((group for group in groups if _identity(group[0]) == key and _compatible(group[0], actor)), None)
        if home is None:
            groups.append([actor])
        else:
            home.append(actor)
    return groups


def _join_short_forms(groups: list[list[Actor]], order: dict[str, int]) -> list[list[Actor]]:
    """Fold each group into the one other group it is a short form of; an ambiguous short form stays apart."""
    combined = {id(group): _combine(group) for group in groups}  # each group's actor, built once, not per pair
    for group in list(groups):
        short = combined[id(group)]
        targets = [other for other in groups if other is not group and _is_short_form(short, combined[id(other)])]
        if len(targets) == 1:
            target = targets[0]
            target.extend(group)
            target.sort(key=lambda member: order[member.id])
            groups.remove(group)
            combined[id(target)] = _combine(target)
    return sorted(groups, key=lambda members: order[members[0].id])


def merge_duplicate_actors(actors: list[Actor]) -> tuple[list[Actor], dict[str, str]]:
    """Actors with duplicates merged, and a map from every input id to the id that now stands for it.

    Two actors are one when their normalised names (or, for countries, their ISO codes) are equal
    and their kinds compatible, or when one is a short form of exactly one other: a person's
    surname ("Pompeo" of "Mike Pompeo") or one of its aliases. A later actor reusing an earlier one's
    id is dropped: the contacts that name the id cannot tell the two apart.
    """
    actors = _distinct(actors, key=lambda actor: actor.id)
    order = {actor.id: index for index, actor in enumerate(actors)}
    groups = _join_short_forms(_group_by_identity(actors), order)
    id_map = {member.id: group[0].id for group in groups for member in group}
    return [_combine(group) for group in groups], id_map


_RANK = "|".join(sorted((re.escape(rank) for rank in RANKS_AND_HONORIFICS), key=len, reverse=True))
_BETWEEN_TITLE_AND_NAME = rf"\s*(?:\([^()]{{1,20}}\)\s*)?(?:(?:{_RANK})\.?\s+)*"
"""What may stand between an office and the name it precedes: an acronym in brackets, then ranks."""


def fold_titles(actors: list[Actor], text: str) -> dict[str, str]:
    """Ids of "persons" that are only the title of another person, each mapped to that person's id.

    Models list "Chief of Army Staff (COAS)" and "Qamar Bajwa" as two people when the text says
    "Chief of Army Staff (COAS) General Qamar Bajwa". A person actor whose name the text puts right
    in front of another person's full name (an acronym in brackets and ranks may come between) is
    that person's title.
    """
    persons = [actor for actor in actors if actor.kind == ActorKind.PERSON]
    folded: dict[str, str] = {}
    for title in persons:
        # Where the title ends in the text; each is then tried against every name (patterns compiled once per name).
        ends = [match.end(1) for match in _phrase_ahead(title.name).finditer(text)]
        if not ends:
            continue
        for person in persons:
            if person is title or len(person.name.split()) < 2 or person.id in folded:
                continue
            if any(_name_after_title(person.name).match(text, end) for end in ends):
                folded[title.id] = person.id
                break
    return folded


@functools.lru_cache(maxsize=4096)  # names repeat across a corpus; compiling a pattern costs more than matching it
def _phrase_ahead(phrase: str) -> re.Pattern[str]:
    """Every start of ``phrase`` in a text, overlapping ones included (group 1 is the phrase)."""
    return re.compile(f"(?=({phrase_pattern(phrase)}))", flags=re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def _name_after_title(name: str) -> re.Pattern[str]:
    """``name`` where a title ends: after an acronym in brackets and ranks, if any."""
    return re.compile(_BETWEEN_TITLE_AND_NAME + phrase_pattern(name), flags=re.IGNORECASE)


def remap_participants(contacts: list[DiplomaticContact], id_map: dict[str, str]) -> list[DiplomaticContact]:
    """Contacts rewritten to surviving ids; one left with fewer than two distinct participants is dropped.

    An id absent from ``id_map`` (an actor that was dropped) leaves the contact; so does an
    initiator that is no longer one of its participants.
    """
    remapped = []
    for contact in contacts:
        participants = _distinct(id_map[p] for p in contact.participants if p in id_map)
        if len(participants) < 2:
            continue
        initiator = id_map.get(contact.initiator) if contact.initiator is not None else None
        remapped.append(
            contact.model_copy(
                update={"participants": participants, "initiator": initiator if initiator in participants else None}
            )
        )
    return remapped


def _merge_contacts(same: list[DiplomaticContact]) -> DiplomaticContact:
    """The first record, with evidence and topics united and each missing field taken from a later one."""
    base = same[0]
    dated = next((c for c in same if c.date is not None), None) or next((c for c in same if c.date_text), base)
    evidence: list[Evidence] = _distinct((e for c in same for e in c.evidence), key=lambda e: (e.start, e.quote))
    topics: list[str] = _distinct((t for c in same for t in c.topics), key=str.casefold)
    return base.model_copy(
        update={
            "mode": next((c.mode for c in same if c.mode != ContactMode.UNSPECIFIED), base.mode),
            "date": dated.date,
            "date_text": dated.date_text,
            "location": next((c.location for c in same if c.location), None),
            "reported_by": next((c.reported_by for c in same if c.reported_by), None),
            "topics": topics[:MAX_TOPICS],
            "evidence": evidence[:MAX_EVIDENCE],
        }
    )


def merge_duplicate_contacts(contacts: list[DiplomaticContact]) -> list[DiplomaticContact]:
    """One record per participant set and initiator (``pair_key``), in order of first appearance.

    Merged records keep the first one's participants order and status, unite evidence (at most
    ``MAX_EVIDENCE``, the schema's cap, in order) and topics, and take a specific mode over
    ``unspecified``; date and date_text travel together from the first record that has them.
    """
    groups: dict[tuple[frozenset[str], str | None], list[DiplomaticContact]] = {}
    for contact in contacts:
        groups.setdefault(contact.pair_key(), []).append(contact)
    return [_merge_contacts(same) for same in groups.values()]
