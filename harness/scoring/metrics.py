"""Typed score objects: counts that add up over documents (micro-averaging) and the rates they give.

Empty denominators: where there was nothing to find and nothing predicted, every rate is 1.0
(nothing to find, nothing wrong); a P/R denominator that is empty while the other side is not
gives 0.0 (an empty prediction against three gold contacts has precision 0, not 1). An accuracy,
topic mean or grounding rate over no pairs or quotes is likewise 1.0: the table shows its count.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, computed_field, model_validator

from harness.scoring.outcomes import ActorOutcome, ContactOutcome, FieldOutcome, Verdict
from schemas.enums import ActorKind

__all__ = [
    "ACTOR_FIELDS",
    "CONTACT_FIELDS",
    "PRF",
    "DocumentScore",
    "EvidenceGrounding",
    "FieldAccuracy",
    "RunScore",
    "Tally",
    "TopicOverlap",
]

ACTOR_FIELDS = ("role", "country", "kind")
"""Fields judged on matched actor pairs."""
CONTACT_FIELDS = ("initiator", "mode", "status", "date", "location")
"""Fields judged on matched (required) contact pairs."""

Flat = dict[str, float]


class _Figure(BaseModel):
    model_config = ConfigDict(frozen=True)


class PRF(_Figure):
    """True positives, false positives, false negatives; precision, recall and F1 follow."""

    tp: int = Field(default=0, ge=0)
    fp: int = Field(default=0, ge=0)
    fn: int = Field(default=0, ge=0)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def precision(self) -> float:
        """tp / (tp + fp)."""
        return _ratio(self.tp, self.tp + self.fp, nothing_at_all=self.fn == 0)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def recall(self) -> float:
        """tp / (tp + fn)."""
        return _ratio(self.tp, self.tp + self.fn, nothing_at_all=self.fp == 0)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def f1(self) -> float:
        """2tp / (2tp + fp + fn): the harmonic mean of precision and recall, 0 when tp is 0."""
        return _ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn, nothing_at_all=True)

    def __add__(self, other: PRF) -> PRF:
        return PRF(tp=self.tp + other.tp, fp=self.fp + other.fp, fn=self.fn + other.fn)

    def flat(self, prefix: str) -> Flat:
        """``{prefix.precision: ..., prefix.tp: ...}``."""
        figures = ("precision", "recall", "f1", "tp", "fp", "fn")
        return {f"{prefix}.{name}": getattr(self, name) for name in figures}


def _ratio(part: int | float, whole: int, *, nothing_at_all: bool) -> float:
    """part / whole; for an empty whole, 1.0 if there was nothing at all to count, else 0.0."""
    if whole == 0:
        return 1.0 if nothing_at_all else 0.0
    return part / whole


class FieldAccuracy(_Figure):
    """How often one field of the matched pairs was right."""

    correct: int = Field(default=0, ge=0)
    total: int = Field(default=0, ge=0)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def accuracy(self) -> float:
        """correct / total; 1.0 over no pairs."""
        return _ratio(self.correct, self.total, nothing_at_all=True)

    def __add__(self, other: FieldAccuracy) -> FieldAccuracy:
        return FieldAccuracy(correct=self.correct + other.correct, total=self.total + other.total)

    @classmethod
    def of(cls, outcomes: Iterable[FieldOutcome]) -> FieldAccuracy:
        outcomes = list(outcomes)
        return cls(correct=sum(outcome.correct for outcome in outcomes), total=len(outcomes))


class TopicOverlap(_Figure):
    """Topic F1 (``fields.topic_f1``) summed over matched contact pairs; its mean is the figure."""

    f1_sum: float = Field(default=0.0, ge=0)
    pairs: int = Field(default=0, ge=0)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def mean(self) -> float:
        """Mean topic F1 of the matched pairs; 1.0 over no pairs."""
        return _ratio(self.f1_sum, self.pairs, nothing_at_all=True)

    def __add__(self, other: TopicOverlap) -> TopicOverlap:
        return TopicOverlap(f1_sum=self.f1_sum + other.f1_sum, pairs=self.pairs + other.pairs)


class EvidenceGrounding(_Figure):
    """How many predicted evidence quotes occur verbatim in the document text."""

    grounded: int = Field(default=0, ge=0)
    quotes: int = Field(default=0, ge=0)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def rate(self) -> float:
        """grounded / quotes; 1.0 with no quotes."""
        return _ratio(self.grounded, self.quotes, nothing_at_all=True)

    def __add__(self, other: EvidenceGrounding) -> EvidenceGrounding:
        return EvidenceGrounding(grounded=self.grounded + other.grounded, quotes=self.quotes + other.quotes)


def _actor_prfs(outcomes: list[ActorOutcome]) -> tuple[PRF, PRF]:
    """All kinds, and persons only: a persons TP is a matched pair with a person on both sides;
    any other gold person is a persons FN and any other predicted person a persons FP."""
    everything = PRF(
        tp=sum(outcome.verdict == Verdict.MATCHED for outcome in outcomes),
        fp=sum(outcome.verdict == Verdict.SPURIOUS for outcome in outcomes),
        fn=sum(outcome.verdict == Verdict.MISSED for outcome in outcomes),
    )
    persons = PRF(
        tp=sum(outcome.person_pair for outcome in outcomes),
        fp=sum(outcome.predicted_kind == ActorKind.PERSON and not outcome.person_pair for outcome in outcomes),
        fn=sum(outcome.gold_kind == ActorKind.PERSON and not outcome.person_pair for outcome in outcomes),
    )
    return everything, persons


def _contact_prfs(outcomes: list[ContactOutcome]) -> tuple[PRF, PRF]:
    """Detection and strict: a partial pair is a FP (and a FN when its gold contact is required);
    a matched pair that fails strict is one FN and one FP at the strict level; optional golds count nothing."""
    matched = [outcome for outcome in outcomes if outcome.verdict == Verdict.MATCHED]
    spurious = sum(outcome.verdict in (Verdict.SPURIOUS, Verdict.PARTIAL) for outcome in outcomes)
    missed = sum(
        outcome.verdict == Verdict.MISSED or (outcome.verdict == Verdict.PARTIAL and not outcome.optional)
        for outcome in outcomes
    )
    strict = sum(outcome.strict for outcome in matched)
    detection = PRF(tp=len(matched), fp=spurious, fn=missed)
    return detection, PRF(tp=strict, fp=spurious + len(matched) - strict, fn=missed + len(matched) - strict)


class Tally(_Figure):
    """Every count behind the figures of one document or a whole run; tallies add up (micro-averaging)."""

    actors: PRF = PRF()
    """Actors of all kinds."""
    persons: PRF = PRF()
    """Person actors only."""
    detection: PRF = PRF()
    """Contacts whose participants match."""
    strict: PRF = PRF()
    """Contacts whose participants, mode and date all match."""
    actor_fields: dict[str, FieldAccuracy] = Field(
        default_factory=lambda: {name: FieldAccuracy() for name in ACTOR_FIELDS}
    )
    """Per field of ``ACTOR_FIELDS``, over matched actor pairs."""
    contact_fields: dict[str, FieldAccuracy] = Field(
        default_factory=lambda: {name: FieldAccuracy() for name in CONTACT_FIELDS}
    )
    """Per field of ``CONTACT_FIELDS``, over matched contact pairs with a required gold contact."""
    topics: TopicOverlap = TopicOverlap()
    """Topic overlap of matched contact pairs with a required gold contact."""
    grounding: EvidenceGrounding = EvidenceGrounding()
    """Evidence quotes of all predicted contacts, paired or not."""

    @model_validator(mode="after")
    def _every_field_present(self) -> Tally:
        if set(self.actor_fields) != set(ACTOR_FIELDS) or set(self.contact_fields) != set(CONTACT_FIELDS):
            raise ValueError(f"field accuracies must be keyed exactly {ACTOR_FIELDS} and {CONTACT_FIELDS}")
        return self

    @classmethod
    def of(cls, actors: Iterable[ActorOutcome], contacts: Iterable[ContactOutcome]) -> Tally:
        """Count the outcomes of one document."""
        actors, contacts = list(actors), list(contacts)
        actor_prf, person_prf = _actor_prfs(actors)
        detection, strict = _contact_prfs(contacts)
        matched_actors = [outcome for outcome in actors if outcome.verdict == Verdict.MATCHED]
        matched_contacts = [outcome for outcome in contacts if outcome.verdict == Verdict.MATCHED]
        topic_scores = [outcome.topic_f1 for outcome in matched_contacts if outcome.topic_f1 is not None]
        return cls(
            actors=actor_prf,
            persons=person_prf,
            detection=detection,
            strict=strict,
            actor_fields={name: FieldAccuracy.of(o.field(name) for o in matched_actors) for name in ACTOR_FIELDS},
            contact_fields={name: FieldAccuracy.of(o.field(name) for o in matched_contacts) for name in CONTACT_FIELDS},
            topics=TopicOverlap(f1_sum=math.fsum(topic_scores), pairs=len(topic_scores)),  # fsum: order-independent
            grounding=EvidenceGrounding(
                grounded=sum(outcome.evidence_grounded for outcome in contacts),
                quotes=sum(outcome.evidence_quotes for outcome in contacts),
            ),
        )

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            actors=self.actors + other.actors,
            persons=self.persons + other.persons,
            detection=self.detection + other.detection,
            strict=self.strict + other.strict,
            actor_fields={name: self.actor_fields[name] + other.actor_fields[name] for name in ACTOR_FIELDS},
            contact_fields={name: self.contact_fields[name] + other.contact_fields[name] for name in CONTACT_FIELDS},
            topics=self.topics + other.topics,
            grounding=self.grounding + other.grounding,
        )

    def to_flat_dict(self) -> Flat:
        """Every figure under a dotted key: ``contacts.strict.f1``, ``fields.contact.mode.accuracy``, ..."""
        flat: Flat = {
            **self.actors.flat("actors.all"),
            **self.persons.flat("actors.persons"),
            **self.detection.flat("contacts.detection"),
            **self.strict.flat("contacts.strict"),
        }
        for record, names, accuracies in (
            ("actor", ACTOR_FIELDS, self.actor_fields),
            ("contact", CONTACT_FIELDS, self.contact_fields),
        ):
            for name in names:
                prefix, accuracy = f"fields.{record}.{name}", accuracies[name]
                flat[f"{prefix}.accuracy"] = accuracy.accuracy
                flat[f"{prefix}.correct"] = accuracy.correct
                flat[f"{prefix}.total"] = accuracy.total
        return flat | {
            "topics.f1": self.topics.mean,
            "topics.pairs": self.topics.pairs,
            "evidence.grounding.rate": self.grounding.rate,
            "evidence.grounding.grounded": self.grounding.grounded,
            "evidence.grounding.quotes": self.grounding.quotes,
        }


class DocumentScore(BaseModel):
    """The outcome of every record of one document, and the tally they add up to."""

    model_config = ConfigDict(frozen=True)

    doc_id: str
    predicted: bool
    """False when the document had no prediction (missing or failed): it was scored as empty."""
    actors: list[ActorOutcome]
    """Gold actors in golden order (paired or missed), then spurious predicted actors."""
    contacts: list[ContactOutcome]
    """Gold contacts in golden order (matched, partial or missed), then spurious predicted contacts."""

    @computed_field  # type: ignore[prop-decorator]
    @property
    def tally(self) -> Tally:
        """The counts of this document's outcomes."""
        return Tally.of(self.actors, self.contacts)

    def to_flat_dict(self) -> Flat:
        """The document's figures under dotted keys (see ``Tally.to_flat_dict``)."""
        return self.tally.to_flat_dict()


