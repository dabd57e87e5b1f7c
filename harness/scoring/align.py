"""One-to-one alignment of predicted with gold records, by optimal assignment (the Hungarian method).

Each matcher is a small class behind ``Matcher``: it scores every gold-prediction pair and names
the least score a pair needs; ``Matcher.align`` does the rest. Records are put in a canonical order
before the assignment, so the order a model happened to list them in never changes which pairs win
a tie.

Contacts are aligned in two stages (``align_contacts``):

1. ``ContactMatcher`` pairs contacts whose participant sets are *equal* once each predicted actor is
   read as the gold actor it was aligned to. Only these pairs are detection matches. Among equal
   sets it prefers, strictly in this order, a required gold contact over an optional one, a pair
   that also agrees on mode and date, then on mode alone, then on date alone.
2. ``OverlapMatcher`` then pairs what is left by participant overlap (Jaccard), for diagnosis only:
   such a partial pair counts as a miss and a spurious prediction, exactly as if it were unpaired.

Exact pairs are assigned first so that a partial pair can never take a gold contact from an exact one.
"""

from __future__ import annotations

import json
import math
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

import numpy as np
from rapidfuzz import fuzz

from harness.goldens.schema import GoldenContact
from harness.normalize import normalize_name
from schemas.article import Actor, DiplomaticContact

__all__ = [
    "ACTOR_MATCH_THRESHOLD",
    "UNALIGNED_PREFIX",
    "ActorMatcher",
    "Alignment",
    "ContactAlignment",
    "ContactMatcher",
    "Matcher",
    "OverlapMatcher",
    "Pair",
    "align_actors",
    "align_contacts",
    "as_gold_id",
    "gold_ids_by_predicted",
    "mapped_participants",
    "name_similarity",
    "optimal_pairs",
    "participant_jaccard",
]

G = TypeVar("G")
P = TypeVar("P")

ACTOR_MATCH_THRESHOLD = 0.85
"""Least name similarity (0-1) for two actors to be the same.

Admits transliteration variants ("Qasem" / "Qassem" Soleimani 0.97, "Mehmood" / "Mahmood" 0.95)
and a surname against a full name (token subset, 1.0); rejects near-miss names of different people
("Esper" / "Espen" 0.80, "Imran Khan" / "Ismail Khan" 0.76, "Qamar Javed Bajwa" / "Javed Ali" 0.71).
"""

UNALIGNED_PREFIX = "?"
"""Marks a predicted participant aligned to no gold actor (``?<predicted id>``); gold ids never start with it."""


@dataclass(frozen=True)
class Pair(Generic[G, P]):
    """A gold record and the prediction assigned to it."""

    gold_index: int
    """Position of the gold record in its list."""
    predicted_index: int
    """Position of the predicted record in its list."""
    gold: G
    predicted: P
    score: float
    """The matcher's score of this pair (its scale is the matcher's own)."""


@dataclass(frozen=True)
class Alignment(Generic[G, P]):
    """The outcome of an assignment: pairs, and the records of either side left without one."""

    pairs: list[Pair[G, P]]
    """In the order of the gold records."""
    unmatched_gold: dict[int, G]
    """Gold records without a pair, by position."""
    unmatched_predicted: dict[int, P]
    """Predicted records without a pair, by position."""


@dataclass(frozen=True)
class ContactAlignment(Alignment[GoldenContact, DiplomaticContact]):
    """Contact pairs with equal participant sets, plus partial pairs (overlapping sets) kept for diagnosis."""

    partial: list[Pair[GoldenContact, DiplomaticContact]]
    """Pairs whose participants overlap but differ; their records are in neither ``unmatched`` mapping."""


def optimal_pairs(scores: np.ndarray, minimum: float) -> list[tuple[int, int]]:
    """The (row, column) pairs of a maximum-total assignment that uses only cells scoring at least ``minimum``.

    Cells below the minimum are zeroed before the assignment, so a weak pair never displaces an
    eligible one in exchange for a higher total.
    """
    if scores.size == 0:
        return []
    eligible = np.where(scores >= minimum, scores, 0.0)
    from scipy.optimize import linear_sum_assignment  # scipy takes seconds to import: only when scoring

    rows, columns = linear_sum_assignment(eligible, maximize=True)
    return [(int(row), int(column)) for row, column in zip(rows, columns, strict=True) if eligible[row, column] > 0]


