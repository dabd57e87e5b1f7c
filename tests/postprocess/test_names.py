"""``postprocess.names``: titles, offices, ranks and nationalities split from a person's name."""

from __future__ import annotations

import pytest

from harness.postprocess.names import after_last_rank, split_title, strip_title


class TestTitles:
    @pytest.mark.parametrize(
        ("name", "bare"),
        [
            ("General Anna Berg", "Anna Berg"),
            ("Gen. Berg", "Berg"),
            ("Mr Carl Dahl", "Carl Dahl"),
            ("Dr. Eva Falk", "Eva Falk"),
            ("President Eva Falk", "Eva Falk"),
            ("Prime Minister Carl Dahl", "Carl Dahl"),
            ("Foreign Minister Anna Berg", "Anna Berg"),
            ("Ambassador Eva Falk", "Eva Falk"),
            ("US Secretary of State Ola Nord", "Ola Nord"),
            ("Lt. Gen. Ola Nord", "Ola Nord"),
            ("Anna Berg", "Anna Berg"),
            ("Ambassador", "Ambassador"),  # only a title: kept
            ("Chief of Staff Ola Nord", "Chief of Staff Ola Nord"),  # "Chief" is followed by "of": not stripped
        ],
    )
    def test_strip_title(self, name: str, bare: str) -> None:
        assert strip_title(name) == bare

    def test_office_and_nationality_are_kept_apart_from_ranks(self) -> None:
        split = split_title("Norwegian Foreign Minister Anna Berg")
        assert (split.name, split.office, split.country) == ("Anna Berg", "Foreign Minister", "NOR")

    def test_a_rank_is_not_an_office(self) -> None:
        assert split_title("Major General Ola Nord").office is None

    def test_a_posting_belongs_to_the_office(self) -> None:
        split = split_title("Swedish Ambassador to Norway Eva Falk")
        assert (split.name, split.office, split.country) == ("Eva Falk", "Ambassador to Norway", "SWE")


class TestAfterLastRank:
    def test_a_rank_inside_a_misspelt_office_still_ends_the_title(self) -> None:
        assert after_last_rank("Army Chif Gen. Nord") == "Nord"
        assert after_last_rank("Ola Nord") == "Ola Nord"


def test_a_draft_actor_gets_the_title_form_it_was_written_in_and_its_surname_as_aliases() -> None:
    """The model writes no aliases: a title + surname name ("Gen. Nord") and a person's surname are the forms."""
    from harness.postprocess import clean_actor
    from schemas.draft import DraftActor

    titled = clean_actor(DraftActor(id="nord", name="Gen. Nord", kind="person"))
    assert titled is not None and (titled.name, titled.aliases) == ("Nord", ["Gen. Nord"])
    full = clean_actor(DraftActor(id="nord", name="General Ola Nord", kind="person"))
    assert full is not None and (full.name, full.aliases) == ("Ola Nord", ["Nord"])
    country = clean_actor(DraftActor(id="nor", name="Norway", kind="country"))
    assert country is not None and country.aliases == []
