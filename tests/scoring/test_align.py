"""One-to-one alignment: the assignment helper and each matcher."""

from __future__ import annotations

import numpy as np

from harness.goldens import GoldenContact
from harness.scoring.align import (
    ACTOR_MATCH_THRESHOLD,
    ActorMatcher,
    ContactMatcher,
    OverlapMatcher,
    align_contacts,
    name_similarity,
    optimal_pairs,
)
from schemas import Actor, ActorKind, ContactMode, DiplomaticContact

from .builders import CALL_QUOTE, actor, contact


def person(actor_id: str, name: str, *aliases: str) -> Actor:
    return Actor.model_validate(actor(actor_id, name, aliases=list(aliases)))


def gold_contact(participants: list[str], mode: ContactMode = ContactMode.MEETING, **fields: object) -> GoldenContact:
    return GoldenContact.model_validate(contact(participants, mode, CALL_QUOTE, **fields))


def predicted_contact(participants: list[str], mode: ContactMode = ContactMode.MEETING) -> DiplomaticContact:
    return DiplomaticContact.model_validate(contact(participants, mode, CALL_QUOTE))


GOLD_ID_OF = {"b": "berg", "d": "dahl", "f": "falk"}  # predicted actor id -> the gold actor it was aligned to


class TestOptimalPairs:
    def test_maximises_the_total_not_each_row_greedily(self) -> None:
        scores = np.array([[0.9, 0.8], [0.85, 0.1]])
        assert sorted(optimal_pairs(scores, 0.5)) == [(0, 1), (1, 0)]

    def test_cells_below_the_minimum_are_never_paired(self) -> None:
        assert optimal_pairs(np.array([[0.4, 0.0], [0.0, 0.9]]), 0.5) == [(1, 1)]

    def test_a_weak_pair_never_displaces_an_eligible_one(self) -> None:
        # without zeroing, 0.45 + 0.45 beats 0.6 alone; with minimum 0.5 only the 0.6 pair can be made
        scores = np.array([[0.6, 0.45], [0.45, 0.0]])
        assert optimal_pairs(scores, 0.5) == [(0, 0)]

    def test_an_empty_side_gives_no_pairs(self) -> None:
        assert optimal_pairs(np.zeros((0, 3)), 0.5) == []


class TestActorMatcher:
    def test_a_surname_matches_the_full_name(self) -> None:
        assert name_similarity(person("p", "Mike Pompeo"), person("x", "Pompeo")) == 1.0

    def test_an_alias_of_either_side_counts(self) -> None:
        assert name_similarity(person("u", "United States", "US"), person("x", "US")) == 1.0

    def test_a_title_in_the_name_is_ignored(self) -> None:
        assert name_similarity(person("b", "Qamar Javed Bajwa"), person("x", "Gen. Qamar Javed Bajwa")) == 1.0

    def test_a_transliteration_variant_matches(self) -> None:
        assert name_similarity(person("s", "Qasem Soleimani"), person("x", "Qassem Soleimani")) >= ACTOR_MATCH_THRESHOLD

    def test_different_people_with_similar_names_do_not_match(self) -> None:
        assert name_similarity(person("k", "Imran Khan"), person("x", "Ismail Khan")) < ACTOR_MATCH_THRESHOLD
        assert name_similarity(person("e", "Mark Esper"), person("x", "Espen")) < ACTOR_MATCH_THRESHOLD

    def test_each_gold_actor_takes_at_most_one_prediction(self) -> None:
        alignment = ActorMatcher().align([person("berg", "Anna Berg")], [person("a", "Berg"), person("b", "Anna Berg")])
        assert [(pair.gold.id, pair.predicted.id) for pair in alignment.pairs] == [("berg", "a")]
        assert [record.id for record in alignment.unmatched_predicted.values()] == ["b"]

    def test_the_assignment_prefers_the_pairing_with_the_best_total(self) -> None:
        golds = [person("anna", "Anna Berg"), person("hans", "Hans Berg")]
        alignment = ActorMatcher().align(golds, [person("x", "Hans Berg"), person("y", "Berg")])
        assert {(pair.gold.id, pair.predicted.id) for pair in alignment.pairs} == {("hans", "x"), ("anna", "y")}

    def test_the_kind_does_not_decide_the_match(self) -> None:
        organisation = Actor.model_validate(actor("x", "Anna Berg", kind=ActorKind.ORGANIZATION))
        assert ActorMatcher().align([person("berg", "Anna Berg")], [organisation]).pairs


