"""Countries in any spelling a model writes ("U.S.", "Pakistani", "Korea") to ISO 3166-1 alpha-3.

pycountry knows codes and official names but not adjectives or everyday short forms, and its
fuzzy search guesses ("Republic of Korea" -> the Democratic People's Republic). So the lookup goes,
most certain first: a table of irregular forms, pycountry's exact lookup, a regular demonym
suffix whose stem is an exact country name ("Pakistani" -> "Pakistan"), and last a fuzzy search
accepted only when it returns one country whose name contains the words asked for.
"""

from __future__ import annotations

import functools
import re

import pycountry

__all__ = ["COUNTRY_FORMS", "country_from_words", "normalize_country"]

COUNTRY_FORMS: dict[str, str] = {
    "america": "USA",
    "american": "USA",
    "us": "USA",
    "usa": "USA",
    "uk": "GBR",
    "britain": "GBR",
    "great britain": "GBR",
    "british": "GBR",
    "england": "GBR",
    "korea": "KOR",  # in the news, "Korea" and "Korean" alone mean the Republic of Korea
    "korean": "KOR",
    "republic of korea": "KOR",
    "chinese": "CHN",
    "german": "DEU",
    "french": "FRA",
    "saudi": "SAU",
    "emirati": "ARE",
    "uae": "ARE",
    "turkey": "TUR",
    "turkish": "TUR",
    "russia": "RUS",
    "russian": "RUS",
    "ukrainian": "UKR",
    "afghan": "AFG",
    "lebanese": "LBN",
    "moroccan": "MAR",
    "somali": "SOM",
    "filipino": "PHL",
    "philippine": "PHL",
    "dutch": "NLD",
    "holland": "NLD",
    "swiss": "CHE",
    "swedish": "SWE",
    "danish": "DNK",
    "norwegian": "NOR",
    "finnish": "FIN",
    "polish": "POL",
    "irish": "IRL",
    "greek": "GRC",
    "cypriot": "CYP",
    "spanish": "ESP",
    "italian": "ITA",
    "portuguese": "PRT",
    "canadian": "CAN",
    "mexican": "MEX",
    "peruvian": "PER",
    "chilean": "CHL",
    "argentine": "ARG",
    "argentinian": "ARG",
    "palestine": "PSE",
    "palestinian": "PSE",
    "ivory coast": "CIV",
    "vatican": "VAT",
}
"""Irregular adjectives and everyday short forms, keyed by their lowercased, dot-free spelling.

Listed: forms the exact rules below miss, whether or not the fuzzy search would find them (a table
entry does not depend on a fuzzy score), and the codes a nationality prefix may be ("US"). A form
naming no single ISO country ("European", "Soviet", "Kosovo") is left out on purpose: it gives None.
"""

_DEMONYM_SUFFIXES = ("n", "i", "ese", "ian")
"""Endings removed to turn a regular adjective into a country name, tried in this order.

"n" before "ian" so that "Nigerian" becomes "Nigeria", not "Niger"; each stem counts only when it is
exactly a country name, so a wrong cut finds nothing rather than a wrong country.
"""
_LEADING_THE = re.compile(r"^the\s+")
_POSSESSIVE = re.compile(r"['\u2019]s$")


def _key(value: str) -> str:
    """Lowercase, dots and possessive dropped, whitespace collapsed: "the U.S.'s" -> "us"."""
    key = " ".join(value.replace(".", "").split()).casefold()
    return _LEADING_THE.sub("", _POSSESSIVE.sub("", key))


def _exact_name(name: str) -> str | None:
    """The alpha-3 code of a country whose name, official or common name is exactly ``name``."""
    try:
        country = pycountry.countries.lookup(name)
    except LookupError:
        return None
    return str(country.alpha_3)


_NAME_ATTRIBUTES = ("name", "official_name", "common_name")
"""The names of a country that the words asked for must occur in for a fuzzy match to count."""


@functools.cache
def _every_country_name() -> str:
    """Every country's names, casefolded, one a line: the words of a key hold no newline, so a key occurs in this
    text exactly when it occurs in some country's name."""
    countries = pycountry.countries
    return "\n".join(
        getattr(country, attribute, "").casefold() for country in countries for attribute in _NAME_ATTRIBUTES
    )


def _unique_fuzzy(key: str) -> str | None:
    # A match counts only when the key occurs in its names, so a key in no country's names cannot count: checked
    # first, it spares the fuzzy search (milliseconds each, most of the post-processing of a fresh process).
    if key not in _every_country_name():
        return None
    try:
        matches = pycountry.countries.search_fuzzy(key)
    except LookupError:
        return None
    if len(matches) != 1:
        return None
    country = matches[0]
    names = (getattr(country, attribute, "") for attribute in _NAME_ATTRIBUTES)
    return str(country.alpha_3) if any(key in name.casefold() for name in names) else None


@functools.lru_cache(maxsize=4096)  # pycountry's fuzzy search takes tens of milliseconds; names repeat
def country_from_words(value: str) -> str | None:
    """The alpha-3 code of a country written as a name or adjective (codes other than the table's excluded).

    Used where a word might be a country only by accident of its letters: "IT minister" is not Italy.
    """
    key = _key(value)
    if not key:
        return None
    if key in COUNTRY_FORMS:
        return COUNTRY_FORMS[key]
    if len(key) <= 3:
        return None  # a code (or nothing); only the table's codes count here
    code = _exact_name(key)
    if code is not None:
        return code
    for suffix in _DEMONYM_SUFFIXES:
        if key.endswith(suffix) and len(key) > len(suffix) + 2:
            code = _exact_name(key.removesuffix(suffix))
            if code is not None:
                return code
    return _unique_fuzzy(key)


def normalize_country(value: str | None) -> str | None:
    """ISO 3166-1 alpha-3 code of a country given as a code, name or adjective; None if it is none of these."""
    if value is None:
        return None
    named = country_from_words(value)
    if named is not None:
        return named
    key = _key(value)
    is_code = len(key) in (2, 3) and key.isalpha()
    return _exact_name(key) if is_code else None  # pycountry's lookup matches alpha-2 and alpha-3 codes
