"""``postprocess.countries``: a country's name, adjective or code as its ISO 3166-1 alpha-3 code."""

from __future__ import annotations

import pytest

from harness.postprocess.countries import normalize_country


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
