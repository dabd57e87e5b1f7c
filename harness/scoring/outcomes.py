"""What happened to each gold and predicted record: paired or not, and each field right or wrong.

Every figure of a score is a count over these outcomes (see ``metrics.Tally``), so two runs can be
compared record by record: an outcome names its gold record by id (actors) or position (contacts),
which stay fixed while the goldens do.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from schemas.enums import ActorKind

__all__ = ["ActorOutcome", "ContactOutcome", "FieldOutcome", "RecordOutcome", "Verdict"]


class Verdict(StrEnum):
    """How a record was judged; the comment after each says what it counts as."""

    MATCHED = "matched"  # a true positive
    MISSED = "missed"  # a required gold record with no prediction: a false negative
    SPURIOUS = "spurious"  # a prediction with no gold record: a false positive
    PARTIAL = (
        "partial"  # contacts only: paired by overlapping participants, counted as unpaired (FP, and FN if required)
    )
    OPTIONAL_MATCHED = "optional_matched"  # an optional gold contact with a prediction: counts for nothing
    OPTIONAL_MISSED = "optional_missed"  # an optional gold contact without one: counts for nothing


class FieldOutcome(BaseModel):
    """One field of a matched pair."""

    model_config = ConfigDict(frozen=True)

    field: str
    """The field's name, e.g. ``role`` or ``mode``."""
    gold: str | None
    """The gold value, as text."""
    predicted: str | None
    """The predicted value, as text (a participant or initiator as the gold id it was aligned to)."""
    correct: bool


class RecordOutcome(BaseModel):
    """What is common to the outcome of an actor and of a contact."""

    model_config = ConfigDict(frozen=True)

    verdict: Verdict
    similarity: float | None = None
    """For a pair: name similarity (actors) or participant Jaccard (contacts), 0-1; None when unpaired."""
    fields: list[FieldOutcome] = []
    """Field by field, for matched pairs only (an optional contact's pair is not judged)."""

    def field(self, name: str) -> FieldOutcome:
        """The outcome of one field (KeyError if it was not judged)."""
        for outcome in self.fields:
            if outcome.field == name:
                return outcome
        raise KeyError(name)


class ActorOutcome(RecordOutcome):
    """A gold actor, a predicted actor, or the two paired."""

    gold_id: str | None = None
    gold_name: str | None = None
    gold_kind: ActorKind | None = None
    predicted_id: str | None = None
    predicted_name: str | None = None
    predicted_kind: ActorKind | None = None

    @property
    def person_pair(self) -> bool:
        """Matched, and a person on both sides: a true positive of the persons-only figures."""
        return (
            self.verdict == Verdict.MATCHED
            and self.gold_kind == ActorKind.PERSON
            and self.predicted_kind == ActorKind.PERSON
        )


class ContactOutcome(RecordOutcome):
    """A gold contact, a predicted contact, or the two paired."""

    gold_index: int | None = None
    """Position of the gold contact in its golden file."""
    predicted_index: int | None = None
    """Position of the predicted contact in the prediction."""
    gold_participants: list[str] | None = None
    """Gold actor ids, sorted."""
    predicted_participants: list[str] | None = None
    """Predicted participants as the gold ids they were aligned to (``?<id>`` if unaligned), sorted."""
    optional: bool = False
    """The gold contact is optional."""
    strict: bool = False
    """Matched, and mode and date agree too."""
    topic_f1: float | None = None
    """Topic overlap of a matched pair (``fields.topic_f1``)."""
    evidence_quotes: int = 0
    """Evidence quotes of the predicted contact."""
    evidence_grounded: int = 0
    """How many of them occur verbatim in the document text."""
