"""``harness score``: score predictions against the goldens and print the tables; parsing and printing only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from harness.cli.options import project_settings

__all__ = ["score"]

console = Console(highlight=False, soft_wrap=True)


def score(
    ctx: typer.Context,
    pred: Annotated[
        Path, typer.Argument(help="A results.jsonl, a run folder holding one, or a folder of <doc_id>.json Articles.")
    ],
    goldens: Annotated[
        str,
        typer.Argument(
            metavar="GOLDENS",
            help="Golden set: a name from the golden_sets setting or a folder of <doc_id>.json goldens beside "
            "their documents.",
        ),
    ],
    json_out: Annotated[
        Path | None,
        typer.Option("--json", help="Also write every figure, per document and per record, to this JSON file."),
    ] = None,
) -> None:
    """Score predictions against the goldens: P/R/F1 of actors and contacts, field accuracy, grounding."""
    from harness.goldens import load_golden_set, resolve_set
    from harness.run.durable import write_atomically
    from harness.scoring import score_run
    from harness.scoring.loading import load_predictions
    from harness.scoring.tables import score_tables

    name, folder = resolve_set(goldens, project_settings(ctx))
    golden_set = load_golden_set(folder, name)
    run_score = score_run(load_predictions(pred), golden_set.goldens, golden_set.texts)
    for table in score_tables(run_score):
        console.print(table)
    if json_out is not None:
        write_atomically(json_out, json.dumps(run_score.to_json(), indent=2) + "\n")
        console.print(f"scores written to {json_out}", markup=False)
