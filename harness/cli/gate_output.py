"""The gate's options and output, shared by ``harness compare`` and ``harness eval --baseline``.

Not a command: the two commands that gate a run print its outcome the same way from here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from harness.compare.comparison import Comparison
from harness.compare.gate import Tolerances, check_gate
from harness.compare.markdown import summary_markdown
from harness.compare.tables import comparison_tables
from harness.run.durable import write_atomically

__all__ = ["SummaryOption", "ToleranceOption", "report_gate"]

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
