"""Where a text names an actor: the one matching rule every post-processing step reads the text with.

A name is found where its words occur in order, separated by any whitespace, not inside a longer
word, in any case ("Anna  Veld", "ANNA VELD"). A person is also named by the surname alone, as news
reports repeat it ("Veld said ...").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from harness.postprocess.countries import country_from_words, normalize_country
from schemas.article import Actor
from schemas.enums import ActorKind

__all__ = ["countries_named_in", "mentions", "named_in_text", "phrase_pattern"]


def phrase_pattern(phrase: str) -> str:
    """A regular expression for ``phrase`` whose words may be separated by any whitespace."""
    return r"\s+".join(re.escape(word) for word in phrase.split())


def _name_forms(actor: Actor, *, surname: bool, family_first: bool) -> list[str]:
    forms = [actor.name, *actor.aliases]
    words = actor.name.split()
    if surname and actor.kind == ActorKind.PERSON and len(words) > 1:
        forms.append(words[-1])
    if family_first and actor.kind == ActorKind.PERSON and len(words) == 2:
        forms.append(words[0])
    return [form for form in dict.fromkeys(forms) if len(form.strip()) > 1]


def mentions(actor: Actor, text: str, *, surname: bool = False, family_first: bool = False) -> Iterator[re.Match[str]]:
    """Every place ``text`` names the actor by its name or an alias (or, with ``surname``, a person's surname;
    with ``family_first``, the first word of a two-word person's name, the family name where it is written first:
    "Kishida" of "Kishida Fumio")."""
    for form in _name_forms(actor, surname=surname, family_first=family_first):
        yield from _whole_phrase(form).finditer(text)


@functools.lru_cache(maxsize=8192)  # names repeat across a corpus; compiling a pattern costs more than matching it
def _whole_phrase(phrase: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){phrase_pattern(phrase)}(?!\w)", flags=re.IGNORECASE)


@functools.lru_cache(maxsize=64)
def countries_named_in(text: str) -> frozenset[str]:
    """Alpha-3 codes of the countries ``text`` names by name or adjective, in runs of 1-3 capitalised words."""
    words = re.findall(r"[A-Z][\w.'\u2019-]*", text)
    runs = (" ".join(words[i : i + size]) for size in (1, 2, 3) for i in range(len(words) - size + 1))
    return frozenset(code for code in map(country_from_words, runs) if code is not None)


def named_in_text(actor: Actor, text: str) -> bool:
    """Whether ``text`` names the actor: its name, an alias or (a person's) surname, or (a country's) any name of it.

    An actor the text never names is the model's invention, such as a name copied from the prompt's example.
    """
    if any(mentions(actor, text, surname=True)):
        return True
    code = normalize_country(actor.name) if actor.kind == ActorKind.COUNTRY else None
    return code is not None and code in countries_named_in(text)
