"""Name and text normalisation: differences that carry no meaning disappear."""

from __future__ import annotations

import pytest

from harness.normalize import LEADING_TITLES, normalize_name, normalize_text


class TestNormalizeText:
    def test_case_accents_and_punctuation_are_removed(self) -> None:
        assert normalize_text("  Javad ZARĪF, (Iran).") == "javad zarif iran"

    def test_apostrophes_join_rather_than_split_words(self) -> None:
        assert normalize_text("O\u2019Brien") == normalize_text("O'Brien") == "obrien"

    def test_whitespace_is_collapsed(self) -> None:
        assert normalize_text("Carl\t\n  Dahl") == "carl dahl"


class TestNormalizeName:
    @pytest.mark.parametrize(
        ("name", "bare"),
        [
            ("General Qamar Javed Bajwa", "qamar javed bajwa"),
            ("Gen. Bajwa", "bajwa"),
            ("COAS Bajwa", "bajwa"),
            ("Mr Carl Dahl", "carl dahl"),
            ("Dr. Eva Falk", "eva falk"),
            ("Secretary Pompeo", "pompeo"),
            ("Secretary of State Mike Pompeo", "mike pompeo"),
            ("Prime Minister Carl Dahl", "carl dahl"),
            ("Foreign Minister Anna Berg", "anna berg"),
            ("Ambassador Eva Falk", "eva falk"),
            ("President Donald Trump", "donald trump"),
            ("Deputy Prime Minister Anna Berg", "anna berg"),
        ],
    )
    def test_leading_titles_are_stripped(self, name: str, bare: str) -> None:
        assert normalize_name(name) == bare

    def test_a_name_that_is_only_a_title_is_kept(self) -> None:
        assert normalize_name("COAS") == "coas"
        assert normalize_name("Prime Minister") == "prime minister"

    def test_titles_are_stripped_only_at_the_front(self) -> None:
        assert normalize_name("Anna Berg General") == "anna berg general"

    def test_titles_are_listed_normalised(self) -> None:
        assert all(normalize_text(title) == title for title in LEADING_TITLES)
