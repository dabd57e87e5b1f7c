"""The persons a text introduces by their office: "Foreign Minister Anna Berg", "his Norwegian counterpart, Ola Nord".

A small model stops listing actors after the first few, and a person it leaves out can be in no
contact. News English introduces nearly every person once with the office in front of the name, so
those introductions are found here, deterministically, and join the model's actors (duplicates merge
with them afterwards). What counts as an office is the scorer's ``LEADING_TITLES`` plus the few nouns
news reports put before a name in the same way ("counterpart", "spokesperson"); what follows it
must be two to five capitalised words (name particles such as "bin" or "al" between them), so a
lone capitalised word after a title ("General Assembly") is not taken for a person, and headlines in
title case, where every word is capitalised, are not read.
"""

from __future__ import annotations

import functools
import re

from rapidfuzz import fuzz

from harness.normalize import LEADING_TITLES, actor_id, normalize_name, normalize_text
from harness.postprocess.countries import country_from_words
from harness.postprocess.mentions import countries_named_in
from harness.postprocess.names import RANKS_AND_HONORIFICS
from schemas.article import Actor
from schemas.enums import ActorKind

__all__ = ["LOWERCASE_OFFICES", "introduced_people", "people_left_out", "same_person", "with_office"]

LOWERCASE_OFFICES = frozenset(
    {"counterpart", "spokesperson", "spokesman", "spokeswoman", "envoy", "commander", "member", "official", "aide"}
)
"""Nouns news writes in lower case before a name ("ministry spokesman Ola Nord"); offices are capitalised."""
_INTRODUCERS = (
    frozenset(LEADING_TITLES)
    | LOWERCASE_OFFICES
    | {
        "sultan",
        "chairperson",
        "high commissioner",
        "ambassador at large",
        "deputy secretary general",
        "secretary general",
        "foreign affairs minister",
        "external affairs minister",
        "minister of foreign affairs",
    }
)
_LONGEST_INTRODUCER = max(len(title.split()) for title in _INTRODUCERS)
_PARTICLES = frozenset({"bin", "bint", "ibn", "al", "el", "de", "da", "del", "van", "von", "der", "le"})
_MIN_NAME_WORDS, _MAX_NAME_WORDS = 2, 6
_MAX_NAME_CHARS = 80  # the longest person name in any golden has 38; an Actor's name takes at most 120
_INSTITUTION_WORDS = frozenset(
    {
        "nations",
        "union",
        "council",
        "ministry",
        "party",
        "department",
        "office",
        "committee",
        "government",
        "assembly",
        "court",
        "house",
        "bank",
        "agency",
        "forces",
        "army",
        "news",
        "times",
        "post",
        "press",
        "palace",
    }
)
"""Words of a body's name, never of a person's: "United Nations, the world body's secretary general" is no person."""
_WORD = re.compile(r"\S+")
_TRAILING = re.compile(r"(?:['\u2019]s)?[,.;:!?\"'\u2019\u201d)]*$")
_INITIAL = re.compile(r"[A-Z]\.")


_FIRST_WORDS = frozenset(title.split()[0] for title in _INTRODUCERS)


@functools.lru_cache(maxsize=65536)  # a corpus repeats its words; normalising one is most of this module's time
def _normal(word: str) -> str:
    return normalize_text(word)


def _introducer_at(words: list[str], index: int) -> int:
    """Number of words of the longest office starting at ``index`` (0 if none).

    Words are normalised one by one, which is what normalising them joined gives (punctuation becomes
    space either way); most words start no office and are passed over on their first normalised word.
    """
    first = _normal(words[index]).split()
    if not first or first[0] not in _FIRST_WORDS:
        return 0
    for count in range(min(_LONGEST_INTRODUCER, len(words) - index), 0, -1):
        if " ".join(filter(None, map(_normal, words[index : index + count]))) in _INTRODUCERS:
            return count
    return 0


def _ends_phrase(word: str) -> bool:
    """Whether punctuation after ``word`` ends what it belongs to; an initial ("T.") does not."""
    return _TRAILING.sub("", word) != word and not _INITIAL.fullmatch(word)


