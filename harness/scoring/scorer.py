"""Score predictions against goldens: align each document's records, then judge every record and field."""

from __future__ import annotations

from collections.abc import Mapping

from harness.goldens.schema import GoldenArticle, GoldenContact
from harness.scoring.align import (
    Alignment,
    ContactAlignment,
    Pair,
    align_actors,
    align_contacts,
    as_gold_id,
    gold_ids_by_predicted,
    mapped_participants,
    participant_jaccard,
)
from harness.scoring.fields import same_location, same_role, topic_f1
from harness.scoring.metrics import DocumentScore, RunScore
from harness.scoring.outcomes import ActorOutcome, ContactOutcome, FieldOutcome, Verdict
from schemas.article import Actor, Article, DiplomaticContact

__all__ = ["score_document", "score_run"]


def _field(name: str, gold: object, predicted: object, correct: bool) -> FieldOutcome:
    """A field's outcome, its values as text (ISO dates, enum values)."""
    as_text = [None if value is None else str(value) for value in (gold, predicted)]
    return FieldOutcome(field=name, gold=as_text[0], predicted=as_text[1], correct=correct)


def _exact(name: str, gold: object, predicted: object) -> FieldOutcome:
    return _field(name, gold, predicted, gold == predicted)


def _actor_side(actor: Actor, side: str) -> dict[str, object]:
    return {f"{side}_id": actor.id, f"{side}_name": actor.name, f"{side}_kind": actor.kind}


def _actor_fields(gold: Actor, predicted: Actor) -> list[FieldOutcome]:
    return [
        _field("role", gold.role, predicted.role, same_role(gold.role, predicted.role)),
        _exact("country", gold.country, predicted.country),
        _exact("kind", gold.kind, predicted.kind),
    ]


def _actor_outcomes(alignment: Alignment[Actor, Actor]) -> list[ActorOutcome]:
    by_gold = {
        index: ActorOutcome(verdict=Verdict.MISSED, **_actor_side(actor, "gold"))
        for index, actor in alignment.unmatched_gold.items()
    }
    for pair in alignment.pairs:
        by_gold[pair.gold_index] = ActorOutcome(
            verdict=Verdict.MATCHED,
            similarity=pair.score,
            fields=_actor_fields(pair.gold, pair.predicted),
            **_actor_side(pair.gold, "gold"),
            **_actor_side(pair.predicted, "predicted"),
        )
    spurious = [
        ActorOutcome(verdict=Verdict.SPURIOUS, **_actor_side(actor, "predicted"))
        for actor in alignment.unmatched_predicted.values()
    ]
    return [by_gold[index] for index in sorted(by_gold)] + spurious


class _ContactJudge:
    """Judges the contacts of one document through its actor alignment."""

    def __init__(self, gold_id_of: Mapping[str, str], text: str):
        self.gold_id_of = gold_id_of
        self.text = text

    def gold_side(self, index: int, contact: GoldenContact) -> dict[str, object]:
        return {"gold_index": index, "gold_participants": sorted(contact.participants), "optional": contact.optional}

    def predicted_side(self, index: int, contact: DiplomaticContact) -> dict[str, object]:
        quotes = [evidence.quote for evidence in contact.evidence]
        return {
            "predicted_index": index,
            "predicted_participants": sorted(mapped_participants(contact, self.gold_id_of)),
            "evidence_quotes": len(quotes),
            "evidence_grounded": sum(quote in self.text for quote in quotes),
        }

    def fields(self, gold: GoldenContact, predicted: DiplomaticContact) -> list[FieldOutcome]:
        initiator = as_gold_id(predicted.initiator, self.gold_id_of) if predicted.initiator is not None else None
        return [
            _exact("initiator", gold.initiator, initiator),
            _exact("mode", gold.mode, predicted.mode),
            _exact("status", gold.status, predicted.status),
            _exact("date", gold.date, predicted.date),
            _field("location", gold.location, predicted.location, same_location(gold.location, predicted.location)),
        ]

    def paired(self, pair: Pair[GoldenContact, DiplomaticContact], *, exact: bool) -> ContactOutcome:
        gold, predicted = pair.gold, pair.predicted
        sides = self.gold_side(pair.gold_index, gold) | self.predicted_side(pair.predicted_index, predicted)
        similarity = participant_jaccard(gold, predicted, self.gold_id_of)
        if not exact:
            return ContactOutcome(verdict=Verdict.PARTIAL, similarity=similarity, **sides)
        if gold.optional:
            return ContactOutcome(verdict=Verdict.OPTIONAL_MATCHED, similarity=similarity, **sides)
        return ContactOutcome(
            verdict=Verdict.MATCHED,
            similarity=similarity,
            fields=self.fields(gold, predicted),
            strict=gold.mode == predicted.mode and gold.date == predicted.date,
            topic_f1=topic_f1(gold.topics, predicted.topics),
            **sides,
        )

    def outcomes(self, alignment: ContactAlignment) -> list[ContactOutcome]:
        by_gold: dict[int, ContactOutcome] = {}
        for pair in alignment.pairs:
            by_gold[pair.gold_index] = self.paired(pair, exact=True)
        for pair in alignment.partial:
            by_gold[pair.gold_index] = self.paired(pair, exact=False)
        for index, gold in alignment.unmatched_gold.items():
            verdict = Verdict.OPTIONAL_MISSED if gold.optional else Verdict.MISSED
            by_gold[index] = ContactOutcome(verdict=verdict, **self.gold_side(index, gold))
        spurious = [
            ContactOutcome(verdict=Verdict.SPURIOUS, **self.predicted_side(index, contact))
            for index, contact in alignment.unmatched_predicted.items()
        ]
        return [by_gold[index] for index in sorted(by_gold)] + spurious


def score_document(predicted: Article | None, gold: GoldenArticle, text: str) -> DocumentScore:
    """Score one document's prediction (None: no prediction, scored as empty) against its golden and text."""
    actors = predicted.actors if predicted is not None else []
    contacts = predicted.contacts if predicted is not None else []
    actor_alignment = align_actors(gold.actors, actors)
    gold_id_of = gold_ids_by_predicted(actor_alignment)
    contact_alignment = align_contacts(gold.contacts, contacts, gold_id_of)
    return DocumentScore(
        doc_id=gold.doc_id,
        predicted=predicted is not None,
        actors=_actor_outcomes(actor_alignment),
        contacts=_ContactJudge(gold_id_of, text).outcomes(contact_alignment),
    )


def score_run(
    predictions: Mapping[str, Article | None], golds: Mapping[str, GoldenArticle], texts: Mapping[str, str]
) -> RunScore:
    """Score every golden document; a golden document without a prediction scores as empty.

    Predictions for documents with no golden are listed in ``ignored_predictions`` and not scored.
    ``texts`` holds each golden document's raw text, for the evidence grounding rate.
    """
    misfiled = sorted(doc_id for doc_id, gold in golds.items() if gold.doc_id != doc_id)
    if misfiled:
        raise ValueError(f"goldens filed under another document's id: {misfiled}")
    missing_texts = sorted(set(golds) - set(texts))
    if missing_texts:
        raise ValueError(f"no text for the golden documents {missing_texts}")
    documents = [score_document(predictions.get(doc_id), golds[doc_id], texts[doc_id]) for doc_id in sorted(golds)]
    return RunScore(documents=documents, ignored_predictions=sorted(set(predictions) - set(golds)))
