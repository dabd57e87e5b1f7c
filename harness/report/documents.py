"""One document's view: its text with every evidence span, its record pairs, its changes and its problems."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from harness.compare.records import RecordChange
from harness.goldens.schema import GoldenArticle
from harness.report.model import ContactPair, DocumentCost, DocumentView
from harness.report.pairs import actor_pairs, contact_pairs, gold_key, predicted_key
from harness.report.spans import CitedSpan, locate, segment_text
from harness.run.results import ResultRecord
from harness.scoring import DocumentScore
from schemas.article import Article, DiplomaticContact

__all__ = ["document_view"]


def _spans(
    score: DocumentScore, gold: GoldenArticle, predicted: Article | None, text: str, prefix: str
) -> Iterator[CitedSpan]:
    """Every located evidence quote of every scored gold and predicted contact, keyed by its record."""
    for outcome in score.contacts:
        cited: list[tuple[str, str, DiplomaticContact]] = []
        if outcome.gold_index is not None:
            cited.append((gold_key(prefix, outcome.gold_index), "gold", gold.contacts[outcome.gold_index]))
        if outcome.predicted_index is not None and predicted is not None:
            index = outcome.predicted_index
            cited.append((predicted_key(prefix, index), "predicted", predicted.contacts[index]))
        for key, side, contact in cited:
            for evidence in contact.evidence:
                found = locate(evidence, text)
                if found is not None:
                    yield CitedSpan(*found, record=key, side=side)


def _record_labels(pairs: list[ContactPair]) -> dict[str, str]:
    labels = {}
    for pair in pairs:
        if pair.gold_key is not None:
            labels[pair.gold_key] = f"{pair.gold_label} ({pair.title})"
        if pair.predicted_key is not None:
            labels[pair.predicted_key] = f"{pair.predicted_label} ({pair.mark.label})"
    return labels


def _warnings(pairs: list[ContactPair], record: ResultRecord | None) -> list[str]:
    warnings = []
    ungrounded = sum(not quote.grounded for pair in pairs for quote in pair.predicted_evidence)
    if ungrounded:
        warnings.append(f"{ungrounded} predicted evidence quote(s) do not occur in the text")
    if record is not None and record.attempts > 1:
        warnings.append(f"the model was asked {record.attempts} times (its earlier answers failed validation)")
    return warnings


def _cost(record: ResultRecord | None) -> DocumentCost | None:
    if record is None:
        return None
    usage = record.usage
    return DocumentCost(usage.prompt_tokens, usage.completion_tokens, record.latency_s, record.attempts, record.cached)


def document_view(
    index: int,
    score: DocumentScore,
    gold: GoldenArticle,
    predicted: Article | None,
    text: str,
    *,
    record: ResultRecord | None = None,
    changes: list[RecordChange] | None = None,
) -> DocumentView:
    """The view of document number ``index`` (its anchor is ``d{index}``); ``record`` is its line of a
    ``results.jsonl`` (None for a folder of Articles), ``changes`` what differs from a baseline."""
    prefix = f"d{index}"
    contacts = contact_pairs(score.contacts, gold, predicted, text, prefix=prefix)
    status: Literal["ok", "failed", "missing"]
    if record is not None and record.status == "failed":
        status, error = "failed", record.error
    elif not score.predicted:
        status, error = "missing", "the run has no result for this document (scored as empty)"
    else:
        status, error = "ok", None
    tally = score.tally
    return DocumentView(
        index=index,
        doc_id=score.doc_id,
        headline=gold.headline,
        status=status,
        error=error,
        warnings=_warnings(contacts, record),
        segments=segment_text(text, _spans(score, gold, predicted, text, prefix)),
        contacts=contacts,
        actors=actor_pairs(score.actors, gold, predicted),
        record_labels=_record_labels(contacts),
        detection_f1=tally.detection.f1,
        strict_f1=tally.strict.f1,
        cost=_cost(record),
        changes=changes or [],
    )