def _leads_on(office_word: str) -> bool:
    """Whether a name may follow this last word of an office: no punctuation, an appositive comma, or the
    full stop of an abbreviated rank ("Mr.", "Gen."), never a sentence's end ("... the Prime Minister. Ola")."""
    if not _ends_phrase(office_word) or office_word.endswith(","):
        return True
    return office_word.endswith(".") and _normal(office_word) in RANKS_AND_HONORIFICS


def _posting_at(words: list[str], index: int) -> int:
    """Number of words of a posting ("to Norway") starting at ``index`` (0 if none)."""
    if index >= len(words) or words[index] != "to":
        return 0
    for count in range(3, 0, -1):
        if country_from_words(" ".join(words[index + 1 : index + 1 + count])) is not None:
            return 1 + count
    return 0


def _name_after(words: list[str], index: int) -> list[str]:
    """The capitalised words of a name starting at ``index``, without trailing punctuation; [] if none."""
    name: list[str] = []
    for position in range(index, len(words)):
        word = words[position]
        following = words[position + 1] if position + 1 < len(words) else ""
        particle = word in _PARTICLES and name and following[:1].isupper()
        if not (word[:1].isupper() or particle) or word.startswith("("):
            break
        bare = _TRAILING.sub("", word) if _ends_phrase(word) else word
        if not bare or _introducer_at([bare], 0):
            break
        name.append(bare)
        if _ends_phrase(word):
            break
    return name


def introduced_people(text: str) -> list[Actor]:
    """Every person ``text`` names right after an office (or a plural office and "A and B"), or right before one
    in an appositive ("Ola Nord, the Norwegian prime minister,"), once each, in text order; the office in front
    is the role. A line is read on its own: a name never runs on into the next paragraph."""
    found: dict[str, Actor] = {}
    for line in text.splitlines():
        if _is_headline(line):
            continue
        words = _WORD.findall(line)
        for person in (*_after_offices(words), *_before_offices(words)):
            found.setdefault(normalize_text(person.name), person)
    return list(found.values())


def _after_offices(words: list[str]) -> list[Actor]:
    found = []
    index = 0
    while index < len(words):
        count = _introducer_at(words, index)
        plural = count == 0 and _plural_introducer_at(words, index)
        if plural:
            count = 1
        if count == 0 or (
            not words[index][:1].isupper() and _normal(words[index]).rstrip("s") not in LOWERCASE_OFFICES
        ):
            index += 1
            continue
        start, office_words = index, []
        # Offices run into each other ("Deputy Prime Minister", "Secretary General Mr."), may name a posting
        # ("Ambassador to Norway") and may end in an appositive comma ("his counterpart, Ola Nord").
        while count and _leads_on(words[index + count - 1]):
            office = words[index : index + count]
            index += count
            posting = _posting_at(words, index)
            if normalize_text(" ".join(office)) not in RANKS_AND_HONORIFICS | LOWERCASE_OFFICES:
                office_words += office + words[index : index + posting]
            index += posting
            count = _introducer_at(words, index) if index < len(words) else 0
        names = [_name_after(words, index)] if count == 0 else [[]]
        if plural and names[0] and index + len(names[0]) < len(words) and words[index + len(names[0])] == "and":
            names.append(_name_after(words, index + len(names[0]) + 1))  # "Presidents Ola Nord and Eva Falk"
        role = None if plural else _TRAILING.sub("", " ".join(office_words)) or None
        found += [_person(name, role, words[max(0, start - 2) : start]) for name in names if _is_name(name)]
        index += max(sum(len(name) for name in names), 1)
    return found


def _plural_introducer_at(words: list[str], index: int) -> bool:
    """Whether an office in the plural starts at ``index`` ("Presidents", "officials")."""
    word = words[index].rstrip(",.;:")
    return len(word) > 3 and word.endswith("s") and _introducer_at([word[:-1]], 0) == 1


def _before_offices(words: list[str]) -> list[Actor]:
    """Persons named right before an appositive office: "Ola Nord, the Norwegian prime minister," or "Eva Falk,
    Minister of Trade,". The appositive ends with the office, or with what the office is "of" or "to"."""
    found = []
    for index in range(len(words)):
        previous = words[index - 1] if index else "."
        if not words[index][:1].isupper() or previous in _PARTICLES:
            continue
        if previous[:1].isupper() and not _ends_phrase(previous):
            continue  # a name starts after a lower-case word (not a particle of a name) or a phrase's end
        name = _name_after(words, index)
        end = index + len(name)
        if not _is_name(name) or not words[end - 1].endswith(","):
            continue
        rest = words[end : end + 8]
        office = next((i for i in range(len(rest)) if _introducer_at(rest, i)), None)
        if office is None or any(_ends_phrase(word) for word in rest[:office]):
            continue
        after = office + _introducer_at(rest, office)
        tail = rest[after - 1 :]
        if _ends_phrase(tail[0]) or (len(tail) > 1 and tail[1] in ("of", "to") and any(map(_ends_phrase, tail[1:]))):
            found.append(_person(name, None, []))
    return found


