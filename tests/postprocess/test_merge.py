"""``postprocess.merge``: one record per actor and per contact, and titles that the model made actors folded away."""

from __future__ import annotations

import datetime as dt

from harness.postprocess.merge import fold_titles, merge_duplicate_actors, merge_duplicate_contacts
from schemas import Actor, ActorKind, ContactMode

from .builders import contact, person

D = dt.date


class TestActorMerge:
    def test_surname_joins_the_full_name(self) -> None:
        actors, id_map = merge_duplicate_actors(
            [person("berg", "Berg"), person("anna_berg", "Anna Berg", role="Minister")]
        )
        assert [(a.id, a.name, a.role, a.aliases) for a in actors] == [("berg", "Anna Berg", "Minister", ["Berg"])]
        assert id_map == {"berg": "berg", "anna_berg": "berg"}

    def test_the_merged_aliases_keep_to_the_cap_an_actor_allows(self) -> None:
        first = person("a", "Anna Berg", aliases=[f"Berg {n}" for n in range(8)])
        second = person("b", "anna berg", aliases=[f"A. Berg {n}" for n in range(8)])
        (merged,), _ = merge_duplicate_actors([first, second])
        assert len(merged.aliases) == 8  # Actor.aliases holds at most 8
        Actor.model_validate(merged.model_dump())  # one merged actor never costs the document its validation

    def test_same_name_after_normalisation_is_one_actor(self) -> None:
        actors, _ = merge_duplicate_actors([person("a", "Anna Berg"), person("b", "anna  BERG")])
        assert len(actors) == 1

    def test_a_surname_shared_by_two_people_stays_apart(self) -> None:
        actors, _ = merge_duplicate_actors([person("a", "Anna Berg"), person("b", "Ola Berg"), person("c", "Berg")])
        assert [a.name for a in actors] == ["Anna Berg", "Ola Berg", "Berg"]

    def test_kinds_must_be_compatible(self) -> None:
        actors, _ = merge_duplicate_actors(
            [person("a", "Jordan"), Actor(id="b", name="Jordan", kind=ActorKind.COUNTRY)]
        )
        assert len(actors) == 2

    def test_countries_with_one_iso_code_are_one_actor(self) -> None:
        actors, id_map = merge_duplicate_actors(
            [
                Actor(id="us", name="US", kind=ActorKind.COUNTRY),
                Actor(id="usa", name="United States", kind=ActorKind.COUNTRY),
            ]
        )
        assert [(a.name, a.aliases) for a in actors] == [("United States", ["US"])]
        assert id_map["usa"] == "us"

    def test_a_name_that_is_anothers_alias_joins_it(self) -> None:
        council = Actor(id="nc", name="Nordic Council", kind=ActorKind.ORGANIZATION, aliases=["NC"])
        actors, _ = merge_duplicate_actors([council, Actor(id="nc2", name="NC", kind=ActorKind.GROUP)])
        assert [a.id for a in actors] == ["nc"]

    def test_a_repeated_id_keeps_the_first_actor(self) -> None:
        actors, _ = merge_duplicate_actors([person("berg", "Anna Berg"), person("berg", "Eva Falk")])
        assert [a.name for a in actors] == ["Anna Berg"]


class TestContactMerge:
    def test_same_participants_and_initiator_become_one_record(self) -> None:
        first = contact(["a", "b"], "one", 0, initiator="a", mode=ContactMode.UNSPECIFIED, topics=["trade"])
        second = contact(["b", "a"], "two", 10, initiator="a", mode=ContactMode.PHONE_CALL, topics=["Trade", "fish"])
        third = contact(["a", "b"], "three", 20, initiator="a", date_text="on Monday", date=D(2024, 3, 4))
        [merged] = merge_duplicate_contacts([first, second, third])
        assert merged.participants == ["a", "b"]
        assert merged.mode == ContactMode.PHONE_CALL  # a specific mode wins over unspecified
        assert [e.quote for e in merged.evidence] == ["one", "two", "three"]
        assert merged.topics == ["trade", "fish"]
        assert (merged.date_text, merged.date) == ("on Monday", D(2024, 3, 4))

    def test_a_different_initiator_is_a_different_contact(self) -> None:
        merged = merge_duplicate_contacts([contact(["a", "b"], "x", 0, initiator="a"), contact(["a", "b"], "y", 5)])
        assert len(merged) == 2

    def test_evidence_is_capped_at_the_schema_limit(self) -> None:
        many = [contact(["a", "b"], f"q{n}", n * 3) for n in range(6)]
        [merged] = merge_duplicate_contacts(many)
        assert len(merged.evidence) == 4


class TestFoldTitles:
    def test_a_person_that_is_only_the_title_before_a_name_folds_into_that_person(self) -> None:
        text = "Chief of Fleet Staff (CFS) Admiral Ola Nord met Eva Falk."
        actors = [person("cfs", "Chief of Fleet Staff (CFS)"), person("nord", "Ola Nord"), person("falk", "Eva Falk")]
        assert fold_titles(actors, text) == {"cfs": "nord"}

    def test_two_people_side_by_side_do_not_fold(self) -> None:
        text = "The ministers Ola Nord and Eva Falk met."
        assert fold_titles([person("nord", "Ola Nord"), person("falk", "Eva Falk")], text) == {}
