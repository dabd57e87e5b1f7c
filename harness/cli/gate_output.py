"""The gate's output, shared by ``harness compare`` and ``harness eval --baseline``.

Not a command: the two commands that gate a run print its outcome the same way from here.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape

if TYPE_CHECKING:
    from harness.compare.comparison import Comparison
    from harness.project.settings import Tolerances

__all__ = ["report_gate"]

console = Console(highlight=False, soft_wrap=True)


def report_gate(comparisons: dict[str, Comparison], tolerances: Tolerances, summary: Path | None) -> None:
    """Print each comparison's tables and the gate's outcome (titled by its golden set when there are several),
    write the summary; exit 1 when the gate fails for any of them."""
    from harness.compare.gate import check_gate
    from harness.compare.markdown import summary_markdown
    from harness.compare.tables import comparison_tables
    from harness.run.durable import write_atomically

    titled = len(comparisons) > 1
    verdicts = {}
    for name, comparison in comparisons.items():
        verdicts[name] = check_gate(comparison.base_figures(), comparison.new_figures(), tolerances)
        if titled:
            console.rule(f"golden set {escape(name)}")
        for table in comparison_tables(comparison, verdicts[name]):
            console.print(table)
    if summary is not None:
        parts = [
            (f"## Golden set {name}\n\n" if titled else "") + summary_markdown(comparison, verdicts[name])
            for name, comparison in comparisons.items()
        ]
        write_atomically(summary, "\n\n".join(parts) + "\n")
        console.print(f"summary written to {escape(str(summary))}")
    failed = 0
    for name, verdict in verdicts.items():
        where = f" ({escape(name)})" if titled else ""
        if not verdict.passed:
            failed += 1
            for reason in verdict.reasons():
                console.print(f"[bold red]regression{where}:[/] {escape(reason)}")
            console.print(f"[bold red]gate failed{where}[/]: {len(verdict.failures)} figure(s) fell beyond tolerance")
        else:
            console.print(f"[bold green]gate passed{where}[/]: {len(verdict.checks)} figure(s) within tolerance")
    if failed:
        raise typer.Exit(1)
