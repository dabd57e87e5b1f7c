"""The report's summary: every rate figure with its baseline delta, interval and gate outcome; costs; the set-up.

Deltas, intervals and the gate come from ``harness.compare`` as they are printed by ``harness compare``,
so the report and the gate can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from harness.compare.baseline import Baseline
from harness.compare.comparison import Comparison
from harness.compare.gate import GateVerdict, gated_metrics
from harness.compare.runs import ScoredRun
from harness.report.model import BaselineView, CostView, FigureRow, RunFacts
from harness.run.results import ResultRecord, RunManifest, totals_of
from harness.scoring.metrics import Flat

__all__ = ["HEADLINE", "baseline_view", "cost_view", "figure_label", "figure_rows", "run_facts", "run_label"]

HEADLINE = {
    "contacts.detection.f1": "contact detection F1",
    "contacts.strict.f1": "strict contact F1",
    "actors.all.f1": "actor F1",
    "actors.persons.f1": "person F1",
    "evidence.grounding.rate": "evidence grounding rate",
}
"""The figures shown first, as cards, and drawn in the chart."""

_GROUPS = {
    "actors.all": "actors",
    "actors.persons": "persons",
    "contacts.detection": "contact detection",
    "contacts.strict": "strict contact",
    "evidence.grounding": "evidence grounding",
    "topics": "topic",
}


def figure_label(metric: str) -> str:
    """Words for a flat figure key: ``fields.contact.mode.accuracy`` -> ``contact mode accuracy``."""
    if metric in HEADLINE:
        return HEADLINE[metric]
    group, _, measure = metric.rpartition(".")
    if group.startswith("fields."):
        return f"{group.removeprefix('fields.').replace('.', ' ')} {measure}"
    measure = "F1" if measure == "f1" else measure
    return f"{_GROUPS.get(group, group)} {measure}"


def figure_rows(
    figures: Flat, comparison: Comparison | None = None, verdict: GateVerdict | None = None
) -> list[FigureRow]:
    """Every rate figure of a run (the ones the gate checks), compared with the baseline when there is one."""
    if comparison is None or verdict is None:
        return [FigureRow(metric, figure_label(metric), figures[metric]) for metric in gated_metrics(figures)]
    checks = {check.metric: check for check in verdict.checks}
    intervals = {interval.metric: (interval.low, interval.high) for interval in comparison.intervals}
    return [
        FigureRow(
            metric=check.metric,
            label=figure_label(check.metric),
            value=check.new,
            base=check.base,
            delta=check.delta,
            interval=intervals.get(check.metric),
            tolerance=check.tolerance,
            gate="fail" if check.failed else "pass",
        )
        for check in checks.values()
    ]


def run_label(scored: ScoredRun) -> str:
    """A short name for a run: its baseline name, else its prompt and model, else where it was read from."""
    if isinstance(scored, Baseline):
        return f"baseline {scored.name}"
    if scored.ledger is not None:
        return f"{scored.ledger.prompt_ref} · {scored.ledger.model_id}"
    return Path(scored.source).name or scored.source


def run_facts(scored: ScoredRun, manifest: RunManifest | None) -> RunFacts:
    """Where the run came from: its ledger and, with a manifest, the harness that made it."""
    ledger = scored.ledger
    return RunFacts(
        label=run_label(scored),
        source=scored.source,
        model=ledger.model_id if ledger else None,
        prompt=ledger.prompt_ref if ledger else None,
        harness_version=manifest.harness_version if manifest else None,
        git_commit=manifest.git_commit if manifest else None,
    )


def cost_view(records: Iterable[ResultRecord], manifest: RunManifest | None) -> CostView | None:
    """Tokens, seconds and attempts of the run's records; None for a run without records (a folder of Articles)."""
    records = list(records)
    if not records:
        return None
    totals = totals_of(records)
    wall = None
    if manifest is not None and manifest.finished_at is not None:
        wall = (manifest.finished_at - manifest.started_at).total_seconds()
    return CostView(
        documents=totals.documents,
        ok=totals.ok,
        failed=totals.failed,
        cached=totals.cached,
        prompt_tokens=totals.prompt_tokens,
        completion_tokens=totals.completion_tokens,
        seconds=totals.seconds,
        attempts=sum(record.attempts for record in records),
        wall_seconds=wall,
    )


def baseline_view(comparison: Comparison, verdict: GateVerdict) -> BaselineView:
    """The gate's outcome and reasons, the set-up changes, and how the intervals were drawn."""
    first = comparison.intervals[0] if comparison.intervals else None
    note = (
        f"{first.confidence:.0%} percentile interval of {first.resamples} paired bootstrap resamples of "
        f"{first.documents} document(s); an interval containing 0 shows no evidence of a change"
        if first
        else "no documents to resample"
    )
    return BaselineView(
        label=comparison.base_label,
        ledger_changes=comparison.ledger_changes,
        passed=verdict.passed,
        reasons=verdict.reasons(),
        interval_note=note,
        changes=len(comparison.records),
        worse=sum(change.effect == "worse" for change in comparison.records),
    )
