"""A scored run: predictions scored against the goldens, with the ledger that made them and the goldens' hash.

Figures are only comparable over the same goldens, so the hash of the golden files travels with
the score (a baseline blessed before a golden was corrected is refused, not silently misread).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from harness.compare.ledger import Ledger, read_ledger
from harness.scoring import RunScore, score_run
from harness.scoring.loading import load_goldens, load_predictions

__all__ = ["ScoredRun", "goldens_sha256", "score_predictions"]


class ScoredRun(BaseModel):
    """One side of a comparison: every figure and per-record outcome of a run, and what made it."""

    model_config = ConfigDict(frozen=True)

    source: str
    """Where the predictions were read from (a run folder, a results.jsonl, a folder of Articles)."""
    ledger: Ledger | None
    """Model, prompt and schema of the run; None for predictions without a manifest."""
    goldens_sha256: str
    """``goldens_sha256`` of the goldens folder the run was scored against."""
    score: RunScore
    """The scores, with every record's outcome."""


def goldens_sha256(folder: Path) -> str:
    """Hash of the names and bytes of every golden (``*.json``) and source text (``*.txt``) in ``folder``."""
    digest = hashlib.sha256()
    for path in sorted([*folder.glob("*.json"), *folder.glob("*.txt")]):
        digest.update(path.name.encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def score_predictions(predictions: Path, goldens: Path) -> ScoredRun:
    """Score a run folder, a ``results.jsonl`` or a folder of Article files against the goldens of ``goldens``."""
    corpus = load_goldens(goldens)
    return ScoredRun(
        source=str(predictions),
        ledger=read_ledger(predictions),
        goldens_sha256=goldens_sha256(goldens),
        score=score_run(load_predictions(predictions), corpus.goldens, corpus.texts),
    )