def _is_name(name: list[str]) -> bool:
    """Whether the capitalised words read as a person's name: two to six, of a name's length, not a country, no
    word of a body's name."""
    return (
        _MIN_NAME_WORDS <= len(name) <= _MAX_NAME_WORDS
        and len(" ".join(name)) <= _MAX_NAME_CHARS
        and country_from_words(" ".join(name)) is None
        and not any(_normal(word) in _INSTITUTION_WORDS for word in name)
    )


def _is_headline(line: str) -> bool:
    """Whether ``line`` is a headline in title case, where every word looks like a name ("President Confirms
    Visit"): no full stop at its end, and every word of four letters or more capitalised."""
    long_words = [word for word in _WORD.findall(line) if len(word) > 3]
    ends_sentence = line.rstrip().endswith((".", "!", "?", '"', "\u201d"))
    return not ends_sentence and len(long_words) >= 3 and all(word[:1].isupper() for word in long_words)


def _person(words: list[str], role: str | None, before: list[str]) -> Actor:
    """The person, with the country of a nationality just before the office ("Swedish Foreign Minister")."""
    name = " ".join(words)
    countries = countries_named_in(" ".join(before))
    country = next(iter(countries)) if len(countries) == 1 else None
    return Actor(id=actor_id(words[-1]), name=name, kind=ActorKind.PERSON, role=role, country=country, aliases=[])


_SPELLING_VARIANT = 80
"""Edit similarity (0-100) at which two given names are spellings of one ("Qasem" / "Qassem": 91)."""


def people_left_out(actors: list[Actor], introduced: list[Actor]) -> list[Actor]:
    """The persons the text introduces by their office (``introduced_people``) that no person of ``actors`` is
    (``same_person``), each once, with an id no actor has."""
    persons = [actor for actor in actors if actor.kind == ActorKind.PERSON]
    ids = {actor.id for actor in actors}
    added: list[Actor] = []
    for person in introduced:
        if any(same_person(person.name, other.name) for other in (*persons, *added)):
            continue
        actor_id = next(c for c in (person.id, *(f"{person.id}_{n}" for n in range(2, len(ids) + 3))) if c not in ids)
        ids.add(actor_id)
        added.append(person.model_copy(update={"id": actor_id}))
    return added


def with_office(actor: Actor, introduced: list[Actor]) -> Actor:
    """A person without a role or country, given those of the text's introduction of them ("Foreign Minister
    Anna Berg", see ``introduced_people``)."""
    if actor.kind != ActorKind.PERSON or (actor.role and actor.country):
        return actor
    same = next((person for person in introduced if same_person(person.name, actor.name)), None)
    if same is None:
        return actor
    return actor.model_copy(update={"role": actor.role or same.role, "country": actor.country or same.country})


def same_person(first: str, second: str) -> bool:
    """Whether two names are one person's: a surname alone and a full name with it ("Berg", "Anna Berg"), or
    the same first and last word in either order ("Berg Anna"), allowing an initial ("A. Berg") and a spelling
    variant ("Qasem" / "Qassem"). Patronymic chains sharing a family name stay apart ("Ali bin Omar al Harbi"
    and "Omar al Harbi" are father and son)."""
    one, other = normalize_name(first).split(), normalize_name(second).split()
    if not one or not other:
        return False
    if len(one) == 1 or len(other) == 1:
        return one[-1] in other or other[-1] in one
    if {one[0], one[-1]} == {other[0], other[-1]}:
        return True
    return one[-1] == other[-1] and _same_given_name(one[0], other[0])


def _same_given_name(one: str, other: str) -> bool:
    if len(one) == 1 or len(other) == 1:
        return one[0] == other[0]
    return fuzz.ratio(one, other) >= _SPELLING_VARIANT
