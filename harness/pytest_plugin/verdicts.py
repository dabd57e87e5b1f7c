"""Whether one golden document, or the run as a whole, held up against the baseline, and why not in words.

A document is held to its own figures in the baseline with the gate's rule and tolerances (the
same ``check_gate`` that ``harness eval --baseline`` applies to the run's figures), so one
document's fall is not averaged away by the others; the run's micro-averaged figures are judged
too, since they can fall while no single document's does. A failure shows the per-record diff of
``harness compare``: which record became missed or spurious, which field changed from what to what.
"""

from __future__ import annotations

from dataclasses import dataclass

from harness.compare import GateVerdict, RecordChange, check_gate
from harness.project.settings import Tolerances
from harness.pytest_plugin.check import GoldenRun

__all__ = ["DocumentVerdict", "judge_document", "judge_run", "run_explanation"]

_EFFECT_WIDTH = len("neutral")  # the longest effect, so the records line up


@dataclass(frozen=True)
class DocumentVerdict:
    """One golden document of the new run against the baseline."""

    doc_id: str
    baseline: str
    """The baseline's label (its file)."""
    error: str | None
    """Why the document's extraction failed; None when it did not."""
    gate: GateVerdict
    """The document's own figures, new against baseline."""
    changes: list[RecordChange]
    """Every record and field of the document that differs from the baseline."""

    @property
    def passed(self) -> bool:
        return self.error is None and self.gate.passed

    def explanation(self) -> str:
        """Why the document failed: the extraction error, the figures that fell, and the records that changed."""
        lines = [f"{self.doc_id}: extraction failed: {self.error}"] if self.error is not None else []
        if not self.gate.passed:
            lines.append(f"{self.doc_id} fell below the baseline {self.baseline}:")
            lines += [f"  {reason}" for reason in self.gate.reasons()]
        if self.changes:
            lines.append(f"records that changed from the baseline ({len(self.changes)}):")
            lines += [f"  {_change_line(change)}" for change in self.changes]
        return "\n".join(lines)


def _change_line(change: RecordChange) -> str:
    what = change.record if change.field is None else f"{change.record}, {change.field}"
    return f"{change.effect:<{_EFFECT_WIDTH}}  {what}: {change.base} -> {change.new}"


def judge_document(run: GoldenRun, doc_id: str, tolerances: Tolerances) -> DocumentVerdict:
    """Gate one document's figures against its figures in the baseline, with its record changes."""
    comparison = run.comparison
    record = run.job.records[doc_id]
    base, new = comparison.base.score.document(doc_id), comparison.new.score.document(doc_id)
    return DocumentVerdict(
        doc_id=doc_id,
        baseline=comparison.base_label,
        error=record.error if record.status == "failed" else None,
        gate=check_gate(base.to_flat_dict(), new.to_flat_dict(), tolerances),
        changes=[change for change in comparison.records if change.doc_id == doc_id],
    )


def judge_run(run: GoldenRun, tolerances: Tolerances) -> GateVerdict:
    """The gate of ``harness eval --baseline``: the run's figures, micro-averaged over all goldens."""
    return check_gate(run.comparison.base_figures(), run.comparison.new_figures(), tolerances)


def run_explanation(run: GoldenRun, verdict: GateVerdict) -> str:
    """The run's figures that fell, and each document's headline F1 that fell (their items show the records)."""
    lines = [f"the run's figures over all goldens fell below the baseline {run.comparison.base_label}:"]
    lines += [f"  {reason}" for reason in verdict.reasons()]
    fallen = [
        f"  {document.doc_id}: {delta.metric} {delta.base:.3f} -> {delta.new:.3f}"
        for document in run.comparison.documents
        for delta in document.metrics
        if delta.delta < 0
    ]
    if fallen:
        lines += ["per document:", *fallen]
    return "\n".join(lines)