class TestContactMatcher:
    def test_equal_participant_sets_through_the_actor_alignment_pair(self) -> None:
        alignment = ContactMatcher(GOLD_ID_OF).align([gold_contact(["berg", "dahl"])], [predicted_contact(["d", "b"])])
        assert len(alignment.pairs) == 1

    def test_overlapping_but_unequal_sets_do_not_pair(self) -> None:
        golds = [gold_contact(["berg", "dahl"])]
        assert not ContactMatcher(GOLD_ID_OF).align(golds, [predicted_contact(["b", "d", "f"])]).pairs

    def test_an_unaligned_participant_never_matches(self) -> None:
        golds = [gold_contact(["berg", "dahl"])]
        assert not ContactMatcher({"b": "berg"}).align(golds, [predicted_contact(["b", "dahl"])]).pairs

    def test_a_required_gold_contact_is_preferred_to_an_optional_one(self) -> None:
        optional = gold_contact(["berg", "dahl"], ContactMode.VISIT, optional=True)
        required = gold_contact(["berg", "dahl"], ContactMode.PHONE_CALL)
        alignment = ContactMatcher(GOLD_ID_OF).align(
            [optional, required], [predicted_contact(["b", "d"], ContactMode.VISIT)]
        )
        assert [pair.gold_index for pair in alignment.pairs] == [1]

    def test_the_same_mode_breaks_a_tie_between_equal_sets(self) -> None:
        golds = [gold_contact(["berg", "dahl"], ContactMode.PHONE_CALL), gold_contact(["berg", "dahl"])]
        predictions = [
            predicted_contact(["b", "d"], ContactMode.MEETING),
            predicted_contact(["b", "d"], ContactMode.PHONE_CALL),
        ]
        alignment = ContactMatcher(GOLD_ID_OF).align(golds, predictions)
        assert [(pair.gold_index, pair.predicted_index) for pair in alignment.pairs] == [(0, 1), (1, 0)]

    def test_overlap_matcher_pairs_by_shared_participants(self) -> None:
        golds = [gold_contact(["berg", "dahl"]), gold_contact(["falk", "dahl"])]
        alignment = OverlapMatcher(GOLD_ID_OF).align(golds, [predicted_contact(["f", "d", "b"])])
        assert [(pair.gold_index, pair.score) for pair in alignment.pairs] == [(0, 2 / 3)]


class TestAlignContacts:
    def test_a_partial_pair_never_takes_the_gold_of_an_exact_one(self) -> None:
        golds = [gold_contact(["berg", "dahl"])]
        predictions = [predicted_contact(["b", "d", "f"]), predicted_contact(["b", "d"])]
        alignment = align_contacts(golds, predictions, GOLD_ID_OF)
        assert [(pair.gold_index, pair.predicted_index) for pair in alignment.pairs] == [(0, 1)]
        assert alignment.partial == []
        assert list(alignment.unmatched_predicted) == [0]

    def test_what_is_left_pairs_partially_and_leaves_the_pair_out_of_unmatched(self) -> None:
        alignment = align_contacts([gold_contact(["berg", "dahl"])], [predicted_contact(["b", "f"])], GOLD_ID_OF)
        assert alignment.pairs == []
        assert [(pair.gold_index, pair.predicted_index) for pair in alignment.partial] == [(0, 0)]
        assert alignment.unmatched_gold == {} and alignment.unmatched_predicted == {}

    def test_disjoint_contacts_stay_unmatched(self) -> None:
        alignment = align_contacts([gold_contact(["berg", "dahl"])], [predicted_contact(["f", "x"])], GOLD_ID_OF)
        assert (
            alignment.partial == []
            and list(alignment.unmatched_gold) == [0]
            and list(alignment.unmatched_predicted) == [0]
        )
