"""``harness compare``: compare two runs, show what changed, and gate the new one; parsing and printing only."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from harness.cli.gate_output import report_gate
from harness.cli.options import GoldenSetOption, SummaryOption, ToleranceOption, project_settings

__all__ = ["compare"]


def compare(
    ctx: typer.Context,
    base: Annotated[
        Path, typer.Argument(help="A baseline file, a run folder, a results.jsonl, or a folder of Article files.")
    ],
    new: Annotated[Path, typer.Argument(help="The run to judge, in any of the forms BASE takes.")],
    goldens: GoldenSetOption = None,
    tolerance: ToleranceOption = None,
    summary: SummaryOption = None,
) -> None:
    """Compare NEW with BASE: figure deltas, per document and per record, bootstrap intervals; gate NEW.

    Runs are scored against the goldens (a baseline keeps its blessed scores). Exit codes: 0 no gated figure fell
    beyond its tolerance; 1 one did (the reasons are printed); 2 bad usage, tolerances or configuration, or
    incomparable runs (another answer schema, other goldens); 4 a malformed golden, prediction or results file.
    """
    from harness.compare.baseline import is_baseline_file, load_scored
    from harness.compare.comparison import compare_runs
    from harness.compare.gate import gate_tolerances
    from harness.goldens import load_golden_set, resolve_set

    settings = project_settings(ctx)
    tolerances = gate_tolerances(tolerance or [], settings)
    # Read once for both sides, and not at all when both are baselines (they keep their blessed scores).
    folder = resolve_set(goldens, settings)[1]
    golden_set = folder if is_baseline_file(base) and is_baseline_file(new) else load_golden_set(folder)
    comparison = compare_runs(
        load_scored(base, golden_set), load_scored(new, golden_set), base_label=str(base), new_label=str(new)
    )
    report_gate({str(new): comparison}, tolerances, summary)
