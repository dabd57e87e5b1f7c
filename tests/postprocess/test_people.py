"""The persons a text introduces by their office, found without a model."""

from __future__ import annotations

import pytest

from harness.postprocess import people_left_out
from harness.postprocess.people import introduced_people
from schemas.article import Actor
from schemas.enums import ActorKind


def names(text: str) -> list[str]:
    return [person.name for person in introduced_people(text)]


class TestIntroducedPeople:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("Norwegian Foreign Minister Anna Berg met Eva Falk.", ["Anna Berg"]),
            ("Foreign minister Ola Nord held talks.", ["Ola Nord"]),  # an office in lower case after its first word
            ("He spoke with his Danish counterpart, Carl Dahl, on Monday.", ["Carl Dahl"]),
            ("Ministry spokesman Per Lund said so.", ["Per Lund"]),
            ("Secretary General Mr. Jon Moe arrived.", ["Jon Moe"]),
            ("Ambassador to Norway Kim Sun-ho called.", ["Kim Sun-ho"]),
            ("Crown Prince Khalid bin Omar al Harbi received him.", ["Khalid bin Omar al Harbi"]),
            ("Defence Secretary Mark T. Lind flew in.", ["Mark T. Lind"]),
            ("Prime Minister Anna Berg's visit to Oslo.", ["Anna Berg"]),
        ],
    )
    def test_a_name_after_an_office_is_a_person(self, text: str, expected: list[str]) -> None:
        assert names(text) == expected

    @pytest.mark.parametrize(
        "text",
        [
            "The UN General Assembly met.",  # one capitalised word after a title
            "She thanked the Prime Minister. Ola Nord then left.",  # the office ends a sentence
            "Chief of Army Staff visited.",  # "of" ends the office, no name follows
            "President Visits Norway For Talks\nThe president arrived on Monday.",  # a headline in title case
            "The Minister met the Prime Minister of Norway.",
            "Foreign Minister New Zealand said.",  # a country, not a name
        ],
    )
    def test_no_person_without_a_name_after_the_office(self, text: str) -> None:
        assert names(text) == []

    def test_the_office_is_the_role_and_a_nationality_before_it_the_country(self) -> None:
        [person] = introduced_people("Talks with Swedish Foreign Minister Eva Falk ended.")
        expected = ("falk", ActorKind.PERSON, "Foreign Minister", "SWE")
        assert (person.id, person.kind, person.role, person.country) == expected

    def test_a_rank_or_counterpart_is_no_role(self) -> None:
        text = "General Ola Nord met his counterpart Carl Dahl."
        assert [person.role for person in introduced_people(text)] == [None, None]
        [person] = introduced_people("Secretary General Mr. Jon Moe arrived.")
        assert person.role == "Secretary General"

    def test_a_person_introduced_twice_is_listed_once(self) -> None:
        assert names("President Anna Berg spoke. Later President Anna Berg left.") == ["Anna Berg"]


class TestPeopleLeftOut:
    TEXT = "Foreign Minister Anna Berg telephoned Prime Minister Carl Dahl and envoy Ola Berg."

    def test_a_person_the_model_listed_is_not_added_again(self) -> None:
        listed = [Actor(id="dahl", name="Dahl", kind=ActorKind.PERSON)]
        assert [a.name for a in people_left_out(listed, introduced_people(self.TEXT))] == ["Anna Berg", "Ola Berg"]

    def test_the_added_persons_get_ids_no_actor_has(self) -> None:
        listed = [Actor(id="berg", name="Norway", kind=ActorKind.COUNTRY)]
        added = people_left_out(listed, introduced_people(self.TEXT))
        expected = [("berg_2", "Anna Berg"), ("dahl", "Carl Dahl"), ("berg_3", "Ola Berg")]
        assert [(a.id, a.name) for a in added] == expected


class TestMorePatterns:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("A deal hashed out by Presidents Ola Nord and Eva Falk in May.", ["Ola Nord", "Eva Falk"]),
            ("Talks with Ola Nord, the Norwegian prime minister, ended.", ["Ola Nord"]),
            (
                "The visit was attended by Ali bin Omar al Harbi, Minister of the Royal Court, and others.",
                ["Ali bin Omar al Harbi"],
            ),
            ("Army commander Per Lund said.", ["Per Lund"]),
            ("He spoke to Foreign Minister Eva Falk\nThe talks ended.", ["Eva Falk"]),  # a name ends with its line
        ],
    )
    def test_plural_offices_appositives_and_lower_case_nouns(self, text: str, expected: list[str]) -> None:
        assert names(text) == expected

    @pytest.mark.parametrize(
        "text",
        [
            "He met the United Nations, the world body's secretary general said.",  # a body, and no appositive end
            "They flew to New Delhi, the prime minister said.",  # the office does not end the appositive
        ],
    )
    def test_no_person_from_a_body_or_a_place_before_a_comma(self, text: str) -> None:
        assert names(text) == []


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("Berg", "Anna Berg", True),
        ("Anna Berg", "Berg Anna", True),
        ("A. Berg", "Anna Berg", True),
        ("Qasem Soleimani", "Qassem Soleimani", True),
        ("Ali bin Omar al Harbi", "Omar al Harbi", False),
        ("Anna Berg", "Ola Berg", False),
    ],
)
def test_same_person(first: str, second: str, same: bool) -> None:
    from harness.postprocess import same_person

    assert same_person(first, second) is same


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Côte d'Ivoire", "cote_divoire"), ("Fernández", "fernandez"), ("Лавров", "a"), ("2nd Army", "a_2nd_army")],
)
def test_an_actor_id_is_a_valid_slug_of_any_name(name: str, expected: str) -> None:
    from harness.normalize import actor_id

    assert actor_id(name) == expected
    assert len(actor_id("X" * 60)) <= 28


def test_odd_names_after_an_office_never_cost_the_document() -> None:
    from harness.documents import Document
    from harness.postprocess import postprocess
    from schemas.draft import ArticleDraft

    text = (
        "President " + " ".join(["Abcdefghijklmnopqrstuvwxyz" * 2] * 6) + " met envoy Сергей Лавров.\n"
        "Foreign Minister Ivan Petrovich-Longsurnamewithmanyletters spoke with Minister Ana Li.\n"
    )
    article = postprocess(ArticleDraft(actors=[], contacts=[]), Document(id="odd", text=text))
    # The 156-character "name" is none; a Cyrillic one gets the id "a"; a long surname is cut to a valid id.
    assert [actor.id for actor in article.actors] == ["a", "petrovich_longsurnamewithman", "li"]
    assert [contact.participants for contact in article.contacts] == [["petrovich_longsurnamewithman", "li"]]