class Matcher(ABC, Generic[G, P]):
    """A way of pairing gold with predicted records one to one."""

    minimum: ClassVar[float]
    """Least score a pair needs to be made."""

    @abstractmethod
    def score_matrix(self, golds: Sequence[G], predictions: Sequence[P]) -> np.ndarray:
        """``scores[g, p]`` for every gold and predicted record; higher is a better pair."""

    @abstractmethod
    def order_key(self, record: G | P) -> str:
        """A key that depends only on a record's content, to put records in a canonical order."""

    def align(self, golds: Sequence[G], predictions: Sequence[P]) -> Alignment[G, P]:
        """Pair the two lists one to one, maximising the total score."""
        return self.align_subsets(dict(enumerate(golds)), dict(enumerate(predictions)))

    def align_subsets(self, golds: Mapping[int, G], predictions: Mapping[int, P]) -> Alignment[G, P]:
        """Pair records given by their positions in longer lists (the positions are kept in the result)."""
        gold_order = sorted(golds, key=lambda index: (self.order_key(golds[index]), index))
        predicted_order = sorted(predictions, key=lambda index: (self.order_key(predictions[index]), index))
        matrix = self.score_matrix([golds[i] for i in gold_order], [predictions[i] for i in predicted_order])
        pairs = []
        for row, column in optimal_pairs(matrix, self.minimum):
            gold_index, predicted_index = gold_order[row], predicted_order[column]
            score = float(matrix[row, column])
            pair = Pair(gold_index, predicted_index, golds[gold_index], predictions[predicted_index], score)
            pairs.append(pair)
        pairs.sort(key=lambda pair: pair.gold_index)
        paired_gold = {pair.gold_index for pair in pairs}
        paired_predicted = {pair.predicted_index for pair in pairs}
        return Alignment(
            pairs=pairs,
            unmatched_gold={index: record for index, record in sorted(golds.items()) if index not in paired_gold},
            unmatched_predicted={
                index: record for index, record in sorted(predictions.items()) if index not in paired_predicted
            },
        )


def _name_forms(actor: Actor) -> set[str]:
    forms = {normalize_name(form) for form in (actor.name, *actor.aliases)}
    forms.discard("")
    return forms


def name_similarity(gold: Actor, predicted: Actor) -> float:
    """Best similarity (0-1) between any name or alias of one actor and any of the other, once normalised.

    Each pair of forms scores the better of plain edit similarity (spelling variants) and
    token-set similarity, which is 1.0 when one form's words are a subset of the other's
    ("Pompeo" / "Mike Pompeo").
    """
    best = 0.0
    for gold_form in _name_forms(gold):
        for predicted_form in _name_forms(predicted):
            best = max(best, fuzz.ratio(gold_form, predicted_form), fuzz.token_set_ratio(gold_form, predicted_form))
    return best / 100


class ActorMatcher(Matcher[Actor, Actor]):
    """Pairs actors by the similarity of their names and aliases."""

    minimum = ACTOR_MATCH_THRESHOLD

    def score_matrix(self, golds: Sequence[Actor], predictions: Sequence[Actor]) -> np.ndarray:
        return np.array([[name_similarity(gold, predicted) for predicted in predictions] for gold in golds])

    def order_key(self, record: Actor) -> str:
        return record.id  # unique within an article


def align_actors(golds: Sequence[Actor], predictions: Sequence[Actor]) -> Alignment[Actor, Actor]:
    """Pair gold and predicted actors by name."""
    return ActorMatcher().align(golds, predictions)


def gold_ids_by_predicted(actors: Alignment[Actor, Actor]) -> dict[str, str]:
    """The gold actor id each aligned predicted actor id stands for."""
    return {pair.predicted.id: pair.gold.id for pair in actors.pairs}


