"""Scoring: align predicted with golden records one to one, and count what matched, field by field.

Reads predictions and goldens only; it never imports the extraction side.
"""

from harness.scoring.metrics import PRF, DocumentScore, EvidenceGrounding, FieldAccuracy, RunScore, Tally, TopicOverlap
from harness.scoring.outcomes import ActorOutcome, ContactOutcome, FieldOutcome, Verdict
from harness.scoring.scorer import score_document, score_run

__all__ = [
    "PRF",
    "ActorOutcome",
    "ContactOutcome",
    "DocumentScore",
    "EvidenceGrounding",
    "FieldAccuracy",
    "FieldOutcome",
    "RunScore",
    "Tally",
    "TopicOverlap",
    "Verdict",
    "score_document",
    "score_run",
]
