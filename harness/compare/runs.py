"""A scored run: predictions scored against a golden set, with the ledger that made them and the set's hash.

Figures are only comparable over the same goldens, so the hash of the golden set travels with
the score (a baseline blessed before a golden was corrected is refused, not silently misread).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from harness.compare.ledger import read_ledger
from harness.goldens import GoldenSet, as_golden_set
from harness.run.results import RunLedger
from harness.scoring import RunScore, score_run
from harness.scoring.loading import load_predictions

__all__ = ["ScoredRun", "score_predictions"]


class ScoredRun(BaseModel):
    """One side of a comparison: every figure and per-record outcome of a run, and what made it."""

    model_config = ConfigDict(frozen=True)

    source: str
    """Where the predictions were read from (a run folder, a results.jsonl, a folder of Articles)."""
    ledger: RunLedger | None
    """Model, prompt and schema of the run; None for predictions without a manifest."""
    goldens_sha256: str
    """``GoldenSet.sha256`` of the golden set the run was scored against."""
    score: RunScore
    """The scores, with every record's outcome."""


def score_predictions(predictions: Path, goldens: GoldenSet | Path) -> ScoredRun:
    """Score a run folder, a ``results.jsonl`` or a folder of Article files against a golden set (or its folder)."""
    golden_set = as_golden_set(goldens)
    return ScoredRun(
        source=str(predictions),
        ledger=read_ledger(predictions),
        goldens_sha256=golden_set.sha256,
        score=score_run(load_predictions(predictions), golden_set.goldens, golden_set.texts),
    )
