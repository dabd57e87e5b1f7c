"""Record pairs as the scorer paired them: each outcome of ``harness.scoring`` shown with both records.

An outcome names its gold record by id (actors) or position (contacts) and its predicted one
likewise, so the pair is looked up, never re-aligned: the report shows exactly what was scored.
"""

from __future__ import annotations

from harness.goldens.schema import GoldenArticle
from harness.report.model import ActorPair, ContactPair, FieldMark, FieldRow, Quote, RecordMark
from harness.scoring import ActorOutcome, ContactOutcome, FieldOutcome, Verdict
from schemas.article import Actor, Article, DiplomaticContact

__all__ = ["actor_pairs", "contact_pairs", "contact_title", "gold_key", "predicted_key", "record_mark"]

_VERDICT_MARKS = {
    Verdict.MISSED: RecordMark.MISSED,
    Verdict.SPURIOUS: RecordMark.SPURIOUS,
    Verdict.PARTIAL: RecordMark.PARTIAL,
    Verdict.OPTIONAL_MATCHED: RecordMark.OPTIONAL_MATCHED,
    Verdict.OPTIONAL_MISSED: RecordMark.OPTIONAL_MISSED,
}


def gold_key(prefix: str, index: int) -> str:
    """The page key of gold contact ``index`` of the document whose anchor is ``prefix``."""
    return f"{prefix}-g{index}"


def predicted_key(prefix: str, index: int) -> str:
    """The page key of predicted contact ``index``."""
    return f"{prefix}-p{index}"


def record_mark(outcome: ActorOutcome | ContactOutcome) -> RecordMark:
    """The scorer's verdict, with a matched pair that got a field wrong shown as ``wrong``."""
    if outcome.verdict == Verdict.MATCHED:
        return RecordMark.WRONG if any(not field.correct for field in outcome.fields) else RecordMark.MATCHED
    return _VERDICT_MARKS[outcome.verdict]


def _text(value: object) -> str | None:
    if value is None or value == []:
        return None
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return str(getattr(value, "value", value))


def _judged(outcome: FieldOutcome) -> FieldRow:
    mark = FieldMark.RIGHT if outcome.correct else FieldMark.WRONG
    return FieldRow(outcome.field, outcome.gold, outcome.predicted, mark)


def _names(article: Article | None, ids: list[str]) -> list[str]:
    """Actor ids as the names their article gives them (an unknown id as itself)."""
    known = {actor.id: actor.name for actor in article.actors} if article is not None else {}
    return [known.get(actor_id, actor_id) for actor_id in ids]


def contact_title(article: Article | None, contact: DiplomaticContact) -> str:
    """``Mike Pompeo + Qamar Javed Bajwa · phone_call``."""
    return f"{' + '.join(_names(article, contact.participants))} · {contact.mode.value}"


def _quotes(contact: DiplomaticContact | None, text: str) -> list[Quote]:
    return [Quote(e.quote, e.quote in text) for e in contact.evidence] if contact is not None else []


def _contact_rows(
    outcome: ContactOutcome,
    gold: DiplomaticContact | None,
    predicted: DiplomaticContact | None,
    articles: tuple[Article | None, Article | None],
) -> list[FieldRow]:
    """Participants, then the judged fields (or, for an unpaired record, the same fields unjudged), then the rest."""
    gold_article, predicted_article = articles

    def both(name: str) -> tuple[str | None, str | None]:
        return _text(getattr(gold, name, None)), _text(getattr(predicted, name, None))

    participants = FieldRow(
        "participants",
        _text(_names(gold_article, gold.participants)) if gold else None,
        _text(_names(predicted_article, predicted.participants)) if predicted else None,
    )
    judged = {field.field: _judged(field) for field in outcome.fields}
    names = ("initiator", "mode", "status", "date", "location")
    rows = [participants, *(judged.get(name) or FieldRow(name, *both(name)) for name in names)]
    topic_note = f"topic F1 {outcome.topic_f1:.2f}" if outcome.topic_f1 is not None else None
    rows.append(FieldRow("topics", *both("topics"), note=topic_note))
    rows += [FieldRow(name, *both(name)) for name in ("date_text", "reported_by")]
    return rows


def _contact_pair(
    outcome: ContactOutcome, gold: GoldenArticle, predicted: Article | None, text: str, prefix: str
) -> ContactPair:
    gold_index, predicted_index = outcome.gold_index, outcome.predicted_index
    gold_contact = predicted_contact = None
    g_key, g_label, p_key, p_label = None, "no gold contact", None, "no prediction"
    if gold_index is not None:
        gold_contact = gold.contacts[gold_index]
        g_key, g_label = gold_key(prefix, gold_index), f"gold contact #{gold_index}"
    if predicted is not None and predicted_index is not None:
        predicted_contact = predicted.contacts[predicted_index]
        p_key, p_label = predicted_key(prefix, predicted_index), f"predicted contact #{predicted_index}"
    if gold_contact is not None:
        title = contact_title(gold, gold_contact)
    else:
        title = contact_title(predicted, predicted_contact) if predicted_contact is not None else ""
    return ContactPair(
        mark=record_mark(outcome),
        title=title,
        gold_key=g_key,
        predicted_key=p_key,
        gold_label=g_label,
        predicted_label=p_label,
        fields=_contact_rows(outcome, gold_contact, predicted_contact, (gold, predicted)),
        gold_evidence=_quotes(gold_contact, text),
        predicted_evidence=_quotes(predicted_contact, text),
        similarity=outcome.similarity,
    )


def contact_pairs(
    outcomes: list[ContactOutcome], gold: GoldenArticle, predicted: Article | None, text: str, *, prefix: str
) -> list[ContactPair]:
    """One pair per contact outcome, its records keyed by ``gold_key`` and ``predicted_key``.

    Records are numbered by their position in their file, from 0, as ``harness compare`` names them.
    """
    return [_contact_pair(outcome, gold, predicted, text, prefix) for outcome in outcomes]


def _actor(article: Article | None, actor_id: str | None) -> Actor | None:
    if article is None or actor_id is None:
        return None
    return next((actor for actor in article.actors if actor.id == actor_id), None)


def _actor_rows(outcome: ActorOutcome, gold: Actor | None, predicted: Actor | None) -> list[FieldRow]:
    judged = {field.field: _judged(field) for field in outcome.fields}
    rows = []
    for name in ("kind", "role", "country"):
        values = _text(getattr(gold, name, None)), _text(getattr(predicted, name, None))
        rows.append(judged.get(name) or FieldRow(name, *values))
    return rows


def actor_pairs(outcomes: list[ActorOutcome], gold: GoldenArticle, predicted: Article | None) -> list[ActorPair]:
    """One pair per actor outcome, each side as ``name (id)``."""
    pairs = []
    for outcome in outcomes:
        gold_actor, predicted_actor = _actor(gold, outcome.gold_id), _actor(predicted, outcome.predicted_id)
        pairs.append(
            ActorPair(
                mark=record_mark(outcome),
                gold=f"{outcome.gold_name} ({outcome.gold_id})" if outcome.gold_id else None,
                predicted=f"{outcome.predicted_name} ({outcome.predicted_id})" if outcome.predicted_id else None,
                fields=_actor_rows(outcome, gold_actor, predicted_actor),
                similarity=outcome.similarity,
            )
        )
    return pairs
