"""Compare two scored runs: refuse incomparable ones, then every figure's delta, per run and per document,
the per-record diff, and the bootstrap intervals of the headline differences."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, computed_field

from harness.compare.bootstrap import HEADLINE_F1, DifferenceInterval, paired_bootstrap
from harness.compare.ledger import IncomparableRunsError, LedgerChange, ledger_changes
from harness.compare.records import RecordChange, record_changes
from harness.compare.runs import ScoredRun
from harness.scoring.metrics import Flat

__all__ = ["Comparison", "DocumentDelta", "MetricDelta", "compare_runs"]


class MetricDelta(BaseModel):
    """One figure in both runs."""

    model_config = ConfigDict(frozen=True)

    metric: str
    base: float
    new: float

    @computed_field  # type: ignore[prop-decorator]
    @property
    def delta(self) -> float:
        """new - base."""
        return self.new - self.base


class DocumentDelta(BaseModel):
    """The headline figures of one document in both runs."""

    model_config = ConfigDict(frozen=True)

    doc_id: str
    metrics: list[MetricDelta]


class Comparison(BaseModel):
    """Everything that differs between a base and a new run over the same goldens."""

    model_config = ConfigDict(frozen=True)

    base_label: str
    new_label: str
    base: ScoredRun
    new: ScoredRun
    ledger_changes: list[LedgerChange]
    """The ledger entries (prompt, model, decoding) that differ; empty when either ledger is unknown."""
    metrics: list[MetricDelta]
    """Every figure of the run (``RunScore.to_flat_dict``)."""
    documents: list[DocumentDelta]
    records: list[RecordChange]
    intervals: list[DifferenceInterval]
    """Bootstrap intervals of the headline F1 differences."""

    def base_figures(self) -> Flat:
        return {delta.metric: delta.base for delta in self.metrics}

    def new_figures(self) -> Flat:
        return {delta.metric: delta.new for delta in self.metrics}


def _deltas(base: Flat, new: Flat, metrics: list[str]) -> list[MetricDelta]:
    return [MetricDelta(metric=metric, base=base[metric], new=new[metric]) for metric in metrics]


def _refuse_other_goldens(base: ScoredRun, new: ScoredRun, base_label: str, new_label: str) -> None:
    if base.goldens_sha256 != new.goldens_sha256:
        raise IncomparableRunsError(
            f"{base_label} and {new_label} were scored against different goldens "
            f"(goldens sha256 {base.goldens_sha256[:12]} vs {new.goldens_sha256[:12]}); "
            "score both against the same goldens, or bless the baseline again after correcting a golden"
        )
    base_ids = [document.doc_id for document in base.score.documents]
    new_ids = [document.doc_id for document in new.score.documents]
    if base_ids != new_ids:
        raise IncomparableRunsError(f"{base_label} scores documents {base_ids}, {new_label} scores {new_ids}")


def compare_runs(base: ScoredRun, new: ScoredRun, *, base_label: str = "base", new_label: str = "new") -> Comparison:
    """Compare ``new`` with ``base``; ``IncomparableRunsError`` (saying why) for other schemas or goldens."""
    changes = ledger_changes(base.ledger, new.ledger, base_label=base_label, new_label=new_label)
    _refuse_other_goldens(base, new, base_label, new_label)
    base_flat, new_flat = base.score.to_flat_dict(), new.score.to_flat_dict()
    documents = [
        DocumentDelta(
            doc_id=after.doc_id,
            metrics=_deltas(before.to_flat_dict(), after.to_flat_dict(), list(HEADLINE_F1)),
        )
        for before, after in zip(base.score.documents, new.score.documents, strict=True)
    ]
    return Comparison(
        base_label=base_label,
        new_label=new_label,
        base=base,
        new=new,
        ledger_changes=changes,
        metrics=_deltas(base_flat, new_flat, list(base_flat)),
        documents=documents,
        records=record_changes(base.score, new.score),
        intervals=paired_bootstrap(base.score, new.score),
    )
