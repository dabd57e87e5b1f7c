"""Regression testing: baselines, comparisons of two runs, and the gate that fails a worse one.

Reads scores, ledgers and baselines only; like scoring, it never imports the extraction side.
"""

from harness.compare.baseline import BASELINE_FORMAT, Baseline, bless, load_scored, read_baseline
from harness.compare.bootstrap import DifferenceInterval, paired_bootstrap
from harness.compare.comparison import Comparison, DocumentDelta, MetricDelta, compare_runs
from harness.compare.gate import (
    GateVerdict,
    MetricCheck,
    check_gate,
    gate_tolerances,
    refuse_unknown_tolerances,
)
from harness.compare.ledger import IncomparableRunsError, LedgerChange, read_ledger
from harness.compare.records import RecordChange, record_changes
from harness.compare.runs import ScoredRun, score_predictions

__all__ = [
    "BASELINE_FORMAT",
    "Baseline",
    "Comparison",
    "DifferenceInterval",
    "DocumentDelta",
    "GateVerdict",
    "IncomparableRunsError",
    "LedgerChange",
    "MetricCheck",
    "MetricDelta",
    "RecordChange",
    "ScoredRun",
    "bless",
    "check_gate",
    "compare_runs",
    "gate_tolerances",
    "load_scored",
    "paired_bootstrap",
    "read_baseline",
    "read_ledger",
    "record_changes",
    "refuse_unknown_tolerances",
    "score_predictions",
]
