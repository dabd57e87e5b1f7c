"""Assemble a report: read the run and the goldens, score, compare with a baseline, build every view.

The run is read as ``harness score`` reads it (a run folder, a ``results.jsonl``, or a folder of
Article files) and scored by ``harness.scoring``; a baseline is read and compared by
``harness.compare``. Nothing is scored or judged here that the CLI would judge differently.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

from harness.compare.baseline import load_scored
from harness.compare.comparison import Comparison, compare_runs
from harness.compare.gate import GateVerdict, check_gate, gate_tolerances
from harness.compare.ledger import read_ledger
from harness.compare.records import RecordChange
from harness.compare.runs import ScoredRun
from harness.goldens import GoldenSet, as_golden_set
from harness.project.settings import Tolerances
from harness.report.chart import chart
from harness.report.documents import document_view
from harness.report.model import DocumentView, Report
from harness.report.render import render_report
from harness.report.summary import HEADLINE, baseline_view, cost_view, figure_rows, run_facts, run_label
from harness.run.durable import write_atomically
from harness.run.results import RESULTS_FILE, ResultRecord, RunManifest, read_manifest, read_results
from harness.scoring import score_run
from harness.scoring.loading import load_predictions
from harness.scoring.metrics import Flat
from schemas.article import Article

__all__ = ["build_report", "write_report"]

_IDS_SHOWN = 10  # ids listed in a warning about predictions without a golden; the count says the rest


def _result_records(run: Path) -> dict[str, ResultRecord] | None:
    """The run's result records, or None for a folder of Article files (which has none)."""
    results = run if run.is_file() else run / RESULTS_FILE
    return read_results(results) if results.is_file() else None


def _run_warnings(scored: ScoredRun, manifest: RunManifest | None) -> list[str]:
    warnings = []
    ignored = scored.score.ignored_predictions
    if ignored:
        shown = ", ".join(ignored[:_IDS_SHOWN]) + (" …" if len(ignored) > _IDS_SHOWN else "")
        warnings.append(f"{len(ignored)} prediction(s) for documents without a golden were not scored: {shown}")
    if manifest is not None and manifest.finished_at is None:
        warnings.append("the run did not finish (its manifest has no finish time): figures cover what it did")
    return warnings


def _documents(
    scored: ScoredRun,
    corpus: GoldenSet,
    predictions: Mapping[str, Article | None],
    records: Mapping[str, ResultRecord],
    changes: list[RecordChange],
) -> list[DocumentView]:
    by_document: dict[str, list[RecordChange]] = defaultdict(list)
    for change in changes:
        by_document[change.doc_id].append(change)
    return [
        document_view(
            index,
            score,
            corpus.goldens[score.doc_id],
            predictions.get(score.doc_id),
            corpus.texts[score.doc_id],
            record=records.get(score.doc_id),
            changes=by_document.get(score.doc_id, []),
        )
        for index, score in enumerate(scored.score.documents)
    ]


def _chart_runs(runs: list[ScoredRun]) -> list[tuple[str, Flat]]:
    """Each run's label and figures; runs that share a label (same prompt and model) are told apart by source."""
    labels = [run_label(run) for run in runs]
    return [
        (label if labels.count(label) == 1 else f"{label} ({Path(run.source).name})", run.score.to_flat_dict())
        for label, run in zip(labels, runs, strict=True)
    ]


def build_report(
    run: Path,
    goldens: GoldenSet | Path,
    *,
    baseline: Path | None = None,
    history: Sequence[Path] = (),
    tolerances: Tolerances | None = None,
) -> Report:
    """The report of ``run`` scored against ``goldens``; with ``baseline`` (a baseline file or any run) its deltas,
    intervals, gate and per-record changes; ``history`` (older runs or baselines, oldest first) joins the chart.

    ``tolerances`` default to the nearest ``pyproject.toml``'s ``[tool.harness.gate]``, as for ``harness compare``.
    """
    corpus = as_golden_set(goldens)
    records = _result_records(run)
    predictions = {doc: r.article for doc, r in records.items()} if records is not None else load_predictions(run)
    manifest = read_manifest(run if run.is_dir() else run.parent)
    scored = ScoredRun(
        source=str(run),
        ledger=read_ledger(run),
        goldens_sha256=corpus.sha256,
        score=score_run(predictions, corpus.goldens, corpus.texts),
    )
    comparison: Comparison | None = None
    verdict: GateVerdict | None = None
    if baseline is not None:
        comparison = compare_runs(load_scored(baseline, corpus), scored, base_label=str(baseline), new_label=str(run))
        tolerances = tolerances if tolerances is not None else gate_tolerances([])
        verdict = check_gate(comparison.base_figures(), comparison.new_figures(), tolerances)
    charted = [load_scored(path, corpus) for path in history] + ([comparison.base] if comparison else []) + [scored]
    figures = figure_rows(scored.score.to_flat_dict(), comparison, verdict)
    facts = run_facts(scored, manifest)
    return Report(
        title=f"harness report · {facts.label}",
        run=facts,
        goldens=str(goldens) if isinstance(goldens, Path) else goldens.name,
        headline=[row for metric in HEADLINE for row in figures if row.metric == metric],
        figures=figures,
        documents=_documents(scored, corpus, predictions, records or {}, comparison.records if comparison else []),
        cost=cost_view((records or {}).values(), manifest),
        baseline=baseline_view(comparison, verdict) if comparison and verdict else None,
        chart=chart(_chart_runs(charted), HEADLINE) if len(charted) > 1 else None,
        warnings=_run_warnings(scored, manifest),
    )


def write_report(out: Path, report: Report) -> Path:
    """Render ``report`` to one self-contained HTML file at ``out`` (replaced atomically); returns ``out``."""
    write_atomically(out, render_report(report))
    return out
