"""Paired bootstrap confidence intervals of the headline F1 differences, resampling documents.

Documents, not records, are resampled: records of one article share its wording, so they do not
vary independently. Both runs are resampled with the same draws (paired), and each resample's F1
is micro-averaged like the run's own figure. With five documents the interval is wide; it is
shown as it is, so a small delta is not mistaken for a real change.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from harness.scoring import RunScore

__all__ = ["HEADLINE_F1", "DifferenceInterval", "paired_bootstrap"]

HEADLINE_F1 = {
    "actors.all.f1": "actors",
    "actors.persons.f1": "persons",
    "contacts.detection.f1": "detection",
    "contacts.strict.f1": "strict",
}
"""The headline figures (flat keys) and the ``Tally`` counts they are computed from."""
RESAMPLES = 2000  # enough for stable 2.5/97.5 percentiles; a comparison takes milliseconds
SEED = 0  # fixed, so the same two runs always print the same interval


class DifferenceInterval(BaseModel):
    """The observed difference (new - base) of one figure, and its bootstrap percentile interval."""

    model_config = ConfigDict(frozen=True)

    metric: str
    difference: float
    low: float
    high: float
    confidence: float = Field(gt=0, lt=1)
    resamples: int
    documents: int

    @property
    def contains_zero(self) -> bool:
        """No evidence of a change either way at this confidence."""
        return self.low <= 0 <= self.high


def _counts(score: RunScore, attribute: str) -> np.ndarray:
    """Per document: tp, fp, fn."""
    prfs = [getattr(document.tally, attribute) for document in score.documents]
    return np.array([[prf.tp, prf.fp, prf.fn] for prf in prfs], dtype=float)


def _f1(counts: np.ndarray) -> np.ndarray:
    """Micro F1 of summed counts (last axis tp, fp, fn); 1.0 where there was nothing at all, as in ``PRF``."""
    tp, fp, fn = counts[..., 0], counts[..., 1], counts[..., 2]
    whole = 2 * tp + fp + fn
    return np.divide(2 * tp, whole, out=np.ones_like(whole), where=whole > 0)


def paired_bootstrap(
    base: RunScore, new: RunScore, *, resamples: int = RESAMPLES, confidence: float = 0.95, seed: int = SEED
) -> list[DifferenceInterval]:
    """Percentile intervals of each headline F1 difference, resampling the documents with replacement."""
    ids = [document.doc_id for document in new.documents]
    if ids != [document.doc_id for document in base.documents]:
        raise ValueError("a paired bootstrap needs both scores over the same documents")
    if not ids:
        return []
    draws = np.random.default_rng(seed).integers(0, len(ids), size=(resamples, len(ids)))
    tail = 100 * (1 - confidence) / 2
    intervals = []
    for metric, attribute in HEADLINE_F1.items():
        before, after = _counts(base, attribute), _counts(new, attribute)
        differences = _f1(after[draws].sum(axis=1)) - _f1(before[draws].sum(axis=1))
        low, high = np.percentile(differences, [tail, 100 - tail])
        observed = _f1(after.sum(axis=0)) - _f1(before.sum(axis=0))
        intervals.append(
            DifferenceInterval(
                metric=metric,
                difference=float(observed),
                low=float(low),
                high=float(high),
                confidence=confidence,
                resamples=resamples,
                documents=len(ids),
            )
        )
    return intervals
