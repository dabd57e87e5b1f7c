"""The per-record diff of two scores: which record changed verdict, which field changed value.

Gold records are matched across runs by their place in the goldens (an actor's id, a contact's
position), which the two scores share; spurious predictions have no gold record, so they are
matched by what they name (an actor's name, a contact's participants) and counted as multisets.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict

from harness.scoring import ActorOutcome, ContactOutcome, DocumentScore, FieldOutcome, RunScore, Verdict

__all__ = ["Effect", "RecordChange", "record_changes"]

Effect = Literal["worse", "better", "neutral"]
_Outcome = TypeVar("_Outcome", ActorOutcome, ContactOutcome)

_RANK = {
    Verdict.MATCHED: 2,
    Verdict.OPTIONAL_MATCHED: 2,
    Verdict.PARTIAL: 1,
    Verdict.MISSED: 0,
    Verdict.OPTIONAL_MISSED: 0,
}
"""How good a gold record's verdict is: a change down this scale is a regression."""


class RecordChange(BaseModel):
    """One record whose verdict, or one field whose value or judgement, differs between base and new."""

    model_config = ConfigDict(frozen=True)

    doc_id: str
    record: str
    """Which record, e.g. ``contact #2 (berg + dahl)`` or ``actor berg (Anna Berg)``."""
    field: str | None
    """The field that changed; None when the record's verdict changed."""
    base: str
    """The base run's verdict or predicted value (``-`` for none)."""
    new: str
    effect: Effect
    """Whether the change makes the new run worse, better, or neither (an optional contact, a value both right)."""


def _text(value: object) -> str:
    return "-" if value is None else str(value)


def _effect(before: float, after: float) -> Effect:
    return "worse" if after < before else "better" if after > before else "neutral"


def _field_changes(
    doc_id: str, record: str, base: list[FieldOutcome], new: list[FieldOutcome]
) -> Iterator[RecordChange]:
    before = {outcome.field: outcome for outcome in base}
    for after in new:
        old = before.get(after.field)
        if old is None or (old.predicted, old.correct) == (after.predicted, after.correct):
            continue
        base_text = f"{_text(old.predicted)} ({'right' if old.correct else 'wrong'})"
        new_text = f"{_text(after.predicted)} ({'right' if after.correct else 'wrong'})"
        effect = _effect(old.correct, after.correct)
        yield RecordChange(doc_id=doc_id, record=record, field=after.field, base=base_text, new=new_text, effect=effect)


def _verdict_change(doc_id: str, record: str, base: Verdict, new: Verdict, *, counts: bool) -> Iterator[RecordChange]:
    if base != new:
        effect = _effect(_RANK.get(base, 0), _RANK.get(new, 0)) if counts else "neutral"
        yield RecordChange(doc_id=doc_id, record=record, field=None, base=base.value, new=new.value, effect=effect)


def _spurious_changes(
    doc_id: str, kind: str, base: Sequence[_Outcome], new: Sequence[_Outcome], label: Callable[[_Outcome], str]
) -> Iterator[RecordChange]:
    """Spurious predictions that appear or disappear, matched by ``label`` as multisets."""
    before = Counter(label(o) for o in base if o.verdict == Verdict.SPURIOUS)
    after = Counter(label(o) for o in new if o.verdict == Verdict.SPURIOUS)
    for text in sorted((after - before).elements()):
        yield RecordChange(
            doc_id=doc_id, record=f"{kind} {text}", field=None, base="-", new=Verdict.SPURIOUS.value, effect="worse"
        )
    for text in sorted((before - after).elements()):
        yield RecordChange(
            doc_id=doc_id, record=f"{kind} {text}", field=None, base=Verdict.SPURIOUS.value, new="-", effect="better"
        )


def _gold_pairs(
    base: Sequence[_Outcome], new: Sequence[_Outcome], key: Callable[[_Outcome], object]
) -> Iterator[tuple[_Outcome, _Outcome]]:
    """The base and new outcome of every gold record both runs scored, matched by ``key`` (None: no gold record)."""
    before = {key(outcome): outcome for outcome in base if key(outcome) is not None}
    for after in new:
        old = before.get(key(after)) if key(after) is not None else None
        if old is not None:
            yield old, after


def _actor_changes(doc_id: str, base: list[ActorOutcome], new: list[ActorOutcome]) -> Iterator[RecordChange]:
    for old, after in _gold_pairs(base, new, lambda outcome: outcome.gold_id):
        record = f"actor {after.gold_id} ({after.gold_name})"
        yield from _verdict_change(doc_id, record, old.verdict, after.verdict, counts=True)
        yield from _field_changes(doc_id, record, old.fields, after.fields)
    yield from _spurious_changes(doc_id, "actor", base, new, lambda outcome: repr(outcome.predicted_name))


def _participants(participants: list[str] | None) -> str:
    return f"({' + '.join(participants or [])})"


def _contact_changes(doc_id: str, base: list[ContactOutcome], new: list[ContactOutcome]) -> Iterator[RecordChange]:
    for old, after in _gold_pairs(base, new, lambda outcome: outcome.gold_index):
        record = f"contact #{after.gold_index} {_participants(after.gold_participants)}"
        yield from _verdict_change(doc_id, record, old.verdict, after.verdict, counts=not after.optional)
        yield from _field_changes(doc_id, record, old.fields, after.fields)
        if old.topic_f1 is not None and after.topic_f1 is not None and old.topic_f1 != after.topic_f1:
            yield RecordChange(
                doc_id=doc_id,
                record=record,
                field="topics (F1)",
                base=f"{old.topic_f1:.2f}",
                new=f"{after.topic_f1:.2f}",
                effect=_effect(old.topic_f1, after.topic_f1),
            )
    yield from _spurious_changes(
        doc_id, "contact", base, new, lambda outcome: _participants(outcome.predicted_participants)
    )


def _document_changes(base: DocumentScore, new: DocumentScore) -> Iterator[RecordChange]:
    yield from _actor_changes(new.doc_id, base.actors, new.actors)
    yield from _contact_changes(new.doc_id, base.contacts, new.contacts)


def record_changes(base: RunScore, new: RunScore) -> list[RecordChange]:
    """Every record and field that differs, document by document (documents in only one score are skipped)."""
    before = {document.doc_id: document for document in base.documents}
    return [
        change
        for document in new.documents
        if document.doc_id in before
        for change in _document_changes(before[document.doc_id], document)
    ]
