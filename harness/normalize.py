"""Text normalisation for fuzzy comparison: the same name or phrase written differently compares equal.

Names and roles differ between an extraction and a golden in ways that carry no meaning: case,
accents ("Zarif" / "Zarīf"), punctuation ("Gen." / "Gen"), and a leading title or rank the
golden keeps in ``role`` ("General Qamar Javed Bajwa" / "Qamar Javed Bajwa"). Post-processing
strips the same titles the scorer ignores, so both read this one module.
"""

from __future__ import annotations

import functools
import re
import unicodedata

__all__ = ["LEADING_TITLES", "actor_id", "normalize_name", "normalize_text"]

LEADING_TITLES: tuple[str, ...] = (
    "acting",
    "admiral",
    "adm",
    "ambassador",
    "army chief",
    "brigadier",
    "brig",
    "chairman",
    "chancellor",
    "chief",
    "coas",
    "col",
    "colonel",
    "crown prince",
    "defence minister",
    "defence secretary",
    "defense minister",
    "defense secretary",
    "deputy",
    "dr",
    "emir",
    "field marshal",
    "foreign minister",
    "foreign secretary",
    "gen",
    "general",
    "king",
    "lieutenant general",
    "lt gen",
    "maj gen",
    "major general",
    "marshal",
    "minister",
    "mr",
    "mrs",
    "ms",
    "president",
    "premier",
    "prime minister",
    "prince",
    "queen",
    "secretary",
    "secretary general",
    "secretary of defence",
    "secretary of defense",
    "secretary of state",
    "sen",
    "senator",
    "sheikh",
    "sir",
    "vice president",
)
"""Titles and ranks stripped from the front of a name, already normalised (lowercase, no punctuation).

A golden gives the office in ``role`` and the bare name in ``name``; a model often keeps the title
in the name or an alias ("Secretary Pompeo", "COAS Bajwa"). Multi-word titles are listed whole so
"Prime Minister Khan" loses both words, not only "prime".
"""

# Longest first, so "secretary of state" is stripped whole before "secretary" could match its first word.
_TITLE_TOKENS: tuple[tuple[str, ...], ...] = tuple(
    sorted((tuple(title.split()) for title in LEADING_TITLES), key=len, reverse=True)
)
_APOSTROPHES = frozenset("'\u2019`\u02bc")  # dropped, not spaced: "O'Brien" and "OBrien" are one word


def normalize_text(text: str) -> str:
    """Lowercase, accents removed, punctuation turned into spaces, whitespace collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    characters = []
    for char in decomposed:
        category = unicodedata.category(char)
        if category == "Mn" or char in _APOSTROPHES:  # "Mn": the accents NFKD split off their letters
            continue
        characters.append(" " if category[0] in "PSZC" else char)
    return " ".join("".join(characters).split())


@functools.lru_cache(maxsize=65536)  # called for every name pair of every document; names repeat across a corpus
def normalize_name(name: str) -> str:
    """``normalize_text`` with leading titles and ranks removed; a name that is only a title is kept as it is."""
    tokens = normalize_text(name).split()
    stripped = True
    while stripped:
        stripped = False
        for title in _TITLE_TOKENS:
            if len(tokens) > len(title) and tuple(tokens[: len(title)]) == title:
                tokens = tokens[len(title) :]
                stripped = True
                break
    return " ".join(tokens)


_ID_CHARS = 28
"""An actor id takes 32 characters; 28 leave room for a "_NN" that tells two actors of one name apart."""


def actor_id(name: str) -> str:
    """A valid actor id made from ``name`` ("Côte d'Ivoire" -> "cote_divoire"): a lowercase ASCII slug led by a
    letter ("a" where the name has no ASCII letter or starts with a digit)."""
    slug = re.sub(r"[^a-z0-9]+", "_", normalize_text(name)).strip("_")
    if not slug[:1].isalpha():
        slug = f"a_{slug}".rstrip("_")
    return slug[:_ID_CHARS].rstrip("_")
