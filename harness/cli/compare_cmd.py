"""``harness compare``: compare two runs, show what changed, and gate the new one; parsing and printing only.

``gate_tolerances`` and ``report_gate`` are shared with ``harness eval --baseline``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from harness.compare.baseline import load_scored
from harness.compare.comparison import Comparison, compare_runs
from harness.compare.gate import Tolerances, check_gate, find_pyproject, load_tolerances, parse_tolerance_overrides
from harness.compare.markdown import summary_markdown
from harness.compare.tables import comparison_tables
from harness.durable import write_atomically

__all__ = ["SummaryOption", "ToleranceOption", "compare", "gate_tolerances", "report_gate"]

console = Console(highlight=False, soft_wrap=True)

ToleranceOption = Annotated[
    list[str] | None,
    typer.Option(
        "--tolerance",
        metavar="METRIC=VALUE",
        help="How far a figure may fall, e.g. contacts.detection.f1=0.02 (inf: not gated); overrides the "
        "tool.harness.gate table of pyproject.toml. Repeatable.",
    ),
]
SummaryOption = Annotated[
    Path | None, typer.Option("--summary", help="Write a Markdown summary here (e.g. $GITHUB_STEP_SUMMARY).")
]


def gate_tolerances(overrides: list[str] | None) -> Tolerances:
    """The nearest pyproject.toml's ``[tool.harness.gate]``, with ``--tolerance`` overrides applied."""
    return load_tolerances(find_pyproject()).overridden(parse_tolerance_overrides(overrides or []))


def report_gate(comparison: Comparison, tolerances: Tolerances, summary: Path | None) -> None:
    """Print the comparison's tables and the gate's outcome, write the summary; exit 1 when the gate fails."""
    verdict = check_gate(comparison.base_figures(), comparison.new_figures(), tolerances)
    for table in comparison_tables(comparison, verdict):
        console.print(table)
    if summary is not None:
        write_atomically(summary, summary_markdown(comparison, verdict) + "\n")
        console.print(f"summary written to {escape(str(summary))}")
    if not verdict.passed:
        for reason in verdict.reasons():
            console.print(f"[bold red]regression:[/] {escape(reason)}")
        console.print(f"[bold red]gate failed[/]: {len(verdict.failures)} figure(s) fell beyond tolerance")
        raise typer.Exit(1)
    console.print(f"[bold green]gate passed[/]: {len(verdict.checks)} figure(s) within tolerance")


def compare(
    base: Annotated[
        Path, typer.Argument(help="A baseline file, a run folder, a results.jsonl, or a folder of Article files.")
    ],
    new: Annotated[Path, typer.Argument(help="The run to judge, in any of the forms BASE takes.")],
    goldens: Annotated[
        Path, typer.Option(help="Folder of <doc_id>.json goldens beside their .txt, to score runs with.")
    ] = Path("goldens"),
    tolerance: ToleranceOption = None,
    summary: SummaryOption = None,
) -> None:
    """Compare NEW with BASE: figure deltas, per document and per record, bootstrap intervals; gate NEW.

    Runs are scored against the goldens (a baseline keeps its blessed scores). Exit codes: 0 no gated figure fell
    beyond its tolerance; 1 one did (the reasons are printed); 2 bad usage, tolerances or configuration, or
    incomparable runs (another answer schema, other goldens); 4 a malformed golden, prediction or results file.
    """
    tolerances = gate_tolerances(tolerance)
    comparison = compare_runs(
        load_scored(base, goldens), load_scored(new, goldens), base_label=str(base), new_label=str(new)
    )
    report_gate(comparison, tolerances, summary)
