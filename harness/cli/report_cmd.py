"""``harness report``: write the HTML report of a run, optionally against a baseline; parsing and printing only."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from harness.cli.options import GoldenSetOption, ToleranceOption, project_settings

__all__ = ["report"]

console = Console(highlight=False, soft_wrap=True)


def report(
    ctx: typer.Context,
    run: Annotated[Path, typer.Argument(help="A run folder, a results.jsonl, or a folder of <doc_id>.json Articles.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The HTML file to write.")],
    goldens: GoldenSetOption = None,
    baseline: Annotated[
        Path | None,
        typer.Option(help="Compare with this baseline file (or run): deltas, intervals, the gate, record changes."),
    ] = None,
    history: Annotated[
        list[Path] | None,
        typer.Option(help="An earlier run or baseline to chart beside this one, oldest first. Repeatable."),
    ] = None,
    tolerance: ToleranceOption = None,
) -> None:
    """Write one self-contained HTML file: figures, and per document the text with its evidence and its records.

    Open it in any browser; it makes no network request. The report is written whether or not the gate passes.
    Exit codes: 0 written; 2 bad usage or configuration, or a baseline that cannot be compared; 4 a malformed golden,
    prediction or results file.
    """
    from harness.compare.gate import gate_tolerances
    from harness.goldens import load_golden_set, resolve_set
    from harness.report import build_report, write_report

    settings = project_settings(ctx)
    name, folder = resolve_set(goldens, settings)
    tolerances = gate_tolerances(tolerance or [], settings)
    built = build_report(
        run, load_golden_set(folder, name), baseline=baseline, history=history or [], tolerances=tolerances
    )
    write_report(out, built)
    console.print(f"report written to {out} ({len(built.documents)} document(s)); open it in a browser", markup=False)
