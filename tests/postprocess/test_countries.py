"""``postprocess.countries``: a country's name, adjective or code as its ISO 3166-1 alpha-3 code."""

from __future__ import annotations

import pycountry
import pytest

from harness.postprocess.countries import country_from_words, normalize_country


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Pakistan", "PAK"),
        ("pakistan", "PAK"),
        ("Pakistani", "PAK"),
        ("PK", "PAK"),
        ("PAK", "PAK"),
        ("US", "USA"),
        ("U.S.", "USA"),
        ("USA", "USA"),
        ("the United States", "USA"),
        ("American", "USA"),
        ("British", "GBR"),
        ("UK", "GBR"),
        ("Korean", "KOR"),
        ("Republic of Korea", "KOR"),
        ("Iranian", "IRN"),
        ("Iran", "IRN"),
        ("Chinese", "CHN"),
        ("German", "DEU"),
        ("Saudi", "SAU"),
        ("Saudi Arabia", "SAU"),
        ("Nigerian", "NGA"),  # not Niger
        ("Russia", "RUS"),
        ("Turkey", "TUR"),
        ("Dutch", "NLD"),
        ("Washington", None),  # a US state's name, not a country
        ("European", None),
        ("Kosovo", None),  # no ISO 3166-1 code
        ("Atlantis", None),
        ("", None),
        (None, None),
    ],
)
def test_normalize_country(value: str | None, code: str | None) -> None:
    assert normalize_country(value) == code


def test_words_in_no_country_name_are_refused_without_a_fuzzy_search(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_search(query: str) -> None:
        raise AssertionError(f"fuzzy search for {query!r}")

    monkeypatch.setattr(pycountry.countries, "search_fuzzy", no_search)
    country_from_words.cache_clear()
    try:
        assert country_from_words("Foreign Minister") is None
    finally:
        country_from_words.cache_clear()


def test_words_in_a_country_name_still_go_to_the_fuzzy_search() -> None:
    country_from_words.cache_clear()
    assert country_from_words("Emirates") == "ARE"  # in "United Arab Emirates" only
    assert country_from_words("United") is None  # in several names: no single country