class RunScore(BaseModel):
    """The scores of every golden document of a run; its figures are micro-averages over the documents."""

    model_config = ConfigDict(frozen=True)

    documents: list[DocumentScore]
    """One per golden document, by doc_id."""
    ignored_predictions: list[str] = []
    """Ids of predicted documents that have no golden: reported, not scored."""

    @model_validator(mode="after")
    def _documents_by_id(self) -> RunScore:
        ids = [document.doc_id for document in self.documents]
        if ids != sorted(set(ids)):
            raise ValueError(f"documents must be unique and sorted by doc_id: {ids}")
        return self

    @computed_field  # type: ignore[prop-decorator]
    @property
    def tally(self) -> Tally:
        """The counts of all documents together."""
        total = Tally()
        for document in self.documents:
            total += document.tally
        return total

    def document(self, doc_id: str) -> DocumentScore:
        """The score of one document (KeyError if it has no golden)."""
        for document in self.documents:
            if document.doc_id == doc_id:
                return document
        raise KeyError(doc_id)

    def to_flat_dict(self) -> Flat:
        """The run's figures under dotted keys, plus ``documents.scored``, ``.unpredicted`` and ``.ignored``."""
        return self.tally.to_flat_dict() | {
            "documents.scored": len(self.documents),
            "documents.unpredicted": sum(not document.predicted for document in self.documents),
            "documents.ignored": len(self.ignored_predictions),
        }

    def to_json(self) -> dict[str, Any]:
        """Every figure: the run's flat figures, each document's, and the whole score with its per-record outcomes.

        ``RunScore.model_validate(report["score"])`` reads the score back.
        """
        return {
            "summary": self.to_flat_dict(),
            "documents": {document.doc_id: document.to_flat_dict() for document in self.documents},
            "score": self.model_dump(mode="json"),
        }