def as_gold_id(predicted_id: str, gold_id_of: Mapping[str, str]) -> str:
    """The gold actor id a predicted actor id stands for; ``?<predicted id>`` when it was aligned to none."""
    return gold_id_of.get(predicted_id, UNALIGNED_PREFIX + predicted_id)


def mapped_participants(contact: DiplomaticContact, gold_id_of: Mapping[str, str]) -> frozenset[str]:
    """A predicted contact's participants as gold actor ids (``as_gold_id``)."""
    return frozenset(as_gold_id(actor, gold_id_of) for actor in contact.participants)


def participant_jaccard(gold: DiplomaticContact, predicted: DiplomaticContact, gold_id_of: Mapping[str, str]) -> float:
    """|G & P| / |G | P| (Jaccard) of the gold participants and the mapped predicted participants."""
    gold_set, predicted_set = frozenset(gold.participants), mapped_participants(predicted, gold_id_of)
    return len(gold_set & predicted_set) / len(gold_set | predicted_set)


def _contact_key(contact: DiplomaticContact) -> str:
    data = contact.model_dump(mode="json")
    data["participants"] = sorted(data["participants"])
    data["topics"] = sorted(data["topics"])
    data["evidence"] = sorted(data["evidence"], key=lambda evidence: json.dumps(evidence, sort_keys=True))
    return json.dumps(data, sort_keys=True)


class _ContactMatcherBase(Matcher[GoldenContact, DiplomaticContact]):
    """Contacts compared through the actor alignment: a predicted participant stands for its gold actor."""

    def __init__(self, gold_id_of: Mapping[str, str]):
        self.gold_id_of = gold_id_of

    def order_key(self, record: DiplomaticContact) -> str:
        return _contact_key(record)


class ContactMatcher(_ContactMatcherBase):
    """Pairs contacts with equal participant sets; ties broken by required, strict, mode, then date agreement.

    Each preference outweighs all lower ones summed over any assignment (weights are powers of one
    more than the most pairs possible), so the tie-breaks are exact, not merely small.
    """

    minimum = 1.0

    def score_matrix(self, golds: Sequence[GoldenContact], predictions: Sequence[DiplomaticContact]) -> np.ndarray:
        base = min(len(golds), len(predictions)) + 1
        scores = np.zeros((len(golds), len(predictions)))
        for row, gold in enumerate(golds):
            for column, predicted in enumerate(predictions):
                if mapped_participants(predicted, self.gold_id_of) != frozenset(gold.participants):
                    continue
                same_mode, same_date = gold.mode == predicted.mode, gold.date == predicted.date
                preferences = (not gold.optional, same_mode and same_date, same_mode, same_date)
                scores[row, column] = _lexicographic(preferences, base)
        return scores


def _lexicographic(preferences: Sequence[bool], base: int) -> float:
    """``base**k + Σ preference_i · base**(k-1-i)``: at least 1, integral, hence exact in a float."""
    levels = len(preferences)
    return float(base**levels + sum(base ** (levels - 1 - i) for i, held in enumerate(preferences) if held))


class OverlapMatcher(_ContactMatcherBase):
    """Pairs contacts by participant overlap (Jaccard); used only on what ``ContactMatcher`` left unpaired."""

    minimum = math.ulp(0.0)  # any shared participant

    def score_matrix(self, golds: Sequence[GoldenContact], predictions: Sequence[DiplomaticContact]) -> np.ndarray:
        return np.array(
            [[participant_jaccard(gold, predicted, self.gold_id_of) for predicted in predictions] for gold in golds]
        )


def align_contacts(
    golds: Sequence[GoldenContact], predictions: Sequence[DiplomaticContact], gold_id_of: Mapping[str, str]
) -> ContactAlignment:
    """Exact pairs (equal participant sets) first, then partial pairs among the rest."""
    exact = ContactMatcher(gold_id_of).align(golds, predictions)
    partial = OverlapMatcher(gold_id_of).align_subsets(exact.unmatched_gold, exact.unmatched_predicted)
    return ContactAlignment(
        pairs=exact.pairs,
        unmatched_gold=partial.unmatched_gold,
        unmatched_predicted=partial.unmatched_predicted,
        partial=partial.pairs,
    )
